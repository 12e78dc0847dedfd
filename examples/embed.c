/*
 * embed.c - a small program that embeds libpiiscrub through its public API
 * only (<piiscrub/piiscrub.h>). Build it against an installed library with
 *
 *     cc -o embed embed.c $(pkg-config --cflags --libs piiscrub)
 *
 * or, for the static library, with `pkg-config --static`.
 *
 *     ./embed        redact the mobile numbers of a built-in line and mask
 *                    everything else, with pii_redact_buffer
 *     ./embed -      the same settings over stdin -> stdout, through a
 *                    pii_stream with the zstd-style in/out cursors
 *
 * Exit status: 0 on success, 1 on any error (the message is on stderr and
 * never contains input bytes). tests/embed/embed.sh builds and runs it.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <piiscrub/piiscrub.h>

/* Stream fd 0 to fd 1 through a pii_stream: push input as it comes,
 * write whatever output is ready, then finish until nothing remains. */
static pii_status stream_stdin(const pii_engine *eng, pii_error *err)
{
    static char inb[1 << 16], outb[1 << 16];
    pii_status st = PII_OK;
    pii_stream *s = pii_stream_new(eng);
    if (s == NULL)
        return PII_E_NOMEM;
    for (;;) {
        ssize_t n = read(0, inb, sizeof(inb));
        if (n < 0) {
            st = PII_E_IO;
            goto out;
        }
        if (n == 0)
            break;
        pii_inbuf in = {inb, (size_t)n, 0};
        while (in.pos < in.size) {
            pii_outbuf o = {outb, sizeof(outb), 0};
            st = pii_stream_push(s, &in, &o, err);
            if (st != PII_OK)
                goto out;
            if (fwrite(outb, 1, o.pos, stdout) != o.pos) {
                st = PII_E_IO;
                goto out;
            }
        }
    }
    size_t remaining;
    do {
        pii_outbuf o = {outb, sizeof(outb), 0};
        st = pii_stream_finish(s, &o, &remaining, err);
        if (st != PII_OK)
            goto out;
        if (fwrite(outb, 1, o.pos, stdout) != o.pos) {
            st = PII_E_IO;
            goto out;
        }
    } while (remaining > 0);
out:
    pii_stream_free(s);
    return st;
}

int main(int argc, char **argv)
{
    static const char line[] = "tel 13812345678, mail zhang.san@example.com\n";
    pii_error err = {0};
    pii_engine *eng = NULL;
    char *out = NULL;
    size_t out_len = 0;
    int rc = 1;

    pii_config *cfg = pii_config_new();
    if (cfg == NULL) {
        fprintf(stderr, "embed: out of memory\n");
        return 1;
    }
    /* mobile numbers become [CN_MOBILE]; other types keep their default (mask) */
    pii_status st = pii_config_set_action(cfg, "cn_mobile", PII_ACTION_REDACT, &err);
    if (st == PII_OK)
        st = pii_engine_new(cfg, &eng, &err);
    if (st != PII_OK)
        goto out;

    if (argc > 1 && strcmp(argv[1], "-") == 0) {
        st = stream_stdin(eng, &err);
    } else {
        st = pii_redact_buffer(eng, line, sizeof(line) - 1, &out, &out_len, &err);
        if (st == PII_OK && fwrite(out, 1, out_len, stdout) != out_len)
            st = PII_E_IO;
    }
    if (st == PII_OK && fflush(stdout) != 0)
        st = PII_E_IO;
    if (st == PII_OK)
        rc = 0;
out:
    if (st != PII_OK)
        fprintf(stderr, "embed: %s%s%s\n", pii_strerror(st), err.msg[0] ? ": " : "", err.msg);
    pii_free(out);
    pii_engine_free(eng);
    pii_config_free(cfg);
    return rc;
}
