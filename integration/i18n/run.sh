#!/bin/bash
# French and Spanish (issue 24): every catalog passes msgfmt --check and translates every message; the template
# equals what the sources mark now (a message added without `make pot` fails here); the catalogs' plural forms
# at 0, 1, 2 and 21; list, next and validate under LANG=fr_FR.UTF-8 and es_ES.UTF-8, compared line by line, so
# a message of theirs left unmarked (still English) fails too; validate's diagnostics of a broken config and of
# broken .ics files; --help of the root command, validate and snooze in each language (English under C), and no
# English help text left in any command's French or Spanish --help. The locales are generated as root (localedef);
# without root and without them, that part says it skips.
#
#   integration/i18n/run.sh BINARY        (make i18n-test; the binary finds the catalogs `make locale` wrote)
set -euo pipefail
binary=$(realpath "${1:?usage: run.sh BINARY}")
cd "$(dirname "$0")/../.."
here=integration/i18n
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }

have_locale() { locale -a 2>/dev/null | grep -qix "${1%.UTF-8}.utf8"; }
for loc in fr_FR.UTF-8 es_ES.UTF-8; do
    if ! have_locale "$loc" && [ "$(id -u)" = 0 ]; then
        echo "generating the locale $loc"
        localedef -i "${loc%.UTF-8}" -f UTF-8 "$loc"
    fi
done

