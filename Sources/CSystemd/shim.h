#ifndef SSE_TIMELINE_CSYSTEMD_H
#define SSE_TIMELINE_CSYSTEMD_H
// libsystemd, as the daemon uses it: sd-event for the loop, sd-journal to write and read the journal.
#include <systemd/sd-event.h>
#include <systemd/sd-journal.h>
#include <systemd/sd-daemon.h>
#endif
