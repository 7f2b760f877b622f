/*
 * helpers.h - what the unit tests share: a dictionary of the grammar plus tests/data/mini.txt, and
 * coding a text into a compact, comparable string of events ("FRDGOV>SYLGOV:041:factual; ...").
 */
#ifndef DYAD_TEST_HELPERS_H
#define DYAD_TEST_HELPERS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "dyad.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline dyad_dict *mini_dict(void)
{
    dyad_dict *d = dyad_dict_new();
    assert_non_null(d);
    assert_int_equal(dyad_dict_load_grammar(d), DYAD_OK);
    assert_int_equal(dyad_dict_load_path(d, DYAD_TEST_DATA "/mini.txt"), DYAD_OK);
    assert_int_equal(dyad_dict_finish(d), DYAD_OK);
    for (size_t i = 0; i < dyad_dict_problem_count(d); i++)
        fprintf(stderr, "problem: %s\n", dyad_dict_problem(d, i));
    assert_int_equal(dyad_dict_problem_count(d), 0);
    return d;
}

/* A dictionary of the grammar plus the dyad-format TEXT (a test's own small dictionary, named NAME). */
static inline dyad_dict *dict_from_text(const char *name, const char *text)
{
    dyad_dict *d = dyad_dict_new();
    assert_non_null(d);
    assert_int_equal(dyad_dict_load_grammar(d), DYAD_OK);
    assert_int_equal(dyad_dict_load_buffer(d, name, text, strlen(text)), DYAD_OK);
    assert_int_equal(dyad_dict_finish(d), DYAD_OK);
    return d;
}

/* Code TEXT dated DATE; return the events as "SRC>TGT:CODE:modality" joined by "; " (static buffer). */
static inline const char *code_str(const dyad_dict *d, const char *text, const char *date)
{
    static char out[4096];
    dyad_coder *c = dyad_coder_new(d);
    assert_non_null(c);
    dyad_story s = {"t", date, text, strlen(text), NULL, NULL, NULL};
    const dyad_event *ev;
    size_t n;
    dyad_status st = dyad_code(c, &s, &ev, &n);
    out[0] = 0;
    if (st != DYAD_OK) {
        snprintf(out, sizeof out, "error %d: %s", st, dyad_coder_errmsg(c));
    } else {
        size_t len = 0;
        for (size_t i = 0; i < n; i++)
            len += (size_t)snprintf(out + len, sizeof out - len, "%s%s>%s:%s:%s", i ? "; " : "", ev[i].source.code,
                                    ev[i].target.code[0] ? ev[i].target.code : "-", ev[i].cameo,
                                    dyad_modality_name(ev[i].modality));
    }
    dyad_coder_free(c);
    return out;
}

#endif
