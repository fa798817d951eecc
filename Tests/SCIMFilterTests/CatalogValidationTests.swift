import SCIMFilter
import Testing

/// `FieldCatalog.validate`: fields, operators, literal types, and the errors naming them.
@Suite struct CatalogValidationTests {
    private let catalog = TestCatalog.catalog

    private func error(_ text: String) throws -> FilterError? {
        let expression = try Filter.parse(text)
        do {
            try catalog.validate(expression)
            return nil
        } catch {
            return error
        }
    }

    @Test func fieldsAreCaseInsensitive() throws {
        #expect(try error(#"STATE eq "ERRORED""#) == nil)
        #expect(try error(#"Source.Name co "x""#) == nil)
        #expect(catalog.field(named: "SOURCE.NAME")?.column == "source_name")
        #expect(catalog.field(named: "nope") == nil)
        #expect(try error(#"urn:ietf:params:scim:schemas:core:2.0:User:state eq "ERRORED""#) == nil)
    }

    @Test func unknownField() throws {
        let error = try error(#"foo eq "x""#)
        let names = catalog.fields.map(\.name).joined(separator: ", ")
        #expect(error?.message == #"unknown field "foo"; filterable fields are: "# + names)
        #expect(error?.field == "foo")
        #expect(error?.column == nil)
        #expect(try self.error(#"state eq "ERRORED" and (x pr or foo.bar eq 1)"#)?.field == "x")
        #expect(try self.error("foo.bar pr")?.message.hasPrefix(#"unknown field "foo.bar"; filterable"#) == true)
    }

    @Test func operatorNotAllowed() throws {
        let error = try error(#"action_type co "SYNC""#)
        #expect(error?.message == #"field "action_type" does not support operator "co"; allowed: eq"#)
        #expect(error?.field == "action_type")
        #expect(try self.error("action_type pr")?.message == #"field "action_type" does not support operator "pr"; allowed: eq"#)
        #expect(try self.error(#"action_type ne "X""#)?.field == "action_type")
        #expect(
            try self.error(#"identity_id gt "a""#)?.message
                == #"field "identity_id" does not support operator "gt"; allowed: eq, ne, co, sw, ew"#)
        #expect(try self.error("action_type eq null") == nil)
    }

    @Test func subAttributesAndValuePaths() throws {
        #expect(try error("state.x eq 1")?.message == #"field "state" has no sub-attribute "x""#)
        #expect(try error("source.email eq 1")?.message.hasPrefix(#"unknown field "source.email""#) == true)
        #expect(try error(#"state[value eq "x"]"#)?.message == #"field "state" is not multi-valued; "state[...]" needs a multi-valued field"#)
        #expect(try error(#"tags[type eq "x"]"#)?.message == #"inside "tags[...]" only "value" can be filtered, not "type""#)
        #expect(try error(#"tags[value eq "x" and VALUE co "y"]"#) == nil)
        #expect(try error(#"tags[value[value pr]]"#)?.message == #"value filters cannot nest: "value[...]" is inside "tags[...]""#)
        #expect(try error(#"labels[value pr]"#)?.message == #"field "labels" does not support operator "pr"; allowed: eq, ne, co, sw, ew"#)
    }

    @Test func strings() throws {
        #expect(try error(#"action_name eq 5"#)?.message == #"field "action_name" expects a string, got 5"#)
        #expect(try error(#"action_name co true"#)?.message == #"field "action_name" expects a string, got true"#)
        #expect(try error(#"action_name gt null"#)?.message == #"operator "gt" cannot be used with null ("action_name"); null only works with eq and ne"#)
        #expect(try error(#"action_name co null"#)?.field == "action_name")
        #expect(try error(#"action_name ne null"#) == nil)
        #expect(try error(#"tags co 1"#)?.message == #"field "tags" expects a string, got 1"#)
    }

    @Test func enumerations() throws {
        #expect(try error(#"state eq "errored""#) == nil)
        #expect(try error(#"state eq 3"#) == nil)
        #expect(try error(#"state eq "3""#) == nil)
        #expect(try error(#"state co "err""#) == nil)
        let error = try error(#"state eq "BROKEN""#)
        #expect(error?.message == #"unknown value "BROKEN" for field "state"; allowed: PENDING, RUNNING, COMPLETED, ERRORED"#)
        #expect(error?.field == "state")
        #expect(try self.error("state eq 4")?.message.hasPrefix(#"unknown value 4 for field "state""#) == true)
        #expect(try self.error("state eq 1.5")?.message.hasPrefix(#"unknown value 1.5 for field "state""#) == true)
        #expect(try self.error("state eq true")?.message.hasPrefix(#"unknown value true for field "state""#) == true)
        #expect(try self.error(#"state gt "A""#)?.message == #"operator "gt" cannot order the values of enumeration field "state""#)
        #expect(try self.error(#"state co 1"#)?.message == #"field "state" expects a string, got 1"#)
    }

    @Test func numbers() throws {
        #expect(try error("jobs_started ge 2") == nil)
        #expect(try error("jobs_started eq -0") == nil)
        #expect(try error("jobs_started eq 1.5")?.message == #"field "jobs_started" expects an integer, got 1.5"#)
        #expect(try error(#"jobs_started eq "2""#)?.message == #"field "jobs_started" expects an integer, got "2""#)
        #expect(try error("jobs_started eq 1e19")?.field == "jobs_started")
        #expect(try error(#"jobs_started co "1""#)?.message == #"operator "co" only matches text; field "jobs_started" holds integers"#)
        #expect(try error("score lt 1.5") == nil)
        #expect(try error("score lt 2") == nil)
        #expect(try error("score lt false")?.message == #"field "score" expects a number, got false"#)
    }

    @Test func booleans() throws {
        #expect(try error("any_changes eq true") == nil)
        #expect(try error(#"any_changes ne "true""#) == nil)
        #expect(try error(#"any_changes eq "FALSE""#) == nil)
        #expect(try error(#"any_changes eq "yes""#)?.message == #"field "any_changes" expects true or false, got "yes""#)
        #expect(try error("any_changes eq 1")?.message == #"field "any_changes" expects true or false, got 1"#)
        let ordering = try error("any_changes gt true")
        #expect(ordering?.message == #"operator "gt" cannot compare booleans ("any_changes")"#)
        #expect(ordering?.field == "any_changes")
        #expect(try error(#"any_changes co "t""#)?.message == #"operator "co" only matches text; field "any_changes" holds booleans"#)
    }

    @Test func timestamps() throws {
        #expect(try error(#"started_at ge "2026-01-01T00:00:00Z""#) == nil)
        #expect(try error(#"started_at ge "2026-01-01 00:00:00.5+01:00""#) == nil)
        let error = try error(#"started_at ge "yesterday""#)
        #expect(
            error?.message
                == #"field "started_at" expects an RFC 3339 timestamp such as "2026-01-02T03:04:05Z", got "yesterday""#)
        #expect(error?.field == "started_at")
        #expect(try self.error(#"started_at ge "2026-02-30T00:00:00Z""#)?.field == "started_at")
        #expect(try self.error(#"started_at ge 1767225600"#)?.field == "started_at")
        #expect(try self.error(#"started_at co "2026""#)?.message == #"operator "co" only matches text; field "started_at" holds timestamps"#)
    }
}
