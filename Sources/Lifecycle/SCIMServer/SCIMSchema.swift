import SCIMFilter

/// A SCIM schema (RFC 7643 §7) Warden's service provider serves: the User, the enterprise User
/// extension and the Group.
struct SCIMSchema: Sendable {
    var id: String
    var name: String
    var description: String
    var attributes: [SCIMAttribute]

    static let userURN = "urn:ietf:params:scim:schemas:core:2.0:User"
    static let enterpriseURN = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
    static let groupURN = "urn:ietf:params:scim:schemas:core:2.0:Group"
    static let listURN = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
    static let patchURN = "urn:ietf:params:scim:api:messages:2.0:PatchOp"

    /// The attribute named `name`, ignoring case.
    func attribute(_ name: String) -> SCIMAttribute? {
        attributes.first { $0.name.lowercased() == name.lowercased() }
    }

    /// The schema as `/Schemas` shows it, with its `meta`.
    func json(baseURL: String) -> JSONValue {
        [
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Schema"], "id": .string(id), "name": .string(name),
            "description": .string(description), "attributes": .array(attributes.map(\.json)),
            "meta": ["resourceType": "Schema", "location": .string("\(baseURL)/Schemas/\(id)")],
        ]
    }

    static let all = [user, enterprise, group]

    static let user = SCIMSchema(id: userURN, name: "User", description: "User Account", attributes: [
        SCIMAttribute(name: "userName", type: .string, required: true, unique: true, description: "Unique identifier for the User."),
        SCIMAttribute(name: "name", type: .complex, description: "The components of the user's real name.", subAttributes: [
            .string("formatted", "The full name."), .string("familyName", "The family name."), .string("givenName", "The given name."),
            .string("middleName", "The middle name(s)."), .string("honorificPrefix", "The honorific prefix."),
            .string("honorificSuffix", "The honorific suffix."),
        ]),
        .string("displayName", "The name of the User, suitable for display."),
        .string("nickName", "The casual way to address the user."),
        SCIMAttribute(name: "profileUrl", type: .reference, referenceTypes: ["external"], description: "A URI of the User's online profile."),
        .string("title", "The user's title."),
        .string("userType", "The relationship between the organization and the user."),
        .string("preferredLanguage", "The User's preferred written or spoken language."),
        .string("locale", "The User's default location."),
        .string("timezone", "The User's time zone in the Olson time zone database format."),
        SCIMAttribute(name: "active", type: .boolean, description: "The User's administrative status."),
        SCIMAttribute(name: "password", type: .string, mutability: .writeOnly, returned: .never, description: "Never stored and never returned."),
        .multiValued("emails", "Email addresses for the user.", types: ["work", "home", "other"]),
        .multiValued("phoneNumbers", "Phone numbers for the User.", types: ["work", "home", "mobile", "fax", "pager", "other"]),
        .multiValued("ims", "Instant messaging addresses for the User."),
        .multiValued("photos", "URLs of photos of the User.", valueType: .reference, types: ["photo", "thumbnail"]),
        SCIMAttribute(name: "addresses", type: .complex, multiValued: true, description: "A physical mailing address for this User.", subAttributes: [
            .string("formatted", "The full mailing address."), .string("streetAddress", "The street address."), .string("locality", "The city or locality."),
            .string("region", "The state or region."), .string("postalCode", "The zip code or postal code."), .string("country", "The country name."),
            SCIMAttribute(name: "type", type: .string, canonicalValues: ["work", "home", "other"], description: "What the address is for."),
            SCIMAttribute(name: "primary", type: .boolean, description: "Whether it is the primary address."),
        ]),
        SCIMAttribute(name: "groups", type: .complex, multiValued: true, mutability: .readOnly, description: "The groups the user belongs to.", subAttributes: [
            SCIMAttribute(name: "value", type: .string, mutability: .readOnly, description: "The id of the Group."),
            SCIMAttribute(name: "$ref", type: .reference, mutability: .readOnly, referenceTypes: ["Group"], description: "The URI of the Group."),
            SCIMAttribute(name: "display", type: .string, mutability: .readOnly, description: "The Group's displayName."),
            SCIMAttribute(name: "type", type: .string, mutability: .readOnly, canonicalValues: ["direct"], description: "How the membership is derived."),
        ]),
        .multiValued("entitlements", "A list of entitlements for the User."),
        .multiValued("roles", "A list of roles for the User."),
        .multiValued("x509Certificates", "A list of certificates issued to the User.", valueType: .binary),
    ])

    static let enterprise = SCIMSchema(id: enterpriseURN, name: "EnterpriseUser", description: "Enterprise User", attributes: [
        .string("employeeNumber", "A string identifier assigned by the organization."),
        .string("costCenter", "The name of a cost center."),
        .string("organization", "The name of an organization."),
        .string("division", "The name of a division."),
        .string("department", "The name of a department."),
        SCIMAttribute(name: "manager", type: .complex, description: "The User's manager.", subAttributes: [
            SCIMAttribute(name: "value", type: .string, description: "The id of the manager's User."),
            SCIMAttribute(name: "$ref", type: .reference, referenceTypes: ["User"], description: "The URI of the manager's User."),
            SCIMAttribute(name: "displayName", type: .string, mutability: .readOnly, description: "The manager's displayName."),
        ]),
    ])

    static let group = SCIMSchema(id: groupURN, name: "Group", description: "Group", attributes: [
        SCIMAttribute(name: "displayName", type: .string, required: true, unique: true, description: "A human-readable name for the Group."),
        SCIMAttribute(name: "members", type: .complex, multiValued: true, description: "The members of the Group: Users.", subAttributes: [
            SCIMAttribute(name: "value", type: .string, mutability: .immutable, description: "The id of the member User."),
            SCIMAttribute(name: "$ref", type: .reference, mutability: .immutable, referenceTypes: ["User"], description: "The URI of the member."),
            SCIMAttribute(name: "display", type: .string, mutability: .readOnly, description: "The member's display name."),
            SCIMAttribute(name: "type", type: .string, mutability: .immutable, canonicalValues: ["User"], description: "The member's resource type."),
        ]),
    ])
}