# --- The catalogs ------------------------------------------------------------------------------------------
for po in po/*.po; do
    if msgfmt --check -o /dev/null "$po"; then pass "msgfmt --check $po"; else fail "msgfmt --check $po"; fi
    # Every message of the template translated, none fuzzy.
    stats=$(LC_ALL=C msgfmt --statistics -o /dev/null "$po" 2>&1)
    # msgcmp warns that the template has no header entry (it is written without one): not a difference.
    if msgcmp "$po" po/sse-timeline.pot 2>/dev/null && [[ $stats != *untranslated* && $stats != *fuzzy* ]]; then
        pass "$po translates every message ($stats)"
    else
        fail "$po: $stats; $(msgcmp "$po" po/sse-timeline.pot 2>&1 | grep -v 'not used' || true)"
    fi
done

fresh=$(mktemp)
trap 'rm -f "$fresh" "$fresh.err"' EXIT
scripts/update-pot.sh "$fresh"
if diff -u po/sse-timeline.pot "$fresh"; then
    pass "po/sse-timeline.pot is what the sources mark"
else
    fail "po/sse-timeline.pot differs from the messages the sources mark: run make pot and translate"
fi

# --- The journal catalogs: each translated entry is shown under its language, the others in English -----------
root=$(mktemp -d)
mkdir -p "$root/usr/lib/systemd/catalog" "$root/var/lib/systemd/catalog"
cp systemd/sse-timeline*.catalog "$root/usr/lib/systemd/catalog/"
if warnings=$(journalctl --root="$root" --update-catalog 2>&1) && [ -z "$warnings" ]; then
    pass "journalctl --update-catalog reads every catalog without a warning"
else
    fail "journalctl --update-catalog: $warnings"
fi
catalog_subject() {  # LOCALE MESSAGE_ID
    env -u LANGUAGE -u LC_ALL -u LC_MESSAGES LANG="$1" journalctl --root="$root" --dump-catalog "$2" | sed -n 's/^Subject: //p'
}
due=5d62f99487414d09a86c67131bc79872
for expected in "C|Reminder due: @MILESTONE_TITLE@ (@REMINDER@)" "fr_FR.UTF-8|Rappel : @MILESTONE_TITLE@ (@REMINDER@)" \
    "es_ES.UTF-8|Recordatorio: @MILESTONE_TITLE@ (@REMINDER@)"; do
    loc=${expected%%|*}
    if [ "$loc" != C ] && ! have_locale "$loc"; then echo "SKIP: catalog in $loc (locale not generated)"; continue; fi
    got=$(catalog_subject "$loc" $due)
    if [ "$got" = "${expected#*|}" ]; then pass "catalog in ${expected%%|*}: $got"; else fail "catalog in ${expected%%|*}: got \"$got\""; fi
done
# Each translation has exactly the English catalog's message IDs: none missing, none unknown.
message_ids() { sed -n 's/^-- \([0-9a-f]\{32\}\)$/\1/p' "$1" | sort; }
for catalog in systemd/sse-timeline.*.catalog; do
    if difference=$(diff <(message_ids systemd/sse-timeline.catalog) <(message_ids "$catalog")); then
        pass "$catalog has every MESSAGE_ID of sse-timeline.catalog, and no other"
    else
        fail "$catalog differs from sse-timeline.catalog in its MESSAGE_IDs: $difference"
    fi
done
rm -rf "$root"

# --- Plural forms at 0, 1, 2, 21, from the compiled catalogs -------------------------------------------------
localedir=$(dirname "$binary")/../share/locale
check_plural() {  # LANGUAGE COUNT EXPECTED
    local got
    got=$(LANGUAGE=$1 LC_ALL=C.UTF-8 TEXTDOMAINDIR=$localedir ngettext -d sse-timeline "%d day" "%d days" "$2")
    got=${got//%d/$2}
    if [ "$got" = "$3" ]; then pass "$1 $2: $got"; else fail "$1 $2: got \"$got\", expected \"$3\""; fi
}
check_plural fr 0 "0 jour"
check_plural fr 1 "1 jour"
check_plural fr 2 "2 jours"
check_plural fr 21 "21 jours"
check_plural es 0 "0 días"
check_plural es 1 "1 día"
check_plural es 2 "2 días"
check_plural es 21 "21 días"

# --- list, next and validate in French and Spanish ------------------------------------------------------------
run_in() {  # LOCALE COMMAND...: the binary's standard output under LANG=LOCALE alone
    env -u LANGUAGE -u LC_ALL -u LC_MESSAGES LANG="$1" "$binary" "${@:2}" --config $here/timeline.toml 2>/dev/null
}
compare() {  # NAME EXPECTED-FILE ACTUAL
    if diff -u "$2" <(printf '%s\n' "$3"); then pass "$1"; else fail "$1"; fi
}
for loc in fr_FR.UTF-8 es_ES.UTF-8; do
    lang=${loc%%_*}
    if ! have_locale "$loc"; then
        echo "SKIP: $loc is not generated here (run as root, or: localedef -i ${loc%.UTF-8} -f UTF-8 $loc)"
        continue
    fi
    compare "list in $loc" $here/expected/list.$lang \
        "$(run_in "$loc" list --from 2027-05-01 --to 2027-07-31)"
    compare "next in $loc" $here/expected/next.$lang "$(run_in "$loc" next --now 2027-05-01 --count 8)"
    compare "validate in $loc" $here/expected/validate.$lang "$(run_in "$loc" validate --now 2027-05-01)"
    # Weekday and month names from glibc's locale, the views' words, the plural of each offset.
    compare "calendar in $loc" $here/expected/calendar.$lang "$(run_in "$loc" calendar 2027-06 --week-numbers)"
    compare "agenda in $loc" $here/expected/agenda.$lang "$(run_in "$loc" agenda --now 2027-06-05 --days 4)"
    # validate --languages: the milestone without Spanish texts, at its id's FILE:LINE:COLUMN.
    compare "validate --languages fr,es in $loc" $here/expected/validate-languages.$lang \
        "$(env -u LANGUAGE -u LC_ALL -u LC_MESSAGES LANG="$loc" "$binary" validate --now 2027-05-01 --languages fr,es \
            --config $here/timeline-language.toml 2>&1)"
done
# A localizer of another language than the process's (Gettext.localizer(for:), as a channel of its own language
# asks for one): the export of a language = "fr" timeline under LANG=es_ES.UTF-8 is French, the config line
# on stderr stays Spanish.
if have_locale es_ES.UTF-8; then
    exported=$(env -u LANGUAGE -u LC_ALL -u LC_MESSAGES LANG=es_ES.UTF-8 "$binary" export --format ics \
        --dtstamp 2027-01-01 --config $here/timeline-language.toml 2>"$fresh.err" | tr -d '\r')
    if grep -qx 'SUMMARY;LANGUAGE=fr:Conférence internationale du Travail' <<<"$exported" \
        && grep -qx 'DESCRIPTION:Conférence internationale du Travail (21 jours avant)' <<<"$exported" \
        && grep -qx "configuración: $here/timeline-language.toml" "$fresh.err"; then
        pass "export in the config's French under es_ES.UTF-8, the process's messages still Spanish"
    else
        fail "export with language = \"fr\" under es_ES.UTF-8: $(grep -E '^(SUMMARY|DESCRIPTION)' <<<"$exported" | head -3) / $(cat "$fresh.err")"
    fi
fi
# The config's language = "fr" under the C locale, as a system instance runs: the messages in French with the
# milestone's French title; the fields keep the title as written and add MILESTONE_TITLE_FR=.
replayed=$(env -u LANGUAGE -u LC_ALL -u LC_MESSAGES -u LANG "$binary" replay --from 2027-05-01 --to 2027-06-30 \
    --config $here/timeline-language.toml 2>/dev/null)
compare "replay with language = \"fr\"" $here/expected/replay-language.fr "$(sed 's/ \[MESSAGE_ID.*//' <<<"$replayed")"
if grep -q 'MILESTONE_TITLE="International Labour Conference" MILESTONE_TITLE_FR="Conférence internationale du Travail"' \
    <<<"$replayed"; then
    pass "MILESTONE_TITLE as written, MILESTONE_TITLE_FR beside it"
