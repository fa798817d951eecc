import Foundation
import Hummingbird
import HummingbirdTesting
import Lifecycle
import Testing
import WardenCore
import WardenTestSupport

/// The route × role test of the web UI: every page and form of the permission table, opened signed out
/// and signed in with every role, answers as its row says.
@Suite struct WebPermissionTests {
    @Test func everyPageAnswersEveryRoleAsTheTableSays() async throws {
        try await TestServer.run(runner: RunnerSettings(concurrency: 0)) { server in
            var keys: [Role: String] = [:]
            // A provisioner's key cannot sign in at all (its role has no page either).
            let roles = Role.allCases.filter { $0 != .provisioner }
            for role in roles {
                keys[role] = try await server.key(role)
            }
            let provisioner = WebBrowser(server)
            _ = try await provisioner.get("/ui/sign_in")
            let refused = try await provisioner.post("/ui/sign_in", ["api_key": try await server.key(.provisioner)])
            #expect(refused.status == .forbidden && refused.text.contains("provisioner"), "\(refused.status)")
            #expect(try await provisioner.get("/ui").status == .found, "the refused provisioner is not signed in")
            for operation in APIOperation.allCases where operation.isWebPage {
                let permission = operation.permission
                let uri = permission.path.replacing(/\{\w+\}/, with: "none")
                let anonymous = WebBrowser(server)
                _ = try await anonymous.get("/ui/sign_in")
                let signedOut = try await send(permission.method, uri, from: anonymous)
                if permission.access == .noKey {
                    #expect(signedOut.status != .forbidden, "\(operation.rawValue) signed out: \(signedOut.status)")
                    continue
                }
                if permission.method == .get {
                    #expect(signedOut.status == .found && signedOut.location?.hasPrefix("/ui/sign_in?return_to=") == true,
                        "\(operation.rawValue) signed out: \(signedOut.status)")
                } else {
                    #expect([.unauthorized, .forbidden].contains(signedOut.status), "\(operation.rawValue) signed out: \(signedOut.status)")
                }
                for role in roles {
                    let browser = try await WebBrowser.signedIn(server, key: try #require(keys[role]))
                    let response = try await send(permission.method, uri, from: browser)
                    if permission.allows(role) {
                        let sentToSignIn = permission.method == .get && response.location?.hasPrefix("/ui/sign_in") == true
                        #expect(response.status != .forbidden && response.status != .unauthorized && !sentToSignIn,
                            "\(operation.rawValue) as \(role.rawValue): \(response.status) \(response.text.prefix(300))")
                    } else {
                        #expect(response.status == .forbidden, "\(operation.rawValue) as \(role.rawValue): \(response.status)")
                        #expect(response.text.contains(operation.permission.roles.map(\.rawValue).joined(separator: " or ")))
                    }
                }
            }
        }
    }

    private func send(_ method: HTTPRequest.Method, _ uri: String, from browser: WebBrowser) async throws -> TestResponse {
        method == .post ? try await browser.post(uri) : try await browser.get(uri)
    }
}
