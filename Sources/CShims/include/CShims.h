#ifndef NCAAS_CSHIMS_H
#define NCAAS_CSHIMS_H
/// Typed wrappers for C calls Swift cannot make directly: curl's variadic
/// setopt/getinfo, and libssh2's function-like macros.
#include <curl/curl.h>
#include <libssh2.h>
#include <libssh2_sftp.h>

typedef size_t (*ncaas_curl_data_callback)(char *data, size_t size, size_t nmemb, void *userdata);

CURLcode ncaas_curl_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode ncaas_curl_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value);
CURLcode ncaas_curl_setopt_pointer(CURL *handle, CURLoption option, void *value);
CURLcode ncaas_curl_setopt_string(CURL *handle, CURLoption option, const char *value);
CURLcode ncaas_curl_setopt_callback(CURL *handle, CURLoption option, ncaas_curl_data_callback callback);
CURLcode ncaas_curl_getinfo_long(CURL *handle, CURLINFO info, long *value);
CURLcode ncaas_curl_getinfo_double(CURL *handle, CURLINFO info, double *value);
CURLcode ncaas_curl_getinfo_string(CURL *handle, CURLINFO info, const char **value);

/// Curl's seek callback (CURLOPT_SEEKFUNCTION), used to rewind an upload body.
typedef int (*ncaas_curl_seek_callback)(void *userdata, curl_off_t offset, int origin);
CURLcode ncaas_curl_setopt_seek_callback(CURL *handle, ncaas_curl_seek_callback callback);

#endif
