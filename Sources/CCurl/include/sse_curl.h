#ifndef SSE_TIMELINE_CURL_H
#define SSE_TIMELINE_CURL_H
// libcurl for `sse-timeline fetch`, loaded with dlopen() when a feed is fetched, as systemd loads its optional
// libraries: the daemon runs from the same binary and never uses the network, so libcurl and the TLS and HTTP
// libraries it pulls in are never mapped into the daemon's process. curl_easy_setopt and curl_easy_getinfo are
// variadic, which Swift cannot call: one typed function per kind of argument here.
#include <stddef.h>
#include <curl/curl.h>

/// Loads libcurl.so.4 once; NULL on success, otherwise what dlopen() or dlsym() said (static storage).
const char *sse_curl_load(void);

/// CURLAUTH_BASIC, a macro Swift does not import.
static const long SSE_CURLAUTH_BASIC = (long)CURLAUTH_BASIC;

/// curl_easy_init(); NULL when libcurl is not loaded or out of memory.
CURL *sse_curl_easy_init(void);
/// curl_easy_cleanup().
void sse_curl_easy_cleanup(CURL *handle);
/// curl_easy_perform().
CURLcode sse_curl_easy_perform(CURL *handle);
/// curl_easy_strerror().
const char *sse_curl_easy_strerror(CURLcode code);

/// curl_easy_setopt() with a long, a string, a curl_off_t, a header list or a pointer.
CURLcode sse_curl_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode sse_curl_setopt_string(CURL *handle, CURLoption option, const char *value);
CURLcode sse_curl_setopt_off(CURL *handle, CURLoption option, curl_off_t value);
CURLcode sse_curl_setopt_list(CURL *handle, CURLoption option, struct curl_slist *value);
CURLcode sse_curl_setopt_pointer(CURL *handle, CURLoption option, void *value);

/// CURLOPT_WRITEFUNCTION or CURLOPT_HEADERFUNCTION with its data pointer.
typedef size_t (*sse_curl_data_callback)(char *data, size_t size, size_t count, void *context);
CURLcode sse_curl_set_callback(CURL *handle, CURLoption function, CURLoption data, sse_curl_data_callback callback,
                               void *context);

/// curl_easy_getinfo() for a long result.
CURLcode sse_curl_getinfo_long(CURL *handle, CURLINFO info, long *value);

/// curl_slist_append() and curl_slist_free_all().
struct curl_slist *sse_curl_slist_append(struct curl_slist *list, const char *value);
void sse_curl_slist_free_all(struct curl_slist *list);

#endif
