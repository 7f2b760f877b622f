/*
 * fuzz_code.c - a libFuzzer target: any bytes as a story's text, coded with dyad's built-in dictionaries
 * and with every output format written. Build and run (not part of make test):
 *   make fuzz   (tests/fuzz/run.sh: clang -fsanitize=fuzzer,address,undefined, 60 seconds by default)
 */
#include "dyad.h"

#include <stdint.h>
#include <stdlib.h>

static dyad_dict *D;
static dyad_coder *C;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!D) {
        D = dyad_dict_new();
        if (dyad_dict_load_builtin(D) != DYAD_OK || dyad_dict_finish(D) != DYAD_OK)
            abort();
        C = dyad_coder_new(D);
    }
    dyad_story s = {"fuzz", "2026-01-16", (const char *)data, size, NULL, NULL, NULL};
    const dyad_event *ev;
    size_t n;
    if (dyad_code(C, &s, &ev, &n) != DYAD_OK)
        return 0;
    char *buf = NULL;
    size_t len = 0, cap = 0;
    for (size_t i = 0; i < n; i++)
        for (int f = 0; f < 3; f++)
            if (dyad_event_write(&ev[i], &s, (dyad_format)f, &buf, &len, &cap) != DYAD_OK)
                abort();
    free(buf);
    return 0;
}
