/// The text of the files a `StateStore` keeps, apart from how they are written and read.
///
/// `state`, the snapshot: `sse-timeline-state 1`, `watermark 1717315200` (or `none`), a `sent KEY` line per
/// key, and `checksum 8c3f0a6d2e5b1c47`, the FNV-1a 64-bit hash of every byte before it. A state with snoozed,
/// dismissed or nagging reminders (`FollowUps`) is written as version 2, which adds `snooze UNTIL KEY`,
/// `dismiss DUE KEY` and `repeat NEXT,LEFT,EVERY KEY` lines (Unix seconds); without any, the file stays
/// version 1, so that an older daemon still reads it. A state with deliveries not yet sent (`PendingDelivery`) is
/// written as version 3, which adds `delivery DUE,FAILURES,REASON ID` lines (`-` for no failure yet). Every version
/// is read.
///
/// `sent.log`: one key per line, follow-up records as `+snooze`, `+dismiss`, `+back` and `+repeat` lines
/// (`FollowUpRecord`), and delivery records as `+queued`, `+failed`, `+sent` and `+gaveup` lines (`DeliveryRecord`). A last line without newline (torn) and lines with a NUL (a torn line that later
/// appends ended with NUL and newline) are ignored.
extension StateStore {
    /// The records' log lines, each after a newline.
    static func lines(of records: [some StateLogRecord]) -> [UInt8] {
        var bytes: [UInt8] = []
        for record in records {
            let key = record.key
            precondition(!key.isEmpty && !key.utf8.contains(10) && !key.utf8.contains(0), "invalid state key \(key)")
            bytes.append(10)
            bytes += Array(record.logLine.utf8)
        }
        return bytes
    }

    /// `state` as snapshot text, checksum line included: version 1 unless it has follow-ups (2) or deliveries (3).
    public static func encode(_ state: DeliveryState) -> [UInt8] {
        let followUps = state.followUps
        let version = !state.deliveries.isEmpty ? magicVersion3 : followUps.isEmpty ? magic : magicVersion2
        var text = version + "\n"
        text += "watermark " + (state.watermark.map(String.init) ?? "none") + "\n"
        for key in state.sentAfterWatermark.sorted() {
            text += "sent " + key + "\n"
        }
        for (key, until) in followUps.snoozed.sorted(by: { $0.key < $1.key }) {
            text += "snooze \(until) \(key)\n"
        }
        for (key, due) in followUps.dismissedAhead.sorted(by: { $0.key < $1.key }) {
            text += "dismiss \(due) \(key)\n"
        }
        for (key, next) in followUps.repeating.sorted(by: { $0.key < $1.key }) {
            text += "repeat \(FollowUps.Repeat.text(next)) \(key)\n"
        }
        for (id, delivery) in state.deliveries.sorted(by: { $0.key < $1.key }) {
            let reason = delivery.lastFailure.map(DeliveryRecord.word) ?? "-"
            text += "delivery \(delivery.due),\(delivery.failures),\(reason) \(id)\n"
        }
        var bytes = Array(text.utf8)
        bytes += Array("checksum \(hexadecimal(fnv1a64(bytes)))\n".utf8)
        return bytes
    }

    /// The state in snapshot text `bytes` read from `path`, after checking its magic and checksum.
    public static func decode(_ bytes: [UInt8], path: String) throws(StateStoreError) -> DeliveryState {
        func corrupt(_ detail: String) -> StateStoreError {
            StateStoreError(.corruptSnapshot, path: path, detail: detail)
        }
        let magicBytes = Array((magic + "\n").utf8)
        let magic2Bytes = Array((magicVersion2 + "\n").utf8)
        let magic3Bytes = Array((magicVersion3 + "\n").utf8)
        let isVersion3 = bytes.starts(with: magic3Bytes)
        let isVersion2 = bytes.starts(with: magic2Bytes) || isVersion3
        guard bytes.starts(with: magicBytes) || isVersion2 else {
            if bytes.isEmpty || [magicBytes, magic2Bytes, magic3Bytes].contains(where: { $0.starts(with: bytes) }) {
                throw corrupt("cut short within its first line")
            }
            let firstLine = String(decoding: bytes.prefix(while: { $0 != 10 }).prefix(80), as: UTF8.self)
            let what = firstLine.hasPrefix("sse-timeline-state ") ? "unsupported version" : "unknown first line"
            throw StateStoreError(
                .foreignFile,
                path: path,
                detail: "\(what) \"\(firstLine)\"; expected \"\(magic)\", \"\(magicVersion2)\" or \"\(magicVersion3)\""
            )
        }
        guard bytes.last == 10 else {
            throw corrupt("cut short: no final newline")
        }
        let lastLineStart = (bytes.dropLast().lastIndex(of: 10) ?? -1) + 1
        let lastLine = String(decoding: bytes[lastLineStart..<(bytes.count - 1)], as: UTF8.self)
        let expected = hexadecimal(fnv1a64(bytes[..<lastLineStart]))
        guard lastLine.hasPrefix("checksum ") else {
            throw corrupt("cut short: no checksum line")
        }
        guard lastLine == "checksum " + expected else {
            throw corrupt("checksum mismatch: file says \"\(lastLine.dropFirst(9))\", content hashes to \(expected)")
        }
        var state = DeliveryState()
        var sawWatermark = false
        let body = bytes[magicBytes.count..<lastLineStart].split(separator: 10, omittingEmptySubsequences: false)
        // Prefixes are matched on bytes: String.hasPrefix compares characters, and a key starting with a
        // combining mark joins the space before it (found by `make fuzz`: such a state did not load back).
        let watermarkPrefix = Array("watermark ".utf8)
        let sentPrefix = Array("sent ".utf8)
        for (number, lineBytes) in body.dropLast().enumerated() {
            let line = String(decoding: lineBytes, as: UTF8.self)
            if lineBytes.starts(with: watermarkPrefix), !sawWatermark {
                sawWatermark = true
                let value = String(decoding: lineBytes.dropFirst(watermarkPrefix.count), as: UTF8.self)
                if value != "none" {
                    guard let watermark = Int64(value) else {
                        throw corrupt("line \(number + 2): watermark \"\(value)\" is not a number of seconds")
                    }
                    state.watermark = watermark
                }
            } else if lineBytes.starts(with: sentPrefix), lineBytes.count > sentPrefix.count {
                state.sentAfterWatermark.insert(String(decoding: lineBytes.dropFirst(sentPrefix.count), as: UTF8.self))
            } else if isVersion2, let (kind, instant, key) = followUpLine(lineBytes) {
                if kind == "snooze" {
                    state.followUps.snoozed[key] = instant
                } else {
                    state.followUps.dismissedAhead[key] = instant
                }
            } else if isVersion2, let (key, next) = repeatLine(lineBytes) {
                state.followUps.repeating[key] = next
            } else if isVersion3, let (id, delivery) = deliveryLine(lineBytes) {
                state.deliveries[id] = delivery
            } else {
                throw corrupt("line \(number + 2): unexpected \"\(line.prefix(80))\"")
            }
        }
        guard sawWatermark else {
            throw corrupt("no watermark line")
        }
        return state
    }

