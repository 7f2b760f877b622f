/*
 * analytics.c - series, rankings and escalation alerts over the event store (include/dyad_analytics.h).
 *
 * Everything is read from dyad_daily, the store's one-row-a-day-per-directed-dyad table that the writer keeps
 * up to date as events are stored (src/store/store.c), and dyad_daily_recent, the sums of the latest batches
 * not yet added to dyad_daily's rows (schema 5; small: read by its key, or whole): a row's figures are the sum
 * of its rows in the two. A dyad's series over years is a few thousand rows found by index ranges, however
 * many events the store holds. Prefix matching on codes is done as
 * index ranges (code >= 'IRN' AND code < 'IRO'); for a dyad, the distinct source codes of A's range are
 * walked one index seek each and each is joined to B's range on (source, target), so no row outside the
 * dyad is read. The alert detector is documented in docs/alerts.md.
 */
#define _GNU_SOURCE
#include "dyad_analytics.h"

#include <math.h>
#include <stdarg.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- dates ------------------------------------------------------------------------------------------------ */

/* Days since 1970-01-01 of a civil date (H. Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int *yy, int *mm, int *dd)
{
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = (unsigned)(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int64_t y = (int64_t)yoe + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    *yy = (int)(y + (m <= 2));
    *mm = (int)m;
    *dd = (int)d;
}

/* "YYYY-MM-DD" to a day number; false when it is not a real day. */
static bool parse_day(const char *s, int64_t *day)
{
    if (!s || !dyad_date_valid(s))
        return false;
    *day = days_from_civil(atoi(s), (unsigned)atoi(s + 5), (unsigned)atoi(s + 8));
    return true;
}

static void format_day(int64_t day, char out[11])
{
    int y, m, d;
    civil_from_days(day, &y, &m, &d);
    char tmp[48];
    snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", y, m, d);
    memcpy(out, tmp, 10);
    out[10] = 0;
}

/* The first day of the period holding DAY. */
static int64_t period_start(int64_t day, dyad_period by)
{
    if (by == DYAD_BY_WEEK) /* 1970-01-01 was a Thursday: Monday is (day + 3) % 7 == 0 */
        return day - (((day + 3) % 7) + 7) % 7;
    if (by == DYAD_BY_MONTH) {
        int y, m, d;
        civil_from_days(day, &y, &m, &d);
        return days_from_civil(y, (unsigned)m, 1);
    }
    return day;
}

/* Index of the period of DAY counted from the period of DAY0. */
static int64_t period_index(int64_t day, int64_t day0, dyad_period by)
{
    if (by == DYAD_BY_MONTH) {
        int y, m, d, y0, m0, d0;
        civil_from_days(day, &y, &m, &d);
        civil_from_days(day0, &y0, &m0, &d0);
        return ((int64_t)y * 12 + m) - ((int64_t)y0 * 12 + m0);
    }
    int64_t len = by == DYAD_BY_WEEK ? 7 : 1;
    return (period_start(day, by) - period_start(day0, by)) / len;
}

static int64_t period_at(int64_t day0, int64_t i, dyad_period by)
{
    if (by == DYAD_BY_MONTH) {
        int y, m, d;
        civil_from_days(day0, &y, &m, &d);
        int64_t mi = (int64_t)y * 12 + (m - 1) + i;
        return days_from_civil(mi / 12, (unsigned)(mi % 12 + 1), 1);
    }
    return period_start(day0, by) + i * (by == DYAD_BY_WEEK ? 7 : 1);
}

/* ---- helpers ---------------------------------------------------------------------------------------------- */

