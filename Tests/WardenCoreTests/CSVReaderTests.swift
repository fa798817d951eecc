import Foundation
import NIOCore
import Testing
import WardenCore

@Suite struct CSVReaderTests {
    private func read(_ text: String) throws(APIError) -> [[String]] {
        try CSVReader.records(Data(text.utf8))
    }

    @Test func readsWhatTheWriterWrites() throws {
        let rows = [["a", "b,c", #"say "hi""#], ["line\nbreak", "", "=1+1"], ["ünïcødé", "\r", " "]]
        var buffer = ByteBuffer()
        for row in rows { CSVWriter.appendRow(row, to: &buffer) }
        let read = try CSVReader.records(Data(buffer.readableBytesView))
        #expect(read == rows.map { $0.map { $0.first.map { "=+-@\t\r".contains($0) } == true ? "'" + $0 : $0 } })
    }

    @Test func lineEndsBlankLinesAndAByteOrderMark() throws {
        #expect(try read("a,b\r\n1,2\n3,4\r5,6") == [["a", "b"], ["1", "2"], ["3", "4"], ["5", "6"]])
        #expect(try read("a\n\n1\n\n") == [["a"], ["1"]])
        #expect(try read("a\n\"\"\n") == [["a"], [""]])
        #expect(try CSVReader.records(Data([0xEF, 0xBB, 0xBF] + Array("result_id\n1\n".utf8))) == [["result_id"], ["1"]])
        #expect(try read("") == [])
    }

    @Test func malformedCSVNamesTheLine() throws {
        for (text, words) in [("a\n\"open", "line 2: a quoted cell is not closed"), ("a\nb\"c\n", "line 2: a quote inside"), ("\"a\"b\n", "line 1: text after a closing quote")] {
            do throws(APIError) {
                _ = try read(text)
                Issue.record("\(text) was read")
            } catch {
                #expect(error.message.contains(words), "\(text) → \(error.message)")
            }
        }
        #expect(throws: APIError.self) { try CSVReader.records(Data([0x61, 0x0A, 0xFF, 0x0A])) }
    }
}
