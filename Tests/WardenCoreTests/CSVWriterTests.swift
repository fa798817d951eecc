import NIOCore
import PropertyBased
import Testing
import WardenCore
import WardenTestSupport

@Suite struct CSVWriterTests {
    static func row(_ cells: [String]) -> String {
        var buffer = ByteBuffer()
        CSVWriter.appendRow(cells, to: &buffer)
        return String(buffer: buffer)
    }

    /// The formula-injection rule, written independently of the writer's byte scanner.
    static func expectedCell(_ cell: String) -> String {
        let plainNumber = cell.wholeMatch(of: /[+-]?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/) != nil
        let guarded = !plainNumber && ["=", "+", "-", "@", "\t", "\r"].contains(cell.first)
        let text = (guarded ? "'" : "") + cell
        let quoted = cell.contains { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }
        return quoted ? "\"" + text.replacing("\"", with: "\"\"") + "\"" : text
    }

    @Test func quotesOnlyWhatRFC4180Needs() {
        #expect(Self.row(["a", "b c", ""]) == "a,b c,\r\n")
        #expect(Self.row(["x,y", "say \"hi\"", "two\nlines", "cr\r"]) == "\"x,y\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\r\"\r\n")
        #expect(Self.row(["café", "🙂"]) == "café,🙂\r\n")
    }

    @Test func neutralisesSpreadsheetFormulas() {
        #expect(Self.row(["=SUM(A1)", "+1+1", "-2+3", "@cmd", "\tx", "a=b"]) == "'=SUM(A1),'+1+1,'-2+3,'@cmd,'\tx,a=b\r\n")
        #expect(Self.row(["=HYPERLINK(\"x\",\"y\")"]) == "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\"\r\n")
        #expect(Self.row(["\rx"]) == "\"'\rx\"\r\n")
    }

    @Test(arguments: ["-5", "+7", "-0.25", "1e-3", "-1e-3", "-1E+10", "+0.5e3", "-0", "-12345678901234567890"])
    func leavesPlainNumbersAsTheyAre(cell: String) {
        #expect(Self.row([cell]) == cell + "\r\n")
    }

    @Test(arguments: [
        "-", "+", "-.5", "-5.", "-1e", "-e5", "- 5", "-5 ", "-0x1F", "-inf", "-nan", "+1-1", "-1e5+2", "-5%", "=5", "@5",
        "\t-5", "-1,5", "-٣",
    ])
    func guardsSignedTextThatIsNotAPlainNumber(cell: String) {
        #expect(Self.row([cell]) == Self.expectedCell(cell) + "\r\n")
        #expect(Self.row([cell]).hasPrefix("'") || Self.row([cell]).hasPrefix("\"'"))
    }

    @Test func everyCellFollowsTheRule() async {
        let alphabet = Array("0123456789+-.eE=@\t\r, \"a")
        let cells = Gen.int(in: alphabet.indices).map { alphabet[$0] }.string(of: 0...8)
        await propertyCheck(count: 3000, input: cells) { cell in
            #expect(Self.row([cell]) == Self.expectedCell(cell) + "\r\n", "\(cell.debugDescription)")
        }
    }

    /// Numbers read from the database go through the in-place cell writer; none is guarded.
    @Test(arguments: TestDatabase.kinds)
    func storedNumbersAreWrittenAsNumbers(kind: DatabaseKind) async throws {
        try await TestDatabase.with(kind) { database in
            let batch = try await database.rowBatch(database.statement("SELECT -5, 9223372036854775807, -0.25, '-2+3', '1e-3', '=1+1'"))
            var buffer = ByteBuffer()
            batch.appendCSV(0..<1, columns: [.integer, .integer, .text, .text, .text, .text], to: &buffer)
            #expect(String(buffer: buffer) == "-5,9223372036854775807,-0.25,'-2+3,1e-3,'=1+1\r\n")
        }
    }

    @Test func numbersWrittenThroughColumnsAreNotGuarded() {
        #expect(CSVColumn.integer.cell(.integer(-5)) == "-5")
        #expect(Self.row([CSVColumn.text.cell(.double(-0.25)), CSVColumn.text.cell(.double(-1e-5))]) == "-0.25,-1e-05\r\n")
    }
}