static dyad_store_status err(dyad_store *s, dyad_store_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static dyad_store_status err(dyad_store *s, dyad_store_status st, const char *fmt, ...)
{
    char m[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m, sizeof m, fmt, ap);
    va_end(ap);
    return dyad_store_set_error(s, st, m);
}

static dyad_store_status sqlerr(dyad_store *s, sqlite3 *db, const char *what)
{
    return err(s, DYAD_STORE_ERR_SQL, "%s: %s", what, db ? sqlite3_errmsg(db) : "no database");
}

static sqlite3 *open_db(dyad_store *s)
{
    sqlite3 *db = dyad_store_sqlite(s);
    if (!db)
        err(s, DYAD_STORE_ERR_ARG, "no database open");
    return db;
}

/* ---- series ----------------------------------------------------------------------------------------------- */

/* The dyad_daily rows of a query, summed by day. Parameters: ?1 ?2 A's range, ?3 ?4 B's range, ?5 ?6 the
 * dates, ?7 factual only. Each part walks the distinct codes of its first range (one index seek each:
 * "src") and reads their rows in the second range by the (source, target) or (target, source) index; the
 * rows of dyad_daily_recent are added (RECENT: the same conditions on one small table). */
#define SRC_WALK(name, col, lo, hi)                                                                            \
    name "(c) AS (SELECT (SELECT min(" col ") FROM dyad_daily WHERE " col " >= " lo " AND " col " < " hi ")"  \
         " UNION ALL SELECT (SELECT min(" col ") FROM dyad_daily WHERE " col " > c AND " col " < " hi ")"    \
         " FROM " name " WHERE c IS NOT NULL)"
#define COLS "d.date, d.events, d.q1, d.q2, d.q3, d.q4, d.gsum, d.gneg, d.gpos, d.mentions, d.stories"
#define DATES " AND d.date >= ?5 AND d.date <= ?6 AND (d.factual = 1 OR ?7 = 0)"
#define IN_A(col) "(" col " >= ?1 AND " col " < ?2)"
#define IN_B(col) "(" col " >= ?3 AND " col " < ?4)"
#define RECENT(cond) " UNION ALL SELECT " COLS " FROM dyad_daily_recent d WHERE " cond DATES
#define SUMS "SELECT date, sum(events), sum(q1), sum(q2), sum(q3), sum(q4), sum(gsum), sum(gneg), sum(gpos), " \
             "sum(mentions), sum(stories) FROM ("

static const char sql_directed[] =
    "WITH RECURSIVE " SRC_WALK("sa", "source", "?1", "?2") " " SUMS
    "SELECT " COLS " FROM sa JOIN dyad_daily d ON d.source = sa.c AND " IN_B("d.target") DATES
    RECENT(IN_A("d.source") " AND " IN_B("d.target"))
    ") GROUP BY date ORDER BY date";

static const char sql_both[] =
    "WITH RECURSIVE " SRC_WALK("sa", "source", "?1", "?2") ", " SRC_WALK("sb", "source", "?3", "?4") " " SUMS
    "SELECT " COLS " FROM sa JOIN dyad_daily d ON d.source = sa.c AND " IN_B("d.target") DATES
    " UNION ALL SELECT " COLS " FROM sb JOIN dyad_daily d ON d.source = sb.c AND " IN_A("d.target") DATES
    " AND NOT (" IN_A("d.source") " AND " IN_B("d.target") ")"
    RECENT("((" IN_A("d.source") " AND " IN_B("d.target") ") OR (" IN_B("d.source") " AND " IN_A("d.target") "))")
    ") GROUP BY date ORDER BY date";

/* A against everyone: the events A did (any target but none) and those done to A by others. The latter are
 * found through every distinct source (one seek each, "so"), each joined to A's range of targets on (source,
 * target): schema 6 has no index on the targets (its upkeep cost a third of the storing time of dyad_daily),
 * and the distinct sources are a few thousand at most, where the rows are millions. */
static const char sql_actor[] =
    "WITH RECURSIVE " SRC_WALK("sa", "source", "?1", "?2") ", so(c) AS (SELECT (SELECT min(source) FROM dyad_daily "
    "WHERE source > '') UNION ALL SELECT (SELECT min(source) FROM dyad_daily WHERE source > c) FROM so WHERE c IS "
    "NOT NULL) " SUMS
    "SELECT " COLS " FROM sa JOIN dyad_daily d ON d.source = sa.c AND d.target <> ''" DATES
    " UNION ALL SELECT " COLS " FROM so JOIN dyad_daily d ON d.source = so.c AND " IN_A("d.target")
    " AND NOT " IN_A("d.source") DATES
    RECENT("((" IN_A("d.source") " AND d.target <> '') OR (" IN_A("d.target") " AND NOT " IN_A("d.source")
           " AND d.source <> ''))")
    ") GROUP BY date ORDER BY date";

typedef struct day_row {
    int64_t day, events, q[4], mentions, stories;
    double gsum, gneg, gpos;
} day_row;

static dyad_store_status series_rows(dyad_store *s, const dyad_series_query *q, day_row **rows, size_t *n)
{
    *rows = NULL;
    *n = 0;
    sqlite3 *db = open_db(s);
    if (!db)
        return DYAD_STORE_ERR_ARG;
    char ahi[32], bhi[32];
    if (!dyad_code_valid(q->a) || !dyad_store_prefix_end(q->a, ahi, sizeof ahi))
        return err(s, DYAD_STORE_ERR_ARG, "bad actor code '%s' (capitals and digits, e.g. IRN)", q->a ? q->a : "");
    if (q->b && (!dyad_code_valid(q->b) || !dyad_store_prefix_end(q->b, bhi, sizeof bhi)))
        return err(s, DYAD_STORE_ERR_ARG, "bad actor code '%s' (capitals and digits, e.g. USA)", q->b);
    if (q->from && !dyad_date_valid(q->from))
        return err(s, DYAD_STORE_ERR_ARG, "bad date '%s' (want YYYY-MM-DD)", q->from);
    if (q->to && !dyad_date_valid(q->to))
        return err(s, DYAD_STORE_ERR_ARG, "bad date '%s' (want YYYY-MM-DD)", q->to);
    if ((unsigned)q->by > DYAD_BY_MONTH)
        return err(s, DYAD_STORE_ERR_ARG, "bad period %d", (int)q->by);
    const char *sql = !q->b ? sql_actor : q->both ? sql_both : sql_directed;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return sqlerr(s, db, "preparing the series query");
    sqlite3_bind_text(st, 1, q->a, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, ahi, -1, SQLITE_STATIC);
    if (q->b) {
        sqlite3_bind_text(st, 3, q->b, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, bhi, -1, SQLITE_STATIC);
    }
    sqlite3_bind_text(st, 5, q->from ? q->from : "0000-00-00", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, q->to ? q->to : "9999-99-99", -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 7, q->factual_only ? 1 : 0);
    size_t cap = 0;
    int rc;
    dyad_store_status ret = DYAD_STORE_OK;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        day_row r;
        if (!parse_day((const char *)sqlite3_column_text(st, 0), &r.day))
            continue; /* a stored date is always valid; skip anything else */
        r.events = sqlite3_column_int64(st, 1);
        for (int k = 0; k < 4; k++)
            r.q[k] = sqlite3_column_int64(st, 2 + k);
        r.gsum = sqlite3_column_double(st, 6);
        r.gneg = sqlite3_column_double(st, 7);
        r.gpos = sqlite3_column_double(st, 8);
        r.mentions = sqlite3_column_int64(st, 9);
        r.stories = sqlite3_column_int64(st, 10);
        if (*n == cap) {
            cap = cap ? 2 * cap : 256;
            day_row *p = realloc(*rows, cap * sizeof *p);
            if (!p) {
                ret = err(s, DYAD_STORE_ERR_NOMEM, "out of memory");
                break;
            }
            *rows = p;
        }
        (*rows)[(*n)++] = r;
    }
    if (ret == DYAD_STORE_OK && rc != SQLITE_DONE)
        ret = sqlerr(s, db, "reading the series");
    sqlite3_finalize(st);
    if (ret != DYAD_STORE_OK) {
        free(*rows);
        *rows = NULL;
        *n = 0;
    }
    return ret;
}

