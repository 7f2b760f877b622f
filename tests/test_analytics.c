/*
 * test_analytics.c - include/dyad_analytics.h: series on a small store filled through dyad_store_add() with
 * events built by hand (exact expected numbers: periods, zero-filled gaps, prefixes, both directions, factual
 * only, weeks from Monday, months), rankings, and the escalation detector on synthetic series with known
 * change points (its detection and false-alarm rates are printed and bounded).
 */
#include "helpers.h"

#include "dyad_analytics.h"

#include <math.h>
#include <unistd.h>

static char dir[] = "/tmp/dyad-analytics-test-XXXXXX";
static dyad_store *S;

typedef struct ev_spec {
    const char *src, *tgt;
    int quad;
    double g;
    dyad_modality mod;
} ev_spec;

static void add_story(const char *id, const char *date, const ev_spec *sp, size_t n)
{
    static const char text[] = "Something happened between the two sides today.";
    dyad_event ev[8];
    memset(ev, 0, sizeof ev);
    for (size_t i = 0; i < n; i++) {
        dyad_event *e = &ev[i];
        e->evidence = (dyad_span){0, (uint32_t)strlen(text)};
        e->trigger = (dyad_span){0, 9};
        snprintf(e->source.code, sizeof e->source.code, "%s", sp[i].src);
        snprintf(e->target.code, sizeof e->target.code, "%s", sp[i].tgt);
        e->source.text = (dyad_span){0, 9};
        e->target.text = (dyad_span){10, 17};
        snprintf(e->cameo, sizeof e->cameo, "%s", sp[i].quad == 4 ? "190" : sp[i].quad == 3 ? "112" : "051");
        e->quad = (uint8_t)sp[i].quad;
        e->goldstein = sp[i].g;
        e->modality = sp[i].mod;
    }
    char t[128];
    snprintf(t, sizeof t, "%s (%s)", text, id); /* distinct texts: no story is a copy of another */
    dyad_story st = {id, date, t, strlen(t), NULL, NULL, NULL};
    assert_int_equal(dyad_store_add(S, &st, ev, n, "test", NULL), DYAD_STORE_OK);
}

static int setup(void **state)
{
    (void)state;
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/a.db", dir);
    S = dyad_store_new();
    assert_int_equal(dyad_store_open(S, path, 0), DYAD_STORE_OK);
    assert_int_equal(dyad_store_begin(S), DYAD_STORE_OK);
    const ev_spec s1[] = {{"FRDGOV", "SYL", 4, -10, DYAD_FACTUAL},
                          {"FRD", "SYLMIL", 3, -2, DYAD_FACTUAL},
                          {"SYL", "FRD", 1, 3, DYAD_FACTUAL},
                          {"FRD", "SYL", 4, -10, DYAD_HYPOTHETICAL}};
    const ev_spec s2[] = {{"FRD", "SYL", 1, 3.4, DYAD_FACTUAL}, {"FRD", "VUL", 2, 7, DYAD_FACTUAL}};
    const ev_spec s3[] = {{"FRD", "SYL", 4, -9.5, DYAD_FACTUAL}};
    const ev_spec s4[] = {{"SYL", "FRD", 3, -4, DYAD_FACTUAL}, {"VUL", "FRD", 3, -2, DYAD_FACTUAL}};
    add_story("s1", "2026-01-05", s1, 4); /* a Monday */
    add_story("s2", "2026-01-07", s2, 2);
    add_story("s3", "2026-01-20", s3, 1);
    add_story("s4", "2026-02-02", s4, 2);
    assert_int_equal(dyad_store_commit(S), DYAD_STORE_OK);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    dyad_store_free(S);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return 0;
}

