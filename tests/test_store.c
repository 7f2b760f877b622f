/*
 * test_store.c - the event store (include/dyad_store.h) on a real SQLite file in a temporary directory:
 * stories and events go in once (same id, same text: nothing added), reprints are linked and counted as
 * mentions, a rolled-back batch leaves nothing, queries filter, stats count, bad databases are refused.
 */
#include "helpers.h"

#include "dyad_store.h"

#include <unistd.h>

static dyad_dict *D;
static dyad_coder *C;
static char dir[] = "/tmp/dyad-store-test-XXXXXX";
static char path[256];

static const char P1[] = "Freedonia attacked Sylvania on Monday, officials in the border region said, in the third "
                         "such incident this month along the disputed river valley.\n\n";
static const char P2[] = "Sylvanian Prime Minister Vera Trentino accused Freedonia of violating the ceasefire "
                         "agreement signed in the capital two years ago.\n\n";
static const char P3[] = "Vulgaria praised Sylvania for its restraint and called for calm on both sides of the "
                         "frontier.\n\n";
static const char P4[] = "Baron Bomburst will visit Sylvania next week, his office said in a brief statement "
                         "released late on Tuesday.\n";

static int setup(void **state)
{
    (void)state;
    D = mini_dict();
    C = dyad_coder_new(D);
    assert_non_null(mkdtemp(dir));
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    dyad_coder_free(C);
    dyad_dict_free(D);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return 0;
}

/* a fresh database for each test */
static dyad_store *fresh(const char *name)
{
    snprintf(path, sizeof path, "%s/%s.db", dir, name);
    unlink(path);
    dyad_store *s = dyad_store_new();
    assert_non_null(s);
    dyad_store_status st = dyad_store_open(s, path, 0);
    if (st != DYAD_STORE_OK)
        fprintf(stderr, "open: %s\n", dyad_store_errmsg(s));
    assert_int_equal(st, DYAD_STORE_OK);
    return s;
}

/* code TEXT as story ID (from SOURCE) and store it */
static dyad_store_result add(dyad_store *s, const char *id, const char *source, const char *text)
{
    dyad_story st = {id, "2026-01-16", text, strlen(text), "a title", source, NULL};
    const dyad_event *ev;
    size_t n;
    assert_int_equal(dyad_code(C, &st, &ev, &n), DYAD_OK);
    dyad_store_result res;
    dyad_store_status rc = dyad_store_add(s, &st, ev, n, "test-dicts", &res);
    if (rc != DYAD_STORE_OK)
        fprintf(stderr, "add: %s\n", dyad_store_errmsg(s));
    assert_int_equal(rc, DYAD_STORE_OK);
    return res;
}

static int count_cb(const dyad_store_row *row, void *ctx)
{
    (void)row;
    ++*(int *)ctx;
    return 0;
}

static int count(dyad_store *s, const dyad_store_filter *f)
{
    int n = 0;
    assert_int_equal(dyad_store_query(s, f, count_cb, &n), DYAD_STORE_OK);
    return n;
}

static void story_once(void **state)
{
    (void)state;
    dyad_store *s = fresh("once");
    char text[1024];
    snprintf(text, sizeof text, "%s%s", P1, P2);
    assert_int_equal(dyad_store_begin(s), DYAD_STORE_OK);
    dyad_store_result r = add(s, "a", "Wire", text);
    assert_int_equal(r.outcome, DYAD_STORE_ADDED);
    assert_int_equal(r.events_added, 2);
    assert_int_equal(dyad_store_has_story(s, "a"), 1);
    assert_int_equal(dyad_store_has_story(s, "b"), 0);
    /* same id, any text: nothing */
    r = add(s, "a", "Wire", P3);
    assert_int_equal(r.outcome, DYAD_STORE_SAME_ID);
    assert_int_equal(r.events_added, 0);
    /* same normalised text (case, spaces and punctuation aside), same source: nothing */
    char loud[1100];
    snprintf(loud, sizeof loud, "  %s", text);
    for (char *p = loud; *p; p++)
        if (*p >= 'a' && *p <= 'z')
            *p = (char)(*p - 32);
        else if (*p == ',')
            *p = ';';
    r = add(s, "b", "Wire", loud);
    assert_int_equal(r.outcome, DYAD_STORE_SAME_TEXT);
    assert_int_equal(dyad_store_commit(s), DYAD_STORE_OK);
    dyad_store_filter f = {0};
    assert_int_equal(count(s, &f), 2);
    dyad_store_free(s);
}

