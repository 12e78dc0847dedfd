/*
 * pii_error.c - status strings and error-detail helpers.
 * pii_strerror is a switch with no default, so -Wswitch flags a new status
 * code that has no description.
 */
#include "common/pii_error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *pii_strerror(pii_status status)
{
    switch (status) {
    case PII_OK:
        return "success";
    case PII_E_NOMEM:
        return "out of memory";
    case PII_E_IO:
        return "input/output error";
    case PII_E_PARSE:
        return "input could not be parsed";
    case PII_E_LIMIT:
        return "a hard limit was reached";
    case PII_E_CONFIG:
        return "invalid configuration";
    case PII_E_PATTERN:
        return "invalid pattern";
    case PII_E_CRYPTO:
        return "cryptographic failure";
    case PII_E_INTERNAL:
        return "internal error";
    case PII_E_STOPPED:
        return "stopped on request";
    case PII_E_RELOAD:
        return "returned for a reload on request";
    case PII_E_PIPE:
        return "output closed by reader";
    }
    return "unknown status";
}

pii_status pii_error_set(pii_error *err, pii_status status, const char *fmt, ...)
{
    if (err == NULL)
        return status;
    memset(err, 0, sizeof(*err));
    err->status = status;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    va_end(ap);
    return status;
}