static void check_point(const dyad_series_point *p, const char *period, int64_t events, int64_t q1, int64_t q2,
                        int64_t q3, int64_t q4, double gsum, int64_t stories)
{
    assert_string_equal(p->period, period);
    assert_int_equal(p->events, events);
    assert_int_equal(p->quad[0], q1);
    assert_int_equal(p->quad[1], q2);
    assert_int_equal(p->quad[2], q3);
    assert_int_equal(p->quad[3], q4);
    assert_true(fabs(p->goldstein_sum - gsum) < 1e-9);
    assert_true(fabs(p->goldstein_mean - (events ? gsum / (double)events : 0)) < 1e-9);
    assert_true(fabs(p->material_conflict_share - (events ? (double)q4 / (double)events : 0)) < 1e-9);
    assert_int_equal(p->stories, stories);
    assert_int_equal(p->mentions, events);
}

static void test_series_days(void **state)
{
    (void)state;
    dyad_series_query q = {.a = "FRD", .b = "SYL", .by = DYAD_BY_DAY, .factual_only = 1};
    dyad_series_point *p;
    size_t n;
    assert_int_equal(dyad_series(S, &q, &p, &n), DYAD_STORE_OK);
    assert_int_equal(n, 16); /* 2026-01-05 .. 2026-01-20, gaps filled */
    /* FRDGOV->SYL and FRD->SYLMIL of one story: two dyads of full codes, so two story-dyads */
    check_point(&p[0], "2026-01-05", 2, 0, 0, 1, 1, -12, 2);
    check_point(&p[1], "2026-01-06", 0, 0, 0, 0, 0, 0, 0);
    check_point(&p[2], "2026-01-07", 1, 1, 0, 0, 0, 3.4, 1);
    check_point(&p[15], "2026-01-20", 1, 0, 0, 0, 1, -9.5, 1);
    free(p);
    /* with the hypothetical event */
    q.factual_only = 0;
    assert_int_equal(dyad_series(S, &q, &p, &n), DYAD_STORE_OK);
    check_point(&p[0], "2026-01-05", 3, 0, 0, 1, 2, -22, 3);
    free(p);
    /* an explicit range: empty periods at both ends */
    q.factual_only = 1;
    q.from = "2026-01-04";
    q.to = "2026-01-08";
    assert_int_equal(dyad_series(S, &q, &p, &n), DYAD_STORE_OK);
    assert_int_equal(n, 5);
    check_point(&p[0], "2026-01-04", 0, 0, 0, 0, 0, 0, 0);
    check_point(&p[1], "2026-01-05", 2, 0, 0, 1, 1, -12, 2);
    check_point(&p[4], "2026-01-08", 0, 0, 0, 0, 0, 0, 0);
    free(p);
    /* a full-code dyad */
    dyad_series_query q2 = {.a = "FRDGOV", .b = "SYL", .by = DYAD_BY_DAY, .factual_only = 1};
    assert_int_equal(dyad_series(S, &q2, &p, &n), DYAD_STORE_OK);
    assert_int_equal(n, 1);
    check_point(&p[0], "2026-01-05", 1, 0, 0, 0, 1, -10, 1);
    free(p);
    /* nothing */
    dyad_series_query q3 = {.a = "ZZZ", .b = "SYL", .by = DYAD_BY_DAY, .factual_only = 1};
    assert_int_equal(dyad_series(S, &q3, &p, &n), DYAD_STORE_OK);
    assert_int_equal(n, 0);
    free(p);
}

