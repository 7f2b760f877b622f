/*
 * test_dict.c - the dictionary format: loading, word keys and lemmas, date-bounded codes, and that broken
 * lines are reported with file and line, never dropped silently, never fatal.
 */
#include "helpers.h"
#include "internal.h"

#include <unistd.h>

static void keys_reduce_to_base_forms(void **st)
{
    (void)st;
    dyad_dict *d = mini_dict();
    char scratch[1024];
    uint32_t accuse = dict_key(d, "accuse", 6, scratch);
    assert_true(accuse != 0);
    assert_int_equal(dict_key(d, "accused", 7, scratch), accuse);
    assert_int_equal(dict_key(d, "accuses", 7, scratch), accuse);
    assert_int_equal(dict_key(d, "accusing", 8, scratch), accuse);
    assert_int_equal(dict_key(d, "Accused", 7, scratch), accuse);
    uint32_t hold = dict_key(d, "hold", 4, scratch);
    assert_int_equal(dict_key(d, "held", 4, scratch), hold);                 /* irregular, from lemmas.txt */
    assert_int_equal(dict_key(d, "met", 3, scratch), dict_key(d, "meet", 4, scratch));
    assert_int_equal(dict_key(d, "protesters", 10, scratch), dict_key(d, "protester", 9, scratch));
    /* "US" the country is not "us" the pronoun */
    assert_true(dict_key(d, "US", 2, scratch) != dict_key(d, "us", 2, scratch));
    dyad_dict_free(d);
}

static void actor_codes_by_date(void **st)
{
    (void)st;
    dyad_dict *d = mini_dict();
    char out[2048];
    dyad_dict_explain(d, "Rufus Firefly", "2019-06-01", out, sizeof out);
    assert_non_null(strstr(out, "FRDGOV on this date"));
    dyad_dict_explain(d, "Rufus Firefly", "2022-06-01", out, sizeof out);
    assert_non_null(strstr(out, "FRDELI on this date"));
    assert_non_null(strstr(out, "mini.txt:"));
    dyad_dict_explain(d, "Sylvanian officials", "2022-06-01", out, sizeof out);
    assert_non_null(strstr(out, "resolves to: SYLGOV"));
    dyad_dict_free(d);
}

static void broken_lines_are_reported_with_place(void **st)
{
    (void)st;
    const char *bad = "# dyad-dict 1\n"
                      "country Atlantis = ATL\n"
                      "country Lemuria = LEMURIA\n"            /* 3: a country has a 3-letter code */
                      "person Jane Doe = ATLGOV@2020-13-01..\n" /* 4: bad date */
                      "person John Doe ATLGOV\n"               /* 5: no '=' */
                      "agent spy = SPY\n"                      /* 6: no '~' */
                      "verb 999 : attack +\n"                  /* 7: not in the codebook */
                      "verb 190 : .. attack +\n"               /* 8: starts with a gap */
                      "verb 190 : attack + ; &NOPE +\n"        /* 9: unknown synset (the first still loads) */
                      "frobnicate everything\n"                /* 10: unknown kind */
                      "person Ok Person = ATLGOV@2020-01-01..2019-01-01\n" /* 11: range ends before start */
                      "country Mu = MUU\n"
                      "lemma be = is\n"                        /* 13: "is" is a form of "be" already */
                      "intent 190 : 9999\n"                   /* 14: not in the codebook */
                      "agent lookout ~MIL\n"                  /* 15: no '=' */
                      "refusal 040 125\n"                     /* 16: no ':' */
                      "refusal 040 : 12x\n"                   /* 17: not a code */
                      "agent \"Forces\" = ~MIL\n";              /* 18: a quoted word is lower case */
    dyad_dict *d = dyad_dict_new();
    assert_int_equal(dyad_dict_load_grammar(d), DYAD_OK);
    assert_int_equal(dyad_dict_load_buffer(d, "bad.txt", bad, strlen(bad)), DYAD_OK);
    assert_int_equal(dyad_dict_finish(d), DYAD_OK);
    const char *want[] = {"bad.txt:3:", "bad.txt:4:", "bad.txt:5:", "bad.txt:6:", "bad.txt:8:",
                          "bad.txt:9:", "bad.txt:10:", "bad.txt:11:", "bad.txt:13:", "bad.txt:14:",
                          "bad.txt:15:", "bad.txt:16:", "bad.txt:17:", "bad.txt:18:", "bad.txt:7:"};
    size_t n = dyad_dict_problem_count(d);
    assert_int_equal(n, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < n; i++)
        assert_memory_equal(dyad_dict_problem(d, i), want[i], strlen(want[i]));
    /* the good lines around them loaded */
    dyad_dict_stats s;
    dyad_dict_get_stats(d, &s);
    assert_int_equal(s.actors, 2);
    assert_int_equal(s.patterns, 1);
    dyad_dict_free(d);
}

