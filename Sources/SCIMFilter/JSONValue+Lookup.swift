extension JSONValue {
    /// The member `name` of an object: the exact key if present, else the first key equal to it ignoring ASCII case.
    func member(_ name: String) -> JSONValue? {
        guard case .object(let object) = self else { return nil }
        if let value = object[name] { return value }
        for (key, value) in object where ByteText.equalIgnoringASCIICase(key, name) {
            return value
        }
        return nil
    }

    /// The value of a field whose wire name may contain a dot: the flat key `"source.name"` if the
    /// object has one, else the nested member `source` → `name`.
    func field(_ name: String) -> JSONValue? {
        if let value = member(name) { return value }
        guard let dot = name.utf8.firstIndex(of: UInt8(ascii: ".")),
            let parent = member(String(name[..<dot]))
        else { return nil }
        return parent.member(String(name[name.index(after: dot)...]))
    }
}
