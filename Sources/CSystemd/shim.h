#ifndef SSE_TIMELINE_CSYSTEMD_H
#define SSE_TIMELINE_CSYSTEMD_H
#include <systemd/sd-journal.h>
#include <sys/uio.h>
#include <sys/timerfd.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <malloc.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/prctl.h>

/// prctl(2) is variadic, which Swift cannot call: sets the calling thread's timer slack (inherited by the
/// threads it creates afterwards).
static inline int sse_set_timer_slack(unsigned long nanoseconds) {
    return prctl(PR_SET_TIMERSLACK, nanoseconds, 0, 0, 0);
}
#endif
