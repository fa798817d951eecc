extension Int64 {
    /// Calls `body` with the number in decimal (a leading `-` when negative), without making a string.
    func withDecimalText<T>(_ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
        try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var magnitude = self.magnitude
            var start = digits.count
            repeat {
                start -= 1
                digits[start] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            if self < 0 {
                start -= 1
                digits[start] = UInt8(ascii: "-")
            }
            return try body(UnsafeBufferPointer(rebasing: digits[start...]))
        }
    }
}