#define MAX_POINTS 200000 /* over five centuries of days */

dyad_store_status dyad_series_split(dyad_store *s, const dyad_series_query *q, dyad_series_point **pts,
                                    double **neg, double **pos, size_t *n)
{
    if (!s || !q || !pts || !n)
        return s ? err(s, DYAD_STORE_ERR_ARG, "series: no query or result") : DYAD_STORE_ERR_ARG;
    *pts = NULL;
    *n = 0;
    if (neg)
        *neg = NULL;
    if (pos)
        *pos = NULL;
    day_row *rows;
    size_t nr;
    dyad_store_status st = series_rows(s, q, &rows, &nr);
    if (st != DYAD_STORE_OK)
        return st;
    int64_t first, last;
    bool have_from = q->from && parse_day(q->from, &first), have_to = q->to && parse_day(q->to, &last);
    if (!have_from && nr)
        first = rows[0].day;
    if (!have_to && nr)
        last = rows[nr - 1].day;
    if ((!have_from || !have_to) && !nr) {
        free(rows);
        return DYAD_STORE_OK; /* no data and an open range: no periods */
    }
    if (last < first) {
        free(rows);
        return DYAD_STORE_OK;
    }
    int64_t np = period_index(last, first, q->by) + 1;
    if (np > MAX_POINTS) {
        free(rows);
        return err(s, DYAD_STORE_ERR_ARG, "series: %lld periods is too many (narrow --from/--to or use a longer period)",
                   (long long)np);
    }
    dyad_series_point *p = calloc((size_t)np, sizeof *p);
    double *gn = calloc((size_t)np, sizeof *gn), *gp = calloc((size_t)np, sizeof *gp);
    if (!p || !gn || !gp) {
        free(p);
        free(gn);
        free(gp);
        free(rows);
        return err(s, DYAD_STORE_ERR_NOMEM, "out of memory");
    }
    for (int64_t i = 0; i < np; i++)
        format_day(period_at(first, i, q->by), p[i].period);
    for (size_t r = 0; r < nr; r++) {
        if (rows[r].day < first || rows[r].day > last)
            continue;
        int64_t i = period_index(rows[r].day, first, q->by);
        dyad_series_point *x = &p[i];
        x->events += rows[r].events;
        for (int k = 0; k < 4; k++)
            x->quad[k] += rows[r].q[k];
        x->goldstein_sum += rows[r].gsum;
        x->stories += rows[r].stories;
        x->mentions += rows[r].mentions;
        gn[i] += rows[r].gneg;
        gp[i] += rows[r].gpos;
    }
    free(rows);
    for (int64_t i = 0; i < np; i++) {
        dyad_series_point *x = &p[i];
        /* sums of one-decimal scores: round away the binary noise of adding them */
        x->goldstein_sum = round(x->goldstein_sum * 1e6) / 1e6;
        gn[i] = round(gn[i] * 1e6) / 1e6;
        gp[i] = round(gp[i] * 1e6) / 1e6;
        x->goldstein_mean = x->events ? x->goldstein_sum / (double)x->events : 0;
        x->material_conflict_share = x->events ? (double)x->quad[3] / (double)x->events : 0;
    }
    *pts = p;
    *n = (size_t)np;
    if (neg)
        *neg = gn;
    else
        free(gn);
    if (pos)
        *pos = gp;
    else
        free(gp);
    return DYAD_STORE_OK;
}

