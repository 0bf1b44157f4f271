#ifndef CCURL_H
#define CCURL_H

#include <curl/curl.h>
#include <stddef.h>

/* Non-variadic wrappers: Swift cannot call curl_easy_setopt / curl_easy_getinfo /
   curl_multi_setopt, which are variadic C functions. */

typedef size_t (*ccurl_data_callback)(char *data, size_t size, size_t count, void *context);

/* curl_global_init(CURL_GLOBAL_ALL), once per process; safe to call from any thread. */
CURLcode ccurl_global_init(void);

CURLcode ccurl_easy_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode ccurl_easy_setopt_off(CURL *handle, CURLoption option, curl_off_t value);
CURLcode ccurl_easy_setopt_string(CURL *handle, CURLoption option, const char *value);
CURLcode ccurl_easy_setopt_pointer(CURL *handle, CURLoption option, void *value);
/* Passes in-memory PEM (a CA bundle, a client certificate or key); libcurl copies the bytes. */
CURLcode ccurl_easy_setopt_blob(CURL *handle, CURLoption option, const void *data, size_t length);
CURLcode ccurl_easy_setopt_callback(CURL *handle, CURLoption option, ccurl_data_callback callback);

CURLcode ccurl_easy_getinfo_long(CURL *handle, CURLINFO info, long *value);
CURLcode ccurl_easy_getinfo_pointer(CURL *handle, CURLINFO info, void **value);

CURLMcode ccurl_multi_setopt_long(CURLM *multi, CURLMoption option, long value);

/* The CURLcode of a CURLMSG_DONE message (a union member in C). */
CURLcode ccurl_message_result(const CURLMsg *message);

/* CURL_WRITEFUNC_PAUSE, a macro Swift does not import. */
size_t ccurl_writefunc_pause(void);

#endif
