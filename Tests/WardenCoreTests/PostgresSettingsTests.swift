import Foundation
import Testing
import WardenCore

/// Database URLs in libpq's form: every part decoded once, every parameter honoured or refused.
struct PostgresSettingsTests {
    @Test func thePartsOfAURL() throws {
        let settings = try PostgresSettings.parse("postgres://u:p%40ss@db.local:5433/warden")
        #expect(settings.endpoint == .tcp(host: "db.local", port: 5433))
        #expect(settings.username == "u")
        #expect(settings.password == "p@ss")
        #expect(settings.database == "warden")
        #expect(settings.tlsMode == .prefer)
        #expect(settings.applicationName == "warden")
        #expect(settings.connectTimeout == .seconds(10))
    }

    @Test func credentialsAreDecodedExactlyOnce() throws {
        let settings = try PostgresSettings.parse("postgresql://k%C3%A4the:p%2540%3A%40%C3%9F%E2%9C%93@h/d")
        #expect(settings.username == "käthe")
        #expect(settings.password == "p%40:@ß✓")
        let raw = try PostgresSettings.parse("postgres://u:a:b@c@h/d")
        #expect(raw.password == "a:b@c")
        #expect(raw.endpoint == .tcp(host: "h", port: 5432))
    }

    @Test func defaultsFollowLibpq() throws {
        let settings = try PostgresSettings.parse("postgres://")
        #expect(settings.endpoint == .tcp(host: "127.0.0.1", port: 5432))
        #expect(settings.username == "postgres")
        #expect(settings.database == "postgres")
        #expect(settings.password == nil)
        #expect(try PostgresSettings.parse("postgres://kim@h").database == "kim")
    }

    @Test func ipv6Literals() throws {
        #expect(try PostgresSettings.parse("postgres://u@[::1]:6543/d").endpoint == .tcp(host: "::1", port: 6543))
        #expect(try PostgresSettings.parse("postgres://u@[fe80::1%25eth0]/d").endpoint == .tcp(host: "fe80::1%eth0", port: 5432))
        #expect(try PostgresSettings.parse("postgres://u@[::1]/d").redacted.contains("[::1]:5432"))
    }

    @Test func unixSockets() throws {
        #expect(try PostgresSettings.parse("postgres://u@/d?host=/var/run/postgresql").endpoint == .unixSocket(folder: "/var/run/postgresql", port: 5432))
        #expect(try PostgresSettings.parse("postgres://u@%2Ftmp%2Fpg:5999/d").endpoint == .unixSocket(folder: "/tmp/pg", port: 5999))
        #expect(throws: DatabaseError.self) { try PostgresSettings.parse("postgres://u@/d?host=/tmp&sslmode=require") }
    }

    @Test func parametersAreHonoured() throws {
        let ca = FileManager.default.temporaryDirectory.appendingPathComponent("warden-settings-\(UUID().uuidString).pem")
        try Data("not read here".utf8).write(to: ca)
        defer { try? FileManager.default.removeItem(at: ca) }
        let url = "postgres://u@h/d?sslmode=verify-full&sslrootcert=\(ca.path)&connect_timeout=5&application_name=warden%20eu&port=7000&dbname=other&user=v&password=w"
        let settings = try PostgresSettings.parse(url)
        #expect(settings.tlsMode == .verifyFull)
        #expect(settings.rootCertificatePath == ca.path)
        #expect(settings.connectTimeout == .seconds(5))
        #expect(settings.applicationName == "warden eu")
        #expect(settings.endpoint == .tcp(host: "h", port: 7000))
        #expect(settings.database == "other")
        #expect(settings.username == "v")
        #expect(settings.password == "w")
        for mode in PostgresSettings.TLSMode.allCases {
            #expect(try PostgresSettings.parse("postgres://h/d?sslmode=\(mode.rawValue)").tlsMode == mode)
        }
        #expect(try PostgresSettings.parse("postgres://h/d?connect_timeout=1").connectTimeout == .seconds(2))
    }

    @Test func badInputFailsAtStartNamingTheProblem() {
        let cases: [(String, String)] = [
            ("postgres://h/d?sslmod=require", "\"sslmod\""),
            ("postgres://h/d?options=-c%20x", "\"options\""),
            ("postgres://h/d?sslmode=always", "sslmode \"always\""),
            ("postgres://h:99999/d", "port \"99999\""),
            ("postgres://h:x/d", "port \"x\""),
            ("postgres://h/d?connect_timeout=soon", "connect_timeout"),
            ("postgres://h/d?sslrootcert=/no/such/ca.pem", "/no/such/ca.pem"),
            ("postgres://h/d?sslcert=/no/such/cert.pem", "sslcert"),
            ("postgres://a,b/d", "several hosts"),
            ("postgres://u:100%@h/d", "password"),
            ("postgres://[::1/d", "IPv6"),
        ]
        for (url, named) in cases {
            #expect {
                try PostgresSettings.parse(url)
            } throws: { error in
                "\(error)".contains(named)
            }
        }
    }

    @Test func theRedactedFormNeverHoldsThePassword() throws {
        let settings = try PostgresSettings.parse("postgres://u:hunter2@h:1/d?sslmode=require")
        #expect(!settings.redacted.contains("hunter2"))
        #expect(settings.redacted == "postgres://u@h:1/d?sslmode=require")
    }
}