else
    fail "the fields of: $(head -1 <<<"$replayed")"
fi
# English stays as it was, whatever catalogs are installed.
compare "next in C" $here/expected/next.en "$(run_in C next --now 2027-05-01 --count 8)"

# --- The iCalendar reader's diagnostics: validate of broken .ics drop-ins, and import -------------------------
# Every problem broken-ics/timeline.d/ holds (a broken structure, unreadable values, alarms, a file that is not
# iCalendar, one not UTF-8) read in French and Spanish, English unchanged; and not one of the messages the
# iCalendar reader and the file reader mark is left in English in the French output (the check finds them in the
# English output, so it is not vacuous).
ics=$here/broken-ics
validate_ics() {  # LOCALE: validate's standard error (the diagnostics) under LANG=LOCALE alone
    env -u LANGUAGE -u LC_ALL -u LC_MESSAGES LANG="$1" "$binary" validate --now 2027-05-01 \
        --config $ics/timeline.toml 2>&1 >/dev/null || true
}
# The English of each message of those files: the words of its msgid between the %s, three letters or more.
english_fragments=$(msggrep -N 'Sources/Timeline/ICalendar/*' -N 'Sources/Daemon/ConfigFiles/*' po/sse-timeline.pot \
    | msgen - | msgexec -i - awk 1 | sed 's/%[sd]/\n/g' | sed 's/^ *//; s/ *$//' | grep -E '[a-z]{3}' | sort -u)
english_left() {  # TEXT: the fragments of English messages TEXT still holds
    grep -F -f <(printf '%s\n' "$english_fragments") -o <<<"$1" | sort -u || true
}
compare "validate of broken .ics files in C" $here/expected/validate-ics.en "$(validate_ics C)"
if [ -n "$(english_left "$(validate_ics C)")" ]; then
    pass "the English check finds the reader's messages in the English output"
else
    fail "the English check finds nothing in the English output: it would miss English left in the French"
fi
for loc in fr_FR.UTF-8 es_ES.UTF-8; do
    lang=${loc%%_*}
    if ! have_locale "$loc"; then echo "SKIP: broken .ics files in $loc (locale not generated)"; continue; fi
    compare "validate of broken .ics files in $loc" $here/expected/validate-ics.$lang "$(validate_ics "$loc")"
done
if have_locale fr_FR.UTF-8; then
    left=$(english_left "$(validate_ics fr_FR.UTF-8)")
    if [ -z "$left" ]; then
        pass "no English message left in the French validate output"
    else
        fail "English left in the French validate output: $(tr '\n' '|' <<<"$left")"
    fi
    # import: an error and a warning in French on stderr, nothing on stdout, exit status 1.
    status=0
    imported=$(env -u LANGUAGE -u LC_ALL -u LC_MESSAGES LANG=fr_FR.UTF-8 "$binary" import \
        $ics/timeline.d/20-not-a-calendar.ics --config $here/timeline.toml 2>"$fresh.err") || status=$?
    if [ "$status" = 1 ] && [ -z "$imported" ]; then
        compare "import of a file that is not iCalendar in fr_FR.UTF-8" $here/expected/import-ics.fr "$(cat "$fresh.err")"
    else
        fail "import of a file that is not iCalendar: exit status $status, stdout \"$imported\""
    fi
fi

