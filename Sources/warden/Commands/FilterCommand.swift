import ArgumentParser
import Foundation
import SCIMFilter

struct FilterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "filter",
        abstract: "Try a SCIM filter before saving it in a smart action or a policy.",
        subcommands: [Check.self, Match.self]
    )

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the filter's canonical form (exit 0), or the error (exit 2).")

        @Argument(help: "The filter, e.g. 'state eq \"ERRORED\" and started_at ge \"2026-01-01T00:00:00Z\"'.")
        var filter: String

        func run() throws {
            do {
                print(try Filter.parse(filter).description)
            } catch {
                FilterCommand.fail(error.message)
            }
        }
    }

    struct Match: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print true or false: does the JSON resource match the filter? (schema-less; strings compare case-insensitively)")

        @Argument(help: "The filter.")
        var filter: String

        @Option(help: "A JSON file holding the resource, or - for standard input.")
        var resource: String

        func run() throws {
            let expression: FilterExpression
            do {
                expression = try Filter.parse(filter)
            } catch {
                FilterCommand.fail(error.message)
            }
            let data: Data
            do {
                data = resource == "-" ? FileHandle.standardInput.readDataToEndOfFile() : try Data(contentsOf: URL(fileURLWithPath: resource))
            } catch {
                FilterCommand.fail("cannot read \(resource): \(error.localizedDescription)")
            }
            let record: JSONValue
            do {
                record = try JSONDecoder().decode(JSONValue.self, from: data)
            } catch {
                FilterCommand.fail("\(resource == "-" ? "standard input" : resource) is not valid JSON")
            }
            do {
                print(try FilterEvaluator().matches(expression, record) ? "true" : "false")
            } catch {
                FilterCommand.fail(error.message)
            }
        }
    }

    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
        Foundation.exit(2)
    }
}
