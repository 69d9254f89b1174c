import TOML
import Testing

@Suite("TOMLText")
struct TOMLTextTests {
    @Test func anErrorKeepsItsMarkedTemplateAndItsValues() throws {
        let error = try #require(TOMLDocument(parsing: Array("start = 2027-02-30\n".utf8)).errors.first)
        #expect(error.message == "not a valid date: February 2027 has 28 days")
        #expect(error.messageText.isMarked)
        #expect(error.messageText.template == "not a valid date: %s %s has %s days")
        let month = try #require(error.messageText.arguments.first)
        #expect(month.isMarked && month.template == "February")
        #expect(error.messageText.arguments.dropFirst().map(\.template) == ["2027", "28"])
        #expect(error.messageText.arguments.dropFirst().allSatisfy { !$0.isMarked })
    }

    @Test func aSyntaxErrorNestsTheWordsItNames() throws {
        let error = try #require(TOMLDocument(parsing: Array("oops\n".utf8)).errors.first)
        #expect(error.message == "expected '=' after the key, found the end of the line")
        #expect(error.messageText.template == "expected %s, found %s")
        #expect(error.messageText.arguments.map(\.template) == ["'=' after the key", "the end of the line"])
        #expect(error.messageText.arguments.allSatisfy { $0.isMarked })
        #expect(error.hint == "write key = value")
    }

    @Test func aCharacterFoundIsKeptAsWritten() throws {
        let error = try #require(TOMLDocument(parsing: Array("a = 1 x\n".utf8)).errors.first)
        #expect(error.messageText.arguments.last == TOMLText(verbatim: "\"x\""))
        #expect(error.message == "expected the end of the line, found \"x\"")
    }
}
