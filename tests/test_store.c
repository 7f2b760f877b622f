/*
 * test_store.c - the event store (include/dyad_store.h) on a real SQLite file in a temporary directory:
 * stories and events go in once (same id, same text: nothing added), reprints are linked and counted as
 * mentions, a rolled-back batch leaves nothing, a story that fails half-way rolls its batch back, dyad_daily
 * equals the sums over the events, queries filter, stats count, bad databases are refused, older ones
 * upgraded.
 */
#include "helpers.h"

#include "dyad_store.h"

#include <sqlite3.h>
#include <stdbool.h>
#include <sys/stat.h>
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

/* store the four paragraphs P1..P4 (written to FULL, 2048 bytes) as one story ID from "Wire", in a
 * transaction of its own */
static void store_full(dyad_store *s, const char *id, char *full)
{
    snprintf(full, 2048, "%s%s%s%s", P1, P2, P3, P4);
    assert_int_equal(dyad_store_begin(s), DYAD_STORE_OK);
    add(s, id, "Wire", full);
    assert_int_equal(dyad_store_commit(s), DYAD_STORE_OK);
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

/* Rows of dyad_daily (its rows and dyad_daily_recent's added) that differ from the same sums made over the
 * stored events (both ways): 0 when the writer kept it exactly. Goldstein sums compared to 6 decimals (the
 * writer keeps them so; SQL's sum over the events adds doubles). */
static int daily_mismatches(const char *db_path)
{
    static const char sql[] =
        "WITH e AS (SELECT coalesce(source_code, '') AS source, coalesce(target_code, '') AS target, date,"
        "  modality = 'factual' AS factual, count(*) AS events, sum(quad = 1) AS q1, sum(quad = 2) AS q2,"
        "  sum(quad = 3) AS q3, sum(quad = 4) AS q4, round(sum(goldstein), 6) AS gsum,"
        "  round(sum(min(goldstein, 0)), 6) AS gneg, round(sum(max(goldstein, 0)), 6) AS gpos,"
        "  sum(mentions) AS mentions, count(DISTINCT story) AS stories FROM events GROUP BY 1, 2, 3, 4),"
        " d AS (SELECT source, target, date, factual, sum(events), sum(q1), sum(q2), sum(q3), sum(q4),"
        "  round(sum(gsum), 6), round(sum(gneg), 6), round(sum(gpos), 6), sum(mentions), sum(stories)"
        "  FROM (SELECT * FROM dyad_daily UNION ALL SELECT * FROM dyad_daily_recent) GROUP BY 1, 2, 3, 4)"
        " SELECT (SELECT count(*) FROM (SELECT * FROM e EXCEPT SELECT * FROM d))"
        " + (SELECT count(*) FROM (SELECT * FROM d EXCEPT SELECT * FROM e)), (SELECT count(*) FROM d)";
    sqlite3 *db;
    assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    int bad = sqlite3_column_int(q, 0);
    assert_true(sqlite3_column_int(q, 1) > 0); /* not trivially equal */
    sqlite3_finalize(q);
    sqlite3_close(db);
    return bad;
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
    /* dyad_daily: the events and their mentions (the reprints' in the same batch as the original), and the
     * stories counted once a row */
    assert_int_equal(daily_mismatches(path), 0);
}

/* A story that fails after its first row is written rolls its whole batch back (no story is ever stored in
 * part); the next batch goes in. The failure is made by a trigger that refuses one event. */
static void failed_story_rolls_back(void **state)
{
    (void)state;
    dyad_store *s = fresh("failed");
    dyad_store_free(s);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db,
                                  "CREATE TRIGGER refuse BEFORE INSERT ON events WHEN NEW.cameo LIKE '04%' "
                                  "BEGIN SELECT RAISE(ABORT, 'refused'); END",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    s = dyad_store_new();
    assert_int_equal(dyad_store_open(s, path, 0), DYAD_STORE_OK);
    assert_int_equal(dyad_store_begin(s), DYAD_STORE_OK);
    add(s, "first", "Wire", P1); /* an attack: stored, until ... */
    dyad_story st = {"second", "2026-01-16", P4, strlen(P4), NULL, "Wire", NULL};
    const dyad_event *ev;
    size_t n;
    assert_int_equal(dyad_code(C, &st, &ev, &n), DYAD_OK);
    assert_true(n > 0); /* a visit: 042, refused by the trigger */
    dyad_store_result res;
    assert_int_equal(dyad_store_add(s, &st, ev, n, "test-dicts", &res), DYAD_STORE_ERR_SQL);
    assert_non_null(strstr(dyad_store_errmsg(s), "second"));
    assert_non_null(strstr(dyad_store_errmsg(s), "the batch was rolled back"));
    assert_int_equal(dyad_store_commit(s), DYAD_STORE_ERR_ARG); /* no batch left to commit */
    assert_int_equal(dyad_store_has_story(s, "first"), 0);
    assert_int_equal(dyad_store_has_story(s, "second"), 0);
    assert_int_equal(dyad_store_begin(s), DYAD_STORE_OK);
    add(s, "third", "Wire", P3);
    assert_int_equal(dyad_store_commit(s), DYAD_STORE_OK);
    /* outside a batch a story is a batch of its own */
    add(s, "fourth", "Wire", P2);
    assert_int_equal(dyad_store_has_story(s, "fourth"), 1);
    dyad_store_filter f = {0};
    assert_int_equal(count(s, &f), 2);
    f.text = "restraint";
    assert_int_equal(count(s, &f), 1);
    dyad_store_free(s);
    assert_int_equal(daily_mismatches(path), 0);
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
    store_full(s, "q", full);
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

/* A story of 40 made-up words (distinct stories share almost no 5-word shingle) */
static void made_up_story(unsigned seed, char *out, size_t cap)
{
    static const char *const syl[] = {"ka", "lo", "mi", "nu", "pe", "ra", "si", "to", "vu", "ze", "bo", "da"};
    size_t o = 0;
    uint64_t x = 0x9e3779b97f4a7c15ULL * (seed + 1);
    for (int w = 0; w < 40 && o + 16 < cap; w++) {
        if (w)
            out[o++] = ' ';
        for (int k = 0; k < 3; k++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            memcpy(out + o, syl[x % 12], 2);
            o += 2;
        }
    }
    out[o] = 0;
}

/* The LSH keys of the latest stories wait in story_lsh_recent and are moved into story_lsh in one pass
 * (131,072 keys: 6,554 stories of 20 bands): reprints are found on either side of the move. */
static void lsh_keys_moved(void **state)
{
    (void)state;
    dyad_store *s = fresh("lshmove");
    char text[512];
    dyad_store_result r;
    const int n = 6660; /* batches of 1,000 to 6,000, then 560 (the move: 131,200 keys), then 100 that wait */
    for (int i = 0; i < n; i++) {
        if (i % 1000 == 0 || i == 6560)
            assert_int_equal(dyad_store_begin(s), DYAD_STORE_OK);
        made_up_story((unsigned)i, text, sizeof text);
        char id[16];
        snprintf(id, sizeof id, "m%d", i);
        dyad_story st = {id, "2026-01-16", text, strlen(text), NULL, "Wire", NULL};
        assert_int_equal(dyad_store_add(s, &st, NULL, 0, "test-dicts", &r), DYAD_STORE_OK);
        assert_int_equal(r.outcome, DYAD_STORE_ADDED);
        if ((i % 1000 == 999 && i < 6000) || i == 6559 || i == n - 1)
            assert_int_equal(dyad_store_commit(s), DYAD_STORE_OK);
    }
    /* a reprint (the same text, another outlet, a new first word) of the first story, whose keys were
     * moved, and of the last, whose keys wait */
    const int which[2] = {0, n - 1};
    for (int k = 0; k < 2; k++) {
        char re[600];
        made_up_story((unsigned)which[k], text, sizeof text);
        snprintf(re, sizeof re, "Update %s", text);
        dyad_story st = {k ? "re-last" : "re-first", "2026-01-17", re, strlen(re), NULL, "Gazette", NULL};
        assert_int_equal(dyad_store_add(s, &st, NULL, 0, "test-dicts", &r), DYAD_STORE_OK);
        assert_int_equal(r.outcome, DYAD_STORE_REPRINT);
        assert_int_equal(r.duplicate_of, which[k] + 1);
    }
    dyad_store_free(s);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT (SELECT count(*) FROM story_lsh), (SELECT count(*) FROM "
                                            "story_lsh_recent)", -1, &q, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(q, 0), 6560 * DYAD_STORE_BANDS);
    assert_int_equal(sqlite3_column_int(q, 1), 100 * DYAD_STORE_BANDS);
    assert_int_equal(sqlite3_column_int(q, 0) + sqlite3_column_int(q, 1), n * DYAD_STORE_BANDS);
    sqlite3_finalize(q);
    sqlite3_close(db);
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

/* ---- schema 3: attribution dates, places, casualties -------------------------------------------------- */

static const char *const W[4] = {
    "Freedonia attacked Sylvania in Sylvania on Wednesday, killing at least 12 civilians, a rights group said on "
    "Thursday.",
    "Vulgaria attacked Freedonia in Freedonia, killing 3 soldiers and wounding 20 people. More than 40 people have "
    "been killed since January.",
    "Freedonian troops attacked Sylvania near Kharkiv on Wednesday, killing 5 soldiers.",
    "Vulgaria praised Sylvania. Freedonia attacked Vulgaria near Lviv.",
};
static const char *const WID[4] = {"w1", "w2", "w3", "w4"};
static const char *const WDATE[4] = {"2026-01-16", "2026-01-17", "2026-01-18", "2026-01-18"};

typedef struct lines {
    char *buf;
    size_t len, cap;
    int n;
} lines;

static int event_lines_cb(const dyad_store_row *row, void *ctx)
{
    lines *l = ctx;
    assert_int_equal(dyad_event_write(&row->ev, &row->story, DYAD_FMT_JSONL, &l->buf, &l->len, &l->cap), DYAD_OK);
    l->n++;
    return 0;
}

static int casualty_lines_cb(const dyad_store_casualty_row *row, void *ctx)
{
    lines *l = ctx;
    assert_int_equal(dyad_casualty_write(&row->k, &row->story, &l->buf, &l->len, &l->cap), DYAD_OK);
    l->n++;
    return 0;
}

static int count_casualties(dyad_store *s, const dyad_store_filter *f)
{
    lines l = {0};
    assert_int_equal(dyad_store_casualties(s, f, casualty_lines_cb, &l), DYAD_STORE_OK);
    free(l.buf);
    return l.n;
}

/* code and store story I (under id ID, or its own) with its casualty records; append what the coder prints to
 * EV and CAS; true when an event is placed in a city */
static bool add_text(dyad_store *s, const char *id, const char *date, const char *source, const char *text,
                     lines *ev, lines *cas, dyad_store_result *res)
{
    dyad_story st = {id, date, text, strlen(text), NULL, source, NULL};
    const dyad_event *e;
    size_t n;
    assert_int_equal(dyad_code(C, &st, &e, &n), DYAD_OK);
    const dyad_casualty *k;
    size_t nk;
    dyad_coder_casualties(C, &k, &nk);
    bool city = false;
    for (size_t j = 0; j < n; j++) {
        if (ev)
            assert_int_equal(dyad_event_write(&e[j], &st, DYAD_FMT_JSONL, &ev->buf, &ev->len, &ev->cap), DYAD_OK);
        city |= e[j].place.level == DYAD_PLACE_CITY;
    }
    for (size_t j = 0; j < nk && cas; j++)
        assert_int_equal(dyad_casualty_write(&k[j], &st, &cas->buf, &cas->len, &cas->cap), DYAD_OK);
    dyad_store_status rc = dyad_store_add_casualties(s, &st, e, n, k, nk, "test-dicts", res);
    if (rc != DYAD_STORE_OK)
        fprintf(stderr, "add: %s\n", dyad_store_errmsg(s));
    assert_int_equal(rc, DYAD_STORE_OK);
    return city;
}

static bool add_w(dyad_store *s, int i, const char *id, const char *source, lines *ev, lines *cas,
                  dyad_store_result *res)
{
    return add_text(s, id ? id : WID[i], WDATE[i], source, W[i], ev, cas, res);
}

static void places_and_casualties(void **state)
{
    (void)state;
    dyad_store *s = fresh("where");
    lines ev = {0}, cas = {0};
    dyad_store_result res;
    bool city = false;
    assert_int_equal(dyad_store_begin(s), DYAD_STORE_OK);
    for (int i = 0; i < 4; i++)
        city |= add_w(s, i, NULL, "Wire", &ev, &cas, &res);
    assert_int_equal(dyad_store_commit(s), DYAD_STORE_OK);
    dyad_store_free(s);
    s = dyad_store_new();
    assert_int_equal(dyad_store_open(s, path, DYAD_STORE_READONLY), DYAD_STORE_OK);

    /* every event and every casualty record prints exactly as the coder's */
    lines got = {0};
    dyad_store_filter f = {0};
    assert_int_equal(dyad_store_query(s, &f, event_lines_cb, &got), DYAD_STORE_OK);
    assert_int_equal(got.n, 5);
    assert_string_equal(got.buf, ev.buf);
    assert_non_null(strstr(got.buf, "\"attribution\":{\"text\":\"a rights group\",\"code\":\"---NGO\",\"date\":\"2026-01-15\"}"));
    assert_non_null(strstr(got.buf, "\"place\":{\"level\":\"country\",\"country\":\"SYL\",\"name\":\"Sylvania\""));
    assert_non_null(strstr(got.buf, "\"casualties\":[{\"kind\":\"killed\",\"count\":3,"));
    free(got.buf);
    got = (lines){0};
    assert_int_equal(dyad_store_casualties(s, &f, casualty_lines_cb, &got), DYAD_STORE_OK);
    assert_int_equal(got.n, 5); /* 12 killed; 3 killed, 20 wounded, 40 killed; 5 killed */
    assert_string_equal(got.buf, cas.buf);
    free(got.buf);

    /* filters */
    f = (dyad_store_filter){.country = "SYL"};
    assert_int_equal(count(s, &f), 1);
    f = (dyad_store_filter){.country = "FRD"};
    assert_int_equal(count(s, &f), 1);
    f = (dyad_store_filter){.country = "ZZZ"};
    assert_int_equal(count(s, &f), 0);
    f = (dyad_store_filter){.min_killed = 1};
    assert_int_equal(count(s, &f), 3);
    f = (dyad_store_filter){.min_killed = 5};
    assert_int_equal(count(s, &f), 2);
    f = (dyad_store_filter){.min_killed = 12};
    assert_int_equal(count(s, &f), 1);
    f = (dyad_store_filter){.min_killed = 13}; /* 20 wounded are not killed */
    assert_int_equal(count(s, &f), 0);
    f = (dyad_store_filter){.min_killed = 4, .country = "SYL", .root = "19"};
    assert_int_equal(count(s, &f), 1);
    /* story-level records: the sentence without an event (40 killed) takes the story's one country */
    f = (dyad_store_filter){.country = "FRD"};
    assert_int_equal(count_casualties(s, &f), 3);
    f = (dyad_store_filter){.min_killed = 10};
    assert_int_equal(count_casualties(s, &f), 2);
    f = (dyad_store_filter){.from = "2026-01-17"};
    assert_int_equal(count_casualties(s, &f), 4);
    f = (dyad_store_filter){.to = "2026-01-16"};
    assert_int_equal(count_casualties(s, &f), 1);
    f = (dyad_store_filter){.limit = 2};
    assert_int_equal(count_casualties(s, &f), 2);
    f = (dyad_store_filter){.actor = "FRD"};
    assert_int_equal(dyad_store_casualties(s, &f, casualty_lines_cb, &got), DYAD_STORE_ERR_ARG);
    /* --near: bad values refused; cities only */
    f = (dyad_store_filter){.near = 1, .near_lat = 91, .near_lon = 0, .near_km = 10};
    assert_int_equal(dyad_store_query(s, &f, count_cb, &(int){0}), DYAD_STORE_ERR_ARG);
    f = (dyad_store_filter){.near = 1, .near_lat = 0, .near_lon = 0, .near_km = 0};
    assert_int_equal(dyad_store_query(s, &f, count_cb, &(int){0}), DYAD_STORE_ERR_ARG);
    if (city) { /* the gazetteer is built in: Kharkiv (49.98, 36.25) and Lviv (49.84, 24.02) */
        f = (dyad_store_filter){.country = "UKR"};
        assert_int_equal(count(s, &f), 2);
        f = (dyad_store_filter){.near = 1, .near_lat = 50, .near_lon = 36.3, .near_km = 10};
        assert_int_equal(count(s, &f), 1);
        f = (dyad_store_filter){.near = 1, .near_lat = 50, .near_lon = 36.3, .near_km = 1};
        assert_int_equal(count(s, &f), 0);
        /* from Kyiv (50.45, 30.52): Kharkiv is 411 km away, Lviv 468 km */
        f = (dyad_store_filter){.near = 1, .near_lat = 50.45, .near_lon = 30.52, .near_km = 420};
        assert_int_equal(count(s, &f), 1);
        f = (dyad_store_filter){.near = 1, .near_lat = 50.45, .near_lon = 30.52, .near_km = 480};
        assert_int_equal(count(s, &f), 2);
        f.limit = 1; /* the limit counts the events within the distance, not the box's */
        assert_int_equal(count(s, &f), 1);
        f = (dyad_store_filter){.near = 1, .near_lat = 50.45, .near_lon = 30.52, .near_km = 480, .min_killed = 1};
        assert_int_equal(count(s, &f), 1);
        f = (dyad_store_filter){.country = "UKR"};
        assert_int_equal(count_casualties(s, &f), 1);
    } else {
        fprintf(stderr, "places_and_casualties: no gazetteer (no city places): --near not tested\n");
    }
    free(ev.buf);
    free(cas.buf);
    dyad_store_free(s);
}

static void reprint_casualties(void **state)
{
    (void)state;
    dyad_store *s = fresh("reprint_cas");
    dyad_store_result r;
    assert_int_equal(dyad_store_begin(s), DYAD_STORE_OK);
    add_w(s, 1, NULL, "Wire", NULL, NULL, &r);
    assert_int_equal(r.outcome, DYAD_STORE_ADDED);
    /* the same text from another outlet: a reprint, whose counts are the original's: none stored again */
    add_w(s, 1, "w2-copy", "Gazette", NULL, NULL, &r);
    assert_int_equal(r.outcome, DYAD_STORE_REPRINT);
    assert_int_equal(dyad_store_commit(s), DYAD_STORE_OK);
    dyad_store_filter f = {0};
    assert_int_equal(count_casualties(s, &f), 3);
    /* a reprint that adds a paragraph keeps the new count only */
    char orig[2048], more[2200];
    snprintf(orig, sizeof orig, "%s%s%s%s\n", P1, P2, P3, W[1]);
    snprintf(more, sizeof more, "%sA rights group said 7 people had been wounded on Sunday.\n", orig);
    assert_int_equal(dyad_store_begin(s), DYAD_STORE_OK);
    add_text(s, "long", "2026-01-17", "Wire", orig, NULL, NULL, &r);
    assert_int_equal(r.outcome, DYAD_STORE_ADDED);
    add_text(s, "long-copy", "2026-01-18", "Gazette", more, NULL, NULL, &r);
    assert_int_equal(r.outcome, DYAD_STORE_REPRINT);
    assert_int_equal(dyad_store_commit(s), DYAD_STORE_OK);
    f = (dyad_store_filter){.from = "2026-01-18"};
    assert_int_equal(count_casualties(s, &f), 1); /* the 7 wounded */
    f = (dyad_store_filter){0};
    assert_int_equal(count_casualties(s, &f), 7);
    dyad_store_free(s);
}

/* a schema-2 database (this one, with schema 3's additions taken out): refused read-only, upgraded for
 * writing; a newer one refused */
static void schema_upgrade(void **state)
{
    (void)state;
    dyad_store *s = fresh("upgrade");
    dyad_store_result r;
    assert_int_equal(dyad_store_begin(s), DYAD_STORE_OK);
    add_w(s, 0, NULL, "Wire", NULL, NULL, &r);
    assert_int_equal(dyad_store_commit(s), DYAD_STORE_OK);
    dyad_store_free(s);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    static const char *const cols[] = {"attribution_date", "attribution_date_precision", "place_level",
                                       "place_country", "place_admin1", "place_lat", "place_lon", "place_geonameid",
                                       "place_name_start", "place_name_end", "place_name_text", "place_start",
                                       "place_end", "place_text"};
    assert_int_equal(sqlite3_exec(db, "DROP INDEX events_place_country; DROP INDEX events_place_geo; "
                                      "DROP TABLE casualties; DROP TABLE event_casualties; "
                                      "UPDATE meta SET value = '2' WHERE key = 'schema'",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++) {
        char sql[128];
        snprintf(sql, sizeof sql, "ALTER TABLE events DROP COLUMN %s", cols[i]);
        assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    }
    sqlite3_close(db);
    s = dyad_store_new();
    assert_int_equal(dyad_store_open(s, path, DYAD_STORE_READONLY), DYAD_STORE_ERR_SCHEMA);
    assert_non_null(strstr(dyad_store_errmsg(s), "schema version 2, this dyad reads version 6"));
    assert_int_equal(dyad_store_open(s, path, 0), DYAD_STORE_OK);
    dyad_store_filter f = {0};
    assert_int_equal(count(s, &f), 1); /* the old event, without its place */
    f.country = "SYL";
    assert_int_equal(count(s, &f), 0);
    assert_int_equal(dyad_store_begin(s), DYAD_STORE_OK);
    add_w(s, 1, NULL, "Wire", NULL, NULL, &r);
    assert_int_equal(dyad_store_commit(s), DYAD_STORE_OK);
    f = (dyad_store_filter){.country = "FRD", .min_killed = 3};
    assert_int_equal(count(s, &f), 1); /* a new one, with its place and casualties */
    dyad_store_free(s);
    assert_int_equal(daily_mismatches(path), 0);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "UPDATE meta SET value = '99' WHERE key = 'schema'", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    s = dyad_store_new();
    assert_int_equal(dyad_store_open(s, path, 0), DYAD_STORE_ERR_SCHEMA);
    assert_non_null(strstr(dyad_store_errmsg(s), "schema version 99"));
    dyad_store_free(s);
}

/* A schema-3 database: dyad_daily kept by triggers, LSH keys of 32 bands of 4 values, an index on
 * events(date). Upgraded for writing: the triggers dropped (else every event would count twice), the LSH keys
 * made again from the stored signatures, so that a reprint of a story stored before the upgrade is still
 * found; the date index dropped, and date filters still work. */
static void schema3_upgrade(void **state)
{
    (void)state;
    dyad_store *s = fresh("upgrade3");
    char full[2048], trimmed[2048];
    snprintf(full, sizeof full, "%s%s%s%s", P1, P2, P3, P4);
    snprintf(trimmed, sizeof trimmed, "%s%s%s", P1, P2, P3);
    assert_int_equal(dyad_store_begin(s), DYAD_STORE_OK);
    dyad_store_result a = add(s, "orig", "Wire", full);
    assert_int_equal(dyad_store_commit(s), DYAD_STORE_OK);
    dyad_store_free(s);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(
        sqlite3_exec(db,
                     "CREATE TRIGGER events_dyad_daily AFTER INSERT ON events BEGIN\n"
                     "  INSERT INTO dyad_daily VALUES(coalesce(NEW.source_code, ''), coalesce(NEW.target_code, ''),"
                     "    NEW.date, NEW.modality = 'factual', 1, NEW.quad = 1, NEW.quad = 2, NEW.quad = 3, NEW.quad = 4,"
                     "    NEW.goldstein, min(NEW.goldstein, 0), max(NEW.goldstein, 0), NEW.mentions, 1)"
                     "  ON CONFLICT(source, target, date, factual) DO UPDATE SET events = events + 1;\n"
                     "END;\n"
                     "CREATE TRIGGER events_dyad_daily_mentions AFTER UPDATE OF mentions ON events BEGIN\n"
                     "  UPDATE dyad_daily SET mentions = mentions + NEW.mentions - OLD.mentions\n"
                     "  WHERE source = coalesce(NEW.source_code, '') AND target = coalesce(NEW.target_code, '')\n"
                     "    AND date = NEW.date AND factual = (NEW.modality = 'factual');\n"
                     "END;\n"
                     "UPDATE story_lsh SET key = key + 1;\n" /* keys no schema-4 story can share */
                     "CREATE INDEX events_date ON events(date);\n"
                     "UPDATE meta SET value = '3' WHERE key = 'schema';",
                     NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(db);
    s = dyad_store_new();
    assert_int_equal(dyad_store_open(s, path, DYAD_STORE_READONLY), DYAD_STORE_ERR_SCHEMA);
    assert_non_null(strstr(dyad_store_errmsg(s), "schema version 3, this dyad reads version 6"));
    assert_int_equal(dyad_store_open(s, path, 0), DYAD_STORE_OK);
    assert_int_equal(dyad_store_begin(s), DYAD_STORE_OK);
    dyad_store_result b = add(s, "reprint", "Daily Planet", trimmed);
    assert_int_equal(b.outcome, DYAD_STORE_REPRINT);
    assert_int_equal(b.duplicate_of, a.story);
    add(s, "other", "Wire", "Vulgaria praised Freedonia. Mr. Firefly spoke.");
    assert_int_equal(dyad_store_commit(s), DYAD_STORE_OK);
    dyad_store_filter f = {.from = "2026-01-16", .to = "2026-01-16"};
    assert_int_equal(count(s, &f), (int)(a.events_added + 1)); /* the original's and "other"'s */
    f = (dyad_store_filter){.from = "2026-01-17"};
    assert_int_equal(count(s, &f), 0);
    f = (dyad_store_filter){.to = "2026-01-15"};
    assert_int_equal(count(s, &f), 0);
    dyad_store_free(s);
    assert_int_equal(daily_mismatches(path), 0);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT (SELECT value FROM meta WHERE key = 'schema'), (SELECT count(*) FROM "
                                        "sqlite_schema WHERE type = 'trigger' OR name = 'events_date'), (SELECT "
                                        "count(*) FROM story_lsh)",
                                        -1, &q, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(q, 0), 6);
    assert_int_equal(sqlite3_column_int(q, 1), 0);
    assert_int_equal(sqlite3_column_int(q, 2), DYAD_STORE_BANDS); /* the original's; "other" is too short */
    sqlite3_finalize(q);
    sqlite3_close(db);
}

/* A schema-4 database: dyad_daily without dyad_daily_recent, its Goldstein sums as the triggers and the
 * writer of schema 4 added them (not to 6 decimals); the index events_dyad instead of the table event_dyads.
 * Refused read-only; upgraded for writing: the new tables, the sums to 6 decimals, event_dyads made from the
 * events and the index dropped; the stories stored after add up with those before, and dyad queries find
 * both. */
static void schema4_upgrade(void **state)
{
    (void)state;
    dyad_store *s = fresh("upgrade4");
    char full[2048];
    store_full(s, "orig", full);
    dyad_store_filter dy = {.dyad_source = "FRD", .dyad_target = "SYL"}, ac = {.actor = "VUL"};
    int dyads = count(s, &dy), actors = count(s, &ac);
    assert_true(dyads > 0 && actors > 0);
    dyad_store_free(s);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db,
                                  "INSERT INTO dyad_daily SELECT * FROM dyad_daily_recent;\n"
                                  "DROP TABLE dyad_daily_recent;\n"
                                  "DROP TABLE event_dyads;\n"
                                  "DROP TABLE event_dyads_recent;\n"
                                  "CREATE INDEX events_dyad ON events(source_code, target_code, date);\n"
                                  "UPDATE dyad_daily SET gsum = gsum + 1e-12, gneg = gneg - 1e-12;\n"
                                  "UPDATE meta SET value = '4' WHERE key = 'schema';",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    s = dyad_store_new();
    assert_int_equal(dyad_store_open(s, path, DYAD_STORE_READONLY), DYAD_STORE_ERR_SCHEMA);
    assert_non_null(strstr(dyad_store_errmsg(s), "schema version 4, this dyad reads version 6"));
    assert_int_equal(dyad_store_open(s, path, 0), DYAD_STORE_OK);
    assert_int_equal(dyad_store_begin(s), DYAD_STORE_OK);
    add(s, "again", "Other wire", "Freedonia attacked Sylvania. Vulgaria praised Freedonia.");
    assert_int_equal(dyad_store_commit(s), DYAD_STORE_OK);
    assert_int_equal(count(s, &dy), dyads + 1); /* those before and the one after */
    assert_int_equal(count(s, &ac), actors + 1);
    dyad_store_free(s);
    assert_int_equal(daily_mismatches(path), 0);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT (SELECT value FROM meta WHERE key = 'schema'), (SELECT count(*) FROM "
                                        "dyad_daily WHERE gsum <> round(gsum, 6) OR gneg <> round(gneg, 6)), "
                                        "(SELECT count(*) FROM dyad_daily), (SELECT count(*) FROM dyad_daily_recent), "
                                        "(SELECT count(*) FROM sqlite_schema WHERE name = 'events_dyad'), "
                                        "(SELECT count(*) FROM (SELECT * FROM event_dyads UNION ALL SELECT * FROM "
                                        "event_dyads_recent) d JOIN events e ON e.id = d.event AND coalesce("
                                        "e.source_code, '') = d.source AND coalesce(e.target_code, '') = d.target AND "
                                        "e.date = d.date AND e.cameo = d.cameo), (SELECT count(*) FROM events)",
                                        -1, &q, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(q, 0), 6);
    assert_int_equal(sqlite3_column_int(q, 1), 0);
    assert_true(sqlite3_column_int(q, 2) > 0); /* the rows from before */
    assert_true(sqlite3_column_int(q, 3) > 0); /* the new story's, waiting */
    assert_int_equal(sqlite3_column_int(q, 4), 0);
    assert_int_equal(sqlite3_column_int(q, 5), sqlite3_column_int(q, 6)); /* every event, once */
    assert_true(sqlite3_column_int(q, 5) > 2);
    sqlite3_finalize(q);
    sqlite3_close(db);
}

/* dyad_daily_recent is added to dyad_daily's rows once it has 65,536 rows (DAILY_MERGE_ROWS): made-up events
 * of 40 actors over 200 days, then a reprint of the first story (its mentions added to rows that were moved).
 * The two tables together equal the sums over the events; every Goldstein sum is kept to 6 decimals. */
static void daily_rows_moved(void **state)
{
    (void)state;
    dyad_store *s = fresh("dailymove");
    static const char *const actors[] = {"FRD", "SYL", "VUL", "USA", "IRN", "RUS", "UKR", "CHN"};
    static const char *const sectors[] = {"", "GOV", "MIL", "REB", "BUS"};
    char text[512], id[16], date[11];
    dyad_event ev[10], first[10];
    uint64_t x = 88172645463325252ULL;
    const int n = 8000;
    for (int i = 0; i <= n; i++) {
        bool reprint = i == n;
        if (i % 1000 == 0 && !reprint)
            assert_int_equal(dyad_store_begin(s), DYAD_STORE_OK);
        made_up_story(reprint ? 0 : (unsigned)i, text, sizeof text);
        size_t len = strlen(text);
        memset(ev, 0, sizeof ev);
        for (int e = 0; e < 10; e++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            snprintf(ev[e].source.code, sizeof ev[e].source.code, "%s%s", actors[x % 8], sectors[(x >> 3) % 5]);
            snprintf(ev[e].target.code, sizeof ev[e].target.code, "%s%s", actors[(x >> 6) % 8],
                     sectors[(x >> 9) % 5]);
            snprintf(ev[e].cameo, sizeof ev[e].cameo, "%03d", 10 + (int)((x >> 12) % 10) * 10);
            ev[e].quad = (uint8_t)(1 + (x >> 16) % 4);
            ev[e].goldstein = -10.0 + (double)((x >> 20) % 201) / 10.0;
            ev[e].modality = (x >> 30) % 10 ? DYAD_FACTUAL : DYAD_NEGATED;
            ev[e].evidence = (dyad_span){0, 20};
            ev[e].trigger = (dyad_span){0, 3};
            ev[e].plover = "CONSULT";
        }
        if (i == 0)
            memcpy(first, ev, sizeof first);
        if (reprint) /* the first story's events again (its rows moved long ago), from another outlet */
            memcpy(ev, first, sizeof ev);
        snprintf(id, sizeof id, reprint ? "re%d" : "d%d", i);
        snprintf(date, sizeof date, "2025-%02d-%02d", 1 + (i * 7 % 200) / 28 % 12, 1 + i * 7 % 200 % 28);
        dyad_story st = {id, date, text, len, NULL, reprint ? "Gazette" : "Wire", NULL};
        dyad_store_result r;
        assert_int_equal(dyad_store_add(s, &st, ev, 10, "test-dicts", &r), DYAD_STORE_OK);
        assert_int_equal(r.outcome, reprint ? DYAD_STORE_REPRINT : DYAD_STORE_ADDED);
        if (i % 1000 == 999)
            assert_int_equal(dyad_store_commit(s), DYAD_STORE_OK);
    }
    dyad_store_free(s);
    assert_int_equal(daily_mismatches(path), 0);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT (SELECT count(*) FROM dyad_daily), (SELECT count(*) FROM "
                                        "dyad_daily_recent), (SELECT count(*) FROM (SELECT gsum, gneg, gpos FROM "
                                        "dyad_daily UNION ALL SELECT gsum, gneg, gpos FROM dyad_daily_recent) WHERE "
                                        "gsum <> round(gsum, 6) OR gneg <> round(gneg, 6) OR gpos <> round(gpos, 6))",
                                        -1, &q, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_true(sqlite3_column_int(q, 0) >= 65536); /* moved */
    assert_true(sqlite3_column_int(q, 1) > 0);      /* the last batches' */
    assert_true(sqlite3_column_int(q, 1) < 65536);
    assert_int_equal(sqlite3_column_int(q, 2), 0);
    sqlite3_finalize(q);
    sqlite3_close(db);
}

/* A schema-5 database: dyad_daily_target, the covering index on dyad_daily's targets; the indexes
 * events_target and events_cameo; event_dyads without CAMEO codes, and only the events with a source.
 * Refused read-only; upgraded for writing: the indexes dropped, event_dyads made again with every event
 * and its code, the schema 6; a dyad, an actor and a code's events found as before. */
static void schema5_upgrade(void **state)
{
    (void)state;
    dyad_store *s = fresh("upgrade5");
    char full[2048];
    store_full(s, "orig", full);
    dyad_store_filter dy = {.dyad_source = "FRD", .dyad_target = "SYL"}, ac = {.actor = "SYL"}, ca = {.root = "1"};
    int dyads = count(s, &dy), actors = count(s, &ac), codes = count(s, &ca);
    assert_true(dyads > 0 && actors > 0 && codes > 0);
    dyad_store_free(s);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db,
                                  "CREATE INDEX dyad_daily_target ON dyad_daily(target, source, date, factual, "
                                  "events, q1, q2, q3, q4, gsum, gneg, gpos, mentions, stories);\n"
                                  "CREATE INDEX events_target ON events(target_code);\n"
                                  "CREATE INDEX events_cameo ON events(cameo);\n"
                                  "DROP TABLE event_dyads;\n"
                                  "DROP TABLE event_dyads_recent;\n"
                                  "CREATE TABLE event_dyads(source TEXT NOT NULL, target TEXT NOT NULL, date TEXT NOT "
                                  "NULL, event INTEGER NOT NULL, PRIMARY KEY(source, target, date, event)) WITHOUT "
                                  "ROWID;\n"
                                  "CREATE TABLE event_dyads_recent(source TEXT NOT NULL, target TEXT NOT NULL, date "
                                  "TEXT NOT NULL, event INTEGER NOT NULL, PRIMARY KEY(source, target, date, event)) "
                                  "WITHOUT ROWID;\n"
                                  "INSERT INTO event_dyads_recent SELECT source_code, coalesce(target_code, ''), date, "
                                  "id FROM events WHERE source_code IS NOT NULL;\n"
                                  "UPDATE meta SET value = '5' WHERE key = 'schema';",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    s = dyad_store_new();
    assert_int_equal(dyad_store_open(s, path, DYAD_STORE_READONLY), DYAD_STORE_ERR_SCHEMA);
    assert_non_null(strstr(dyad_store_errmsg(s), "schema version 5, this dyad reads version 6"));
    assert_int_equal(dyad_store_open(s, path, 0), DYAD_STORE_OK);
    assert_int_equal(count(s, &dy), dyads);
    assert_int_equal(count(s, &ac), actors);
    assert_int_equal(count(s, &ca), codes);
    dyad_store_free(s);
    assert_int_equal(daily_mismatches(path), 0);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT (SELECT value FROM meta WHERE key = 'schema'), (SELECT count(*) FROM "
                                        "sqlite_schema WHERE name IN ('dyad_daily_target', 'events_target', "
                                        "'events_cameo')), (SELECT count(*) FROM event_dyads d JOIN events e ON e.id = "
                                        "d.event AND coalesce(e.source_code, '') = d.source AND coalesce(e.target_code, "
                                        "'') = d.target AND e.date = d.date AND e.cameo = d.cameo), (SELECT count(*) "
                                        "FROM events), (SELECT count(*) FROM event_dyads_recent)",
                                        -1, &q, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(q, 0), 6);
    assert_int_equal(sqlite3_column_int(q, 1), 0);
    assert_int_equal(sqlite3_column_int(q, 2), sqlite3_column_int(q, 3)); /* every event, once */
    assert_int_equal(sqlite3_column_int(q, 4), 0);
    sqlite3_finalize(q);
    sqlite3_close(db);
}

/* The LSH keys' filter, built once a handle has looked up 1,000 stories, must not hide the keys another
 * connection stored after it was built: a reprint of a story stored by a second handle, between two batches
 * of the first, is found by the first. */
static void lsh_filter_other_writer(void **state)
{
    (void)state;
    dyad_store *s = fresh("lshfilter");
    char text[512], re[600], id[16];
    dyad_store_result r;
    assert_int_equal(dyad_store_begin(s), DYAD_STORE_OK);
    for (int i = 0; i < 1200; i++) { /* past LSH_FILTER_AFTER: the filter is built */
        made_up_story((unsigned)i, text, sizeof text);
        snprintf(id, sizeof id, "f%d", i);
        dyad_story st = {id, "2026-01-16", text, strlen(text), NULL, "Wire", NULL};
        assert_int_equal(dyad_store_add(s, &st, NULL, 0, "test-dicts", &r), DYAD_STORE_OK);
        assert_int_equal(r.outcome, DYAD_STORE_ADDED);
    }
    assert_int_equal(dyad_store_commit(s), DYAD_STORE_OK);
    /* the filter knows the keys this handle stores, in the same batch or a later one */
    made_up_story(5, text, sizeof text);
    snprintf(re, sizeof re, "Update %s", text);
    dyad_story st5 = {"re-5", "2026-01-17", re, strlen(re), NULL, "Gazette", NULL};
    assert_int_equal(dyad_store_add(s, &st5, NULL, 0, "test-dicts", &r), DYAD_STORE_OK);
    assert_int_equal(r.outcome, DYAD_STORE_REPRINT);
    assert_int_equal(r.duplicate_of, 6);
    /* another handle stores an original */
    dyad_store *o = dyad_store_new();
    assert_int_equal(dyad_store_open(o, path, 0), DYAD_STORE_OK);
    made_up_story(99999, text, sizeof text);
    dyad_story other = {"other", "2026-01-17", text, strlen(text), NULL, "Wire", NULL};
    assert_int_equal(dyad_store_add(o, &other, NULL, 0, "test-dicts", &r), DYAD_STORE_OK);
    assert_int_equal(r.outcome, DYAD_STORE_ADDED);
    int64_t other_id = r.story;
    dyad_store_free(o);
    /* the first handle finds its reprint */
    snprintf(re, sizeof re, "Update %s", text);
    dyad_story st = {"re-other", "2026-01-18", re, strlen(re), NULL, "Gazette", NULL};
    assert_int_equal(dyad_store_begin(s), DYAD_STORE_OK);
    assert_int_equal(dyad_store_add(s, &st, NULL, 0, "test-dicts", &r), DYAD_STORE_OK);
    assert_int_equal(r.outcome, DYAD_STORE_REPRINT);
    assert_int_equal(r.duplicate_of, other_id);
    assert_int_equal(dyad_store_commit(s), DYAD_STORE_OK);
    dyad_store_free(s);
}

/* Schema 6 has no index on the events' targets and CAMEO codes: event_dyads holds every event's codes (''
 * for a missing source or target), in event_dyads_recent and, once moved, in event_dyads. An actor's events
 * as a target (also of an event without a source), a target alone, a CAMEO code or root alone and with other
 * filters, and the statistics' top codes, in both tables. */
static void codes_without_indexes(void **state)
{
    (void)state;
    dyad_store *s = fresh("codes");
    static const char text[] = "Sylvania was attacked. Freedonia praised Sylvania. Vulgaria accused Freedonia.";
    dyad_event ev[3];
    memset(ev, 0, sizeof ev);
    const char *src[3] = {"", "FRDGOV", "VULGOV"}, *tgt[3] = {"SYLMIL", "SYL", "FRDGOV"};
    const char *cameo[3] = {"190", "051", "112"};
    for (int k = 0; k < 3; k++) {
        snprintf(ev[k].source.code, sizeof ev[k].source.code, "%s", src[k]);
        snprintf(ev[k].target.code, sizeof ev[k].target.code, "%s", tgt[k]);
        snprintf(ev[k].cameo, sizeof ev[k].cameo, "%s", cameo[k]);
        ev[k].quad = 1;
        ev[k].sentence = (uint32_t)k;
        ev[k].evidence = (dyad_span){0, 20};
        ev[k].trigger = (dyad_span){0, 3};
    }
    for (int round = 0; round < 2; round++) {
        if (round) { /* the rows moved into event_dyads */
            sqlite3 *db = dyad_store_sqlite(s);
            assert_int_equal(sqlite3_exec(db, "INSERT INTO event_dyads SELECT * FROM event_dyads_recent; DELETE FROM "
                                              "event_dyads_recent", NULL, NULL, NULL),
                             SQLITE_OK);
        } else {
            dyad_story st = {"c1", "2026-01-16", text, strlen(text), NULL, "Wire", NULL};
            assert_int_equal(dyad_store_add(s, &st, ev, 3, "test-dicts", NULL), DYAD_STORE_OK);
        }
        dyad_store_filter syl = {.actor = "SYL"}, frd = {.actor = "FRD"}, tg = {.dyad_target = "FRD"},
                          c19 = {.cameo = "19"}, r05 = {.root = "05"}, c112 = {.cameo = "112", .actor = "VUL"},
                          c0 = {.cameo = "112", .actor = "SYL"}, none = {.cameo = "2"};
        assert_int_equal(count(s, &syl), 2); /* the event without a source, and FRDGOV's */
        assert_int_equal(count(s, &frd), 2); /* as the source, and as the target */
        assert_int_equal(count(s, &tg), 1);
        assert_int_equal(count(s, &c19), 1);
        assert_int_equal(count(s, &r05), 1);
        assert_int_equal(count(s, &c112), 1);
        assert_int_equal(count(s, &c0), 0);
        assert_int_equal(count(s, &none), 0);
        dyad_store_stats st;
        assert_int_equal(dyad_store_get_stats(s, &st), DYAD_STORE_OK);
        assert_int_equal(st.nactors, 4);
        assert_string_equal(st.actors[0].code, "FRDGOV"); /* 2, then the others by code */
        assert_int_equal(st.actors[0].n, 2);
        assert_string_equal(st.actors[1].code, "SYL");
        assert_string_equal(st.actors[3].code, "VULGOV");
        assert_int_equal(st.ncameos, 3);
        assert_string_equal(st.cameos[0].code, "051");
        assert_int_equal(st.nroots, 3);
        assert_string_equal(st.roots[2].code, "19");
    }
    dyad_store_free(s);
}

/* Checkpoints run on a thread once the WAL has passed 64 MiB (and the database's size); at the start of a
 * batch after it has finished, the writer copies the rest and the WAL restarts from its beginning. 144 MB
 * of stories (60 KB of text each, no events) in batches of 100: the WAL file stays well under the 144 MB it
 * would reach if it never restarted, and everything is stored. */
static void checkpoint_thread(void **state)
{
    (void)state;
    /* batches wait for the thread's checkpoint, so that the WAL's restart does not depend on the machine's
     * load (the thread does the same work; without the wait a busy machine lets the WAL grow longer) */
    setenv("DYAD_STORE_CHECKPOINT_WAIT", "1", 1);
    dyad_store *s = fresh("ckpt");
    const size_t len = 60000;
    char *text = malloc(len + 1);
    assert_non_null(text);
    memset(text, 'x', len);
    text[len] = 0;
    for (int i = 0; i < 2400; i++) {
        if (i % 100 == 0)
            assert_int_equal(dyad_store_begin(s), DYAD_STORE_OK);
        char id[16];
        snprintf(id, sizeof id, "k%d", i);
        memcpy(text + 100, id, strlen(id)); /* a text of its own (one long word: no shingles) */
        dyad_story st = {id, "2026-01-16", text, len, NULL, "Wire", NULL};
        dyad_store_result r;
        assert_int_equal(dyad_store_add(s, &st, NULL, 0, "test-dicts", &r), DYAD_STORE_OK);
        assert_int_equal(r.outcome, DYAD_STORE_ADDED);
        if (i % 100 == 99)
            assert_int_equal(dyad_store_commit(s), DYAD_STORE_OK);
    }
    free(text);
    unsetenv("DYAD_STORE_CHECKPOINT_WAIT");
    char wal[300];
    snprintf(wal, sizeof wal, "%s-wal", path);
    struct stat sb;
    assert_int_equal(stat(wal, &sb), 0);
    assert_true(sb.st_size < (off_t)100 << 20);
    dyad_store_free(s);
    assert_int_not_equal(stat(wal, &sb), 0); /* closing checkpointed the rest and removed it */
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT (SELECT count(*) FROM stories), (SELECT integrity_check FROM "
                                            "pragma_integrity_check)", -1, &q, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(q, 0), 2400);
    assert_string_equal((const char *)sqlite3_column_text(q, 1), "ok");
    sqlite3_finalize(q);
    sqlite3_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(story_once),         cmocka_unit_test(reprint_is_mentions),
        cmocka_unit_test(rollback_leaves_nothing), cmocka_unit_test(queries_filter),
        cmocka_unit_test(fingerprints),       cmocka_unit_test(bad_databases),
        cmocka_unit_test(places_and_casualties), cmocka_unit_test(reprint_casualties),
        cmocka_unit_test(schema_upgrade),     cmocka_unit_test(failed_story_rolls_back),
        cmocka_unit_test(schema3_upgrade),    cmocka_unit_test(lsh_keys_moved),
        cmocka_unit_test(schema4_upgrade),    cmocka_unit_test(daily_rows_moved),
        cmocka_unit_test(schema5_upgrade),    cmocka_unit_test(lsh_filter_other_writer),
        cmocka_unit_test(codes_without_indexes), cmocka_unit_test(checkpoint_thread),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