dyad_store_status dyad_series(dyad_store *s, const dyad_series_query *q, dyad_series_point **pts, size_t *n)
{
    return dyad_series_split(s, q, pts, NULL, NULL, n);
}

/* ---- top ---------------------------------------------------------------------------------------------------- */

static bool max_date(dyad_store *s, sqlite3 *db, int64_t *day)
{
    sqlite3_stmt *st = NULL;
    bool ok = false;
    if (sqlite3_prepare_v2(db, "SELECT max(date) FROM (SELECT max(date) AS date FROM dyad_daily UNION ALL "
                                "SELECT max(date) FROM dyad_daily_recent)", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
        ok = parse_day((const char *)sqlite3_column_text(st, 0), day);
    else if (sqlite3_errcode(db) != SQLITE_OK && sqlite3_errcode(db) != SQLITE_ROW && sqlite3_errcode(db) != SQLITE_DONE)
        sqlerr(s, db, "reading the last date");
    sqlite3_finalize(st);
    return ok;
}

dyad_store_status dyad_top(dyad_store *s, dyad_top_by by, const char *from, const char *to, size_t limit,
                           dyad_top_row **rows, size_t *n)
{
    if (!s || !rows || !n)
        return s ? err(s, DYAD_STORE_ERR_ARG, "top: no result") : DYAD_STORE_ERR_ARG;
    *rows = NULL;
    *n = 0;
    sqlite3 *db = open_db(s);
    if (!db)
        return DYAD_STORE_ERR_ARG;
    if ((unsigned)by > DYAD_TOP_CHANGE)
        return err(s, DYAD_STORE_ERR_ARG, "top: bad ranking %d", (int)by);
    int64_t f, t;
    if ((from && !parse_day(from, &f)) || (to && !parse_day(to, &t)))
        return err(s, DYAD_STORE_ERR_ARG, "top: bad date '%s' (want YYYY-MM-DD)", from && !parse_day(from, &f) ? from : to);
    if (!to && !max_date(s, db, &t))
        return DYAD_STORE_OK; /* an empty store */
    if (!from)
        f = t - 29;
    if (f > t)
        return err(s, DYAD_STORE_ERR_ARG, "top: --from is after --to");
    int64_t prev = f - (t - f + 1); /* the window before, as long */
    char fs[11], ts[11], ps[11];
    format_day(f, fs);
    format_day(t, ts);
    format_day(prev, ps);
    const char *score = by == DYAD_TOP_CONFLICT      ? "-sum(gneg * (date >= ?1))"
                        : by == DYAD_TOP_COOPERATION ? "sum(gpos * (date >= ?1))"
                        : by == DYAD_TOP_VOLUME      ? "sum(events * (date >= ?1))"
                                                     : "sum(gsum * (date >= ?1)) - sum(gsum * (date < ?1))";
    const char *order = by == DYAD_TOP_CHANGE ? "abs(score)" : "score";
#define TOP_ROWS "date >= ?3 AND date <= ?2 AND factual = 1 AND source <> '' AND target <> ''"
    char sql[1536];
    snprintf(sql, sizeof sql,
             "SELECT source, target, sum(events * (date >= ?1)) AS ev, sum(gsum * (date >= ?1)), %s AS score "
             "FROM (SELECT source, target, date, events, gsum, gneg, gpos FROM dyad_daily INDEXED BY dyad_daily_date "
             "WHERE " TOP_ROWS " UNION ALL SELECT source, target, date, events, gsum, gneg, gpos FROM "
             "dyad_daily_recent WHERE " TOP_ROWS ") GROUP BY source, target %s "
             "ORDER BY %s DESC, ev DESC, source, target LIMIT ?4",
             score, by == DYAD_TOP_CHANGE ? "" : by == DYAD_TOP_VOLUME ? "HAVING ev > 0" : "HAVING score > 0", order);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return sqlerr(s, db, "preparing the ranking");
    sqlite3_bind_text(st, 1, fs, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, ts, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, by == DYAD_TOP_CHANGE ? ps : fs, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, limit ? (int64_t)limit : -1);
    size_t cap = 0;
    int rc;
    dyad_store_status ret = DYAD_STORE_OK;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? 2 * cap : 32;
            dyad_top_row *p = realloc(*rows, cap * sizeof *p);
            if (!p) {
                ret = err(s, DYAD_STORE_ERR_NOMEM, "out of memory");
                break;
            }
            *rows = p;
        }
        dyad_top_row *r = &(*rows)[(*n)++];
        memset(r, 0, sizeof *r);
        snprintf(r->source, sizeof r->source, "%s", (const char *)sqlite3_column_text(st, 0));
        snprintf(r->target, sizeof r->target, "%s", (const char *)sqlite3_column_text(st, 1));
        r->events = sqlite3_column_int64(st, 2);
        r->goldstein_sum = round(sqlite3_column_double(st, 3) * 1e6) / 1e6;
        r->score = round(sqlite3_column_double(st, 4) * 1e6) / 1e6;
    }
    if (ret == DYAD_STORE_OK && rc != SQLITE_DONE)
        ret = sqlerr(s, db, "ranking dyads");
    sqlite3_finalize(st);
    if (ret != DYAD_STORE_OK) {
        free(*rows);
        *rows = NULL;
        *n = 0;
    }
    return ret;
}