# --- validate of a broken config in French and Spanish: the config's diagnostics, TOML and RRULE errors included ---
broken=$here/broken-config.toml
validate_broken() {  # LOCALE: validate's whole output (it fails: the config has errors)
    env -u LANGUAGE -u LC_ALL -u LC_MESSAGES LANG="$1" "$binary" validate --config $broken 2>&1 || true
}
# The English messages, each what follows a diagnostic's `KEY = "VALUE": `, up to its hint.
english_messages=$(validate_broken C | sed -nE 's/^[^ ]+: error: [^ ]+( = "[^"]*")?: //p' | sed 's/; .*//')
if [ "$(wc -l <<<"$english_messages")" -ne 9 ]; then
    fail "validate of $broken in C: expected 9 diagnostics, got: $english_messages"
fi
for loc in fr_FR.UTF-8 es_ES.UTF-8; do
    lang=${loc%%_*}
    if ! have_locale "$loc"; then echo "SKIP: validate of $broken in $loc (locale not generated)"; continue; fi
    translated=$(validate_broken "$loc")
    compare "validate of $broken in $loc" $here/expected/validate-broken.$lang "$translated"
    still_english=$(grep -F -- "$english_messages" <<<"$translated" || true)
    if [ -z "$still_english" ]; then
        pass "no diagnostic of $broken left in English in $loc"
    else
        fail "diagnostics still in English in $loc: $still_english"
    fi
done

# --- --help in French and Spanish; English under C ------------------------------------------------------------
# ArgumentParser's own words ("USAGE:", "OPTIONS:", "Show help information.") stay English in every language.
help_in() {  # LOCALE COMMAND...: the help at 80 columns under LANG=LOCALE alone
    env -u LANGUAGE -u LC_ALL -u LC_MESSAGES COLUMNS=80 LANG="$1" "$binary" "${@:2}" --help 2>&1
}
for loc in C fr_FR.UTF-8 es_ES.UTF-8; do
    lang=${loc%%_*}
    [ "$loc" = C ] && lang=en
    if [ "$loc" != C ] && ! have_locale "$loc"; then echo "SKIP: --help in $loc (locale not generated)"; continue; fi
    compare "--help in $loc" $here/expected/help.$lang "$(help_in "$loc")"
    for command in validate snooze; do
        compare "$command --help in $loc" $here/expected/help-$command.$lang "$(help_in "$loc" $command)"
    done
done
# No help text left unmarked: no command's French or Spanish --help holds one of its English texts (the
# abstracts and discussion paragraphs of the command and of each of its arguments, from the binary's own
# description under C); the commands are those `sse-timeline --help` lists.
read -r -d '' find_english <<'PY' || true
import json, os, re, subprocess, sys
binary, language = sys.argv[1], sys.argv[2]
def run(locale, *arguments):
    environment = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES")}
    environment.update(LANG=locale, COLUMNS="80")
    return subprocess.run([binary, *arguments], env=environment, capture_output=True, text=True).stdout
flat = lambda text: " ".join(text.split())
listing = run("C", "--help").split("SUBCOMMANDS:")[1]
names = [match.group(1) for match in re.finditer(r"^  ([a-z][a-z-]*)( \(default\))?( {2,}|$)", listing, re.M)]
commands = {c["commandName"]: c for c in json.loads(run("C", "--experimental-dump-help"))["command"]["subcommands"]}
if len(names) < 10 or any(name not in commands for name in names):
    sys.exit(f"the commands of --help ({names}) are not those of the dump ({sorted(commands)})")
left = 0
for name in [""] + names:
    english = json.loads(run("C", "--experimental-dump-help"))["command"] if not name else commands[name]
    texts = [english.get("abstract", ""), english.get("discussion", "")]
    for argument in english.get("arguments", []):
        if {n["name"] for n in argument.get("names", [])} & {"help", "version"}:
            continue  # ArgumentParser's own
        texts += [argument.get("abstract", ""), argument.get("discussion", "")]
    translated = flat(run(language, *([name] if name else []), "--help"))
    for text in texts:
        for paragraph in text.split("\n\n"):
            if paragraph and not paragraph.startswith("Example") and flat(paragraph) in translated:
                print(f"{name or 'sse-timeline'}: still English: {paragraph[:100]}")
                left += 1
print(f"{len(names) + 1} commands")
sys.exit(1 if left else 0)
PY
for loc in fr_FR.UTF-8 es_ES.UTF-8; do
    if ! have_locale "$loc"; then continue; fi
    if report=$(python3 -c "$find_english" "$binary" "$loc"); then
        pass "no English help text in any command's --help under $loc ($report)"
    else
        fail "--help under $loc: $report"
    fi
done

if [ "$failures" -gt 0 ]; then echo "i18n-test: $failures failed"; exit 1; fi
echo "i18n-test: all passed"
