import Hummingbird
import WardenCore

/// Cancels a long request when its client goes away: a smart-action apply or undo, or a results
/// import, may run a database statement for many seconds, and the statement is cancelled with the
/// request (its transaction rolls back, so nothing is half-written).
struct CancelOnDisconnectMiddleware: RouterMiddleware {
    typealias Context = WardenRequestContext

    /// The custom methods whose requests may run long.
    static let longMethods = [":apply_smart_action", ":undo", "results:import"]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        guard request.method == .post, Self.longMethods.contains(where: { path.hasSuffix($0) }),
              let watch = ConnectionWatch.of(context.connection)
        else {
            return try await next(request, context)
        }
        return try await withoutActuallyEscaping(next) { next in
            let handler = UncheckedHandler(next: next)
            return try await withThrowingTaskGroup(of: Response?.self) { group in
                group.addTask { try await handler.next(request, context) }
                group.addTask {
                    await watch.waitForClose()
                    return nil
                }
                defer { group.cancelAll() }
                if let response = try await group.next(), let response {
                    return response
                }
                context.logger.notice("the client went away; its request is cancelled")
                throw CancellationError()
            }
        }
    }
}

/// The router's `next`, which runs inside the task group only while `handle` waits for it.
private struct UncheckedHandler: @unchecked Sendable {
    let next: (Request, WardenRequestContext) async throws -> Response
}