/* ---- the detector (docs/alerts.md) ---------------------------------------------------------------------------- */

/* Fixed parameters (the tunable ones are in dyad_detector). */
#define VAR_FLOOR_COUNT 0.5   /* least variance of daily material-conflict counts (events^2) */
#define VAR_FLOOR_GOLD 50.0   /* least variance of the daily Goldstein sum (one -10 event: 1.4 sd) */
#define CLIP_SD 4.0           /* a day updates the baseline with at most mean + 4 sd */
#define POIS_RATE_FLOOR 0.05  /* least baseline rate for the Poisson surprise: 1 event in 20 days */
#define POIS_WINDOW 3         /* the Poisson surprise looks at the last 1, 2 and 3 days */
#ifndef POIS_LOG10P
#define POIS_LOG10P 4.0 /* and alarms when P(X >= observed) < 10^-4 */
#endif
#define POIS_MIN_EVENTS 3     /* on at least 3 events */
#ifndef REFRACTORY
#define REFRACTORY 14 /* days after an alarm before the same dyad alarms again */
#endif

typedef struct alarm {
    size_t day, start;
    double score;
    int method; /* 0 cusum-count, 1 cusum-goldstein, 2 poisson */
} alarm;

static const char *const method_names[3] = {"cusum-count", "cusum-goldstein", "poisson"};

void dyad_detector_defaults(dyad_detector *d)
{
    if (!d)
        return;
    d->baseline_halflife = 60;
    d->k = 0.75;
    d->h = 5;
    d->warmup = 28;
}

