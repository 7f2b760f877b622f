/*
 * dict.c - `dyad dict`: lint dictionary files, explain what a phrase resolves to, report sizes.
 */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void dict_usage(FILE *f)
{
    fputs("usage: dyad dict lint FILE...\n"
          "       dyad dict lookup PHRASE [--date YYYY-MM-DD] [--dicts DIR]\n"
          "       dyad dict stats [--dicts DIR]\n"
          "       dyad dict compile [--dicts DIR] -o FILE.img\n"
          "  lint    reports every malformed line as file:line: message; exit 1 if there is one\n"
          "  lookup  shows the dictionary entries a phrase hits and the actor it resolves to on a date\n"
          "  stats   entries, patterns, memory and load time of the dictionaries\n"
          "  compile the dictionaries (built-in, or DIR) as an image; use it with --dicts FILE.img\n",
          f);
}

static int lint(int argc, char **argv)
{
    if (argc < 1) {
        dict_usage(stderr);
        return 2;
    }
    size_t problems = 0;
    for (int i = 0; i < argc; i++) {
        /* each file alone, on top of the grammar, so that its problems are its own */
        dyad_dict *d = dyad_dict_new();
        if (!d)
            return 1;
        size_t before = 0;
        dyad_status st = dyad_dict_load_grammar(d);
        before = dyad_dict_problem_count(d);
        if (st == DYAD_OK)
            st = dyad_dict_load_path(d, argv[i]);
        if (st == DYAD_OK)
            st = dyad_dict_finish(d);
        if (st != DYAD_OK) {
            fprintf(stderr, "%s\n", dyad_dict_errmsg(d));
            problems++;
        }
        for (size_t k = before; k < dyad_dict_problem_count(d); k++) {
            printf("%s\n", dyad_dict_problem(d, k));
            problems++;
        }
        dyad_dict_free(d);
    }
    if (problems)
        fprintf(stderr, "dyad dict lint: %zu problems\n", problems);
    return problems ? 1 : 0;
}

int cmd_dict(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        dict_usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const char *sub = argv[1];
    if (strcmp(sub, "lint") == 0)
        return lint(argc - 2, argv + 2);
    const char *dicts = NULL, *date = NULL, *phrase = NULL, *out = NULL;
    for (int i = 2; i < argc; i++) {
        const char *v;
        if (cli_opt(argc, argv, &i, "--dicts", &v))
            dicts = v;
        else if (cli_opt(argc, argv, &i, "--date", &v))
            date = v;
        else if (cli_opt(argc, argv, &i, "-o", &v) || cli_opt(argc, argv, &i, "--output", &v))
            out = v;
        else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "dyad dict: unknown option '%s'\n", argv[i]);
            return 2;
        } else
            phrase = argv[i];
    }
    if (date && !dyad_date_valid(date)) {
        fprintf(stderr, "dyad dict: bad --date '%s' (want YYYY-MM-DD)\n", date);
        return 2;
    }
    double ms;
    dyad_dict *d = cli_load_dict(dicts, &ms);
    if (!d)
        return 1;
    int rc = 0;
    if (strcmp(sub, "lookup") == 0) {
        if (!phrase) {
            fprintf(stderr, "dyad dict lookup: which phrase?\n");
            rc = 2;
        } else {
            size_t need = dyad_dict_explain(d, phrase, date, NULL, 0);
            char *buf = malloc(need + 1);
            if (buf) {
                dyad_dict_explain(d, phrase, date, buf, need + 1);
                fputs(buf, stdout);
                free(buf);
            }
        }
    } else if (strcmp(sub, "stats") == 0) {
        dyad_dict_stats st;
        dyad_dict_get_stats(d, &st);
        printf("words       %zu\nactors      %zu\nagents      %zu\npatterns    %zu\nsynsets     %zu\n"
               "lemmas      %zu\ndiscards    %zu\nissues      %zu\ncameo codes %zu\nmemory      %.1f MB\n"
               "load time   %.3f ms\nproblems    %zu\n",
               st.words, st.actors, st.agents, st.patterns, st.synsets, st.lemmas, st.discards, st.issues,
               st.cameo_codes, (double)st.bytes / 1e6, ms, dyad_dict_problem_count(d));
    } else if (strcmp(sub, "compile") == 0) {
        if (!out) {
            fprintf(stderr, "dyad dict compile: where to? (-o FILE.img)\n");
            rc = 2;
        } else if (dyad_dict_save_image(d, out) != DYAD_OK) {
            fprintf(stderr, "dyad dict compile: %s\n", dyad_dict_errmsg(d));
            rc = 1;
        } else {
            dyad_dict_stats st;
            dyad_dict_get_stats(d, &st);
            fprintf(stderr, "dyad dict compile: %s: %zu patterns, %zu actors, %zu agents\n", out, st.patterns, st.actors,
                    st.agents);
        }
    } else {
        fprintf(stderr, "dyad dict: unknown subcommand '%s'\n", sub);
        rc = 2;
    }
    dyad_dict_free(d);
    return rc;
}
