import TOML
import Testing

@Suite("TOMLString")
struct TOMLStringTests {
    @Test(arguments: [
        "plain", "quote \" slash \\ tab \t", "bell \u{07} delete \u{7F} null \u{00}", "b \u{08} f \u{0C} cr \r lf \n",
        "é 😀",
    ])
    func quotedTextParsesBackUnchanged(_ text: String) {
        let document = TOMLDocument(parsing: "s = \(TOMLString.quoted(text))")
        #expect(document.isValid)
        #expect(document.root["s"]?.value == .string(text))
    }

    @Test func escapesAreThoseJSONHasToo() {
        #expect(
            TOMLString.quoted("\u{08}\t\n\u{0C}\r\u{01}\u{1F}\u{7F}\"\\é") == #""\b\t\n\f\r\u0001\u001F\u007F\"\\é""#
        )
    }
}
