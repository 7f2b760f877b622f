/*
 * eval.c - `dyad eval`: code gold records and score the events against them.
 */
#include "cli.h"

#include <stdio.h>

int cmd_eval(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "dyad eval: not built yet\n");
    return 2;
}
