/*
 * The reference sleeper of the benchmark's "first reminder after idle" part (bench/ssebench/parts/after_idle.py):
 * the earliest a process asleep on this machine can be running at an instant, measured beside the daemon.
 *
 *   sleeper EPOCH_SECONDS...
 *
 * With 1 ns timer slack, it sleeps with clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME) until each instant in
 * turn, and on waking writes one line to stdout, "EPOCH_SECONDS WAKE_NS", WAKE_NS being CLOCK_REALTIME in
 * nanoseconds read right after the sleep returned. Nothing else: no work before the instant, no buffering
 * (one write(2) per line). It exits after the last instant, or with status 2 on bad arguments or a failed call.
 *
 * Built by the benchmark with `cc -O2`, into its working directory.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

static int fail(const char *what) {
    fprintf(stderr, "sleeper: %s: %s\n", what, strerror(errno));
    return 2;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: sleeper EPOCH_SECONDS...\n");
        return 2;
    }
    // The default slack lets a timer fire up to 50 us late; the daemon asks for 1 ns too.
    if (prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL) != 0)
        return fail("prctl(PR_SET_TIMERSLACK)");
    for (int i = 1; i < argc; i++) {
        char *end = NULL;
        errno = 0;
        long long instant = strtoll(argv[i], &end, 10);
        if (errno != 0 || end == argv[i] || *end != '\0' || instant <= 0) {
            fprintf(stderr, "sleeper: not an epoch second: '%s'\n", argv[i]);
            return 2;
        }
        struct timespec due = {.tv_sec = (time_t)instant, .tv_nsec = 0};
        int error;
        // clock_nanosleep returns the error number itself; EINTR (a signal) resumes the same absolute sleep.
        while ((error = clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &due, NULL)) == EINTR) {
        }
        struct timespec now;
        clock_gettime(CLOCK_REALTIME, &now);
        if (error != 0) {
            errno = error;
            return fail("clock_nanosleep");
        }
        char line[64];
        int length = snprintf(line, sizeof line, "%lld %lld\n", instant,
                              (long long)now.tv_sec * 1000000000LL + now.tv_nsec);
        if (write(STDOUT_FILENO, line, (size_t)length) != length)
            return fail("write");
    }
    return 0;
}
