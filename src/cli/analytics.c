/*
 * analytics.c - `dyad trend` (a dyad's series as a table, JSON or CSV, a sparkline on a terminal, SVG and PNG
 * charts drawn with cairo), `dyad top` (the dyads that matter in a window) and `dyad alerts` (escalations,
 * with the sentences of the events that drove them). The analytics are include/dyad_analytics.h; the alert
 * method is docs/alerts.md.
 */
#include "cli.h"
#include "dyad_analytics.h"

#include <cairo-svg.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *db_path(const char *opt)
{
    if (opt)
        return opt;
    const char *e = getenv("DYAD_DB");
    return e && *e ? e : "dyad.db";
}

static bool code_ok(const char *s)
{
    if (!s || !*s || strlen(s) > 15)
        return false;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')))
            return false;
    return true;
}

static dyad_store *open_store(const char *db)
{
    const char *path = db_path(db);
    dyad_store *s = dyad_store_new();
    if (!s || dyad_store_open(s, path, DYAD_STORE_READONLY) != DYAD_STORE_OK) {
        fprintf(stderr, "dyad: %s\n", dyad_store_errmsg(s));
        dyad_store_free(s);
        return NULL;
    }
    return s;
}

/* a JSON string (codes, dates and sentences: quotes, backslashes and control bytes escaped) */
static void json_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(f, "\\%c", *p);
        else if (*p == '\n')
            fputs("\\n", f);
        else if (*p < 0x20)
            fprintf(f, "\\u%04x", *p);
        else
            fputc(*p, f);
    }
    fputc('"', f);
}

/* ---- charts -------------------------------------------------------------------------------------------------- */

#define CHART_W 1000
#define CHART_H 520

typedef struct chart {
    const char *title;
    const dyad_series_point *p;
    const double *neg, *pos;
    size_t n;
    const char *const *alert_periods; /* periods holding an alert's start */
    size_t nalerts;
} chart;

/* A "nice" step (1, 2 or 5 times a power of ten) for about N ticks over RANGE. */
static double nice_step(double range, int n)
{
    double raw = range / n, mag = pow(10, floor(log10(raw))), r = raw / mag;
    return (r < 1.5 ? 1 : r < 3.5 ? 2 : r < 7.5 ? 5 : 10) * mag;
}

static void text_at(cairo_t *cr, double x, double y, const char *s, double align) /* align 0 left .5 centre 1 right */
{
    cairo_text_extents_t te;
    cairo_text_extents(cr, s, &te);
    cairo_move_to(cr, x - align * te.x_advance, y);
    cairo_show_text(cr, s);
}

static void draw_chart(cairo_t *cr, const chart *c)
{
    const double L = 78, R = 62, T = 58, B = 92, pw = CHART_W - L - R, ph = CHART_H - T - B;
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
    cairo_set_font_size(cr, 17);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    text_at(cr, CHART_W / 2.0, 30, c->title, 0.5);
    cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, 11);
    double lo = 0, hi = 0;
    for (size_t i = 0; i < c->n; i++) {
        lo = fmin(lo, c->neg[i]);
        hi = fmax(hi, c->pos[i]);
    }
    if (hi - lo < 1e-9)
        hi = 1, lo = -1;
    double step = nice_step(hi - lo, 6);
    lo = floor(lo / step) * step;
    hi = ceil(hi / step) * step;
    if (lo == 0)
        lo = -step;
    if (hi == 0)
        hi = step;
