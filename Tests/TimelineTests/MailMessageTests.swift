import Testing

@testable import Timeline

/// Base64 and quoted-printable decoders written apart from the encoders, to read what they wrote.
private func decodeBase64(_ text: String) -> [UInt8] {
    let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    var bits = 0
    var value = 0
    var output: [UInt8] = []
    for byte in text.utf8 where byte != UInt8(ascii: "=") && byte != 10 {
        value = value << 6 | alphabet.firstIndex(of: byte)!
        bits += 6
        if bits >= 8 {
            bits -= 8
            output.append(UInt8((value >> bits) & 0xFF))
        }
    }
    return output
}

private func decodeEncodedWords(_ header: String) -> String {
    var bytes: [UInt8] = []
    for word in header.split(whereSeparator: { $0 == "\n" || $0 == " " }) {
        #expect(word.hasPrefix("=?UTF-8?B?") && word.hasSuffix("?="))
        bytes += decodeBase64(String(word.dropFirst(10).dropLast(2)))
    }
    return String(decoding: bytes, as: UTF8.self)
}

private func decodeQuotedPrintable(_ text: String) -> String {
    var bytes: [UInt8] = []
    let input = Array(text.utf8)
    var index = 0
    while index < input.count {
        if input[index] == UInt8(ascii: "=") {
            if input[index + 1] == 10 {
                index += 2
                continue
            }
            bytes.append(UInt8(String(decoding: input[index + 1...index + 2], as: UTF8.self), radix: 16)!)
            index += 3
        } else {
            bytes.append(input[index])
            index += 1
        }
    }
    return String(decoding: bytes, as: UTF8.self)
}

private let title = "Conférence internationale du Travail — 115e session, Genève: « économie sociale et solidaire » 🌍"

private func request(attempt: Int = 1, channel: String = "board", start: String = "2027-06-01") -> DeliveryRequest {
    DeliveryRequest(
        deliveryID: "ilc-2027|2027-06-01|30 days before|\(channel)",
        channel: channel,
        kind: .mail,
        recipients: [
            MailAddress(parsing: "board@example.org")!, MailAddress(parsing: "Zoé Ünicode <zoe@example.org>")!,
        ],
        attempt: attempt,
        fields: [
            "MILESTONE_ID": "ilc-2027", "MILESTONE_TITLE": title, "MILESTONE_START": start,
            "MILESTONE_END": "2027-06-12", "MILESTONE_LOCATION": "Genève", "REMINDER": "30 days before",
            "REMINDER_KEY": "ilc-2027|2027-06-01|30 days before", "SOURCE_URL": "https://www.ilo.org/ilc",
            "MESSAGE": "\(title) starts in 30 days (2027-06-01, Genève).",
        ]
    )
}

private let now = Instant(secondsSinceEpoch: 1_796_597_706)  // 2026-12-06T22:55:06Z

private func message(_ request: DeliveryRequest) -> MailMessage {
    let content = DeliveryContent(request, now: now)
    return MailMessage(
        from: MailAddress(name: "sse-timeline", address: "sse-timeline@host.example"),
        to: request.recipients,
        subject: content.title,
        date: now,
        messageID: MailMessage.messageID(forDelivery: request.deliveryID),
        language: "fr",
        text: content.text,
        calendar: content.calendar
    )
}

/// The header of a message: the text before its first empty line.
private func headText(_ bytes: [UInt8]) -> String {
    let end = bytes.indices.first { bytes[$0] == 10 && bytes[$0 + 1] == 10 }!
    return String(decoding: bytes[..<end], as: UTF8.self)
}

/// The header lines of a message, unfolded, by name.
private func headers(_ bytes: [UInt8]) -> [String: String] {
    let head = headText(bytes)
    var result: [String: String] = [:]
    var last = ""
    for line in head.split(separator: "\n") {
        if line.hasPrefix(" ") {
            result[last]! += "\n" + line
        } else {
            let colon = line.firstIndex(of: ":")!
            last = String(line[..<colon])
            result[last] = String(line[line.index(colon, offsetBy: 2)...])
        }
    }
    return result
}

@Suite struct MailMessageTests {
    @Test func encodedWordsDecodeBackAndStayWithinTheLimit() {
        let encoded = MIMEEncoding.encodedWords(title)
        for word in encoded.split(separator: "\n") {
            let trimmed = word.hasPrefix(" ") ? word.dropFirst() : word
            #expect(trimmed.count <= MIMEEncoding.encodedWordLimit)
            #expect(trimmed.utf8.allSatisfy { $0 < 0x80 })
        }
        #expect(encoded.split(separator: "\n").count > 1)
        #expect(decodeEncodedWords(encoded) == title)
        #expect(MIMEEncoding.headerText("Plain ASCII subject") == "Plain ASCII subject")
    }

