#ifndef SSE_TIMELINE_BUS_VTABLE_H
#define SSE_TIMELINE_BUS_VTABLE_H
// The sd-bus object vtable, built one entry at a time at run time. The SD_BUS_VTABLE_* macros of
// <systemd/sd-bus-vtable.h> are compound literals with bit-fields that Swift cannot write: each function here
// fills one entry through its macro. The strings must outlive the vtable (the caller keeps them).
#include <stddef.h>
#include <stdint.h>
#include <systemd/sd-bus.h>

/// The size of one entry, to allocate an array of them.
size_t sse_bus_vtable_entry_size(void);

/// SD_BUS_VTABLE_START(flags).
void sse_bus_vtable_start(sd_bus_vtable *entry, uint64_t flags);

/// SD_BUS_METHOD_WITH_NAMES: `names` is the argument names, in then out, each ended by NUL (as SD_BUS_PARAM
/// writes them), or NULL.
void sse_bus_vtable_method(sd_bus_vtable *entry, const char *member, const char *signature, const char *result,
                           const char *names, sd_bus_message_handler_t handler, uint64_t flags);

/// SD_BUS_PROPERTY, read-only.
void sse_bus_vtable_property(sd_bus_vtable *entry, const char *member, const char *signature,
                             sd_bus_property_get_t get, uint64_t flags);

/// SD_BUS_SIGNAL_WITH_NAMES: `names` as for methods.
void sse_bus_vtable_signal(sd_bus_vtable *entry, const char *member, const char *signature, const char *names,
                           uint64_t flags);

/// SD_BUS_VTABLE_END.
void sse_bus_vtable_end(sd_bus_vtable *entry);

#endif
