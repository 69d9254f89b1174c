#ifndef SSE_TIMELINE_CSYSTEMD_H
#define SSE_TIMELINE_CSYSTEMD_H
// libsystemd, as the daemon uses it: sd-event for the loop, sd-journal to write and read the journal, sd-bus for
// the bus API, the calls to systemd and the desktop's notification server.
#include <systemd/sd-event.h>
#include <systemd/sd-journal.h>
#include <systemd/sd-daemon.h>
#include <systemd/sd-bus.h>
#include <systemd/sd-login.h>
#endif
