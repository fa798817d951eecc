import Foundation
import HummingbirdTesting
import Testing
import WardenCore
import WardenTestSupport

@Suite struct PermissionTableTests {
    /// One operation of `openapi.yaml`.
    struct SpecOperation: Hashable {
        var id: String
        var method: String
        var path: String
    }

    /// The operations under `paths:`, read line by line: a path at two spaces, a method at four, its
    /// `operationId` at six.
    static func operations(inSpec text: String) -> [SpecOperation] {
        var operations: [SpecOperation] = []
        var inPaths = false
        var path = ""
        var method = ""
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if !line.hasPrefix(" ") { inPaths = line == "paths:" }
            guard inPaths else { continue }
            if line.hasPrefix("  /"), line.hasSuffix(":") {
                path = String(line.dropFirst(2).dropLast())
            } else if let match = line.wholeMatch(of: /\ {4}(get|put|post|delete|patch):/) {
                method = match.1.uppercased()
            } else if let match = line.wholeMatch(of: /\ {6}operationId: (\w+)/) {
                operations.append(SpecOperation(id: String(match.1), method: method, path: path))
            }
        }
        return operations
    }

    /// The API's rows of the table as `openapi.yaml` names operations.
    static var table: [SpecOperation] {
        APIOperation.allCases.filter { !$0.isWebPage }.map { SpecOperation(id: $0.rawValue, method: $0.permission.method.rawValue, path: $0.permission.path) }
    }

    /// Every operation of the served `openapi.yaml` has a row in the table and every row an
    /// operation; each is called with no key and with a key of every role, and answers 401, 403,
    /// or neither, as its row says.
    @Test func everyOperationAnswersEveryRoleAsTheTableSays() async throws {
        try await TestServer.run { server in
            let spec = Self.operations(inSpec: try await server.request(.get, "/openapi.yaml", key: "").text)
            #expect(spec.count > 40)
            #expect(Set(spec) == Set(Self.table), "in openapi.yaml only: \(Set(spec).subtracting(Self.table)); in the table only: \(Set(Self.table).subtracting(spec))")

            // The source a provisioner's key pushes into, so its SCIM calls get past the key's check.
            #expect(try await server.request(.post, "/api/private/lifecycle_management/identity_sources", json: #"{"name": "HR"}"#).status == .ok)
            var keys: [(Role?, String)] = [(nil, "")]
            for role in Role.allCases {
                keys.append((role, try await server.key(role)))
            }
            for operation in APIOperation.allCases where !operation.isWebPage {
                let permission = operation.permission
                let uri = permission.path.replacing(/\{\w+\}/, with: "none")
                for (role, key) in keys {
                    let response = try await server.request(permission.method, uri, key: key)
                    let status = Int(response.status.code)
                    let caller = role?.rawValue ?? "no key"
                    if permission.allows(role) {
                        #expect(status != 401 && status != 403, "\(operation.rawValue) as \(caller): \(status) \(response.text)")
                    } else if permission.path.hasPrefix("/scim/v2") {
                        let detail = response.expectSCIMError(status: role == nil ? 401 : 403)
                        #expect(role == nil || detail.contains(operation.rawValue), "\(operation.rawValue) as \(caller): \(detail)")
                    } else if role == nil {
                        response.expectEnvelope(status: 401, code: "Unauthenticated")
                    } else {
                        let message = response.expectEnvelope(status: 403, code: "PermissionDenied")
                        #expect(message.contains(operation.rawValue), "\(operation.rawValue) as \(caller): \(message)")
                    }
                }
            }
        }
    }

    /// `docs/permissions.md` shows the same table as the code.
    @Test func theDocsShowTheTable() throws {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../docs/permissions.md")
        let rows = try String(contentsOf: docs, encoding: .utf8).split(separator: "\n").filter { $0.hasPrefix("| `") }
        let documented = rows.map { row in
            row.split(separator: "|", omittingEmptySubsequences: false).dropFirst().dropLast()
                .map { $0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "`", with: "") }
        }
        let code = APIOperation.allCases.map { operation in
            let permission = operation.permission
            return [operation.rawValue, permission.method.rawValue, permission.path, permission.access == .noKey ? "none" : "required"]
                + Role.allCases.map { permission.allows($0) ? "yes" : "" }
        }
        #expect(documented == code)
    }
}