#define YV(v) (T + ph * (hi - (v)) / (hi - lo))
#define YM(v) (T + ph * (10 - (v)) / 20.0) /* the mean, on the right axis: -10 .. 10 */
    /* grid and left axis: Goldstein sums */
    char buf[64];
    for (double v = lo; v <= hi + step / 2; v += step) {
        double y = YV(v);
        cairo_set_source_rgb(cr, 0.9, 0.9, 0.9);
        cairo_set_line_width(cr, 1);
        cairo_move_to(cr, L, floor(y) + 0.5);
        cairo_line_to(cr, L + pw, floor(y) + 0.5);
        cairo_stroke(cr);
        cairo_set_source_rgb(cr, 0.25, 0.25, 0.25);
        snprintf(buf, sizeof buf, "%g", fabs(v) < step / 1e6 ? 0.0 : v);
        text_at(cr, L - 6, y + 4, buf, 1);
    }
    for (int v = -10; v <= 10; v += 5) { /* right axis: the mean */
        snprintf(buf, sizeof buf, "%d", v);
        cairo_set_source_rgb(cr, 0.2, 0.2, 0.45);
        text_at(cr, L + pw + 6, YM(v) + 4, buf, 0);
    }
    cairo_save(cr);
    cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
    cairo_translate(cr, 22, T + ph / 2);
    cairo_rotate(cr, -M_PI / 2);
    text_at(cr, 0, 0, "Goldstein sum per period", 0.5);
    cairo_restore(cr);
    cairo_save(cr);
    cairo_set_source_rgb(cr, 0.2, 0.2, 0.45);
    cairo_translate(cr, CHART_W - 18, T + ph / 2);
    cairo_rotate(cr, M_PI / 2);
    text_at(cr, 0, 0, "mean Goldstein per event", 0.5);
    cairo_restore(cr);
    /* bars */
    double slot = c->n ? pw / (double)c->n : pw, bw = fmax(1, slot * 0.78);
    for (size_t i = 0; i < c->n; i++) {
        double x = L + slot * (double)i + (slot - bw) / 2;
        if (c->pos[i] > 0) {
            cairo_set_source_rgb(cr, 0.20, 0.55, 0.80);
            cairo_rectangle(cr, x, YV(c->pos[i]), bw, YV(0) - YV(c->pos[i]));
            cairo_fill(cr);
        }
        if (c->neg[i] < 0) {
            cairo_set_source_rgb(cr, 0.85, 0.25, 0.20);
            cairo_rectangle(cr, x, YV(0), bw, YV(c->neg[i]) - YV(0));
            cairo_fill(cr);
        }
    }
    /* zero line, frame */
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    cairo_set_line_width(cr, 1);
    cairo_move_to(cr, L, floor(YV(0)) + 0.5);
    cairo_line_to(cr, L + pw, floor(YV(0)) + 0.5);
    cairo_stroke(cr);
    cairo_set_source_rgb(cr, 0.5, 0.5, 0.5);
    cairo_rectangle(cr, L + 0.5, T + 0.5, pw, ph);
    cairo_stroke(cr);
    /* the mean, over the periods that have events */
    cairo_set_source_rgb(cr, 0.15, 0.15, 0.4);
    cairo_set_line_width(cr, 2);
    bool pen = false;
    for (size_t i = 0; i < c->n; i++) {
        if (!c->p[i].events) {
            pen = false;
            continue;
        }
        double x = L + slot * ((double)i + 0.5), y = YM(c->p[i].goldstein_mean);
        if (pen)
            cairo_line_to(cr, x, y);
        else
            cairo_move_to(cr, x, y);
        pen = true;
        cairo_arc(cr, x, y, 1.5, 0, 2 * M_PI);
        cairo_move_to(cr, x, y);
    }
    cairo_stroke(cr);
    /* alerts: a dashed line at the period where an escalation starts, a marker at the top */
    for (size_t a = 0; a < c->nalerts; a++)
        for (size_t i = 0; i < c->n; i++) {
            if (strcmp(c->p[i].period, c->alert_periods[a]) != 0)
                continue;
            double x = L + slot * ((double)i + 0.5);
            double dash[2] = {5, 4};
            cairo_set_source_rgb(cr, 0.95, 0.55, 0.0);
            cairo_set_line_width(cr, 1.5);
            cairo_set_dash(cr, dash, 2, 0);
            cairo_move_to(cr, x, T);
            cairo_line_to(cr, x, T + ph);
            cairo_stroke(cr);
            cairo_set_dash(cr, NULL, 0, 0);
            cairo_move_to(cr, x - 6, T - 9);
            cairo_line_to(cr, x + 6, T - 9);
            cairo_line_to(cr, x, T);
            cairo_close_path(cr);
            cairo_fill(cr);
        }
    /* x axis: dates, as many as fit */
    cairo_set_source_rgb(cr, 0.25, 0.25, 0.25);
    size_t every = 1;
    while (c->n && slot * (double)every < 80)
        every++;
    for (size_t i = 0; i < c->n; i += every) {
        double x = L + slot * ((double)i + 0.5);
        cairo_move_to(cr, x, T + ph);
        cairo_line_to(cr, x, T + ph + 4);
        cairo_stroke(cr);
        text_at(cr, x, T + ph + 17, c->p[i].period, 0.5);
    }
    /* legend */
    double lx = L, ly = CHART_H - 30;
    struct {
        double r, g, b;
        const char *label;
    } leg[4] = {{0.20, 0.55, 0.80, "cooperation (sum of positive scores)"},
                {0.85, 0.25, 0.20, "conflict (sum of negative scores)"},
                {0.15, 0.15, 0.40, "mean score (right axis)"},
                {0.95, 0.55, 0.00, "alert: escalation starts"}};
    for (int k = 0; k < 4; k++) {
        cairo_set_source_rgb(cr, leg[k].r, leg[k].g, leg[k].b);
        cairo_rectangle(cr, lx, ly - 9, 12, 10);
        cairo_fill(cr);
        cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
        text_at(cr, lx + 17, ly, leg[k].label, 0);
        cairo_text_extents_t te;
        cairo_text_extents(cr, leg[k].label, &te);
        lx += 17 + te.x_advance + 22;
    }
