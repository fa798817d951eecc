import ArgumentParser
import Foundation

/// Where the server is and which key to use, for the client commands.
struct ClientOptions: ParsableArguments {
    @Option(help: "The server's URL (or WARDEN_URL), e.g. https://warden.example.com.")
    var url: String?

    @Option(help: "An API key (or WARDEN_TOKEN).")
    var token: String?

    @Flag(help: "Accept a self-signed or otherwise unverifiable TLS certificate.")
    var insecure = false

    func client() throws -> WardenClient {
        let environment = ProcessInfo.processInfo.environment
        guard let url = url ?? environment["WARDEN_URL"], !url.isEmpty else {
            throw ValidationError("give the server with --url or WARDEN_URL")
        }
        guard let token = token ?? environment["WARDEN_TOKEN"], !token.isEmpty else {
            throw ValidationError("give an API key with --token or WARDEN_TOKEN")
        }
        return WardenClient(baseURL: url.hasSuffix("/") ? String(url.dropLast()) : url, token: token, insecure: insecure)
    }
}
