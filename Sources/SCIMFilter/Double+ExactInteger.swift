extension Double {
    /// The value as an `Int64` when it is a whole number in range, else nil.
    ///
    /// Written without `rounded()`/`Int64(exactly:)`, which need libm, so that the module links alone.
    var exactInt64: Int64? {
        guard isFinite, self >= -9_223_372_036_854_775_808.0, self < 9_223_372_036_854_775_808.0 else { return nil }
        let integer = Int64(self)
        return Double(integer) == self ? integer : nil
    }
}
