/* libical as an independent reader of the export (issue 14): parses a calendar, reports every
 * X-LIC-ERROR libical attached while parsing, and prints each event's occurrences in a window as
 * "UID START" lines up to a year (the caller filters to its window), START being YYYY-MM-DD for all-day
 * events and a UTC time otherwise. Each TZID is resolved through the calendar's own VTIMEZONE, so the
 * times check those too.
 *
 *   libical-check FILE.ics FROM-UNIX-TIME TO-UNIX-TIME
 *
 * Exit status 0 when libical found no error, 1 otherwise, 2 on usage or I/O errors. */
#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *read_file(const char *path) {
    FILE *file = fopen(path, "rb");
    if (!file) return NULL;
    fseek(file, 0, SEEK_END);
    long size = ftell(file);
    fseek(file, 0, SEEK_SET);
    char *text = malloc((size_t)size + 1);
    if (fread(text, 1, (size_t)size, file) != (size_t)size) { fclose(file); free(text); return NULL; }
    text[size] = 0;
    fclose(file);
    return text;
}

static int count_errors(icalcomponent *component) {
    int errors = 0;
    for (icalproperty *p = icalcomponent_get_first_property(component, ICAL_XLICERROR_PROPERTY); p;
         p = icalcomponent_get_next_property(component, ICAL_XLICERROR_PROPERTY)) {
        fprintf(stderr, "libical: %s: %s\n", icalcomponent_kind_to_string(icalcomponent_isa(component)),
                icalproperty_get_xlicerror(p));
        errors++;
    }
    for (icalcomponent *c = icalcomponent_get_first_component(component, ICAL_ANY_COMPONENT); c;
         c = icalcomponent_get_next_component(component, ICAL_ANY_COMPONENT))
        errors += count_errors(c);
    return errors;
}

/* Prints one occurrence: a date, or the UTC time of `time` read in `zone` (NULL: UTC or floating). */
static void print_occurrence(const char *uid, struct icaltimetype time, icaltimezone *zone) {
    if (time.is_date) {
        printf("%s %04d-%02d-%02d\n", uid, time.year, time.month, time.day);
        return;
    }
    time_t t = icaltime_as_timet_with_zone(time, icaltime_is_utc(time) ? icaltimezone_get_utc_timezone() : zone);
    struct tm tm;
    gmtime_r(&t, &tm);
    char text[32];
    strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    printf("%s %s\n", uid, text);
}

/* The zone a property's TZID parameter names, resolved through the calendar's VTIMEZONEs. */
static icaltimezone *zone_of(icalcomponent *calendar, icalproperty *property) {
    icalparameter *tzid = icalproperty_get_first_parameter(property, ICAL_TZID_PARAMETER);
    return tzid ? icalcomponent_get_timezone(calendar, icalparameter_get_tzid(tzid)) : NULL;
}

#define MAX_TIMES 100000

static int excluded(struct icaltimetype *exdates, int count, struct icaltimetype time) {
    for (int i = 0; i < count; i++)
        if (icaltime_compare(exdates[i], time) == 0) return 1;
    return 0;
}

/* Every occurrence of `event` up to `to`: DTSTART, the RRULE's (libical's own expansion), the RDATEs,
 * less the EXDATEs. icalcomponent_foreach_recurrence is not used: in libical 3.0 it reads the times
 * the rule yields as UTC instead of in DTSTART's zone. */
static void print_occurrences(icalcomponent *calendar, icalcomponent *event, struct icaltimetype to) {
    const char *uid = icalcomponent_get_uid(event);
    icalproperty *start_property = icalcomponent_get_first_property(event, ICAL_DTSTART_PROPERTY);
    icaltimezone *zone = zone_of(calendar, start_property);
    struct icaltimetype start = icalproperty_get_dtstart(start_property);
    // The iterator converts a UTC UNTIL into DTSTART's zone, which it must know.
    if (zone && !start.is_date) start = icaltime_set_timezone(&start, zone);
    static struct icaltimetype exdates[MAX_TIMES];
    int exdate_count = 0;
    for (icalproperty *p = icalcomponent_get_first_property(event, ICAL_EXDATE_PROPERTY); p && exdate_count < MAX_TIMES;
         p = icalcomponent_get_next_property(event, ICAL_EXDATE_PROPERTY))
        exdates[exdate_count++] = icalproperty_get_exdate(p);
    if (!excluded(exdates, exdate_count, start)) print_occurrence(uid, start, zone);
    for (icalproperty *p = icalcomponent_get_first_property(event, ICAL_RRULE_PROPERTY); p;
         p = icalcomponent_get_next_property(event, ICAL_RRULE_PROPERTY)) {
        icalrecur_iterator *iterator = icalrecur_iterator_new(icalproperty_get_rrule(p), start);
        for (struct icaltimetype t = icalrecur_iterator_next(iterator); !icaltime_is_null_time(t);
             t = icalrecur_iterator_next(iterator)) {
            if (t.year > to.year) break;
            if (icaltime_compare(t, start) != 0 && !excluded(exdates, exdate_count, t)) print_occurrence(uid, t, zone);
        }
        icalrecur_iterator_free(iterator);
    }
    for (icalproperty *p = icalcomponent_get_first_property(event, ICAL_RDATE_PROPERTY); p;
         p = icalcomponent_get_next_property(event, ICAL_RDATE_PROPERTY)) {
        struct icaltimetype t = icalproperty_get_rdate(p).time;
        if (!excluded(exdates, exdate_count, t)) print_occurrence(uid, t, zone_of(calendar, p));
    }
}

int main(int argc, char **argv) {
    if (argc != 4) { fprintf(stderr, "usage: libical-check FILE FROM TO\n"); return 2; }
    char *text = read_file(argv[1]);
    if (!text) { perror(argv[1]); return 2; }
    icalcomponent *calendar = icalparser_parse_string(text);
    if (!calendar) { fprintf(stderr, "libical: could not parse %s\n", argv[1]); return 1; }
    int errors = count_errors(calendar);
    struct icaltimetype to = icaltime_from_timet_with_zone(atol(argv[3]), 0, icaltimezone_get_utc_timezone());
    for (icalcomponent *event = icalcomponent_get_first_component(calendar, ICAL_VEVENT_COMPONENT); event;
         event = icalcomponent_get_next_component(calendar, ICAL_VEVENT_COMPONENT))
        print_occurrences(calendar, event, to);
    icalcomponent_free(calendar);
    free(text);
    return errors == 0 ? 0 : 1;
}