#undef YV
#undef YM
}

static bool write_chart(const chart *c, const char *path, bool png)
{
    cairo_surface_t *sf = png ? cairo_image_surface_create(CAIRO_FORMAT_ARGB32, CHART_W, CHART_H)
                              : cairo_svg_surface_create(path, CHART_W, CHART_H);
    if (cairo_surface_status(sf) != CAIRO_STATUS_SUCCESS) {
        fprintf(stderr, "dyad trend: %s: %s\n", path, cairo_status_to_string(cairo_surface_status(sf)));
        cairo_surface_destroy(sf);
        return false;
    }
    cairo_t *cr = cairo_create(sf);
    draw_chart(cr, c);
    cairo_status_t st = cairo_status(cr);
    cairo_destroy(cr);
    if (st == CAIRO_STATUS_SUCCESS && png)
        st = cairo_surface_write_to_png(sf, path);
    cairo_surface_finish(sf);
    if (st == CAIRO_STATUS_SUCCESS)
        st = cairo_surface_status(sf);
    cairo_surface_destroy(sf);
    if (st != CAIRO_STATUS_SUCCESS) {
        fprintf(stderr, "dyad trend: %s: %s\n", path, cairo_status_to_string(st));
        return false;
    }
    return true;
}

/* ---- dyad trend ------------------------------------------------------------------------------------------------ */

static void trend_usage(FILE *f)
{
    fputs("usage: dyad trend A [B] [--both] [--by day|week|month] [--from DATE] [--to DATE] [--db PATH]\n"
          "                  [--format table|json|csv] [--svg FILE] [--png FILE]\n"
          "  The factual events of A against B (A->B; --both: A->B and B->A), or of A against everyone, per\n"
          "  period: events, per QuadClass (q1 verbal cooperation, q2 material cooperation, q3 verbal conflict,\n"
          "  q4 material conflict), Goldstein sum and mean, material-conflict share, stories. Codes are prefixes\n"
          "  (IRN is every Iranian actor). Empty periods are shown with zeros; without --from/--to, the series\n"
          "  runs from the first to the last event. On a terminal, a sparkline of the Goldstein sum follows.\n"
          "  --svg FILE, --png FILE  draw a chart: cooperation above zero, conflict below, the mean, alerts\n",
          f);
}

static bool prefix_of(const char *prefix, const char *code) { return strncmp(code, prefix, strlen(prefix)) == 0; }

static void sparkline(const dyad_series_point *p, size_t n)
{
    static const char *const bars[8] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
    if (!n)
        return;
    size_t from = n > 160 ? n - 160 : 0;
    double lo = p[from].goldstein_sum, hi = lo;
    for (size_t i = from; i < n; i++) {
        lo = fmin(lo, p[i].goldstein_sum);
        hi = fmax(hi, p[i].goldstein_sum);
    }
    printf("\nGoldstein sum%s: ", from ? " (last 160 periods)" : "");
    for (size_t i = from; i < n; i++) {
        int k = hi > lo ? (int)((p[i].goldstein_sum - lo) / (hi - lo) * 7.999) : 3;
        fputs(bars[k < 0 ? 0 : k > 7 ? 7 : k], stdout);
    }
    printf("  (%.1f .. %.1f)\n", lo, hi);
}

