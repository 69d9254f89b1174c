#include "bus_vtable.h"

size_t sse_bus_vtable_entry_size(void) {
    return sizeof(sd_bus_vtable);
}

void sse_bus_vtable_start(sd_bus_vtable *entry, uint64_t flags) {
    *entry = (sd_bus_vtable) SD_BUS_VTABLE_START(flags);
}

void sse_bus_vtable_method(sd_bus_vtable *entry, const char *member, const char *signature, const char *result,
                           const char *names, sd_bus_message_handler_t handler, uint64_t flags) {
    *entry = (sd_bus_vtable) SD_BUS_METHOD_WITH_OFFSET(member, signature, result, handler, 0, flags);
    // The macro concatenates literal names; ours are made at run time.
    entry->x.method.names = names;
}

void sse_bus_vtable_property(sd_bus_vtable *entry, const char *member, const char *signature,
                             sd_bus_property_get_t get, uint64_t flags) {
    *entry = (sd_bus_vtable) SD_BUS_PROPERTY(member, signature, get, 0, flags);
}

void sse_bus_vtable_signal(sd_bus_vtable *entry, const char *member, const char *signature, const char *names,
                           uint64_t flags) {
    *entry = (sd_bus_vtable) SD_BUS_SIGNAL(member, signature, flags);
    entry->x.signal.names = names;
}

void sse_bus_vtable_end(sd_bus_vtable *entry) {
    *entry = (sd_bus_vtable) SD_BUS_VTABLE_END;
}