    /// A `snooze UNTIL KEY` or `dismiss DUE KEY` line of a version 2 snapshot.
    static func followUpLine(_ line: ArraySlice<UInt8>) -> (kind: String, instant: Int64, key: String)? {
        let parts = line.split(separator: UInt8(ascii: " "), maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[2].isEmpty, let instant = Int64(String(decoding: parts[1], as: UTF8.self))
        else { return nil }
        let kind = String(decoding: parts[0], as: UTF8.self)
        guard kind == "snooze" || kind == "dismiss" else { return nil }
        return (kind, instant, String(decoding: parts[2], as: UTF8.self))
    }

    /// A `repeat NEXT,LEFT,EVERY KEY` line of a version 2 snapshot.
    static func repeatLine(_ line: ArraySlice<UInt8>) -> (key: String, next: FollowUps.Repeat)? {
        let parts = line.split(separator: UInt8(ascii: " "), maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[2].isEmpty, String(decoding: parts[0], as: UTF8.self) == "repeat",
            let next = FollowUps.Repeat(text: String(decoding: parts[1], as: UTF8.self))
        else { return nil }
        return (String(decoding: parts[2], as: UTF8.self), next)
    }

    /// A `delivery DUE,FAILURES,REASON ID` line of a version 3 snapshot.
    static func deliveryLine(_ line: ArraySlice<UInt8>) -> (id: String, delivery: PendingDelivery)? {
        let parts = line.split(separator: UInt8(ascii: " "), maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[2].isEmpty, String(decoding: parts[0], as: UTF8.self) == "delivery" else {
            return nil
        }
        let fields = String(decoding: parts[1], as: UTF8.self).split(separator: ",", maxSplits: 2)
        guard fields.count == 3, let due = Int64(fields[0]), let failures = Int(fields[1]), failures >= 0 else {
            return nil
        }
        let reason = fields[2] == "-" ? nil : String(fields[2])
        return (String(decoding: parts[2], as: UTF8.self), PendingDelivery(due: due, failures: failures, lastFailure: reason))
    }

    /// The complete, non-empty lines without NUL of log text (a torn last line is ignored).
    static func logLines(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        var lines = bytes.split(separator: 10, omittingEmptySubsequences: false)
        lines.removeLast()  // After the last newline: empty, or a torn line.
        return lines.filter { !$0.isEmpty && !$0.contains(0) }
    }

    /// The keys in log text: every complete, non-empty line without NUL that is not a follow-up record.
    public static func keys(inLog bytes: [UInt8]) -> [String] {
        logLines(bytes).filter { $0.first != UInt8(ascii: "+") }.map { String(decoding: $0, as: UTF8.self) }
    }

    /// The follow-up records in log text, in order (lines starting with `+` that spell no record are ignored).
    public static func records(inLog bytes: [UInt8]) -> [FollowUpRecord] {
        logLines(bytes).compactMap { FollowUpRecord(logLine: $0) }
    }

    /// The delivery records in log text, in order.
    public static func deliveryRecords(inLog bytes: [UInt8]) -> [DeliveryRecord] {
        logLines(bytes).compactMap { DeliveryRecord(logLine: $0) }
    }

    /// The 64-bit FNV-1a hash of `bytes`.
    static func fnv1a64(_ bytes: some Sequence<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        return hash
    }

    static func hexadecimal(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
