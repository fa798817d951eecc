import Foundation

/// Prints rows as aligned columns on stdout, and a count on stderr.
enum TextTable {
    static func print(header: [String], rows: [[String]], noun: String) {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        for row in all {
            Swift.print(row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  "))
        }
        FileHandle.standardError.write(Data("\(rows.count) \(noun)\n".utf8))
    }
}
