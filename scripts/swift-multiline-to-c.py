#!/usr/bin/env python3
"""Copies Swift sources for xgettext's C lexer, each multi-line string literal made one C string literal.

    scripts/swift-multiline-to-c.py OUTDIR FILE...

Writes OUTDIR/FILE for each FILE. A literal opened by a line ending in \"\"\" becomes, on that line, a C string
with the value Swift gives it: each line's indentation (the closing delimiter's) removed, a backslash at a
line's end joining it to the next, the escapes \\\\, \\", \\n, \\t, \\r, \\0, \\' and \\u{...} read. Its other
lines are left empty, so that every line keeps its number. Everything else is copied as it is.
"""
import re
import sys
from pathlib import Path

ESCAPES = {"\\": "\\", '"': '"', "'": "'", "n": "\n", "t": "\t", "r": "\r", "0": "\0"}


def swift_value(lines, indentation):
    """The value of a multi-line literal whose content lines are `lines`, closed at `indentation`."""
    text = "\n".join(line[len(indentation):] if line.startswith(indentation) else line.strip() for line in lines)
    value = []
    i = 0
    while i < len(text):
        char = text[i]
        if char != "\\" or i + 1 == len(text):
            value.append(char)
            i += 1
            continue
        escaped = text[i + 1]
        if escaped == "\n":  # a line continuation: no line break
            i += 2
        elif escaped in ESCAPES:
            value.append(ESCAPES[escaped])
            i += 2
        elif (match := re.match(r"u\{([0-9a-fA-F]{1,8})\}", text[i + 1:])):
            value.append(chr(int(match.group(1), 16)))
            i += 1 + match.end()
        else:  # an interpolation, \(...): never in a marked message; kept as written
            value.append(char)
            i += 1
    return "".join(value)


def c_literal(value):
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r").replace("\0", "\\0") + '"'


def convert(source):
    lines = source.split("\n")
    out = []
    i = 0
    while i < len(lines):
        line = lines[i]
        code = line.rstrip()
        opens = code.endswith('"""') and not code.endswith('#"""') and not code.lstrip().startswith("//")
        if not opens:
            out.append(line)
            i += 1
            continue
        end = i + 1
        while end < len(lines) and not lines[end].lstrip().startswith('"""'):
            end += 1
        if end == len(lines):  # not a literal after all: copied as it is
            out.append(line)
            i += 1
            continue
        closing = lines[end]
        indentation = closing[: len(closing) - len(closing.lstrip())]
        value = swift_value(lines[i + 1:end], indentation)
        out.append(code[:-3] + c_literal(value))
        out.extend([""] * (end - i - 1))
        out.append(indentation + closing.lstrip()[3:])
        i = end + 1
    return "\n".join(out)


def main():
    outdir = Path(sys.argv[1])
    for name in sys.argv[2:]:
        target = outdir / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(convert(Path(name).read_text(encoding="utf-8")), encoding="utf-8")


if __name__ == "__main__":
    main()
