#include "sse_curl.h"

#include <dlfcn.h>

static struct {
    CURLcode (*global_init)(long);
    CURL *(*easy_init)(void);
    void (*easy_cleanup)(CURL *);
    CURLcode (*easy_perform)(CURL *);
    const char *(*easy_strerror)(CURLcode);
    CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
    CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
    struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
    void (*slist_free_all)(struct curl_slist *);
} curl;

static int loaded;

const char *sse_curl_load(void) {
    if (loaded) return NULL;
    void *library = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (!library) return dlerror();
#define SYMBOL(field, name) \
    if (!(*(void **)&curl.field = dlsym(library, name))) return dlerror();
    SYMBOL(global_init, "curl_global_init")
    SYMBOL(easy_init, "curl_easy_init")
    SYMBOL(easy_cleanup, "curl_easy_cleanup")
    SYMBOL(easy_perform, "curl_easy_perform")
    SYMBOL(easy_strerror, "curl_easy_strerror")
    SYMBOL(easy_setopt, "curl_easy_setopt")
    SYMBOL(easy_getinfo, "curl_easy_getinfo")
    SYMBOL(slist_append, "curl_slist_append")
    SYMBOL(slist_free_all, "curl_slist_free_all")
#undef SYMBOL
    if (curl.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) return "curl_global_init failed";
    loaded = 1;
    return NULL;
}

CURL *sse_curl_easy_init(void) { return loaded ? curl.easy_init() : NULL; }
void sse_curl_easy_cleanup(CURL *handle) { curl.easy_cleanup(handle); }
CURLcode sse_curl_easy_perform(CURL *handle) { return curl.easy_perform(handle); }
const char *sse_curl_easy_strerror(CURLcode code) { return curl.easy_strerror(code); }

CURLcode sse_curl_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl.easy_setopt(handle, option, value);
}
CURLcode sse_curl_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl.easy_setopt(handle, option, value);
}
CURLcode sse_curl_setopt_off(CURL *handle, CURLoption option, curl_off_t value) {
    return curl.easy_setopt(handle, option, value);
}
CURLcode sse_curl_setopt_list(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl.easy_setopt(handle, option, value);
}
CURLcode sse_curl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl.easy_setopt(handle, option, value);
}

CURLcode sse_curl_set_callback(CURL *handle, CURLoption function, CURLoption data, sse_curl_data_callback callback,
                               void *context) {
    CURLcode code = curl.easy_setopt(handle, function, callback);
    return code != CURLE_OK ? code : curl.easy_setopt(handle, data, context);
}

CURLcode sse_curl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl.easy_getinfo(handle, info, value);
}

struct curl_slist *sse_curl_slist_append(struct curl_slist *list, const char *value) {
    return curl.slist_append(list, value);
}
void sse_curl_slist_free_all(struct curl_slist *list) {
    if (list) curl.slist_free_all(list);
}