    @Test func base64MatchesTheRFCVectors() {
        let vectors = [
            "": "", "f": "Zg==", "fo": "Zm8=", "foo": "Zm9v", "foob": "Zm9vYg==", "fooba": "Zm9vYmE=",
            "foobar": "Zm9vYmFy",
        ]
        for (plain, encoded) in vectors { #expect(MIMEEncoding.base64(Array(plain.utf8)) == encoded) }
    }

    @Test func quotedPrintableKeepsLinesShortAndDecodesBack() {
        let text = String(repeating: "Économie sociale = solidaire ", count: 12) + "\nfin de ligne \n.\n"
        let encoded = MIMEEncoding.quotedPrintable(text)
        for line in encoded.split(separator: "\n", omittingEmptySubsequences: false) {
            #expect(line.utf8.count <= 76)
            #expect(!line.hasSuffix(" "))
            #expect(line.utf8.allSatisfy { $0 < 0x80 })
        }
        #expect(decodeQuotedPrintable(encoded) == text)
    }

    @Test func messageIDComesFromTheDeliveryIDAlone() {
        let first = message(request(attempt: 1))
        let retry = message(request(attempt: 7))
        #expect(first.messageID == retry.messageID)
        #expect(first.messageID != message(request(channel: "team")).messageID)
        let id = "ilc-2027|2027-06-01|30 days before|board"
        #expect(first.messageID.hasPrefix("<\(FNV1a.hex64(id))."))
        #expect(first.messageID.hasSuffix("@sse-timeline>"))
        #expect(first.bytes() == retry.bytes())
    }

    @Test func fnv1aMatchesTheReferenceVectors() {
        #expect(FNV1a.hex64("") == "cbf29ce484222325")
        #expect(FNV1a.hex64("a") == "af63dc4c8601ec8c")
        #expect(FNV1a.hex64("foobar") == "85944171f73967e8")
    }

    @Test func headersAreASCIIWithTheRequiredFields() {
        let bytes = message(request()).bytes()
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(!text.contains("\r"))
        for line in text.split(separator: "\n") { #expect(line.utf8.count <= 998) }
        let head = headText(bytes)
        #expect(head.utf8.allSatisfy { $0 < 0x80 })
        let fields = headers(bytes)
        #expect(fields["Auto-Submitted"] == "auto-generated")
        #expect(fields["MIME-Version"] == "1.0")
        #expect(fields["Date"] == "Sun, 06 Dec 2026 22:55:06 +0000")
        #expect(fields["From"] == "\"sse-timeline\" <sse-timeline@host.example>")
        #expect(decodeEncodedWords(fields["Subject"]!) == "\(title) (30 days before)")
        #expect(fields["To"]!.hasPrefix("board@example.org,\n =?UTF-8?B?"))
        #expect(fields["To"]!.hasSuffix(" <zoe@example.org>"))
        #expect(fields["Content-Type"]!.hasPrefix("multipart/mixed; boundary="))
        #expect(text.contains("Content-Type: text/calendar; charset=UTF-8; method=PUBLISH"))
        #expect(text.contains("Content-Language: fr"))
    }

    @Test func textSaysWhenWhereSourceHowLongAndTheKey() {
        let content = DeliveryContent(request(), now: now)
        #expect(content.text.contains("When:     2027-06-01 – 2027-06-12 (starts in 176 days)"))
        #expect(content.text.contains("Where:    Genève"))
        #expect(content.text.contains("Source:   https://www.ilo.org/ilc"))
        #expect(content.text.contains("Key:      ilc-2027|2027-06-01|30 days before"))
        #expect(content.title == "\(title) (30 days before)")
    }

    @Test func aChannelOfItsOwnLanguageGetsItsTitleAndLabelsInIt() {
        let french = Localizer(
            singular: { ["When:": "Quand :", "starts %s": "commence %s", "Key:": "Clé :"][$0] ?? $0 },
            plural: { one, other, n in ["in %d day": n > 1 ? "dans %d jours" : "dans %d jour"][one] ?? (n == 1 ? one : other) },
            language: { "fr" }
        )
        let english = request()
        var fields = english.fields
        fields["MILESTONE_TITLE"] = "International Labour Conference"
        fields["MILESTONE_TITLE_FR"] = "Conférence internationale du Travail"
        let channel = DeliveryRequest(
            deliveryID: english.deliveryID, channel: "board", kind: .mail, recipients: english.recipients,
            language: "fr", fields: fields)
        let content = DeliveryContent(channel, now: now, localizer: french)
        #expect(content.title == "Conférence internationale du Travail (30 days before)")
        // The daemon's MESSAGE is in the instance's language: the title stands first instead.
        #expect(content.text.hasPrefix("Conférence internationale du Travail (30 days before)\n"))
        #expect(content.text.contains("Quand :   2027-06-01 – 2027-06-12 (commence "))
        #expect(content.text.contains("Clé :     ilc-2027|2027-06-01|30 days before"))
        #expect(!content.text.contains("When:"))
    }

    @Test func calendarPartParsesBackWithOurReader() throws {
        let content = DeliveryContent(request(), now: now)
        let calendar = try #require(content.calendar)
        let parser = ICalendarParser(String(decoding: calendar, as: UTF8.self))
        #expect(parser.problems.isEmpty)
        let vcalendar = try #require(parser.components.first)
        #expect(vcalendar.property("METHOD")?.value == "PUBLISH")
        let event = try #require(vcalendar.components.first { $0.name == "VEVENT" })
        #expect(event.property("UID")?.value == "ilc-2027@sse-timeline")
        #expect(event.property("DTSTART")?.value == "20270601")
        #expect(event.property("DTSTART")?.parameter("VALUE") == "DATE")
        #expect(event.property("DTEND")?.value == "20270613")
        #expect(ICalendarValue.text(event.property("SUMMARY")!.value) == title)
        #expect(ICalendarValue.text(event.property("LOCATION")!.value) == "Genève")
    }

    @Test(
        arguments: [
            ("2027-09-20T09:00:00+02:00", "20270920T070000Z", nil),
            ("2027-09", "20270901", "20271001"),
            ("2027", "20270101", "20280101"),
        ] as [(String, String, String?)]
    )
    func calendarStartsOfEveryPrecision(start: String, dtstart: String, dtend: String?) throws {
        var timed = request(start: start)
        timed.fields["MILESTONE_END"] = nil
        let calendar = try #require(DeliveryContent(timed, now: now).calendar)
        let event = try #require(
            ICalendarParser(String(decoding: calendar, as: UTF8.self)).components.first?.components.first
        )
        #expect(event.property("DTSTART")?.value == dtstart)
        #expect(event.property("DTEND")?.value == dtend)
    }

    @Test func noCalendarWhenTheStartCannotBeRead() {
        #expect(DeliveryContent(request(start: "soon"), now: now).calendar == nil)
    }

    @Test(
        arguments: [
            ("board@example.org", nil, "board@example.org"),
            ("  Ana <ana@example.org> ", "Ana", "ana@example.org"),
            ("\"Board, SSE\" <board@example.org>", "Board, SSE", "board@example.org"),
        ] as [(String, String?, String)]
    )
    func mailAddressesParse(text: String, name: String?, address: String) throws {
        let parsed = try #require(MailAddress(parsing: text))
        #expect(parsed.name == name)
        #expect(parsed.address == address)
    }

    @Test(arguments: ["", "board", "-oQ@example.org", "a b@example.org", "Ana <ana@>", "a@b@c"])
    func mailAddressesRefused(text: String) {
        #expect(MailAddress(parsing: text) == nil)
    }
}

@Suite struct DeliveryRequestTests {
    private let base = [
        "SSE_DELIVERY_ID": "k|board", "SSE_CHANNEL": "board", "SSE_CHANNEL_KIND": "mail",
        "SSE_MAIL_TO": "board@example.org, Ana <ana@example.org>", "SSE_REMINDER_KEY": "k",
        "SSE_MILESTONE_TITLE": "T", "SSE_ATTEMPT": "3", "SSE_LANGUAGE": "fr", "PATH": "/usr/bin",
    ]

