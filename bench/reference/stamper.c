/* The stamping reader of bench part 8: reads its standard input (a pipe from the daemon or from the reference
 * sleeper) and, for each read(2), writes to its standard output the CLOCK_REALTIME nanoseconds taken as the read
 * returned, the byte count (both int64, native order), then the bytes. A process of its own for each pipe, so
 * that the stamp does not wait for the harness's Python threads (their interpreter lock, their page faults).
 * Ends with status 0 at end of file. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

static int write_all(const void *data, size_t length) {
    const char *p = data;
    while (length > 0) {
        ssize_t n = write(STDOUT_FILENO, p, length);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return -1;
        p += n;
        length -= (size_t)n;
    }
    return 0;
}

int main(void) {
    static char buffer[1 << 20];
    prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
    (void)fcntl(STDIN_FILENO, F_SETPIPE_SZ, 1 << 20);
    for (;;) {
        ssize_t n = read(STDIN_FILENO, buffer, sizeof buffer);
        struct timespec now;
        clock_gettime(CLOCK_REALTIME, &now);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return 1;
        if (n == 0) return 0;
        int64_t header[2] = {(int64_t)now.tv_sec * 1000000000 + now.tv_nsec, (int64_t)n};
        if (write_all(header, sizeof header) != 0 || write_all(buffer, (size_t)n) != 0) return 1;
    }
}
