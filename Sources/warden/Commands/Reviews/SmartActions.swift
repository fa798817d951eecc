import AccessReviews
import ArgumentParser
import Foundation
import SCIMFilter
import WardenCore

/// `warden smart-actions`: definitions, and applying them to a certification, from a running server.
struct SmartActions: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "smart-actions",
        abstract: "Smart actions: list and create definitions; apply (or --dry-run) them to a certification; list and undo batches.",
        subcommands: [List.self, Create.self, Delete.self, Apply.self, Batches.self, Undo.self]
    )

    static let definitions = "\(Reviews.base)/smart_action_definitions"

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List definitions: all, or one workflow's and the global ones.")

        @OptionGroup var client: ClientOptions
        @Option(help: "A workflow's id.") var workflow: String?

        func run() async throws {
            let api = try client.client()
            let data = try await api.withHTTPClient { try await api.send($0, .GET, api.url(definitions, workflow.map { [("workflow_id", $0)] } ?? [])) }
            let page = try JSONDecoder().decode(ListBody<SmartActionDefinition>.self, from: data)
            TextTable.print(
                header: ["id", "name", "workflow_id", "filter", "mutable_filter", "sets"],
                rows: page.values.map { definition in
                    let fields = definition.mutableFields
                    let sets = [fields.decision.map { "decision=\($0.rawValue)" }, fields.notes.map { "notes=\($0)" }, fields.signedOffState.map { "signed_off_state=\($0.rawValue)" }]
                    return [
                        definition.id, definition.name, definition.workflowID, definition.filter.isEmpty && definition.applyToAllRows ? "(all rows)" : definition.filter,
                        definition.mutableFilter, sets.compactMap { $0 }.joined(separator: " "),
                    ]
                },
                noun: "smart action definitions")
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a definition; prints its id.")

        @OptionGroup var client: ClientOptions
        @Option(help: "Its name.") var name: String
        @Option(help: "What it is for.") var description: String?
        @Option(help: "Only for this workflow (global when absent).") var workflow: String?
        @Option(help: "A SCIM filter over source.*, destination.*, permissions.") var filter: String?
        @Option(help: "A SCIM filter over decision, signed_off_state, notes.") var mutableFilter: String?
        @Option(help: "The decision to set: NONE, ACCEPTED, REJECTED or FIXED.") var decision: String?
        @Option(help: "The notes to set.") var notes: String?
        @Flag(help: "Sign the rows off.") var signOff = false
        @Flag(help: "With no filter, act on every row.") var allRows = false

        func run() async throws {
            let api = try client.client()
            var fields: [String: String] = [:]
            if let decision { fields["decision"] = decision }
            if let notes { fields["notes"] = notes }
            if signOff { fields["signed_off_state"] = "SIGNED_OFF" }
            let body = try JSONSerialization.data(withJSONObject: [
                "name": name, "description": description ?? "", "workflow_id": workflow ?? "", "filter": filter ?? "",
                "mutable_filter": mutableFilter ?? "", "mutable_fields": fields, "apply_to_all_rows": allRows,
            ] as [String: Any])
            let data = try await api.withHTTPClient { try await api.send($0, .POST, api.url(definitions), json: body) }
            print((try JSONSerialization.jsonObject(with: data) as? [String: Any])?["id"] as? String ?? "")
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a definition.")

        @OptionGroup var client: ClientOptions
        @Argument(help: "The definition's id.") var id: String

        func run() async throws {
            let api = try client.client()
            _ = try await api.withHTTPClient { try await api.send($0, .DELETE, api.url("\(definitions)/\(id)")) }
            FileHandle.standardError.write(Data("Deleted \(id).\n".utf8))
        }
    }

    struct Apply: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Apply a definition to a certification's rows, or preview it with --dry-run.")

        @OptionGroup var client: ClientOptions
        @Argument(help: "The certification's id.") var certification: String
        @Argument(help: "The definition's id.") var definition: String
        @Flag(help: "Show what would change, change nothing.") var dryRun = false

        func run() async throws {
            let api = try client.client()
            let body = try JSONSerialization.data(withJSONObject: ["smart_action_definition_id": definition, "dry_run": dryRun] as [String: Any])
            let data = try await api.withHTTPClient {
                try await api.send($0, .POST, api.url("\(Reviews.base)/certifications/\(certification)/results:apply_smart_action"), json: body)
            }
            let outcome = try JSONDecoder().decode(ValueEnvelope<SmartActionOutcome>.self, from: data).value
            print("\(dryRun ? "would change" : "changed") \(outcome.changed) of \(outcome.matched) matching rows; \(outcome.skippedSignedOff) signed off, left alone; \(outcome.unchanged) already so")
            if !outcome.batchID.isEmpty { print("batch \(outcome.batchID) (undo with: warden smart-actions undo \(certification) \(outcome.batchID))") }
            if !outcome.samples.isEmpty {
                TextTable.print(
                    header: ["result_id", "decision", "notes", "signed_off_state"],
                    rows: outcome.samples.map { sample in
                        func change<T: Equatable>(_ before: T, _ after: T, _ text: (T) -> String) -> String {
                            before == after ? text(before) : "\(text(before)) → \(text(after))"
                        }
                        return [
                            String(sample.resultID), change(sample.before.decision, sample.after.decision) { $0.rawValue },
                            change(sample.before.notes, sample.after.notes) { $0 }, change(sample.before.signedOffState, sample.after.signedOffState) { $0.rawValue },
                        ]
                    },
                    noun: "sample rows")
            }
        }
    }

    struct Batches: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a certification's smart action batches, newest first.")

        @OptionGroup var client: ClientOptions
        @Argument(help: "The certification's id.") var certification: String

        func run() async throws {
            let api = try client.client()
            let data = try await api.withHTTPClient { try await api.send($0, .GET, api.url("\(Reviews.base)/certifications/\(certification)/smart_action_batches")) }
            let page = try JSONDecoder().decode(ListBody<SmartActionBatch>.self, from: data)
            TextTable.print(
                header: ["batch_id", "smart action", "by", "time", "changed", "undone"],
                rows: page.values.map { batch in
                    [batch.batchID, batch.definitionName, batch.actor.name, batch.time.rfc3339, String(batch.changed),
                     batch.undoneAt.map { "\($0.rfc3339) (\(batch.restored ?? 0) restored)" } ?? ""]
                },
                noun: "batches")
        }
    }

    struct Undo: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Undo a batch: restore the rows nobody changed since.")

        @OptionGroup var client: ClientOptions
        @Argument(help: "The certification's id.") var certification: String
        @Argument(help: "The batch's id.") var batch: String

        func run() async throws {
            let api = try client.client()
            let data = try await api.withHTTPClient {
                try await api.send($0, .POST, api.url("\(Reviews.base)/certifications/\(certification)/smart_action_batches/\(batch):undo"))
            }
            let undo = try JSONDecoder().decode(ValueEnvelope<SmartActionUndo>.self, from: data).value
            print("restored \(undo.restored) rows\(undo.notRestored > 0 ? "; \(undo.reason)" : "")")
        }
    }
}