static void reprint_is_mentions(void **state)
{
    (void)state;
    dyad_store *s = fresh("reprint");
    char full[2048], trimmed[2048], other[1024];
    snprintf(full, sizeof full, "%s%s%s%s", P1, P2, P3, P4);
    snprintf(trimmed, sizeof trimmed, "%s%s%s", P1, P2, P3); /* the last paragraph cut */
    snprintf(other, sizeof other,
             "Rufus Firefly will visit Vulgaria in the spring to discuss the trade of grain and timber, and "
             "his office said that talks on a new river treaty could follow before the end of the year.");
    assert_int_equal(dyad_store_begin(s), DYAD_STORE_OK);
    dyad_store_result a = add(s, "orig", "Wire", full);
    assert_int_equal(a.outcome, DYAD_STORE_ADDED);
    size_t orig_events = a.events_added;
    assert_int_equal(orig_events, 5); /* attack, accusation, praise; the visit is two (042 and 043) */
    dyad_store_result b = add(s, "reprint", "Daily Planet", trimmed);
    assert_int_equal(b.outcome, DYAD_STORE_REPRINT);
    assert_int_equal(b.duplicate_of, a.story);
    assert_true(b.similarity >= 0.5);
    assert_int_equal(b.events_added, 0);
    assert_int_equal(b.mentions_added, 3); /* all but the cut paragraph's two */
    /* the same text from another outlet: a reprint too */
    dyad_store_result c = add(s, "copy", "Gazette", full);
    assert_int_equal(c.outcome, DYAD_STORE_REPRINT);
    assert_int_equal(c.duplicate_of, a.story);
    assert_int_equal(c.mentions_added, orig_events);
    dyad_store_result d = add(s, "other", "Wire", other);
    assert_int_equal(d.outcome, DYAD_STORE_ADDED);
    assert_int_equal(dyad_store_commit(s), DYAD_STORE_OK);

    dyad_store_stats st;
    assert_int_equal(dyad_store_get_stats(s, &st), DYAD_STORE_OK);
    assert_int_equal(st.stories, 4);
    assert_int_equal(st.reprints, 2);
    assert_int_equal(st.events, (int64_t)(orig_events + d.events_added));
    assert_int_equal(st.mentions, st.events + (int64_t)(b.mentions_added + c.mentions_added));
    assert_string_equal(st.date_min, "2026-01-16");
    dyad_store_free(s);
}

static void rollback_leaves_nothing(void **state)
{
    (void)state;
    dyad_store *s = fresh("rollback");
    assert_int_equal(dyad_store_begin(s), DYAD_STORE_OK);
    add(s, "x", NULL, P1);
    assert_int_equal(dyad_store_rollback(s), DYAD_STORE_OK);
    assert_int_equal(dyad_store_has_story(s, "x"), 0);
    /* and a batch left open when the handle is freed (a crash, as far as the file knows) is lost too */
    assert_int_equal(dyad_store_begin(s), DYAD_STORE_OK);
    add(s, "y", NULL, P2);
    dyad_store_free(s);
    s = dyad_store_new();
    assert_int_equal(dyad_store_open(s, path, 0), DYAD_STORE_OK);
    assert_int_equal(dyad_store_has_story(s, "y"), 0);
    dyad_store_stats st;
    assert_int_equal(dyad_store_get_stats(s, &st), DYAD_STORE_OK);
    assert_int_equal(st.stories, 0);
    assert_int_equal(st.events, 0);
    dyad_store_free(s);
}

typedef struct first_row {
    char line[2048];
    int n;
} first_row;

static int first_cb(const dyad_store_row *row, void *ctx)
{
    first_row *fr = ctx;
    char *buf = NULL;
    size_t len = 0, cap = 0;
    assert_int_equal(dyad_event_write(&row->ev, &row->story, DYAD_FMT_JSONL, &buf, &len, &cap), DYAD_OK);
    if (!fr->n++)
        snprintf(fr->line, sizeof fr->line, "%s", buf);
    free(buf);
    return 0;
}

