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
/// The daemon releases them once the command line is parsed and whenever it goes idle for a while after a load
/// or a delivery. What was mapped at that moment is remembered (from `/proc/self/pagemap`), and `restore()` maps
/// it back in a few system calls (`MADV_POPULATE_READ`) when the daemon wakes a little before a due instant, so
/// that the first reminder after an idle stretch does not pay a page fault for each page of code it runs
/// (docs/performance.md has the figures).
///
/// Only the executable's `r-xp` mappings holding no private copy of a page (`Anonymous: 0` in smaps) are
/// released; relocated (RELRO) and writable data are never touched.
public final class CodePages {
    /// A run of pages that was mapped when the code was released.
    private struct Run {
        var start: UInt
        var length: Int
    }

    private static let pageSize = UInt(sysconf(Int32(_SC_PAGESIZE)))
    // MADV_POPULATE_READ (Linux 5.14): fault the range in as reads would, in one call.
    private static let populateRead: Int32 = 22

    /// The pages mapped at the last release, to map again at the next `restore()`.
    private var working: [Run] = []

    /// Nothing released yet.
    public init() {}

    /// Releases the executable's clean code mappings, remembering which of their pages were mapped; returns the
    /// kilobytes that were resident in them.
    @discardableResult
    public func release() -> Int {
        guard let executable = Self.executablePath(), let smaps = Self.readFile("/proc/self/smaps") else { return 0 }
        var released = 0
        var runs: [Run] = []
        var current: (start: UInt, end: UInt, rss: Int, copied: Int)?
        func finish() {
            guard let mapping = current, mapping.copied == 0, mapping.rss > 0 else { return }
            runs += Self.mappedRuns(from: mapping.start, to: mapping.end)
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
        working = runs
        return released
    }

    /// Maps back the pages that were mapped at the last release (from the page cache: no I/O); returns how many
    /// pages that was.
    @discardableResult
    public func restore() -> Int {
        var pages = 0
        for run in working {
            pages += run.length / Int(Self.pageSize)
            let address = UnsafeMutableRawPointer(bitPattern: run.start)
            if madvise(address, run.length, Self.populateRead) != 0 {
                // An older kernel: a read of each page faults it in.
                var sum: UInt8 = 0
                for offset in stride(from: 0, to: run.length, by: Int(Self.pageSize)) {
                    sum &+= UnsafeRawPointer(bitPattern: run.start + UInt(offset))!.load(as: UInt8.self)
                }
                Self.sink = sum
            }
        }
        return pages
    }

    nonisolated(unsafe) private static var sink: UInt8 = 0

    /// The runs of pages from `start` to `end` that this process has mapped, read from `/proc/self/pagemap`
    /// (bit 63 of each page's 64-bit entry: present).
    private static func mappedRuns(from start: UInt, to end: UInt) -> [Run] {
        let count = Int((end - start) / pageSize)
        guard count > 0, let pagemap = try? FileDescriptor.open("/proc/self/pagemap", .readOnly) else { return [] }
        defer { try? pagemap.close() }
        var entries = [UInt64](repeating: 0, count: count)
        let offset = Int64(start / pageSize) * 8
        let read = entries.withUnsafeMutableBytes { buffer in
            (try? pagemap.read(fromAbsoluteOffset: offset, into: buffer)) ?? 0
        }
        var runs: [Run] = []
        for index in 0..<(read / 8) where entries[index] & (1 << 63) != 0 {
            let address = start + UInt(index) * pageSize
            if let last = runs.last, last.start + UInt(last.length) == address {
                runs[runs.count - 1].length += Int(pageSize)
            } else {
                runs.append(Run(start: address, length: Int(pageSize)))
            }
        }
        return runs
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
