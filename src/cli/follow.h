/*
 * follow.h - `piiscrub --follow FILE [--state FILE]`: a log file followed
 * like `tail -F`, through the public streaming API.
 */
#ifndef PII_CLI_FOLLOW_H
#define PII_CLI_FOLLOW_H

#include <signal.h>

#include "piiscrub/piiscrub.h"
#include "reload.h"

/* How often a follower at the end of its file looks for growth, rotation
 * and the stop flag. */
#define PII_FOLLOW_POLL_MS 100

/*
 * Follow `path` to stdout with cs->eng until *cs->stop is set (then exit
 * status 0):
 *   - waits for the file to appear and to grow;
 *   - rotation by rename (a new file at `path`): reads the old file to its
 *     end, then the new one from its start;
 *   - truncation (the file shrinks below what was read): from the start;
 *   - a last line without newline is held until it is complete, or until
 *     a rotation or truncation ends it;
 *   - with `state_path`, the position after the last complete record
 *     written (file identity and offset) is saved after every write and
 *     at the stop (written to a temporary file, then renamed), and read at
 *     start: a follower stopped by a signal resumes exactly where it
 *     stopped, neither repeating nor skipping a line. After a crash it
 *     repeats at most the lines of its last read. A saved position in a
 *     file that has since been rotated away is not found: the follower
 *     starts at the start of the file now at `path`;
 *   - *cs->reload set: at the next record end (after the read that
 *     brought it) the configuration is built again (pii_cli_reload) and
 *     the stream handed over to the new engine (pii_stream_suspend and
 *     pii_stream_resume): the records after it get the new policy.
 * Returns a CLI exit status; messages go to stderr and name the files,
 * never the data.
 */
int pii_cli_follow(pii_cli_setup *cs, const char *path, const char *state_path);

#endif /* PII_CLI_FOLLOW_H */
