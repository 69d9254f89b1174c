import ArgumentParser
import Timeline

extension TimeArgument {
    /// ``parse(_:option:zone:now:)`` at the clock's now, its error thrown as ArgumentParser's `ValidationError`
    /// (printed with the usage; exit status 64), as the commands want it.
    static func parse(_ text: String, option: String, zone: Zone) throws -> Instant {
        do {
            return try parse(text, option: option, zone: zone, now: SystemTime.now())
        } catch {
            throw ValidationError(error.description)
        }
    }

    /// ``parseEnd(_:option:zone:now:)`` at the clock's now, its error thrown as ArgumentParser's `ValidationError`.
    static func parseEnd(_ text: String, option: String, zone: Zone) throws -> Instant {
        do {
            return try parseEnd(text, option: option, zone: zone, now: SystemTime.now())
        } catch {
            throw ValidationError(error.description)
        }
    }
}
