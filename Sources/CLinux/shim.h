#ifndef SSE_TIMELINE_CLINUX_H
#define SSE_TIMELINE_CLINUX_H
// Linux system calls that Glibc's Swift overlay does not import, or imports in a form Swift cannot call.
#include <sys/timerfd.h>
#include <sys/inotify.h>
#include <sys/uio.h>
#include <sys/prctl.h>
#include <malloc.h>

/// prctl(2) is variadic, which Swift cannot call: sets the calling thread's timer slack (inherited by the
/// threads it creates afterwards).
static inline int sse_set_timer_slack(unsigned long nanoseconds) {
    return prctl(PR_SET_TIMERSLACK, nanoseconds, 0, 0, 0);
}
#endif