/* log10 P(X >= c) for X ~ Poisson(lambda), from the upper terms (accurate in the far tail). */
static double poisson_log10_tail(double c, double lambda)
{
    if (c <= 0)
        return 0;
    double lt = -lambda + c * log(lambda) - lgamma(c + 1); /* log P(X = c) */
    double sum = 1, term = 1;
    for (double i = c + 1; i < c + 1000; i++) {
        term *= lambda / i;
        sum += term;
        if (term < 1e-12 * sum)
            break;
    }
    double l = (lt + log(sum)) / log(10.0);
    return l > 0 ? 0 : l;
}

typedef struct ewm {
    double m, v;
} ewm;

static void ewm_update(ewm *e, double x, double alpha, double floor_var)
{
    double sd = sqrt(e->v > floor_var ? e->v : floor_var);
    if (x > e->m + CLIP_SD * sd)
        x = e->m + CLIP_SD * sd;
    double dlt = x - e->m;
    e->m += alpha * dlt;
    e->v = (1 - alpha) * (e->v + alpha * dlt * dlt);
}

static size_t detect_core(const dyad_detector *dp, const double *counts, const double *gsum, size_t n, alarm *out,
                          size_t cap)
{
    dyad_detector d;
    if (dp)
        d = *dp;
    else
        dyad_detector_defaults(&d);
    size_t warm = d.warmup > 1 ? (size_t)d.warmup : 2;
    if (n <= warm || !counts || !gsum)
        return 0;
    double alpha = 1 - exp(-log(2.0) / (d.baseline_halflife > 0.5 ? d.baseline_halflife : 0.5));
    ewm c = {0, 0}, g = {0, 0};
    for (size_t i = 0; i < warm; i++) {
        c.m += counts[i];
        g.m -= gsum[i];
    }
    c.m /= (double)warm;
    g.m /= (double)warm;
    for (size_t i = 0; i < warm; i++) {
        c.v += (counts[i] - c.m) * (counts[i] - c.m);
        g.v += (-gsum[i] - g.m) * (-gsum[i] - g.m);
    }
    c.v /= (double)(warm - 1);
    g.v /= (double)(warm - 1);
    double sc = 0, sg = 0;
    size_t start_c = 0, start_g = 0, na = 0, last = 0;
    bool any = false;
    for (size_t t = warm; t < n; t++) {
        double x = counts[t] > 0 ? counts[t] : 0, y = -gsum[t];
        /* standardised by the baseline of the days before */
        double vc = c.v > c.m ? c.v : c.m;
        vc = vc > VAR_FLOOR_COUNT ? vc : VAR_FLOOR_COUNT;
        double vg = g.v > VAR_FLOOR_GOLD ? g.v : VAR_FLOOR_GOLD;
        double zc = (x - c.m) / sqrt(vc), zg = (y - g.m) / sqrt(vg);
        if (sc <= 0)
            start_c = t;
        if (sg <= 0)
            start_g = t;
        sc = fmax(0, sc + zc - d.k);
        sg = fmax(0, sg + zg - d.k);
        /* Poisson surprise over the last 1..3 days */
        double lam = c.m > POIS_RATE_FLOOR ? c.m : POIS_RATE_FLOOR, best = 0, win = 0;
        size_t pstart = t;
        for (size_t w = 1; w <= POIS_WINDOW && w <= t + 1 - warm; w++) {
            win += counts[t + 1 - w] > 0 ? counts[t + 1 - w] : 0;
            if (win < POIS_MIN_EVENTS || win <= lam * (double)w)
                continue;
            double l = -poisson_log10_tail(win, lam * (double)w);
            if (l > best) {
                best = l;
                pstart = t + 1 - w;
            }
        }
        int method = -1;
        double score = 0;
        size_t start = t;
        if (sc > d.h) {
            method = 0, score = sc, start = start_c;
        } else if (sg > d.h) {
            method = 1, score = sg, start = start_g;
        } else if (best > POIS_LOG10P) {
            method = 2, score = best, start = pstart;
        }
        if (method >= 0 && (!any || t - last > REFRACTORY)) {
            if (na < cap && out)
                out[na] = (alarm){t, start, score, method};
            na++;
            any = true;
            last = t;
            sc = sg = 0;
        } else if (method >= 0) {
            sc = sg = 0; /* the same escalation goes on: silently, and it keeps the refractory time running */
            last = t;
        }
        ewm_update(&c, x, alpha, VAR_FLOOR_COUNT);
        ewm_update(&g, y, alpha, VAR_FLOOR_GOLD);
    }
    return na;
}

