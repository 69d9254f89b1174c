/// FNV-1a, 64 bits: a short, stable name for a longer text (the delivery unit's instance, a mail's Message-ID).
/// Not a cryptographic hash: nothing secret or adversarial depends on it.
public enum FNV1a {
    /// The FNV-1a 64 hash of `text`'s UTF-8 bytes, starting from `basis` (the standard offset basis by default).
    public static func hash64(_ text: String, basis: UInt64 = 0xcbf2_9ce4_8422_2325) -> UInt64 {
        var hash = basis
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }

    /// ``hash64(_:basis:)`` as 16 lowercase hexadecimal digits.
    public static func hex64(_ text: String, basis: UInt64 = 0xcbf2_9ce4_8422_2325) -> String {
        let digits = String(hash64(text, basis: basis), radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