static void test_series_weeks_months_both(void **state)
{
    (void)state;
    dyad_series_query q = {.a = "FRD", .b = "SYL", .both = 1, .by = DYAD_BY_WEEK, .factual_only = 1};
    dyad_series_point *p;
    double *neg, *pos;
    size_t n;
    assert_int_equal(dyad_series_split(S, &q, &p, &neg, &pos, &n), DYAD_STORE_OK);
    assert_int_equal(n, 5); /* weeks of 01-05, 01-12, 01-19, 01-26, 02-02 */
    check_point(&p[0], "2026-01-05", 4, 2, 0, 1, 1, -5.6, 4); /* -10 -2 +3 +3.4 */
    assert_true(fabs(neg[0] + 12) < 1e-9 && fabs(pos[0] - 6.4) < 1e-9);
    check_point(&p[1], "2026-01-12", 0, 0, 0, 0, 0, 0, 0);
    check_point(&p[2], "2026-01-19", 1, 0, 0, 0, 1, -9.5, 1);
    check_point(&p[4], "2026-02-02", 1, 0, 0, 1, 0, -4, 1);
    free(p);
    free(neg);
    free(pos);
    /* a week starts on Monday: 2026-01-07 (Wednesday) alone is in the week of 2026-01-05 */
    q.from = q.to = "2026-01-07";
    assert_int_equal(dyad_series(S, &q, &p, &n), DYAD_STORE_OK);
    assert_int_equal(n, 1);
    check_point(&p[0], "2026-01-05", 1, 1, 0, 0, 0, 3.4, 1);
    free(p);
    /* FRD against everyone, by month: every factual event with FRD on one side and another actor on the other */
    dyad_series_query qa = {.a = "FRD", .by = DYAD_BY_MONTH, .factual_only = 1};
    assert_int_equal(dyad_series(S, &qa, &p, &n), DYAD_STORE_OK);
    assert_int_equal(n, 2);
    check_point(&p[0], "2026-01-01", 6, 2, 1, 1, 2, -8.1, 6); /* -10 -2 +3 +3.4 +7 -9.5 */
    check_point(&p[1], "2026-02-01", 2, 0, 0, 2, 0, -6, 2);
    free(p);
}

static void test_series_errors(void **state)
{
    (void)state;
    dyad_series_point *p;
    size_t n;
    dyad_series_query q = {.a = "frd", .b = "SYL"};
    assert_int_equal(dyad_series(S, &q, &p, &n), DYAD_STORE_ERR_ARG);
    assert_non_null(strstr(dyad_store_errmsg(S), "frd"));
    dyad_series_query q2 = {.a = "FRD", .from = "2026-02-30"};
    assert_int_equal(dyad_series(S, &q2, &p, &n), DYAD_STORE_ERR_ARG);
}

static void test_top(void **state)
{
    (void)state;
    dyad_top_row *r;
    size_t n;
    assert_int_equal(dyad_top(S, DYAD_TOP_CONFLICT, "2026-01-01", "2026-01-31", 10, &r, &n), DYAD_STORE_OK);
    assert_int_equal(n, 3); /* FRDGOV->SYL (10), FRD->SYL (9.5), FRD->SYLMIL (2); SYL->FRD and FRD->VUL have none */
    assert_string_equal(r[0].source, "FRDGOV");
    assert_true(fabs(r[0].score - 10) < 1e-9);
    assert_string_equal(r[1].source, "FRD");
    assert_string_equal(r[1].target, "SYL");
    assert_true(fabs(r[1].score - 9.5) < 1e-9);
    assert_int_equal(r[1].events, 2);
    assert_true(fabs(r[1].goldstein_sum - (-6.1)) < 1e-9);
    free(r);
    assert_int_equal(dyad_top(S, DYAD_TOP_VOLUME, NULL, NULL, 1, &r, &n), DYAD_STORE_OK); /* last 30 days */
    assert_int_equal(n, 1);
    assert_string_equal(r[0].source, "FRD"); /* 2026-01-04 .. 2026-02-02: FRD->SYL has 2 events */
    assert_string_equal(r[0].target, "SYL");
    free(r);
    assert_int_equal(dyad_top(S, DYAD_TOP_CHANGE, "2026-02-01", "2026-02-28", 10, &r, &n), DYAD_STORE_OK);
    assert_true(n >= 2); /* the window before: 2026-01-04 .. 2026-01-31 */
    assert_string_equal(r[0].source, "FRDGOV"); /* 0 now, -10 before: +10 */
    assert_true(fabs(r[0].score - 10) < 1e-9);
    assert_int_equal(n, 6); /* and FRD->SYLMIL: +2, last */
    assert_string_equal(r[1].source, "SYL"); /* SYL->FRD: -4 now, +3 before: -7 (ranked by size, either way; */
    assert_true(fabs(r[1].score + 7) < 1e-9); /* before FRD->VUL's -7 as it has events in this window) */
    assert_string_equal(r[2].target, "VUL");
    assert_true(fabs(r[2].score + 7) < 1e-9);
    assert_string_equal(r[3].source, "FRD"); /* FRD->SYL: 0 now, -6.1 before: +6.1 */
    assert_string_equal(r[3].target, "SYL");
    assert_true(fabs(r[3].score - 6.1) < 1e-9);
    assert_string_equal(r[4].source, "VUL"); /* VUL->FRD: -2 now */
    assert_true(fabs(r[4].score + 2) < 1e-9);
    free(r);
}