size_t dyad_detect(const dyad_detector *d, const double *counts, const double *gsum, size_t n, size_t *days,
                   double *scores, size_t cap)
{
    alarm buf[64];
    alarm *a = cap <= 64 ? buf : malloc(cap * sizeof *a);
    if (!a)
        return 0;
    size_t na = detect_core(d, counts, gsum, n, a, cap);
    for (size_t i = 0; i < na && i < cap; i++) {
        if (days)
            days[i] = a[i].day;
        if (scores)
            scores[i] = a[i].score;
    }
    if (a != buf)
        free(a);
    return na;
}

/* ---- alerts -------------------------------------------------------------------------------------------------- */

#define ALERT_MIN_EVENTS 10 /* a dyad needs this many factual events in all to be watched */

typedef struct alert_list {
    dyad_alert *a;
    size_t n, cap;
} alert_list;

static int cmp_alert(const void *x, const void *y)
{
    const dyad_alert *a = x, *b = y;
    int c = strcmp(a->detected, b->detected);
    if (c)
        return c;
    if (a->score != b->score)
        return a->score > b->score ? -1 : 1;
    c = strcmp(a->source, b->source);
    return c ? c : strcmp(a->target, b->target);
}

/* Run the detector on one dyad's days FIRST..LAST and keep its alarms raised from SINCE on. */
static dyad_store_status dyad_alarms(dyad_store *s, const char *src, const char *tgt, int64_t first, int64_t last,
                                     int64_t since, const double *counts, const double *gsum, alert_list *out)
{
    size_t n = (size_t)(last - first + 1);
    alarm buf[256];
    dyad_detector d;
    dyad_detector_defaults(&d);
    size_t na = detect_core(&d, counts, gsum, n, buf, 256);
    for (size_t i = 0; i < na && i < 256; i++) {
        if (first + (int64_t)buf[i].day < since)
            continue;
        if (out->n == out->cap) {
            size_t nc = out->cap ? 2 * out->cap : 64;
            dyad_alert *p = realloc(out->a, nc * sizeof *p);
            if (!p)
                return err(s, DYAD_STORE_ERR_NOMEM, "out of memory");
            out->a = p;
            out->cap = nc;
        }
        dyad_alert *a = &out->a[out->n++];
        memset(a, 0, sizeof *a);
        snprintf(a->source, sizeof a->source, "%s", src);
        snprintf(a->target, sizeof a->target, "%s", tgt);
        format_day(first + (int64_t)buf[i].start, a->start);
        format_day(first + (int64_t)buf[i].day, a->detected);
        a->score = round(buf[i].score * 100) / 100;
        snprintf(a->method, sizeof a->method, "%s", method_names[buf[i].method]);
    }
    return DYAD_STORE_OK;
}

/* The events that drove an alert: the dyad's factual events from its start to its detection, most negative
 * Goldstein score first. */
static dyad_store_status alert_events(dyad_store *s, sqlite3 *db, dyad_alert *a)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db,
                           "SELECT id FROM events WHERE id IN (SELECT event FROM event_dyads WHERE source = ?1 AND "
                           "target = ?2 AND date >= ?3 AND date <= ?4 UNION ALL SELECT event FROM event_dyads_recent "
                           "WHERE source = ?1 AND target = ?2 AND date >= ?3 AND date <= ?4) AND modality = 'factual' "
                           "ORDER BY goldstein, id LIMIT ?5",
                           -1, &st, NULL) != SQLITE_OK)
        return sqlerr(s, db, "preparing the alert's events");
    sqlite3_bind_text(st, 1, a->source, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, a->target, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, a->start, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, a->detected, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 5, DYAD_ALERT_EVENTS);
    int rc;
    a->nevents = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && a->nevents < DYAD_ALERT_EVENTS)
        a->events[a->nevents++] = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? DYAD_STORE_OK : sqlerr(s, db, "reading the alert's events");
}

