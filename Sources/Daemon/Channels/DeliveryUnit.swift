import Timeline

/// One attempt of a delivery to a named channel, as the unit that makes it: `sse-timeline-deliver@<id>-<attempt>
/// .service`, `<id>` the FNV-1a 64 of the delivery id in 16 hex digits, and the environment file it reads,
/// `$RUNTIME_DIRECTORY/deliver/<id>-<attempt>.env` (docs/channels.md; `sse-timeline deliver` reads it).
struct DeliveryUnit {
    /// The delivery's id, `KEY|channel`.
    let id: String
    /// 1 for the first attempt, then 2, 3...
    let attempt: Int

    /// `<id>-<attempt>`: hex digits and `-`, nothing to escape.
    var instance: String { StateStore.hexadecimal(StateStore.fnv1a64(id.utf8)) + "-\(attempt)" }
    /// The unit to start.
    var name: String { "sse-timeline-deliver@\(instance).service" }

    /// Seconds to wait after failed attempt `attempt` (1, 2...) before the next: 1 minute, doubling, at most 1 hour.
    static func backoff(afterAttempt attempt: Int) -> Int64 {
        min(60 << Int64(min(max(attempt, 1) - 1, 6)), 3600)
    }

    /// What the unit is told: the delivery, the channel (its recipients or credential, its language), the
    /// attempt, and the reminder's fields as `DueActionRunner.environment(of:)` passes them.
    func environment(channel: Channel, entry: JournalEntry) -> [String] {
        var environment = [
            "SSE_DELIVERY_ID=\(id)", "SSE_CHANNEL=\(channel.name)", "SSE_CHANNEL_KIND=\(channel.kind.name)",
        ]
        switch channel.kind {
        case .mail(let recipients): environment.append("SSE_MAIL_TO=" + recipients.joined(separator: ","))
        case .apprise(let credential): environment.append("SSE_APPRISE=\(credential)")
        }
        if let language = channel.language { environment.append("SSE_LANGUAGE=\(language)") }
        environment.append("SSE_ATTEMPT=\(attempt)")
        return environment + DueActionRunner.environment(of: entry)
    }

    /// Writes the environment file under `runtimeDirectory`; its path, or nil when it cannot be written.
    func writeEnvironmentFile(channel: Channel, entry: JournalEntry, runtimeDirectory: String?) -> String? {
        guard let runtimeDirectory else { return nil }
        return EnvironmentFile.write(
            environment(channel: channel, entry: entry),
            directory: runtimeDirectory + "/deliver",
            name: instance + ".env"
        )
    }
}