int cmd_trend(int argc, char **argv)
{
    dyad_series_query q = {.factual_only = 1, .by = DYAD_BY_DAY};
    const char *db = NULL, *fmt = "table", *svg = NULL, *png = NULL, *v;
    const char *pos[2] = {NULL, NULL};
    int npos = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            trend_usage(stdout);
            return 0;
        } else if (strcmp(argv[i], "--both") == 0) {
            q.both = 1;
        } else if (cli_opt(argc, argv, &i, "--by", &v)) {
            if (strcmp(v, "day") == 0)
                q.by = DYAD_BY_DAY;
            else if (strcmp(v, "week") == 0)
                q.by = DYAD_BY_WEEK;
            else if (strcmp(v, "month") == 0)
                q.by = DYAD_BY_MONTH;
            else {
                fprintf(stderr, "dyad trend: --by wants day, week or month\n");
                return 2;
            }
        } else if (cli_opt(argc, argv, &i, "--from", &v)) {
            q.from = v;
        } else if (cli_opt(argc, argv, &i, "--to", &v)) {
            q.to = v;
        } else if (cli_opt(argc, argv, &i, "--db", &v)) {
            db = v;
        } else if (cli_opt(argc, argv, &i, "--format", &v)) {
            fmt = v;
        } else if (cli_opt(argc, argv, &i, "--svg", &v)) {
            svg = v;
        } else if (cli_opt(argc, argv, &i, "--png", &v)) {
            png = v;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "dyad trend: unknown option '%s'\n", argv[i]);
            trend_usage(stderr);
            return 2;
        } else if (npos < 2) {
            pos[npos++] = argv[i];
        } else {
            fprintf(stderr, "dyad trend: at most two actor codes (A and B)\n");
            return 2;
        }
    }
    q.a = pos[0];
    q.b = pos[1];
    const char *bad = NULL;
    if (!q.a)
        bad = "an actor code is needed (dyad trend IRN USA)";
    else if (!code_ok(q.a) || (q.b && !code_ok(q.b)))
        bad = "actor codes are capitals and digits (IRN, USAGOV)";
    else if (q.both && !q.b)
        bad = "--both needs two actors";
    else if (q.from && !dyad_date_valid(q.from))
        bad = "--from wants a date YYYY-MM-DD";
    else if (q.to && !dyad_date_valid(q.to))
        bad = "--to wants a date YYYY-MM-DD";
    else if (q.from && q.to && strcmp(q.from, q.to) > 0)
        bad = "--from is after --to";
    else if (strcmp(fmt, "table") && strcmp(fmt, "json") && strcmp(fmt, "csv"))
        bad = "--format wants table, json or csv";
    if (bad) {
        fprintf(stderr, "dyad trend: %s\n", bad);
        return 2;
    }
    dyad_store *s = open_store(db);
    if (!s)
        return 1;
    dyad_series_point *p = NULL;
    double *neg = NULL, *posv = NULL;
    size_t n = 0;
    if (dyad_series_split(s, &q, &p, &neg, &posv, &n) != DYAD_STORE_OK) {
        fprintf(stderr, "dyad: %s: %s\n", db_path(db), dyad_store_errmsg(s));
        dyad_store_free(s);
        return 1;
    }
    static const char *const bynames[3] = {"day", "week", "month"};
    if (strcmp(fmt, "json") == 0) {
        printf("{\"a\":");
        json_str(stdout, q.a);
        printf(",\"b\":");
        if (q.b)
            json_str(stdout, q.b);
        else
            printf("null");
        printf(",\"both\":%s,\"by\":\"%s\",\"points\":[", q.both ? "true" : "false", bynames[q.by]);
        for (size_t i = 0; i < n; i++)
            printf("%s{\"period\":\"%s\",\"events\":%lld,\"quad\":[%lld,%lld,%lld,%lld],\"goldstein_sum\":%.4g,"
                   "\"goldstein_mean\":%.4g,\"material_conflict_share\":%.4g,\"stories\":%lld,\"mentions\":%lld}",
                   i ? "," : "", p[i].period, (long long)p[i].events, (long long)p[i].quad[0],
                   (long long)p[i].quad[1], (long long)p[i].quad[2], (long long)p[i].quad[3], p[i].goldstein_sum,
                   p[i].goldstein_mean, p[i].material_conflict_share, (long long)p[i].stories,
                   (long long)p[i].mentions);
        printf("]}\n");
    } else if (strcmp(fmt, "csv") == 0) {
        printf("period,events,q1,q2,q3,q4,goldstein_sum,goldstein_mean,material_conflict_share,stories,mentions\n");
        for (size_t i = 0; i < n; i++)
            printf("%s,%lld,%lld,%lld,%lld,%lld,%.1f,%.2f,%.3f,%lld,%lld\n", p[i].period, (long long)p[i].events,
                   (long long)p[i].quad[0], (long long)p[i].quad[1], (long long)p[i].quad[2], (long long)p[i].quad[3],
                   p[i].goldstein_sum, p[i].goldstein_mean, p[i].material_conflict_share, (long long)p[i].stories,
                   (long long)p[i].mentions);
    } else {
        printf("%-10s %7s %5s %5s %5s %5s %9s %6s %6s %7s\n", "period", "events", "q1", "q2", "q3", "q4", "gold.sum",
               "mean", "mc%", "stories");
        for (size_t i = 0; i < n; i++)
            printf("%-10s %7lld %5lld %5lld %5lld %5lld %9.1f %6.2f %5.1f%% %7lld\n", p[i].period,
                   (long long)p[i].events, (long long)p[i].quad[0], (long long)p[i].quad[1], (long long)p[i].quad[2],
                   (long long)p[i].quad[3], p[i].goldstein_sum, p[i].goldstein_mean,
                   100 * p[i].material_conflict_share, (long long)p[i].stories);
        if (!n)
            printf("(no events)\n");
        if (isatty(1))
            sparkline(p, n);
    }
    int rc = 0;
    if ((svg || png) && n) {
        /* the alerts of the dyad's full codes, marked at the period of their start */
        dyad_alert *al = NULL;
        size_t nal = 0;
        const char **marks = NULL;
        size_t nm = 0;
        if (dyad_alerts(s, NULL, &al, &nal) == DYAD_STORE_OK && nal && (marks = calloc(nal, sizeof *marks))) {
            for (size_t i = 0; i < nal; i++) {
                bool fwd = prefix_of(q.a, al[i].source) && (!q.b || prefix_of(q.b, al[i].target));
                bool back = q.b ? q.both && prefix_of(q.b, al[i].source) && prefix_of(q.a, al[i].target)
                                : prefix_of(q.a, al[i].target);
                if (!fwd && !back)
                    continue;
                for (size_t k = 0; k < n; k++) /* the period holding the start: the last that begins before it */
                    if (strcmp(p[k].period, al[i].start) <= 0 && (k + 1 == n || strcmp(p[k + 1].period, al[i].start) > 0)) {
                        if (strcmp(al[i].start, p[0].period) >= 0)
                            marks[nm++] = p[k].period;
                        break;
                    }
            }
        }
        char title[160];
        snprintf(title, sizeof title, "%s %s %s: Goldstein by %s, %s to %s", q.a, q.b ? (q.both ? "<->" : "->") : "and",
                 q.b ? q.b : "everyone", bynames[q.by], p[0].period, p[n - 1].period);
        chart c = {title, p, neg, posv, n, marks, nm};
        if ((svg && !write_chart(&c, svg, false)) || (png && !write_chart(&c, png, true)))
            rc = 1;
        cairo_debug_reset_static_data(); /* cairo's and fontconfig's caches: nothing left for leak checkers */
        FcFini();
        free(marks);
        free(al);
    } else if (svg || png) {
        fprintf(stderr, "dyad trend: no events: no chart drawn\n");
    }
    free(p);
    free(neg);
    free(posv);
    dyad_store_free(s);
    if (fflush(stdout) != 0) {
        perror("dyad: stdout");
        return 1;
    }
    return rc;
}

