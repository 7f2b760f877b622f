/*
 * compile.c - a build tool: compiles dyad's built-in dictionaries (from their text, embedded in the
 * library) into the binary image that is linked into libdyad. Usage: dyad-compile OUT.img
 * Dictionary problems are printed; they do not stop the build (the tests fail on them instead).
 */
#include "dyad.h"

#include <stdio.h>

dyad_status dict_load_builtin_text(dyad_dict *d);

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: dyad-compile OUT.img\n");
        return 2;
    }
    dyad_dict *d = dyad_dict_new();
    if (!d || dict_load_builtin_text(d) != DYAD_OK || dyad_dict_finish(d) != DYAD_OK ||
        dyad_dict_save_image(d, argv[1]) != DYAD_OK) {
        fprintf(stderr, "dyad-compile: %s\n", d ? dyad_dict_errmsg(d) : "out of memory");
        dyad_dict_free(d);
        return 1;
    }
    for (size_t i = 0; i < dyad_dict_problem_count(d); i++)
        fprintf(stderr, "dyad-compile: warning: %s\n", dyad_dict_problem(d, i));
    dyad_dict_free(d);
    return 0;
}
