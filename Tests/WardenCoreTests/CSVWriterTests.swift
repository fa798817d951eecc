import NIOCore
import Testing
import WardenCore

@Suite struct CSVWriterTests {
    static func row(_ cells: [String]) -> String {
        var buffer = ByteBuffer()
        CSVWriter.appendRow(cells, to: &buffer)
        return String(buffer: buffer)
    }

    @Test func quotesOnlyWhatRFC4180Needs() {
        #expect(Self.row(["a", "b c", ""]) == "a,b c,\r\n")
        #expect(Self.row(["x,y", "say \"hi\"", "two\nlines", "cr\r"]) == "\"x,y\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\r\"\r\n")
        #expect(Self.row(["café", "🙂"]) == "café,🙂\r\n")
    }

    @Test func neutralisesSpreadsheetFormulas() {
        #expect(Self.row(["=SUM(A1)", "+1", "-2", "@cmd", "\tx", "a=b"]) == "'=SUM(A1),'+1,'-2,'@cmd,'\tx,a=b\r\n")
        #expect(Self.row(["=HYPERLINK(\"x\",\"y\")"]) == "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\"\r\n")
        #expect(Self.row(["\rx"]) == "\"'\rx\"\r\n")
    }
}
