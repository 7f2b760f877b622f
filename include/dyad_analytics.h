/*
 * dyad_analytics.h - what the event store says about a dyad over time: series per day, week or month,
 * the dyads that matter in a window, and escalation alerts against each dyad's own history.
 * Method and parameters of the alerts: docs/alerts.md.
 *
 * Same rules as libdyad and the store: never prints, never exits; errors are dyad_store_status values with
 * the message in dyad_store_errmsg(). Arrays returned through pointer arguments are the caller's to free().
 */
#ifndef DYAD_ANALYTICS_H
#define DYAD_ANALYTICS_H

#include "dyad_store.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum dyad_period { DYAD_BY_DAY = 0, DYAD_BY_WEEK, DYAD_BY_MONTH } dyad_period;

typedef struct dyad_series_query {
    const char *a;     /* actor code prefix ("IRN" is every Iranian actor); required */
    const char *b;     /* the other side's prefix; NULL: A against everyone */
    int both;          /* 1: A->B and B->A together; 0: A->B only */
    dyad_period by;
    const char *from, *to; /* "YYYY-MM-DD", inclusive; NULL for the data's own range */
    int factual_only;  /* 1 (the default a caller should use): only factual events count */
} dyad_series_query;

typedef struct dyad_series_point {
    char period[11];       /* the period's first day, "YYYY-MM-DD" (weeks start on Monday) */
    int64_t events;
    int64_t quad[4];       /* events per QuadClass: verbal coop, material coop, verbal conflict, material conflict */
    double goldstein_sum, goldstein_mean;
    double material_conflict_share; /* quad[3] / events, 0 when no events */
    int64_t stories;       /* distinct stories of each directed dyad of full codes and day, summed over the
                            * dyads the query covers: a story with events of IRNGOV->USA and IRNMIL->USA counts
                            * once for each (exact for one pair of full codes) */
    int64_t mentions;      /* events counted with their reprints */
} dyad_series_point;

/* The series of Q, one point per period from the first to the last (empty periods included, with zeros).
 * *PTS is malloc'd (free it); *N points. */
dyad_store_status dyad_series(dyad_store *s, const dyad_series_query *q, dyad_series_point **pts, size_t *n);

typedef enum dyad_top_by { DYAD_TOP_CONFLICT = 0, DYAD_TOP_COOPERATION, DYAD_TOP_VOLUME, DYAD_TOP_CHANGE } dyad_top_by;

typedef struct dyad_top_row {
    char source[16], target[16]; /* a directed dyad of full actor codes */
    int64_t events;
    double goldstein_sum;
    double score;                /* what it was ranked by (conflict: -goldstein sum of conflict events;
                                  * change: this window's Goldstein sum minus the previous window's) */
} dyad_top_row;

/* The dyads that matter between FROM and TO (NULL: the last 30 days of the data), ranked BY; at most
 * LIMIT rows. */
dyad_store_status dyad_top(dyad_store *s, dyad_top_by by, const char *from, const char *to, size_t limit,
                           dyad_top_row **rows, size_t *n);

/* dyad_series, plus for each period the Goldstein sums of its negative (*NEG, <= 0) and positive (*POS) events,
 * as charts draw them (NEG and POS may be NULL; their arrays have *N values and are the caller's to free). */
dyad_store_status dyad_series_split(dyad_store *s, const dyad_series_query *q, dyad_series_point **pts,
                                    double **neg, double **pos, size_t *n);

#define DYAD_ALERT_EVENTS 8

typedef struct dyad_alert {
    char source[16], target[16]; /* the directed dyad (full codes) */
    char start[11];              /* the first day of the escalation */
    char detected[11];           /* the day the detector crossed its threshold */
    double score;                /* the detector's statistic at detection */
    char method[24];             /* "cusum-count", "cusum-goldstein", "poisson"... */
    int64_t events[DYAD_ALERT_EVENTS]; /* event row ids that drove it (the most negative first): pass them
                                        * to the store to print their sentences */
    size_t nevents;
} dyad_alert;

/* Escalations of every dyad with enough history, detected on days from SINCE (NULL: the whole data). */
dyad_store_status dyad_alerts(dyad_store *s, const char *since, dyad_alert **alerts, size_t *n);

/* The detector alone, on a daily series (for tests on synthetic data and for dyad_alerts): COUNTS[i] is the
 * number of material-conflict events on day i and GSUM[i] the Goldstein sum. Writes the days at which an
 * alarm is raised (the detector crossed its threshold) into DAYS and its statistic into SCORES (at most CAP;
 * either may be NULL) and returns how many alarms it raised. A NULL D means the defaults. */
typedef struct dyad_detector {
    double baseline_halflife; /* days; the adaptive baseline's exponential forgetting */
    double k, h;              /* CUSUM allowance and threshold, in baseline standard deviations */
    int warmup;               /* days of history before any alarm */
} dyad_detector;
void dyad_detector_defaults(dyad_detector *d);
size_t dyad_detect(const dyad_detector *d, const double *counts, const double *gsum, size_t n, size_t *days,
                   double *scores, size_t cap);

#ifdef __cplusplus
}
#endif
#endif
