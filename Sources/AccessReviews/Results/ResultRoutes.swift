import Foundation
import Hummingbird
import NIOCore
import WardenCore

/// `/api/preview/awf/certifications/{id}/results`: list, get, update and force update (Veza's), and
/// `results:import` (Warden's), which loads rows from a JSON array, NDJSON or CSV body.
public struct ResultRoutes: Sendable {
    let store: ResultStore
    let signer: PageTokenSigner

    public init(database: Database, signer: PageTokenSigner) {
        store = ResultStore(database: database)
        self.signer = signer
    }

    /// The largest import body, in bytes; larger loads go in several calls (`warden reviews import` does).
    public static let importLimit = 64 * 1024 * 1024

    static let path = "preview/awf/certifications/{id}/results"

    /// What an import reports.
    struct Loaded: Codable, Sendable {
        var rowsLoaded: Int

        enum CodingKeys: String, CodingKey {
            case rowsLoaded = "rows_loaded"
        }
    }

    public func add(to api: RouterGroup<WardenRequestContext>) {
        let store = store
        let signer = signer
        api.post(.init(Self.path + ":import")) { request, context in
            try context.require(.importCertificationResults)
            let certificationID = try context.pathParameter("id")
            let body: ByteBuffer
            do {
                body = try await request.body.collect(upTo: Self.importLimit)
            } catch is NIOTooManyBytesError {
                throw APIError.payloadTooLarge(limit: Self.importLimit)
            }
            let data = Data(buffer: body)
            let rows = try ResultImport.rows(data, format: .init(contentType: request.headers[.contentType], body: data))
            return JSONResponse(ValueEnvelope(Loaded(rowsLoaded: try await store.load(rows, into: certificationID))))
        }
        api.put(.init(Self.path)) { request, context in
            let caller = try context.require(.updateCertificationResult)
            let change = try await request.decodeJSON(ResultUpdate.self, context: context)
            try await store.update(try context.pathParameter("id"), change, by: caller, force: false)
            return JSONResponse(EmptyObject())
        }
        api.post(.init(Self.path + ":force_update")) { request, context in
            let caller = try context.require(.forceUpdateCertificationResult)
            let change = try await request.decodeJSON(ResultUpdate.self, context: context)
            try await store.update(try context.pathParameter("id"), change, by: caller, force: true)
            return JSONResponse(EmptyObject())
        }
        api.get(.init(Self.path)) { request, context in
            let caller = try context.require(.listCertificationResults)
            let body = try await store.listBody(
                try context.pathParameter("id"), request.listParameters, signer: signer, for: ReviewerAssignment(caller))
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: body))
        }
        api.get(.init(Self.path + "/{result_id}")) { _, context in
            let caller = try context.require(.getCertificationResult)
            let text = try context.pathParameter("result_id")
            guard let resultID = Int64(text), resultID >= 0 else {
                throw APIError.invalidArgument("result_id", "result_id must be a whole number ≥ 0, got \"\(text.prefix(40))\"")
            }
            let body = try await store.getBody(try context.pathParameter("id"), resultID: resultID, for: ReviewerAssignment(caller))
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: body))
        }
    }
}