/* ---- the detector on synthetic series ------------------------------------------------------------------------ */

typedef struct rng {
    uint64_t s;
} rng;
static double urand(rng *r)
{
    r->s ^= r->s << 13;
    r->s ^= r->s >> 7;
    r->s ^= r->s << 17;
    return (double)(r->s >> 11) / 9007199254740992.0;
}
static int poisson(rng *r, double lam)
{
    double L = exp(-lam), p = 1;
    int k = 0;
    do {
        k++;
        p *= urand(r);
    } while (p > L);
    return k - 1;
}
/* One day of a dyad: LAM material-conflict events (Goldstein -5 .. -10) and 2*LAM+1 others (Goldstein around
 * 1.5 + SHIFT, spread +-3, within -10 .. 10). */
static void synth_day(rng *r, double lam, double shift, double *count, double *gsum)
{
    int c = poisson(r, lam), o = poisson(r, 2 * lam + 1);
    double g = 0;
    for (int i = 0; i < c; i++)
        g += -5 - 5 * urand(r);
    for (int i = 0; i < o; i++) {
        double x = 1.5 + shift + 6 * (urand(r) + urand(r) + urand(r) - 1.5);
        g += x < -10 ? -10 : x > 10 ? 10 : x;
    }
    *count = c;
    *gsum = g;
}

static void test_detector_rates(void **state)
{
    (void)state;
    static const double rates[] = {0.1, 0.3, 1, 3, 10};
    dyad_detector d;
    dyad_detector_defaults(&d);
    rng r = {0x12345678abcdefULL};
    static double c[1200], g[1200];
    size_t days[256];
    int found_all = 0, trials_all = 0;
    double fa_all = 0, years_all = 0;
    for (size_t ri = 0; ri < sizeof rates / sizeof rates[0]; ri++) {
        double lam = rates[ri];
        int found = 0, trials = 300;
        /* an escalation at a random day from 90 to 360: material conflict from LAM to 2*LAM+2 a day, and the other
         * events' Goldstein scores 3 lower; found when an alarm is raised on the change day or the 3 after */
        for (int t = 0; t < trials; t++) {
            int cp = 90 + (int)(urand(&r) * 270), n = cp + 30;
            for (int i = 0; i < n; i++)
                synth_day(&r, i < cp ? lam : 2 * lam + 2, i < cp ? 0 : -3, &c[i], &g[i]);
            size_t na = dyad_detect(&d, c, g, (size_t)n, days, NULL, 256);
            int hit = 0;
            for (size_t a = 0; a < na && a < 256; a++)
                hit |= days[a] >= (size_t)cp && days[a] <= (size_t)cp + 3;
            found += hit;
        }
        /* stationary noise: three years a dyad, every alarm after the warm-up is false */
        double fa = 0, years = 0;
        for (int t = 0; t < 150; t++) {
            int n = 3 * 365;
            for (int i = 0; i < n; i++)
                synth_day(&r, lam, 0, &c[i], &g[i]);
            fa += (double)dyad_detect(&d, c, g, (size_t)n, NULL, NULL, 0);
            years += (n - d.warmup) / 365.0;
        }
        printf("detector: rate %4.1f/day -> %4.1f/day: found within 3 days %5.1f%% of %d; false alarms %.3f per "
               "dyad-year (%.0f dyad-years)\n",
               lam, 2 * lam + 2, 100.0 * found / trials, trials, fa / years, years);
        assert_true(fa / years <= 1.0);
        found_all += found;
        trials_all += trials;
        fa_all += fa;
        years_all += years;
    }
    printf("detector: all rates: found %.1f%% of %d escalations within 3 days; %.3f false alarms per dyad-year\n",
           100.0 * found_all / trials_all, trials_all, fa_all / years_all);
    assert_true(found_all >= 0.95 * trials_all);
    assert_true(fa_all / years_all <= 1.0);
}

