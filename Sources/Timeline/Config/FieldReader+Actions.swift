extension FieldReader {
    /// `on_due = { unit = "name@.service" }` or `on_due = { exec = ["/usr/bin/foo", "arg"] }`; nil when absent
    /// or wrong (reported, with what is accepted).
    func dueAction(_ key: String, context: inout DecodeContext) -> DueAction? {
        guard let field = node[key] else { return nil }
        let hint = LocalizedText.tr(
            "accepted: %s or %s",
            "on_due = { unit = \"name@.service\" }",
            "on_due = { exec = [\"/usr/bin/foo\", \"arg\"] }"
        )
        guard field.isTable else {
            context.error(
                source,
                keyPath(key),
                value: FieldReader.display(field.value),
                .tr("expected a table"),
                hint: hint
            )
            return nil
        }
        let table = FieldReader(node: field, source: source, path: keyPath(key))
        table.checkKeys(["unit", "exec"], context: &context)
        let file = context.sources[source].name
        switch (field["unit"] != nil, field["exec"] != nil) {
        case (true, false):
            guard let unit = table.string("unit", context: &context) else { return nil }
            guard Self.isUnitName(unit) else {
                context.error(
                    source,
                    table.keyPath("unit"),
                    value: unit,
                    .tr("not a unit name"),
                    hint: .tr(
                        "a name such as %s (a template: the reminder's key becomes its instance) or %s",
                        "\"notify@.service\"",
                        "\"backup.service\""
                    )
                )
                return nil
            }
            return DueAction(.unit(unit), file: file)
        case (false, true):
            guard let command = table.strings("exec", context: &context) else { return nil }
            guard let program = command.first, program.hasPrefix("/") else {
                context.error(
                    source,
                    table.keyPath("exec"),
                    value: command.first,
                    command.isEmpty ? .tr("an empty command") : .tr("the program must be an absolute path"),
                    hint: .tr("e.g. %s", "exec = [\"/usr/bin/notify-send\", \"due\"]")
                )
                return nil
            }
            return DueAction(.exec(command), file: file)
        default:
            context.error(
                source,
                keyPath(key),
                value: nil,
                .tr("give exactly one of %s and %s", "unit", "exec"),
                hint: hint
            )
            return nil
        }
    }

    /// Whether `name` is a unit name systemd accepts (`[A-Za-z0-9:_.\-@]`, a type suffix, at most 255 bytes).
    static func isUnitName(_ name: String) -> Bool {
        let allowed = name.utf8.allSatisfy {
            ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A)
                || [0x3A, 0x5F, 0x2E, 0x2D, 0x40, 0x5C].contains($0)
        }
        guard allowed, name.utf8.count <= 255, let dot = name.lastIndex(of: "."), dot != name.startIndex else {
            return false
        }
        let suffix = name[name.index(after: dot)...]
        return ["service", "target", "timer", "socket", "path"].contains(String(suffix))
    }
}
