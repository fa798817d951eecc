import Lifecycle
import SCIMFilter
import Testing

@Suite struct TemplateTests {
    static let ann = TemplateContext(attributes: [
        "first_name": "Ann", "last_name": "Lee-Smith", "email": "Ann.Lee@Corp.Example", "employee_number": 42,
        "is_manager": true, "manager": ["email": "boss@corp.example", "level": 7], "city": "  São Paulo ",
        "department.code": "ENG",
    ])

    private func render(_ text: String, _ context: TemplateContext = ann) throws -> String {
        try Template(parsing: text).render(context)
    }

    @Test func literalTextAndReferences() throws {
        #expect(try render("{first_name}.{last_name}@company.com") == "Ann.Lee-Smith@company.com")
        #expect(try render("no references") == "no references")
        #expect(try render("") == "")
        #expect(try render("#{employee_number} manager={is_manager}") == "#42 manager=true")
        #expect(try render("{manager.email} / {manager.level}") == "boss@corp.example / 7")
        #expect(try render("{department.code}") == "ENG")
        #expect(try render("{{\"name\": \"{first_name}\"}}") == "{\"name\": \"Ann\"}")
    }

    @Test func everyDocumentedFunction() throws {
        #expect(try render("{email | REMOVE_DOMAIN | LOWER}") == "ann.lee")
        #expect(try render("{first_name | UPPER}") == "ANN")
        #expect(try render("{username_source | APPEND, \"@company.com\"}", TemplateContext(attributes: ["username_source": "jdoe"])) == "jdoe@company.com")
        #expect(try render("{first_name | PREPEND, \"Dr. \"}") == "Dr. Ann")
        #expect(try render("[{city | TRIM}]") == "[São Paulo]")
        #expect(try render("{city | REMOVE_WHITESPACE}") == "SãoPaulo")
        #expect(try render("{city | TRIM | REMOVE_DIACRITICS}") == "Sao Paulo")
        for (name, ascii) in [("Łukasz Gruba", "Lukasz Gruba"), ("Jürgen Straße", "Jurgen Strasse"), ("Ærøskøbing\u{7}", "AEroskobing"), ("Дмитрий", "Dmitrij")] {
            #expect(try render("{name | ASCII}", TemplateContext(attributes: ["name": .string(name)])) == ascii)
        }
        #expect(try render("{last_name | FIRST_N, 3}") == "Lee")
        #expect(try render("{last_name | LAST_N, \"5\"}") == "Smith")
        #expect(try render("{last_name | REPLACE_ALL, \"-\", \"_\"}") == "Lee_Smith")
        #expect(try render("{city | LOWER_SNAKE_CASE}") == "são_paulo")
        #expect(try render("{x | LOWER_SNAKE_CASE}", TemplateContext(attributes: ["x": "helloWorld Again"])) == "hello_world_again")
        #expect(try render("{first_name | lower | append, \"\\\"q\\\"\"}") == "ann\"q\"")
    }

    @Test func referencesAreSplitIntoAttributesAndActionOutputs() throws {
        let template = try Template(parsing: "{first_name} {manager.email} {actions.Create User.id}")
        #expect(template.references == ["first_name", "manager.email"])
        #expect(template.actionReferences == ["Create User"])
        let output = try Template(parsing: "{actions.create_user.user.id}")
        #expect(output.references.isEmpty)
        #expect(output.actionReferences == ["create_user"])
        let context = TemplateContext(attributes: [:], outputs: ["create_user": ["user": ["id": "u-17"]]])
        #expect(try output.render(context) == "u-17")
    }

    @Test func parseErrorsNameThePositionAndWhatWasExpected() {
        func failure(_ text: String) -> TemplateError? {
            do {
                _ = try Template(parsing: text)
                return nil
            } catch {
                return error
            }
        }
        #expect(failure("Hi {first_name") == TemplateError("the reference is not closed: expected | or }", position: 15))
        #expect(failure("{}")?.position == 2)
        #expect(failure("{}")?.message.contains("expected an attribute name") == true)
        #expect(failure("a } b")?.message.contains("write }} for a literal brace") == true)
        #expect(failure("{email | APPEND, \"x}")?.message.contains("not closed") == true)
        #expect(failure("{email | FIRST_N}")?.message == "FIRST_N takes \"count\" but was given 0 argument(s)")
        #expect(failure("{email | FIRST_N, \"many\"}")?.message.contains("whole number") == true)
        #expect(failure("{email, \"x\"}")?.message == "expected | or } after \"email\", found \",\"")
        let unknown = failure("{email | SHOUT}")
        #expect(unknown?.position == 10)
        #expect(unknown?.message.hasPrefix("unknown function SHOUT; the known functions are LOWER, UPPER, TRIM") == true)
        #expect(unknown?.message.contains("REPLACE_ALL") == true)
    }

    @Test func renderErrorsNameTheMissingAttributeOrOutput() throws {
        #expect(throws: TemplateError("the identity has no attribute \"nickname\"")) { try render("{nickname}") }
        #expect(throws: TemplateError.self) { try render("{manager.phone}") }
        #expect(throws: TemplateError("action \"create_user\" has no output yet: it has not run before this one")) {
            try render("{actions.create_user.id}")
        }
    }

    @Test func aJSONBodyKeepsTheTypesOfSoleReferences() throws {
        let body: JSONValue = [
            "userName": "{email | LOWER}", "employeeNumber": "{employee_number}", "manager": "{manager}", "active": "{is_manager}",
            "literal": 3, "tags": ["{first_name}", "fixed", "{{braces}}"], "note": "id {employee_number}",
        ]
        let rendered = try JSONTemplate(parsing: body).render(Self.ann)
        #expect(rendered == [
            "userName": "ann.lee@corp.example", "employeeNumber": 42, "manager": ["email": "boss@corp.example", "level": 7], "active": true,
            "literal": 3, "tags": ["Ann", "fixed", "{braces}"], "note": "id 42",
        ])
        #expect(try JSONTemplate(parsing: body).references == ["email", "employee_number", "manager", "is_manager", "first_name"])
        #expect(throws: JSONTemplateError.self) { try JSONTemplate(parsing: ["user": ["name": "{first_name"]]) }
        let error = #expect(throws: JSONTemplateError.self) { try JSONTemplate(parsing: ["user": ["names": ["ok", "{first_name | NOPE}"]]]) }
        #expect(error?.location == ".user.names[1]")
    }
}
