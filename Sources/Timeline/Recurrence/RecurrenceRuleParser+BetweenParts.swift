/// RFC 5545's rules between the parts of a rule, checked once every part is read.
extension RecurrenceRuleParser {
    mutating func checkBetweenParts(ruleStart: Int) {
        guard seen["FREQ"] != nil else {
            fail(
                .missingFrequency,
                "FREQ",
                "",
                ruleStart,
                "the rule has no FREQ; every rule needs one, e.g. FREQ=WEEKLY"
            )
            return
        }
        if let countPart = seen["COUNT"], let untilPart = seen["UNTIL"] {
            let later = countPart.valueOffset > untilPart.valueOffset ? countPart : untilPart
            fail(
                .conflictingParts,
                later.name,
                later.value,
                later.valueOffset,
                "COUNT and UNTIL cannot both be given; keep one of them to end the rule"
            )
        }
        if let setPart = seen["BYSETPOS"],
            !seen.keys.contains(where: { $0.hasPrefix("BY") && $0 != "BYSETPOS" })
        {
            fail(
                .setPositionWithoutFilter,
                "BYSETPOS",
                setPart.value,
                setPart.valueOffset,
                "BYSETPOS picks from the days another BYxxx part gives; add one, e.g. BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1"
            )
        }
        guard let frequency else { return }
        let freqText = "FREQ=\(frequency)"
        if let part = seen["BYWEEKNO"], frequency != .yearly {
            fail(
                .notAllowedWithFrequency,
                "BYWEEKNO",
                part.value,
                part.valueOffset,
                "BYWEEKNO is only allowed with FREQ=YEARLY, not with \(freqText)"
            )
        }
        if let part = seen["BYYEARDAY"], frequency != .yearly {
            fail(
                .notAllowedWithFrequency,
                "BYYEARDAY",
                part.value,
                part.valueOffset,
                "BYYEARDAY is only allowed with FREQ=YEARLY, not with \(freqText)"
            )
        }
        if let part = seen["BYMONTHDAY"], frequency == .weekly {
            fail(
                .notAllowedWithFrequency,
                "BYMONTHDAY",
                part.value,
                part.valueOffset,
                "BYMONTHDAY is not allowed with FREQ=WEEKLY; use BYDAY, or FREQ=MONTHLY"
            )
        }
        for (entry, text, offset) in byDay {
            guard let ordinal = entry.ordinal else { continue }
            switch frequency {
            case .daily, .weekly:
                fail(
                    .notAllowedWithFrequency,
                    "BYDAY",
                    text,
                    offset,
                    "BYDAY ordinals such as \(text) need FREQ=MONTHLY or FREQ=YEARLY; with \(freqText) write"
                        + " \(entry.weekday.code)"
                )
            case .monthly where abs(ordinal) > 5:
                fail(
                    .outOfRange,
                    "BYDAY",
                    text,
                    offset,
                    "BYDAY ordinal in \(text) is out of range: with FREQ=MONTHLY it is -5...-1 or 1...5, as a month"
                        + " has at most five of each weekday"
                )
            case .yearly where seen["BYWEEKNO"] != nil:
                fail(
                    .notAllowedWithFrequency,
                    "BYDAY",
                    text,
                    offset,
                    "BYDAY ordinals such as \(text) cannot be combined with BYWEEKNO; write \(entry.weekday.code)"
                )
            default: break
            }
        }
    }
}
