/*
 * pii_detector.h - a detector's definition, as read from a pattern file.
 *
 * Shared by detection (which runs detectors) and transformation (which
 * renders findings by the detector's mask style and label). Built-in
 * detectors come from the patterns/builtin files, embedded at build time; user
 * detectors from --patterns files. Both go through the same parser
 * (detect/patfile.c), so a built-in has no powers a user pattern lacks
 * except its candidate generator (`kind`).
 */
#ifndef PII_DETECTOR_H
#define PII_DETECTOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "piiscrub/piiscrub.h"

/* Candidate generators: where in the text a detector looks. */
typedef enum {
    PII_KIND_DIGITS = 0, /* chains of digit groups (phones, IDs, cards, SSN) */
    PII_KIND_EMAIL,      /* outwards from '@' */
    PII_KIND_IPV4,       /* dotted quads */
    PII_KIND_IPV6,       /* hex groups with colons */
    PII_KIND_ALNUM,      /* upper-case letter(s) followed by digits (IBAN, HK/TW ID) */
    PII_KIND_CN_ADDRESS, /* gazetteer names and road/house tokens */
    PII_KIND_US_ADDRESS, /* house number + street + suffix (PCRE2 anchored) */
    PII_KIND_CN_NAME,    /* a Chinese name after a label word */
    PII_KIND_REGEX,      /* user pattern: PCRE2 over the record */
    PII_KIND_COUNT
} pii_kind;

/* How `mask` renders a value. Characters counted are "alnum" characters
 * (ASCII or full-width digits and letters); others stay in place. */
typedef enum {
    PII_MASK_KEEP_ENDS = 0, /* keep the first a and last b alnum chars */
    PII_MASK_HIDE_BEFORE,   /* hide a alnum chars right before the last b */
    PII_MASK_EMAIL,         /* first char of the local part and the domain */
    PII_MASK_IPV4,          /* last two octets -> '*' */
    PII_MASK_IPV6,          /* keep the first a groups */
    PII_MASK_ADDRESS,       /* keep the division names, hide the rest */
    PII_MASK_NAME,          /* keep the first a characters (the surname) */
    PII_MASK_ALL,           /* every alnum (or Han) character */
} pii_mask_style;

/* How `token` canonicalizes a value before hashing, so that one value in
 * any format gets one token. */
typedef enum {
    PII_CANON_FOLD = 0, /* whitespace runs folded to one space, trimmed */
    PII_CANON_DIGITS,   /* digits only (full-width folded), X kept upper-case */
    PII_CANON_TAIL,     /* the last `canon_n` digits (national mobile number) */
    PII_CANON_UPPER,    /* letters and digits, upper-case */
    PII_CANON_LOWER,    /* the value lower-cased (e-mail) */
} pii_canon_style;

/* How `fpe` encrypts a value (FF1 over its digits, format kept). */
typedef enum {
    PII_FPE_NONE = 0, /* fpe not available for this type */
    PII_FPE_TAIL,     /* encrypt the last `fpe_n` digits */
    PII_FPE_CARD,     /* keep BIN and last 4; result never Luhn-valid */
    PII_FPE_CN_ID,    /* keep the region; result never has a valid check char */
} pii_fpe_style;

typedef struct {
    char *text;  /* a line of input */
    char *value; /* the exact substring to be found; NULL for counter-examples */
} pii_pat_example;

typedef struct {
    char *id;          /* "cn_mobile": what users type */
    char *label;       /* "[CN_MOBILE]": what redact writes */
    char *description; /* one line */
    char *pattern;     /* PCRE2 source, or NULL */
    char *source;      /* file name, for messages */
    unsigned line;     /* line of the `id:` key */
    pii_kind kind;
    int validator;     /* index in the validator table, -1 for none */
    uint8_t priority;
    uint8_t confidence;   /* base confidence 0..100 */
    uint8_t min_len;      /* digits kind: digits in a candidate (bounds) */
    uint8_t max_len;
    uint8_t negative_penalty; /* subtracted when negative context is nearest */
    bool context_required;    /* no finding without a context word */
    pii_action action;        /* default action */
    pii_mask_style mask;
    uint8_t mask_a, mask_b;
    pii_canon_style canon;
    uint8_t canon_n;
    pii_fpe_style fpe;
    uint8_t fpe_n;
    char **context; /* words that raise confidence (UTF-8, ASCII case-folded) */
    size_t ncontext;
    char **negative; /* words that lower it */
    size_t nnegative;
    pii_pat_example *examples;
    size_t nexamples;
} pii_detector_def;

void pii_detector_def_clear(pii_detector_def *d);

#endif /* PII_DETECTOR_H */