static void queries_filter(void **state)
{
    (void)state;
    dyad_store *s = fresh("query");
    char full[2048];
    snprintf(full, sizeof full, "%s%s%s%s", P1, P2, P3, P4);
    assert_int_equal(dyad_store_begin(s), DYAD_STORE_OK);
    add(s, "q", "Wire", full);
    assert_int_equal(dyad_store_commit(s), DYAD_STORE_OK);
    dyad_store_free(s);

    s = dyad_store_new();
    assert_int_equal(dyad_store_open(s, path, DYAD_STORE_READONLY), DYAD_STORE_OK);
    dyad_store_filter f = {0};
    int all = count(s, &f);
    assert_true(all >= 3);
    f.actor = "FRD";
    assert_int_equal(count(s, &f), 2); /* FRD>SYL attack, SYLGOV>FRD accusation */
    f.actor = "SYL";
    assert_int_equal(count(s, &f), all); /* every event has Sylvania on one side */
    f = (dyad_store_filter){.dyad_source = "SYL", .dyad_target = "FRD"};
    assert_int_equal(count(s, &f), 1);
    f = (dyad_store_filter){.root = "19"};
    assert_int_equal(count(s, &f), 1);
    f = (dyad_store_filter){.cameo = "11", .quad = 3};
    assert_int_equal(count(s, &f), 1);
    f = (dyad_store_filter){.modality = "future"};
    assert_int_equal(count(s, &f), 2);
    f = (dyad_store_filter){.text = "ceasefire agreement"};
    assert_int_equal(count(s, &f), 1);
    f = (dyad_store_filter){.text = "\"quoted\" nowhere-to-be-found"};
    assert_int_equal(count(s, &f), 0);
    f = (dyad_store_filter){.from = "2026-01-17"};
    assert_int_equal(count(s, &f), 0);
    f = (dyad_store_filter){.to = "2026-01-16", .limit = 2};
    assert_int_equal(count(s, &f), 2);

    /* the stored event prints exactly as the coder's */
    dyad_story st = {"q", "2026-01-16", full, strlen(full), NULL, NULL, NULL};
    const dyad_event *ev;
    size_t n;
    assert_int_equal(dyad_code(C, &st, &ev, &n), DYAD_OK);
    char *buf = NULL;
    size_t len = 0, cap = 0;
    assert_int_equal(dyad_event_write(&ev[0], &st, DYAD_FMT_JSONL, &buf, &len, &cap), DYAD_OK);
    first_row fr = {.n = 0};
    f = (dyad_store_filter){0};
    assert_int_equal(dyad_store_query(s, &f, first_cb, &fr), DYAD_STORE_OK);
    assert_string_equal(fr.line, buf);
    free(buf);

    /* writing through a read-only handle is refused with a message */
    assert_int_not_equal(dyad_store_begin(s), DYAD_STORE_OK);
    assert_true(strlen(dyad_store_errmsg(s)) > 0);
    dyad_store_free(s);
}

static void fingerprints(void **state)
{
    (void)state;
    char full[2048], trimmed[2048];
    snprintf(full, sizeof full, "%s%s%s%s", P1, P2, P3, P4);
    snprintf(trimmed, sizeof trimmed, "Headline: %s%s%s", P1, P2, P3);
    uint32_t a[DYAD_STORE_MINHASH], b[DYAD_STORE_MINHASH], c[DYAD_STORE_MINHASH];
    size_t na, nb, nc;
    uint64_t ha = dyad_store_fingerprint(full, strlen(full), a, &na);
    uint64_t hb = dyad_store_fingerprint(trimmed, strlen(trimmed), b, &nb);
    assert_int_not_equal(ha, hb);
    assert_true(na > nb && nb >= DYAD_STORE_MIN_SHINGLES);
    assert_true(dyad_store_resemblance(a, b) >= 0.5);
    assert_true(dyad_store_resemblance(a, a) == 1.0);
    const char *unrelated = "The central bank of Vulgaria left interest rates unchanged for the fourth month in a "
                            "row, citing slowing inflation and a weaker outlook for exports to its neighbours.";
    dyad_store_fingerprint(unrelated, strlen(unrelated), c, &nc);
    assert_true(dyad_store_resemblance(a, c) < 0.2);
    /* normalisation: case, spacing and punctuation do not change the hash */
    assert_int_equal(dyad_store_fingerprint("Hello,  World!", 14, NULL, NULL),
                     dyad_store_fingerprint("hello world", 11, NULL, NULL));
}

static void bad_databases(void **state)
{
    (void)state;
    dyad_store *s = dyad_store_new();
    char p[300];
    snprintf(p, sizeof p, "%s/missing.db", dir);
    assert_int_equal(dyad_store_open(s, p, DYAD_STORE_READONLY), DYAD_STORE_ERR_OPEN);
    assert_non_null(strstr(dyad_store_errmsg(s), "missing.db"));
    snprintf(p, sizeof p, "%s/nodir/x.db", dir);
    assert_int_equal(dyad_store_open(s, p, 0), DYAD_STORE_ERR_OPEN);
    /* a file that is not a database */
    snprintf(p, sizeof p, "%s/text.db", dir);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs("this is not an SQLite database, just some text that is long enough to be looked at\n", f);
    fclose(f);
    assert_int_not_equal(dyad_store_open(s, p, 0), DYAD_STORE_OK);
    assert_non_null(strstr(dyad_store_errmsg(s), "text.db"));
    /* operations without a database fail cleanly */
    assert_int_equal(dyad_store_begin(s), DYAD_STORE_ERR_ARG);
    dyad_story st = {"x", "2026-01-16", "x", 1, NULL, NULL, NULL};
    assert_int_equal(dyad_store_add(s, &st, NULL, 0, NULL, NULL), DYAD_STORE_ERR_ARG);
    dyad_store_free(s);
    dyad_store_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(story_once),         cmocka_unit_test(reprint_is_mentions),
        cmocka_unit_test(rollback_leaves_nothing), cmocka_unit_test(queries_filter),
        cmocka_unit_test(fingerprints),       cmocka_unit_test(bad_databases),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
