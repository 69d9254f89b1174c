/// The encodings a mail needs to carry UTF-8 through 7-bit headers and lines of bounded length: base64
/// (RFC 2045 section 6.8), quoted-printable (RFC 2045 section 6.7) and encoded-words (RFC 2047).
public enum MIMEEncoding {
    /// The longest an encoded-word may be (RFC 2047 section 2).
    public static let encodedWordLimit = 75

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// `bytes` in base64, one line.
    public static func base64(_ bytes: some Collection<UInt8>) -> String {
        let input = Array(bytes)
        var output: [UInt8] = []
        output.reserveCapacity((input.count + 2) / 3 * 4)
        var index = 0
        while index < input.count {
            let chunk = input[index..<min(index + 3, input.count)]
            let b0 = chunk[chunk.startIndex]
            let b1 = chunk.count > 1 ? chunk[chunk.startIndex + 1] : 0
            let b2 = chunk.count > 2 ? chunk[chunk.startIndex + 2] : 0
            output.append(alphabet[Int(b0 >> 2)])
            output.append(alphabet[Int((b0 & 0x03) << 4 | b1 >> 4)])
            output.append(chunk.count > 1 ? alphabet[Int((b1 & 0x0F) << 2 | b2 >> 6)] : UInt8(ascii: "="))
            output.append(chunk.count > 2 ? alphabet[Int(b2 & 0x3F)] : UInt8(ascii: "="))
            index += 3
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Whether `text` can stand in a header as it is: printable ASCII and spaces only.
    public static func isPlainHeaderText(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
    }

    /// `text` as one or more `=?UTF-8?B?...?=` words separated by a folding "\n " (RFC 2047), each at most
    /// ``encodedWordLimit`` characters and never splitting a character's UTF-8 sequence between two words.
    public static func encodedWords(_ text: String) -> String {
        // 12 characters of "=?UTF-8?B?" and "?=" leave 63 for base64: 45 bytes of text at most per word.
        let maximumBytes = (encodedWordLimit - 12) / 4 * 3
        var words: [String] = []
        var chunk: [UInt8] = []
        for character in text.unicodeScalars {
            let bytes = Array(String(character).utf8)
            if chunk.count + bytes.count > maximumBytes {
                words.append("=?UTF-8?B?" + base64(chunk) + "?=")
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty || words.isEmpty { words.append("=?UTF-8?B?" + base64(chunk) + "?=") }
        return words.joined(separator: "\n ")
    }

    /// `text` as a header value: as it is when it is plain ASCII, else as encoded-words.
    public static func headerText(_ text: String) -> String {
        isPlainHeaderText(text) ? text : encodedWords(text)
    }

    /// `text` in quoted-printable with "\n" line ends: every line at most 76 characters (soft breaks `=`),
    /// `=`, control characters and every byte beyond ASCII as `=XX`, spaces and tabs at a line's end encoded.
    public static func quotedPrintable(_ text: String) -> String {
        var output = ""
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if number > 0 { output += "\n" }
            let bytes = Array(line.utf8.filter { $0 != 0x0D })
            var length = 0
            for (index, byte) in bytes.enumerated() {
                let isLast = index == bytes.count - 1
                let plain = (byte >= 0x21 && byte <= 0x7E && byte != UInt8(ascii: "=")) || ((byte == 0x20 || byte == 0x09) && !isLast)
                let piece = plain ? String(UnicodeScalar(byte)) : "=" + hex(byte)
                // A soft break keeps each line at 76 characters with its trailing "=".
                if length + piece.count > 75 {
                    output += "=\n"
                    length = 0
                }
                output += piece
                length += piece.count
            }
        }
        return output
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }
}
