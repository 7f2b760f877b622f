/*
 * fuzz_dict.c - a libFuzzer target: any bytes as a dictionary file in dyad's format (the header line is
 * prepended), loaded on top of the grammar, finished, and used to code a sentence. Broken lines must be
 * reported, never crash. Run with tests/fuzz/run.sh (FUZZ=dict).
 */
#include "dyad.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char head[] = "# dyad-dict 1\n";
    char *buf = malloc(sizeof head + size);
    if (!buf)
        return 0;
    memcpy(buf, head, sizeof head - 1);
    memcpy(buf + sizeof head - 1, data, size);
    dyad_dict *d = dyad_dict_new();
    if (dyad_dict_load_grammar(d) == DYAD_OK && dyad_dict_load_buffer(d, "fuzz.txt", buf, sizeof head - 1 + size) == DYAD_OK &&
        dyad_dict_finish(d) == DYAD_OK) {
        dyad_coder *c = dyad_coder_new(d);
        static const char text[] = "Freedonia attacked Sylvania. The two leaders met in Paris on Friday.";
        dyad_story s = {"f", "2026-01-16", text, sizeof text - 1, NULL, NULL, NULL};
        const dyad_event *ev;
        size_t n;
        dyad_code(c, &s, &ev, &n);
        dyad_coder_free(c);
    }
    dyad_dict_free(d);
    free(buf);
    return 0;
}
