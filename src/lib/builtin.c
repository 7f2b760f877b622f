/*
 * builtin.c - the dictionaries compiled into libdyad (from dicts/, embedded at build time by
 * tools/embed.c). The grammar part (codebook, irregular forms, modality and reporting words) is loaded
 * with any dictionaries; the rest only when the caller wants dyad's own.
 */
#include "internal.h"

#include <string.h>

dyad_status dict_load_builtin_text(dyad_dict *d);

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

#ifdef DYAD_HAVE_IMAGE
/* the image of these dictionaries, compiled at build time (tools/compile.c) and linked in (image.S) */
extern const char dyad_builtin_image[];
extern const uint64_t dyad_builtin_image_len;
#endif

dyad_status dyad_dict_load_builtin(dyad_dict *d)
{
#ifdef DYAD_HAVE_IMAGE
    if (d && !d->loaded && !d->finished)
        return dict_adopt_image(d, dyad_builtin_image, (size_t)dyad_builtin_image_len, false,
                                "built-in dictionaries");
#endif
    return load(d, false);
}

/* The built-in dictionaries from their text, never from the image: for the image compiler. */
dyad_status dict_load_builtin_text(dyad_dict *d) { return load(d, false); }
dyad_status dyad_dict_load_grammar(dyad_dict *d) { return load(d, true); }
