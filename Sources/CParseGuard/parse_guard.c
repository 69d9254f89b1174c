#include "parse_guard.h"

#include <setjmp.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>

// The jump target of the parse running on this thread, if any.
static __thread sigjmp_buf *current_guard;

static void on_abort(int signal_number) {
    if (current_guard != NULL) {
        siglongjmp(*current_guard, 1);
    }
    // Not inside a guarded parse: a real abort. Take the default action.
    signal(signal_number, SIG_DFL);
    raise(signal_number);
}

void *sse_guarded_parse(sse_parse_function parse, const char *text, void *error, int *aborted) {
    struct sigaction action, previous;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_abort;
    sigemptyset(&action.sa_mask);
    sigaction(SIGABRT, &action, &previous);

    sigjmp_buf buffer;
    void *volatile result = NULL;
    *aborted = 0;
    if (sigsetjmp(buffer, 1) == 0) {
        current_guard = &buffer;
        result = parse(text, error);
    } else {
        // glibc's abort() releases its lock before raising SIGABRT, so leaving the handler by a jump is safe.
        *aborted = 1;
        result = NULL;
    }
    current_guard = NULL;
    sigaction(SIGABRT, &previous, NULL);
    return result;
}
