/// RFC 5545's rules between the parts of a rule, checked once every part is read.
extension RecurrenceRuleParser {
    mutating func checkBetweenParts(ruleStart: Int) {
        guard seen["FREQ"] != nil else {
            fail(
                .missingFrequency,
                "FREQ",
                "",
                ruleStart,
                .tr("the rule has no %s; every rule needs one, e.g. %s", "FREQ", "FREQ=WEEKLY")
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
                .tr("%s and %s cannot both be given; keep one of them to end the rule", "COUNT", "UNTIL")
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
                .tr(
                    "%s picks from the days another %s part gives; add one, e.g. %s",
                    "BYSETPOS",
                    "BYxxx",
                    "BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1"
                )
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
                .tr("%s is only allowed with %s, not with %s", "BYWEEKNO", "FREQ=YEARLY", freqText)
            )
        }
        if let part = seen["BYYEARDAY"], frequency != .yearly {
            fail(
                .notAllowedWithFrequency,
                "BYYEARDAY",
                part.value,
                part.valueOffset,
                .tr("%s is only allowed with %s, not with %s", "BYYEARDAY", "FREQ=YEARLY", freqText)
            )
        }
        if let part = seen["BYMONTHDAY"], frequency == .weekly {
            fail(
                .notAllowedWithFrequency,
                "BYMONTHDAY",
                part.value,
                part.valueOffset,
                .tr("%s is not allowed with %s; use %s, or %s", "BYMONTHDAY", "FREQ=WEEKLY", "BYDAY", "FREQ=MONTHLY")
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
                    .tr(
                        "%s ordinals such as %s need %s or %s; with %s write %s",
                        "BYDAY",
                        text,
                        "FREQ=MONTHLY",
                        "FREQ=YEARLY",
                        freqText,
                        entry.weekday.code
                    )
                )
            case .monthly where abs(ordinal) > 5:
                fail(
                    .outOfRange,
                    "BYDAY",
                    text,
                    offset,
                    .tr(
                        "%s ordinal in %s is out of range: with %s it is %s or %s, as a month has at most five of each weekday",
                        "BYDAY",
                        text,
                        "FREQ=MONTHLY",
                        "-5...-1",
                        "1...5"
                    )
                )
            case .yearly where seen["BYWEEKNO"] != nil:
                fail(
                    .notAllowedWithFrequency,
                    "BYDAY",
                    text,
                    offset,
                    .tr(
                        "%s ordinals such as %s cannot be combined with %s; write %s",
                        "BYDAY",
                        text,
                        "BYWEEKNO",
                        entry.weekday.code
                    )
                )
            default: break
            }
        }
    }
}