static void test_detector_basics(void **state)
{
    (void)state;
    /* flat, then a jump: one alarm, on the jump */
    double c[120] = {0}, g[120] = {0};
    for (int i = 0; i < 120; i++) {
        c[i] = i < 100 ? (i % 5 == 0) : 6;
        g[i] = i < 100 ? (i % 5 == 0 ? -8 : 2) : -50;
    }
    size_t days[8];
    double scores[8];
    size_t n = dyad_detect(NULL, c, g, 120, days, scores, 8);
    assert_int_equal(n, 1);
    assert_int_equal(days[0], 100);
    assert_true(scores[0] > 0);
    /* too short for the warm-up: nothing */
    assert_int_equal(dyad_detect(NULL, c, g, 20, days, scores, 8), 0);
}

static void test_alerts(void **state)
{
    (void)state;
    /* a dyad quiet for 60 days (one accusation a week), then three attacks a day */
    assert_int_equal(dyad_store_begin(S), DYAD_STORE_OK);
    char id[32], date[11];
    for (int d = 0; d < 70; d++) {
        snprintf(date, sizeof date, "2025-%02d-%02d", 9 + d / 30, d % 30 + 1);
        if (d < 60 && d % 7 == 0) {
            const ev_spec e[] = {{"RUS", "UKR", 3, -2, DYAD_FACTUAL}};
            snprintf(id, sizeof id, "q%d", d);
            add_story(id, date, e, 1);
        } else if (d >= 60) {
            const ev_spec e[] = {{"RUS", "UKR", 4, -10, DYAD_FACTUAL},
                                 {"RUS", "UKR", 4, -9, DYAD_FACTUAL},
                                 {"RUS", "UKR", 4, -10, DYAD_FACTUAL}};
            snprintf(id, sizeof id, "x%d", d);
            add_story(id, date, e, 3);
        }
    }
    assert_int_equal(dyad_store_commit(S), DYAD_STORE_OK);
    dyad_alert *a;
    size_t n;
    assert_int_equal(dyad_alerts(S, NULL, &a, &n), DYAD_STORE_OK);
    size_t k = n;
    for (size_t i = 0; i < n; i++)
        if (strcmp(a[i].source, "RUS") == 0 && strcmp(a[i].target, "UKR") == 0)
            k = i;
    assert_true(k < n);
    assert_string_equal(a[k].start, "2025-11-01"); /* day 60 */
    assert_true(strcmp(a[k].detected, "2025-11-01") >= 0 && strcmp(a[k].detected, "2025-11-04") <= 0);
    assert_true(a[k].nevents >= 3);
    assert_true(a[k].score > 0);
    free(a);
    assert_int_equal(dyad_alerts(S, "2026-01-01", &a, &n), DYAD_STORE_OK);
    for (size_t i = 0; i < n; i++)
        assert_true(strcmp(a[i].detected, "2026-01-01") >= 0);
    free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_series_days),   cmocka_unit_test(test_series_weeks_months_both),
        cmocka_unit_test(test_series_errors), cmocka_unit_test(test_top),
        cmocka_unit_test(test_detector_basics), cmocka_unit_test(test_detector_rates),
        cmocka_unit_test(test_alerts),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