    @Test func readsTheContractsVariables() throws {
        let request = try DeliveryRequest(environment: base)
        #expect(request.kind == .mail)
        #expect(request.recipients.map(\.address) == ["board@example.org", "ana@example.org"])
        #expect(request.attempt == 3)
        #expect(request.language == "fr")
        #expect(request.fields == ["REMINDER_KEY": "k", "MILESTONE_TITLE": "T"])
    }

    @Test(arguments: [
        ("SSE_CHANNEL_KIND", "sms", "SSE_CHANNEL_KIND=\"sms\" is not valid: expected mail or apprise"),
        ("SSE_MAIL_TO", "board", "SSE_MAIL_TO=\"board\" is not valid: expected addresses as local@domain"),
        ("SSE_ATTEMPT", "0", "SSE_ATTEMPT=\"0\" is not valid: expected 1, 2, 3, ..."),
        ("SSE_CHANNEL", "Board", "SSE_CHANNEL=\"Board\" is not valid: expected a name [a-z0-9][a-z0-9_-]*"),
        ("SSE_DELIVERY_ID", "", "SSE_DELIVERY_ID is not set"),
    ])
    func refusesWhatTheDaemonDoesNotWrite(name: String, value: String, message: String) {
        var environment = base
        environment[name] = value
        #expect {
            try DeliveryRequest(environment: environment)
        } throws: { error in
            "\(error)".hasPrefix(message)
        }
    }

    @Test func appriseNeedsAValidCredentialName() {
        var environment = base
        environment["SSE_CHANNEL_KIND"] = "apprise"
        environment["SSE_APPRISE"] = "../etc/shadow"
        #expect(throws: DeliveryRequestError.self) { try DeliveryRequest(environment: environment) }
        environment["SSE_APPRISE"] = "phone"
        #expect((try? DeliveryRequest(environment: environment))?.credential == "phone")
    }
}
