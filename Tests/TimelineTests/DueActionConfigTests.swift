import Testing

@testable import Timeline

/// `on_due` in the config: what is read, and every mistake reported with its place and what is accepted.
@Suite("on_due")
struct DueActionConfigTests {
    func milestone(_ onDue: String) -> String {
        """
        [[milestone]]
        id = "m"
        title = "M"
        start = 2030-01-01T12:00:00Z
        on_due = \(onDue)
        """
    }

    @Test func readsAUnitOrACommandAndTheFileItCameFrom() throws {
        let unit = try load(milestone("{ unit = \"notify@.service\" }"), name: "/etc/sse-timeline/timeline.toml")
        #expect(
            unit.milestones[0].onDue == DueAction(.unit("notify@.service"), file: "/etc/sse-timeline/timeline.toml")
        )
        let command = try load(milestone("{ exec = [\"/usr/bin/notify-send\", \"due\"] }"))
        #expect(command.milestones[0].onDue?.kind == .exec(["/usr/bin/notify-send", "due"]))
        #expect(try load(milestone("{ unit = \"x.service\" }").replacingOnDue()).milestones[0].onDue == nil)
    }

    @Test(arguments: [
        ("\"notify@.service\"", "t.toml:5:10: error: milestone[0].on_due = \"notify@.service\": expected a table"),
        ("{ unit = \"x.service\", exec = [\"/bin/true\"] }", "give exactly one of unit and exec"),
        ("{ }", "give exactly one of unit and exec"),
        ("{ unit = \"not a unit\" }", "milestone[0].on_due.unit = \"not a unit\": not a unit name"),
        ("{ unit = \"x.mount\" }", "not a unit name"),
        (
            "{ exec = [\"notify-send\"] }",
            "milestone[0].on_due.exec = \"notify-send\": the program must be an absolute path"
        ),
        ("{ exec = [] }", "an empty command"),
        ("{ exec = \"/bin/true\" }", "expected an array of strings"),
        ("{ unit = \"x.service\", user = \"root\" }", "unknown key"),
    ])
    func mistakesAreLocated(onDue: String, expected: String) {
        let found = errors(milestone(onDue)).map(\.description)
        #expect(found.contains { $0.contains(expected) }, "\(found)")
    }
}

extension String {
    /// The text without its `on_due` line.
    fileprivate func replacingOnDue() -> String {
        split(separator: "\n").filter { !$0.hasPrefix("on_due") }.joined(separator: "\n")
    }
}
