#ifndef INTERLINK_CCURL_SHIM_H
#define INTERLINK_CCURL_SHIM_H

#include <curl/curl.h>

// libcurl's setopt/getinfo functions are variadic, which Swift cannot call.
// These typed wrappers pass exactly the C type each option family expects.

static inline CURLcode interlink_easy_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode interlink_easy_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode interlink_easy_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode interlink_easy_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode interlink_easy_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}

typedef size_t (*interlink_data_callback)(char *data, size_t size, size_t count, void *context);

static inline CURLcode interlink_easy_setopt_data_callback(CURL *handle, CURLoption option, interlink_data_callback callback) {
    return curl_easy_setopt(handle, option, callback);
}

static inline CURLcode interlink_easy_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode interlink_easy_getinfo_pointer(CURL *handle, CURLINFO info, void **value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode interlink_easy_getinfo_off_t(CURL *handle, CURLINFO info, curl_off_t *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLMcode interlink_multi_setopt_long(CURLM *handle, CURLMoption option, long value) {
    return curl_multi_setopt(handle, option, value);
}

#endif
