/*
 * builtin.c - the dictionaries compiled into libdyad (from dicts/, embedded at build time by
 * tools/embed.c). The grammar part (codebook, irregular forms, modality and reporting words) is loaded
 * with any dictionaries; the rest only when the caller wants dyad's own.
 */
#include "internal.h"

#include <string.h>

struct dyad_builtin {
    const char *name;
    const char *data;
    size_t len;
};
extern const struct dyad_builtin dyad_builtins[];

static bool is_grammar(const char *name)
{
    return strcmp(name, "dicts/cameo.txt") == 0 || strcmp(name, "dicts/lemmas.txt") == 0 ||
           strcmp(name, "dicts/grammar.txt") == 0;
}

static dyad_status load(dyad_dict *d, bool grammar_only)
{
    if (!d)
        return DYAD_ERR_ARG;
    for (const struct dyad_builtin *b = dyad_builtins; b->name; b++) {
        if (grammar_only && !is_grammar(b->name))
            continue;
        dyad_status st = dyad_dict_load_buffer(d, b->name, b->data, b->len);
        if (st != DYAD_OK)
            return st;
    }
    return DYAD_OK;
}

dyad_status dyad_dict_load_builtin(dyad_dict *d) { return load(d, false); }
dyad_status dyad_dict_load_grammar(dyad_dict *d) { return load(d, true); }
