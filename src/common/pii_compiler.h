/*
 * pii_compiler.h - attribute and helper macros shared by every module.
 * Depends on nothing but the compiler.
 */
#ifndef PII_COMPILER_H
#define PII_COMPILER_H

#if defined(__GNUC__)
#define PII_INTERNAL __attribute__((visibility("hidden")))
#define PII_LIKELY(x) __builtin_expect(!!(x), 1)
#define PII_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define PII_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#define PII_NOINLINE __attribute__((noinline))
#define PII_ALWAYS_INLINE __attribute__((always_inline))
#else
#define PII_INTERNAL
#define PII_LIKELY(x) (x)
#define PII_UNLIKELY(x) (x)
#define PII_PRINTF(fmt, args)
#define PII_NOINLINE
#define PII_ALWAYS_INLINE
#endif

#define PII_STATIC_ASSERT(cond, msg) _Static_assert(cond, msg)
#define PII_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Propagate a non-OK pii_status to the caller's `out:` label via `st`. */
#define PII_TRY(expr)                                                                              \
    do {                                                                                           \
        st = (expr);                                                                               \
        if (st != PII_OK)                                                                          \
            goto out;                                                                              \
    } while (0)

#endif /* PII_COMPILER_H */
