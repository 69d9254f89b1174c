import Daemon
import FuzzSupport
import Glibc

/// Fuzzes the state-file reader: the snapshot parser (`StateStore.decode`), the sent.log reader
/// (`StateStore.keys(inLog:)`) and `load()` over real files, then checks that what loads is saved and
/// loaded back unchanged (`commit` then `load`).
///
/// Input: the `state` file, optionally followed by a `#--- sent.log ---` line and the `sent.log` file.
enum FuzzStateFile {
    static let marker = Array("\n#--- sent.log ---\n".utf8)

    /// A private directory for the files, on tmpfs when there is one (fsync is then cheap).
    static let directory: String = {
        var template = Array(
            ((access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp") + "/sse-fuzz-state-XXXXXX").utf8CString
        )
        guard let made = mkdtemp(&template) else { fatalError("mkdtemp: \(String(cString: strerror(errno)))") }
        let path = String(cString: made)
        atexit { FuzzStateFile.cleanUp() }
        return path
    }()

    static func run(_ bytes: [UInt8]) {
        var snapshot = bytes[...]
        var log: ArraySlice<UInt8>?
        if let cut = firstRange(of: marker, in: bytes) {
            snapshot = bytes[..<cut.lowerBound]
            log = bytes[cut.upperBound...]
        }
        if let decoded = try? StateStore.decode(Array(snapshot), path: "state") {
            let again = try? StateStore.decode(StateStore.encode(decoded), path: "state")
            precondition(again == decoded, "encode(decode(x)) does not decode to the same state")
        }
        if let log {
            for key in StateStore.keys(inLog: Array(log)) {
                precondition(
                    !key.isEmpty && !key.utf8.contains(10) && !key.utf8.contains(0),
                    "invalid key from the log"
                )
            }
        }

        removeAll()
        write(Array(snapshot), to: directory + "/state")
        if let log { write(Array(log), to: directory + "/sent.log") }
        let store = StateStore(directory: directory)
        let loaded: DeliveryState
        do {
            loaded = try store.load()
        } catch {
            _ = error.description
            return
        }
        do {
            try store.commit(loaded)
            let reloaded = try StateStore(directory: directory).load()
            precondition(reloaded == loaded, "a committed state loads back different")
        } catch {
            fatalError("commit or reload of a loaded state failed: \(error)")
        }
    }

    private static func firstRange(of needle: [UInt8], in bytes: [UInt8]) -> Range<Int>? {
        guard bytes.count >= needle.count else { return nil }
        for start in 0...(bytes.count - needle.count) where bytes[start] == needle[0] {
            if bytes[start..<start + needle.count].elementsEqual(needle) { return start..<start + needle.count }
        }
        return nil
    }

    private static func write(_ bytes: [UInt8], to path: String) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        precondition(descriptor >= 0, "cannot create \(path)")
        defer { close(descriptor) }
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                precondition(written > 0, "cannot write \(path)")
                offset += written
            }
        }
    }

    private static func removeAll() {
        for name in ["state", "state.tmp", "state.bad", "sent.log"] { unlink(directory + "/" + name) }
    }

    static func cleanUp() {
        removeAll()
        rmdir(directory)
    }
}

/// libFuzzer's entry point.
@c(LLVMFuzzerTestOneInput)
public func fuzzStateFile(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    FuzzStateFile.run(size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

/// libFuzzer on `fuzzStateFile` in a `-DFUZZING` build, else a replay of the corpus files given as arguments.
@main enum FuzzStateFileMain {
    static func main() { FuzzMain.run(fuzzStateFile, replay: FuzzStateFile.run) }
}
