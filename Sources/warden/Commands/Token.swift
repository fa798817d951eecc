import ArgumentParser
import Foundation
import WardenCore

struct Token: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create, list and revoke API keys.",
        subcommands: [Create.self, List.self, Revoke.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an API key and print it, alone on stdout, once.")

        @OptionGroup var database: DatabaseOptions

        @Option(help: "A name that says who or what uses the key (default: the email).")
        var name: String?

        @Option(help: "admin, operator, reviewer, viewer or provisioner.")
        var role: Role

        @Option(help: "The email of the person the key belongs to; required for a reviewer, whose rows are those listing it.")
        var email: String?

        @Option(help: "The identity source (id or name) a provisioner's key pushes into through /scim/v2; required for a provisioner.")
        var source: String?

        func run() async throws {
            let db = try await database.open(logger: database.logger("warden"))
            do {
                let key = try await APIKeyStore(database: db).create(
                    name: name ?? "", role: role, email: email ?? "", identitySource: source ?? "", createdBy: "cli")
                print(key.accessKey)
            } catch let error as APIError {
                await db.close()
                throw ValidationError(error.message)
            } catch {
                await db.close()
                throw error
            }
            await db.close()
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List API keys (never their secrets).")

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let db = try await database.open(logger: database.logger("warden"))
            let store = APIKeyStore(database: db)
            let signer = try await db.pageTokenSigner()
            var rows: [[String]] = [["ID", "NAME", "ROLE", "EMAIL", "STATUS", "CREATED", "LAST USED"]]
            var parameters = ListParameters(orderBy: "created_at asc", pageSize: "1000")
            while true {
                let page = try await store.list(try ListRequest(APIKey.listSpec, parameters, signer: signer), signer: signer)
                rows += page.values.map { [$0.id, $0.name, $0.role.rawValue, $0.email.isEmpty ? "-" : $0.email, $0.status.rawValue, $0.createdAt.rfc3339, $0.lastAccessAt?.rfc3339 ?? "-"] }
                guard page.hasMore else { break }
                parameters.pageToken = page.nextPageToken
            }
            await db.close()
            let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
            for row in rows {
                print(row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  "))
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke an API key by id.")

        @OptionGroup var database: DatabaseOptions

        @Argument(help: "The key's id, as `warden token list` shows it.")
        var id: String

        func run() async throws {
            let db = try await database.open(logger: database.logger("warden"))
            do {
                let key = try await APIKeyStore(database: db).revoke(id: id)
                print("Revoked \(key.id) (\(key.name)).")
            } catch let error as APIError {
                await db.close()
                throw ValidationError(error.message)
            }
            await db.close()
        }
    }
}

extension Role: ExpressibleByArgument {}
