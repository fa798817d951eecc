import SCIMFilter

/// One result row: its values in select-list order.
public struct DatabaseRow: Sendable {
    public let values: [DatabaseValue]

    public init(_ values: [DatabaseValue]) {
        self.values = values
    }

    /// Reads the row left to right, one column per call, starting at `column`.
    public func reader(from column: Int = 0) -> DatabaseRowReader {
        DatabaseRowReader(row: self, position: column)
    }
}

/// Reads a row's columns in order, checking each value's type.
public struct DatabaseRowReader {
    let row: DatabaseRow
    var position: Int

    private mutating func next() throws(DatabaseError) -> DatabaseValue {
        guard position < row.values.count else {
            throw .decoding("the row has \(row.values.count) columns; column \(position) was asked for")
        }
        defer { position += 1 }
        return row.values[position]
    }

    private func mismatch(_ value: DatabaseValue, _ expected: String) -> DatabaseError {
        .decoding("column \(position - 1) holds \(value), not \(expected)")
    }

    public mutating func text() throws(DatabaseError) -> String {
        let value = try next()
        guard case .text(let text) = value else { throw mismatch(value, "text") }
        return text
    }

    public mutating func optionalText() throws(DatabaseError) -> String? {
        let value = try next()
        switch value {
        case .null: return nil
        case .text(let text): return text
        default: throw mismatch(value, "text")
        }
    }

    public mutating func integer() throws(DatabaseError) -> Int64 {
        guard let value = try optionalInteger() else { throw .decoding("column \(position - 1) is NULL, not an integer") }
        return value
    }

    public mutating func optionalInteger() throws(DatabaseError) -> Int64? {
        let value = try next()
        switch value {
        case .null: return nil
        case .integer(let integer): return integer
        default: throw mismatch(value, "an integer")
        }
    }

    public mutating func double() throws(DatabaseError) -> Double {
        let value = try next()
        switch value {
        case .double(let double): return double
        case .integer(let integer): return Double(integer)
        default: throw mismatch(value, "a number")
        }
    }

    public mutating func bool() throws(DatabaseError) -> Bool {
        let value = try next()
        switch value {
        case .boolean(let bool): return bool
        case .integer(let integer): return integer != 0
        default: throw mismatch(value, "a boolean")
        }
    }

    public mutating func timestamp() throws(DatabaseError) -> Timestamp {
        Timestamp(nanosecondsSinceEpoch: try integer())
    }

    public mutating func optionalTimestamp() throws(DatabaseError) -> Timestamp? {
        try optionalInteger().map(Timestamp.init(nanosecondsSinceEpoch:))
    }

    /// A text column holding a wire enum's name.
    public mutating func wireEnum<Value: WireEnum>(_ type: Value.Type) throws(DatabaseError) -> Value {
        let name = try text()
        guard let value = Value(name: name) else { throw .decoding("column \(position - 1) holds \"\(name)\", not a \(Value.self)") }
        return value
    }
}
