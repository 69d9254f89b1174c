/// FNV-1a, 64 bits: the state file's checksum, and a short, stable name for a longer text (the delivery unit's
/// instance, a mail's Message-ID). Not a cryptographic hash: nothing secret or adversarial depends on it.
public enum FNV1a {
    /// The standard offset basis.
    public static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325

    /// The FNV-1a 64 hash of `bytes`, starting from `basis`.
    public static func hash64(_ bytes: some Sequence<UInt8>, basis: UInt64 = offsetBasis) -> UInt64 {
        var hash = basis
        for byte in bytes {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        return hash
    }

    /// `value` as 16 lowercase hexadecimal digits.
    public static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// The hash of `text`'s UTF-8 bytes as 16 lowercase hexadecimal digits.
    public static func hex64(_ text: String, basis: UInt64 = offsetBasis) -> String {
        hex(hash64(text.utf8, basis: basis))
    }
}
