/*
 * table_test.h - a table-driven Criterion test that runs in one process.
 *
 * Criterion runs every test, and every parameter of a ParameterizedTest,
 * in a worker process of its own that it execs afresh: about 60 to 100 ms
 * each on the CI machine even for an empty test, which made the unit tests'
 * hundreds of table rows most of their time in CI (and more under ASan).
 * PII_TABLE_TEST runs the rows of a table in one test instead, in order;
 * the body sees the row as VAR (a pointer) and its index as `row`. The
 * first failing cr_assert ends the test; cr_expect goes on. Assertion
 * messages should name the row's input, as they do throughout.
 *
 *   PII_TABLE_TEST(struct hit, h, hits, scanner, finds)
 *   {
 *       cr_assert_eq(scan(h->text), 1, "'%s'", h->text);
 *   }
 */
#ifndef PII_TABLE_TEST_H
#define PII_TABLE_TEST_H

#include <criterion/criterion.h>
#include <stddef.h>

#define PII_TABLE_TEST(type, var, table, suite, name)                                              \
    static void suite##_##name##_row(type *var, size_t row);                                        \
    Test(suite, name)                                                                              \
    {                                                                                              \
        for (size_t row_ = 0; row_ < sizeof(table) / sizeof((table)[0]); row_++)                  \
            suite##_##name##_row(&(table)[row_], row_);                                            \
    }                                                                                              \
    static void suite##_##name##_row(type *var, size_t row)

#endif /* PII_TABLE_TEST_H */