static void unknown_format_is_reported(void **st)
{
    (void)st;
    dyad_dict *d = dyad_dict_new();
    const char *junk = "\x7f" "ELF\x01\x02 binary stuff";
    assert_int_equal(dyad_dict_load_buffer(d, "junk.bin", junk, 20), DYAD_OK);
    assert_int_equal(dyad_dict_problem_count(d), 1);
    assert_non_null(strstr(dyad_dict_problem(d, 0), "junk.bin:1: not a dictionary"));
    dyad_dict_free(d);
}

static void builtin_dictionaries_load_cleanly(void **st)
{
    (void)st;
    dyad_dict *d = dyad_dict_new();
    assert_int_equal(dyad_dict_load_builtin(d), DYAD_OK);
    assert_int_equal(dyad_dict_finish(d), DYAD_OK);
    for (size_t i = 0; i < dyad_dict_problem_count(d) && i < 20; i++)
        fprintf(stderr, "problem: %s\n", dyad_dict_problem(d, i));
    assert_int_equal(dyad_dict_problem_count(d), 0);
    dyad_dict_stats s;
    dyad_dict_get_stats(d, &s);
    assert_true(s.cameo_codes >= 300);
    assert_true(s.patterns > 1000);
    assert_true(s.actors > 500);
    dyad_dict_free(d);
}

static void image_round_trip(void **st)
{
    (void)st;
    dyad_dict *d = mini_dict();
    char path[] = "/tmp/dyad-test-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(dyad_dict_save_image(d, path), DYAD_OK);
    assert_true(dyad_dict_is_image(path));
    dyad_dict *m = dyad_dict_new();
    assert_int_equal(dyad_dict_load_image(m, path), DYAD_OK);
    const char *texts[] = {"Freedonian President Rufus Firefly held a phone call with Sylvanian Prime Minister Vera Trentino.",
                           "Vulgarian officials accused the US and Sylvania of lying.",
                           "Freedonia plans to visit Sylvania."};
    for (size_t i = 0; i < 3; i++) {
        char a[4096];
        snprintf(a, sizeof a, "%s", code_str(d, texts[i], "2026-01-16"));
        assert_string_equal(code_str(m, texts[i], "2026-01-16"), a);
        assert_true(strlen(a) > 0);
    }
    /* an image goes only into a fresh dictionary */
    assert_int_equal(dyad_dict_load_image(m, path), DYAD_ERR_ARG);
    dyad_dict_free(m);
    /* a truncated image is refused with a message, not crashed on */
    FILE *f = fopen(path, "r+b");
    assert_non_null(f);
    assert_int_equal(ftruncate(fileno(f), 4096), 0);
    fclose(f);
    m = dyad_dict_new();
    assert_int_equal(dyad_dict_load_image(m, path), DYAD_ERR_PARSE);
    assert_non_null(strstr(dyad_dict_errmsg(m), "truncated"));
    dyad_dict_free(m);
    unlink(path);
    dyad_dict_free(d);
}

/* dyad's own dictionaries: the metonyms, titles and dated people the seed story depends on */
static void builtin_actors_resolve(void **st)
{
    (void)st;
    dyad_dict *d = dyad_dict_new();
    assert_int_equal(dyad_dict_load_builtin(d), DYAD_OK);
    assert_int_equal(dyad_dict_finish(d), DYAD_OK);
    const struct {
        const char *phrase, *date, *want;
    } cases[] = {
        {"the Kremlin", "2026-01-16", "resolves to: RUSGOV "},
        {"Moscow", "2026-01-16", "resolves to: RUS"},
        {"Tehran", "2026-01-16", "resolves to: IRN"},
        {"the White House", "2026-01-16", "resolves to: USAGOV "},
        {"Israeli Prime Minister Benjamin Netanyahu", "2026-01-16", "resolves to: ISRGOV "},
        {"Iranian President Masoud Pezeshkian", "2026-01-16", "resolves to: IRNGOV "},
        {"Iranian officials", "2026-01-16", "resolves to: IRNGOV "},
        {"protesters in Iran", "2026-01-16", "resolves to: IRNOPP "},
        {"Donald Trump", "2026-01-16", "resolves to: USAGOV "},
        {"Donald Trump", "2010-06-01", "resolves to: USABUS "},
        {"Donald Trump", "2022-06-01", "resolves to: USAELI "},
        {"the Houthis", "2026-01-16", "resolves to: YEMREB "},
    };
    char out[4096];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        dyad_dict_explain(d, cases[i].phrase, cases[i].date, out, sizeof out);
        if (!strstr(out, cases[i].want))
            fail_msg("%s on %s: want '%s', got:\n%s", cases[i].phrase, cases[i].date, cases[i].want, out);
    }
    dyad_dict_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(keys_reduce_to_base_forms),
        cmocka_unit_test(actor_codes_by_date),
        cmocka_unit_test(broken_lines_are_reported_with_place),
        cmocka_unit_test(unknown_format_is_reported),
        cmocka_unit_test(builtin_dictionaries_load_cleanly),
        cmocka_unit_test(builtin_actors_resolve),
        cmocka_unit_test(image_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
