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
#endif