/* ---- dyad top ---------------------------------------------------------------------------------------------------- */

static void top_usage(FILE *f)
{
    fputs("usage: dyad top [--by conflict|cooperation|volume|change] [--from DATE] [--to DATE] [--limit N]\n"
          "                [--db PATH] [--format table|json|csv]\n"
          "  The directed dyads (full codes) that matter between --from and --to (default: the last 30 days of\n"
          "  the data), by factual events: conflict ranks by minus the Goldstein sum of the negative events,\n"
          "  cooperation by the sum of the positive ones, volume by events, change by how far the Goldstein sum\n"
          "  moved from the window before (of the same length), either way. --limit: rows (default 20).\n",
          f);
}

int cmd_top(int argc, char **argv)
{
    const char *db = NULL, *from = NULL, *to = NULL, *fmt = "table", *v;
    dyad_top_by by = DYAD_TOP_CONFLICT;
    long long limit = 20;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            top_usage(stdout);
            return 0;
        } else if (cli_opt(argc, argv, &i, "--by", &v)) {
            if (strcmp(v, "conflict") == 0)
                by = DYAD_TOP_CONFLICT;
            else if (strcmp(v, "cooperation") == 0)
                by = DYAD_TOP_COOPERATION;
            else if (strcmp(v, "volume") == 0)
                by = DYAD_TOP_VOLUME;
            else if (strcmp(v, "change") == 0)
                by = DYAD_TOP_CHANGE;
            else {
                fprintf(stderr, "dyad top: --by wants conflict, cooperation, volume or change\n");
                return 2;
            }
        } else if (cli_opt(argc, argv, &i, "--from", &v)) {
            from = v;
        } else if (cli_opt(argc, argv, &i, "--to", &v)) {
            to = v;
        } else if (cli_opt(argc, argv, &i, "--db", &v)) {
            db = v;
        } else if (cli_opt(argc, argv, &i, "--format", &v)) {
            fmt = v;
        } else if (cli_opt(argc, argv, &i, "--limit", &v)) {
            char *end;
            limit = strtoll(v, &end, 10);
            if (*end || limit < 1) {
                fprintf(stderr, "dyad top: --limit wants a positive number\n");
                return 2;
            }
        } else {
            fprintf(stderr, "dyad top: unknown argument '%s'\n", argv[i]);
            top_usage(stderr);
            return 2;
        }
    }
    if ((from && !dyad_date_valid(from)) || (to && !dyad_date_valid(to))) {
        fprintf(stderr, "dyad top: --from and --to want dates YYYY-MM-DD\n");
        return 2;
    }
    if (strcmp(fmt, "table") && strcmp(fmt, "json") && strcmp(fmt, "csv")) {
        fprintf(stderr, "dyad top: --format wants table, json or csv\n");
        return 2;
    }
    dyad_store *s = open_store(db);
    if (!s)
        return 1;
    dyad_top_row *r = NULL;
    size_t n = 0;
    if (dyad_top(s, by, from, to, (size_t)limit, &r, &n) != DYAD_STORE_OK) {
        fprintf(stderr, "dyad: %s: %s\n", db_path(db), dyad_store_errmsg(s));
        dyad_store_free(s);
        return 1;
    }
    static const char *const names[4] = {"conflict", "cooperation", "volume", "change"};
    if (strcmp(fmt, "json") == 0) {
        printf("{\"by\":\"%s\",\"dyads\":[", names[by]);
        for (size_t i = 0; i < n; i++) {
            printf("%s{\"source\":", i ? "," : "");
            json_str(stdout, r[i].source);
            printf(",\"target\":");
            json_str(stdout, r[i].target);
            printf(",\"events\":%lld,\"goldstein_sum\":%.4g,\"score\":%.4g}", (long long)r[i].events,
                   r[i].goldstein_sum, r[i].score);
        }
        printf("]}\n");
    } else if (strcmp(fmt, "csv") == 0) {
        printf("rank,source,target,events,goldstein_sum,score\n");
        for (size_t i = 0; i < n; i++)
            printf("%zu,%s,%s,%lld,%.1f,%.1f\n", i + 1, r[i].source, r[i].target, (long long)r[i].events,
                   r[i].goldstein_sum, r[i].score);
    } else {
        printf("%4s  %-12s %-12s %7s %9s %9s\n", "rank", "source", "target", "events", "gold.sum", names[by]);
        for (size_t i = 0; i < n; i++)
            printf("%4zu  %-12s %-12s %7lld %9.1f %9.1f\n", i + 1, r[i].source, r[i].target, (long long)r[i].events,
                   r[i].goldstein_sum, r[i].score);
        if (!n)
            printf("(no events in the window)\n");
    }
    free(r);
    dyad_store_free(s);
    return 0;
}

