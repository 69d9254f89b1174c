import Glibc
import SystemPackage

/// Gives back the pages of the executable's own code that start-up touched.
///
/// Loading a timeline runs code the daemon then does not need until the next reload (the TOML parser, the
/// config decoder, the command-line parser), and the kernel maps the executable's file pages 64 KiB at a
/// time around each one touched: about 9 MB of the static binary stay mapped after start-up. They are clean
/// copies of the file in the page cache, so dropping the mapping loses nothing: a page used again is mapped
/// back from the cache (a minor fault, no I/O). This is what the kernel does by itself under memory pressure.
///
/// The daemon releases them once the command line is parsed and whenever it goes idle after a load (start-up
/// or reload). The price: the code a reload or the first reminder after a load needs comes back page by page
/// (docs/performance.md has the figures: a reload takes a few milliseconds more, and so does the first
/// reminder after one).
///
/// Only the executable's `r-xp` mappings holding no private copy of a page (`Anonymous: 0` in smaps) are
/// released; relocated (RELRO) and writable data are never touched.
public enum CodePages {
    /// Releases the executable's clean code mappings; returns the kilobytes that were resident in them.
    @discardableResult
    public static func release() -> Int {
        guard let executable = executablePath(), let smaps = readFile("/proc/self/smaps") else { return 0 }
        var released = 0
        var current: (start: UInt, end: UInt, rss: Int, copied: Int)?
        func finish() {
            guard let mapping = current, mapping.copied == 0, mapping.rss > 0 else { return }
            let length = Int(mapping.end - mapping.start)
            if madvise(UnsafeMutableRawPointer(bitPattern: mapping.start), length, MADV_DONTNEED) == 0 {
                released += mapping.rss
            }
        }
        for line in smaps.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if fields.count >= 5, fields[0].contains("-"), fields[1].count == 4 {
                finish()
                current = nil
                guard fields[1] == "r-xp", fields.count >= 6, fields[5...].joined(separator: " ") == executable else {
                    continue
                }
                let bounds = fields[0].split(separator: "-")
                guard bounds.count == 2, let start = UInt(bounds[0], radix: 16), let end = UInt(bounds[1], radix: 16)
                else { continue }
                current = (start, end, 0, 0)
            } else if current != nil, fields.count >= 2, let value = Int(fields[1]) {
                if fields[0] == "Rss:" { current!.rss = value }
                // Copies written by the process (relocations); file pages merely not yet written back to disk
                // count as dirty too, but are the file's.
                if fields[0] == "Anonymous:" { current!.copied += value }
            }
        }
        finish()
        return released
    }

    private static func executablePath() -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard length > 0 else { return nil }
        return String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func readFile(_ path: String) -> String? {
        guard let descriptor = try? FileDescriptor.open(path, .readOnly) else { return nil }
        defer { try? descriptor.close() }
        guard let content = try? descriptor.readAll(operand: path) else { return nil }
        return String(decoding: content ?? [], as: UTF8.self)
    }
}