dyad_store_status dyad_alerts(dyad_store *s, const char *since, dyad_alert **alerts, size_t *n)
{
    if (!s || !alerts || !n)
        return s ? err(s, DYAD_STORE_ERR_ARG, "alerts: no result") : DYAD_STORE_ERR_ARG;
    *alerts = NULL;
    *n = 0;
    sqlite3 *db = open_db(s);
    if (!db)
        return DYAD_STORE_ERR_ARG;
    int64_t since_day = INT64_MIN, last;
    if (since && !parse_day(since, &since_day))
        return err(s, DYAD_STORE_ERR_ARG, "alerts: bad date '%s' (want YYYY-MM-DD)", since);
    if (!max_date(s, db, &last))
        return DYAD_STORE_OK;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db,
                           /* both in key order, merged: a day in both tables comes as two rows in a row */
                           "SELECT source, target, date, q4, gsum, events FROM dyad_daily WHERE factual = 1 AND "
                           "source <> '' AND target <> '' UNION ALL SELECT source, target, date, q4, gsum, events "
                           "FROM dyad_daily_recent WHERE factual = 1 AND source <> '' AND target <> '' "
                           "ORDER BY source, target, date",
                           -1, &st, NULL) != SQLITE_OK)
        return sqlerr(s, db, "preparing the alerts' query");
    alert_list out = {0};
    char src[16] = "", tgt[16] = "";
    struct drow {
        int64_t day;
        double c, g;
    } *rows = NULL;
    size_t nr = 0, rcap = 0;
    int64_t total = 0;
    double *counts = NULL, *gsum = NULL;
    dyad_store_status ret = DYAD_STORE_OK;
    int rc;
    for (;;) {
        rc = sqlite3_step(st);
        const char *s0 = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : "";
        const char *t0 = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 1) : "";
        bool flush = nr && (rc != SQLITE_ROW || strcmp(s0, src) != 0 || strcmp(t0, tgt) != 0);
        if (flush) { /* the dyad's rows are complete: its days from its first to the data's last */
            int64_t first = rows[0].day;
            size_t days = (size_t)(last - first + 1);
            if (total >= ALERT_MIN_EVENTS && last - first > 28) {
                double *nc = realloc(counts, days * sizeof *nc), *ng = nc ? realloc(gsum, days * sizeof *ng) : NULL;
                if (nc)
                    counts = nc;
                if (ng)
                    gsum = ng;
                if (!nc || !ng) {
                    ret = err(s, DYAD_STORE_ERR_NOMEM, "out of memory");
                    break;
                }
                memset(counts, 0, days * sizeof *counts);
                memset(gsum, 0, days * sizeof *gsum);
                for (size_t i = 0; i < nr; i++) {
                    counts[rows[i].day - first] = rows[i].c;
                    gsum[rows[i].day - first] = rows[i].g;
                }
                if ((ret = dyad_alarms(s, src, tgt, first, last, since_day, counts, gsum, &out)) != DYAD_STORE_OK)
                    break;
            }
            nr = 0;
            total = 0;
        }
        if (rc != SQLITE_ROW)
            break;
        snprintf(src, sizeof src, "%s", s0);
        snprintf(tgt, sizeof tgt, "%s", t0);
        int64_t day;
        if (!parse_day((const char *)sqlite3_column_text(st, 2), &day) || day > last)
            continue;
        if (nr == rcap) {
            rcap = rcap ? 2 * rcap : 1024;
            struct drow *p = realloc(rows, rcap * sizeof *p);
            if (!p) {
                ret = err(s, DYAD_STORE_ERR_NOMEM, "out of memory");
                break;
            }
            rows = p;
        }
        if (nr && rows[nr - 1].day == day) { /* the same day's row in dyad_daily_recent */
            rows[nr - 1].c += sqlite3_column_double(st, 3);
            rows[nr - 1].g += sqlite3_column_double(st, 4);
        } else {
            rows[nr++] = (struct drow){day, sqlite3_column_double(st, 3), sqlite3_column_double(st, 4)};
        }
        total += sqlite3_column_int64(st, 5);
    }
    if (ret == DYAD_STORE_OK && rc != SQLITE_DONE)
        ret = sqlerr(s, db, "reading the daily series");
    sqlite3_finalize(st);
    free(rows);
    free(counts);
    free(gsum);
    if (ret == DYAD_STORE_OK && out.n)
        qsort(out.a, out.n, sizeof *out.a, cmp_alert);
    for (size_t i = 0; i < out.n && ret == DYAD_STORE_OK; i++)
        ret = alert_events(s, db, &out.a[i]);
    if (ret != DYAD_STORE_OK) {
        free(out.a);
        return ret;
    }
    *alerts = out.a;
    *n = out.n;
    return DYAD_STORE_OK;
}