/* ---- dyad alerts ------------------------------------------------------------------------------------------------- */

typedef struct evidence {
    const dyad_alert *a;
    char *text[DYAD_ALERT_EVENTS];
    char date[DYAD_ALERT_EVENTS][11];
    char cameo[DYAD_ALERT_EVENTS][8];
    double goldstein[DYAD_ALERT_EVENTS];
} evidence;

static int evidence_row(const dyad_store_row *row, void *ctx)
{
    evidence *e = ctx;
    for (size_t i = 0; i < e->a->nevents; i++)
        if (e->a->events[i] == row->id && !e->text[i]) {
            e->text[i] = strdup(row->evidence_text ? row->evidence_text : "");
            snprintf(e->date[i], sizeof e->date[i], "%s", row->story.date ? row->story.date : "");
            snprintf(e->cameo[i], sizeof e->cameo[i], "%s", row->ev.cameo);
            e->goldstein[i] = row->ev.goldstein;
        }
    return 0;
}

int cmd_alerts(int argc, char **argv)
{
    const char *db = NULL, *since = NULL, *fmt = "table", *v;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs("usage: dyad alerts [--since DATE] [--db PATH] [--format table|json]\n"
                  "  Escalations of every directed dyad with enough history (10 factual events, 4 weeks), detected\n"
                  "  on days from --since on: a CUSUM on daily material-conflict counts and on the negated Goldstein\n"
                  "  sum against an adaptive baseline, and a Poisson surprise for sparse dyads (docs/alerts.md).\n"
                  "  Each alert: dyad, start, detection day, score, method, and the sentences of the events that\n"
                  "  drove it (most negative first).\n",
                  stdout);
            return 0;
        } else if (cli_opt(argc, argv, &i, "--since", &v)) {
            since = v;
        } else if (cli_opt(argc, argv, &i, "--db", &v)) {
            db = v;
        } else if (cli_opt(argc, argv, &i, "--format", &v)) {
            fmt = v;
        } else {
            fprintf(stderr, "dyad alerts: unknown argument '%s'\nusage: dyad alerts [--since DATE] [--db PATH]\n",
                    argv[i]);
            return 2;
        }
    }
    if (since && !dyad_date_valid(since)) {
        fprintf(stderr, "dyad alerts: --since wants a date YYYY-MM-DD\n");
        return 2;
    }
    if (strcmp(fmt, "table") && strcmp(fmt, "json")) {
        fprintf(stderr, "dyad alerts: --format wants table or json\n");
        return 2;
    }
    bool json = strcmp(fmt, "json") == 0;
    dyad_store *s = open_store(db);
    if (!s)
        return 1;
    dyad_alert *a = NULL;
    size_t n = 0;
    if (dyad_alerts(s, since, &a, &n) != DYAD_STORE_OK) {
        fprintf(stderr, "dyad: %s: %s\n", db_path(db), dyad_store_errmsg(s));
        dyad_store_free(s);
        return 1;
    }
    int rc = 0;
    if (json)
        printf("{\"alerts\":[");
    for (size_t i = 0; i < n; i++) {
        evidence e = {.a = &a[i]};
        dyad_store_filter f = {.from = a[i].start, .to = a[i].detected, .dyad_source = a[i].source,
                               .dyad_target = a[i].target, .modality = "factual"};
        if (a[i].nevents && dyad_store_query(s, &f, evidence_row, &e) != DYAD_STORE_OK) {
            fprintf(stderr, "dyad: %s: %s\n", db_path(db), dyad_store_errmsg(s));
            rc = 1;
        }
        if (json) {
            printf("%s{\"source\":", i ? "," : "");
            json_str(stdout, a[i].source);
            printf(",\"target\":");
            json_str(stdout, a[i].target);
            printf(",\"start\":\"%s\",\"detected\":\"%s\",\"score\":%.2f,\"method\":\"%s\",\"events\":[", a[i].start,
                   a[i].detected, a[i].score, a[i].method);
            for (size_t k = 0; k < a[i].nevents; k++) {
                printf("%s{\"id\":%lld,\"date\":\"%s\",\"cameo\":\"%s\",\"goldstein\":%.1f,\"sentence\":", k ? "," : "",
                       (long long)a[i].events[k], e.date[k], e.cameo[k], e.goldstein[k]);
                json_str(stdout, e.text[k]);
                printf("}");
            }
            printf("]}");
        } else {
            printf("%s -> %s  start %s  detected %s  score %.2f  %s\n", a[i].source, a[i].target, a[i].start,
                   a[i].detected, a[i].score, a[i].method);
            for (size_t k = 0; k < a[i].nevents; k++)
                printf("    %s  %-4s %5.1f  %s\n", e.date[k], e.cameo[k], e.goldstein[k], e.text[k] ? e.text[k] : "");
        }
        for (size_t k = 0; k < DYAD_ALERT_EVENTS; k++)
            free(e.text[k]);
    }
    if (json)
        printf("]}\n");
    else if (!n)
        printf("(no alerts)\n");
    free(a);
    dyad_store_free(s);
    return rc;
}
