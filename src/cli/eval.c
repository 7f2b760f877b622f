/*
 * eval.c - `dyad eval`: code gold records and score the events against them (rules in
 * docs/evaluation.md). Reads gold JSONL ({"id","date","text","expected_events":[{source,target,code}]})
 * and the seed's must/forbidden rules (expected.json). With --min-* floors it fails when a figure drops.
 */
#include "cli.h"

#include "internal.h"
#include <jansson.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct triple {
    char s[16], t[16], c[8];
} triple;

typedef struct gold_rec {
    triple *want;
    size_t nwant;
} gold_rec;

typedef struct eval_run {
    coder_pool *pool;
    const dyad_dict *d;
    dyad_coder *coder;
    bool verbose;
    size_t records, exact, errors;
    size_t tp, fp, fn, rtp, rfp, rfn;
    size_t root_tp[21], root_fp[21], root_fn[21];
    sbuf details;
} eval_run;

static void *keep_expected(void *obj, void *ctx)
{
    (void)ctx;
    json_t *arr = json_object_get((json_t *)obj, "expected_events");
    gold_rec *g = calloc(1, sizeof *g);
    if (!g)
        return NULL;
    if (!arr || !json_is_array(arr))
        return g;
    size_t n = json_array_size(arr);
    g->want = calloc(n ? n : 1, sizeof *g->want);
    for (size_t i = 0; g->want && i < n; i++) {
        json_t *e = json_array_get(arr, i);
        const char *s = json_string_value(json_object_get(e, "source"));
        const char *t = json_string_value(json_object_get(e, "target"));
        const char *c = json_string_value(json_object_get(e, "code"));
        if (!s || !c)
            continue;
        triple *w = &g->want[g->nwant++];
        snprintf(w->s, sizeof w->s, "%s", s);
        snprintf(w->t, sizeof w->t, "%s", t ? t : "");
        snprintf(w->c, sizeof w->c, "%s", c);
    }
    return g;
}

static bool triple_eq(const triple *a, const triple *b, bool root)
{
    return strcmp(a->s, b->s) == 0 && strcmp(a->t, b->t) == 0 &&
           (root ? strncmp(a->c, b->c, 2) == 0 : strcmp(a->c, b->c) == 0);
}

static bool in_set(const triple *x, const triple *set, size_t n, bool root)
{
    for (size_t i = 0; i < n; i++)
        if (triple_eq(x, &set[i], root))
            return true;
    return false;
}

/* Distinct triples of SRC into DST (root-level when ROOT). */
static size_t distinct(const triple *src, size_t n, triple *dst, bool root)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        triple t = src[i];
        if (root)
            t.c[2] = 0;
        if (!in_set(&t, dst, m, root))
            dst[m++] = t;
    }
    return m;
}

static int root_of(const char *c) { int r = (c[0] - '0') * 10 + (c[1] - '0'); return r >= 1 && r <= 20 ? r : 0; }

static bool on_gold(story_rec *r, void *ctx)
{
    eval_run *ev = ctx;
    gold_rec *g = r->extra;
    const dyad_event *e;
    size_t n;
    ev->records++;
    if (!r->s.id) /* from the XML reader: the strings are in place, the story not yet made */
        r->s = (dyad_story){r->owned[0] ? r->owned[0] : "", r->owned[1] ? r->owned[1] : "",
                            r->owned[2] ? r->owned[2] : "", r->owned[2] ? strlen(r->owned[2]) : 0, NULL, NULL, NULL};
    if (dyad_code(ev->coder, &r->s, &e, &n) != DYAD_OK) {
        fprintf(stderr, "dyad eval: %s: %s\n", r->where, dyad_coder_errmsg(ev->coder));
        ev->errors++;
        n = 0;
    }
    triple *have = calloc(n + 1, sizeof *have), *hd = calloc(n + 1, sizeof *hd);
    size_t nw = g ? g->nwant : 0;
    triple *wd = calloc(nw + 1, sizeof *wd);
    size_t nh = 0;
    for (size_t i = 0; i < n; i++) {
        if (e[i].modality != DYAD_FACTUAL)
            continue; /* only factual events are scored against gold */
        triple *t = &have[nh++];
        snprintf(t->s, sizeof t->s, "%s", e[i].source.code);
        snprintf(t->t, sizeof t->t, "%s", e[i].target.code);
        snprintf(t->c, sizeof t->c, "%s", e[i].cameo);
    }
    for (int root = 0; root < 2; root++) {
        size_t a = distinct(have, nh, hd, root), b = distinct(g ? g->want : NULL, nw, wd, root);
        size_t tp = 0;
        for (size_t i = 0; i < a; i++)
            tp += in_set(&hd[i], wd, b, root);
        if (!root) {
            ev->tp += tp, ev->fp += a - tp, ev->fn += b - tp;
            ev->exact += (tp == a && tp == b);
            for (size_t i = 0; i < a; i++) {
                bool hit = in_set(&hd[i], wd, b, false);
                int rt = root_of(hd[i].c);
                if (!hit) ev->root_fp[rt]++; else ev->root_tp[rt]++;
                if (!hit && ev->verbose)
                    sbuf_addf(&ev->details, "extra  %s  %s>%s %s  | %.*s\n", r->s.id, hd[i].s, hd[i].t[0] ? hd[i].t : "-",
                              hd[i].c, (int)(r->s.text_len < 200 ? r->s.text_len : 200), r->s.text);
            }
            for (size_t i = 0; i < b; i++)
                if (!in_set(&wd[i], hd, a, false)) {
                    ev->root_fn[root_of(wd[i].c)]++;
                    if (ev->verbose)
                        sbuf_addf(&ev->details, "missed %s  %s>%s %s  | %.*s\n", r->s.id, wd[i].s, wd[i].t[0] ? wd[i].t : "-",
                                  wd[i].c, (int)(r->s.text_len < 200 ? r->s.text_len : 200), r->s.text);
                }
        } else {
            ev->rtp += tp, ev->rfp += a - tp, ev->rfn += b - tp;
        }
    }
    free(have);
    free(hd);
    free(wd);
    if (g) {
        free(g->want);
        free(g);
    }
    r->extra = NULL;
    story_rec_free(r);
    return true;
}

static void on_err(const char *msg, void *ctx)
{
    eval_run *ev = ctx;
    ev->errors++;
    fprintf(stderr, "dyad eval: %s\n", msg);
}

static double ratio(size_t a, size_t b) { return b ? (double)a / (double)b : 0.0; }
static double f1(size_t tp, size_t fp, size_t fn)
{
    double p = ratio(tp, tp + fp), r = ratio(tp, tp + fn);
    return p + r > 0 ? 2 * p * r / (p + r) : 0.0;
}

/* ---- PETRARCH's XML validation records ------------------------------------------------------------------ */

/* The value of attribute NAME in the tag [p, e), unescaped into OUT. */
static bool xml_attr(const char *p, const char *e, const char *name, char *out, size_t cap)
{
    size_t n = strlen(name);
    for (const char *q = p; q + n + 2 < e; q++) {
        if (memcmp(q, name, n) != 0 || (q > p && q[-1] != ' ' && q[-1] != '\t' && q[-1] != '\n'))
            continue;
        const char *r = q + n;
        while (r < e && (*r == ' ' || *r == '\t'))
            r++;
        if (r >= e || *r != '=')
            continue;
        r++;
        while (r < e && (*r == ' ' || *r == '\t'))
            r++;
        if (r >= e || (*r != '"' && *r != '\''))
            continue;
        char quote = *r++;
        const char *v = r;
        while (r < e && *r != quote)
            r++;
        snprintf(out, cap, "%.*s", (int)(r - v), v);
        return true;
    }
    return false;
}

/* Text between tags: entities decoded, runs of white space made one space, trimmed. */
static char *xml_text(const char *p, const char *e)
{
    char *o = malloc((size_t)(e - p) + 1), *w = o;
    if (!o)
        return NULL;
    bool space = true;
    while (p < e) {
        char ch = *p;
        if (ch == '&') {
            static const struct { const char *ent; char ch; } ents[] = {
                {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
            size_t k;
            for (k = 0; k < 5; k++) {
                size_t l = strlen(ents[k].ent);
                if ((size_t)(e - p) >= l && memcmp(p, ents[k].ent, l) == 0) {
                    *w++ = ents[k].ch;
                    p += l;
                    space = false;
                    break;
                }
            }
            if (k < 5)
                continue;
        }
        if (ch == ' ' || ch == '\n' || ch == '\t' || ch == '\r') {
            if (!space)
                *w++ = ' ';
            space = true;
        } else {
            *w++ = ch;
            space = false;
        }
        p++;
    }
    while (w > o && w[-1] == ' ')
        w--;
    *w = 0;
    return o;
}

static size_t read_petrarch_xml(const char *path, eval_run *ev)
{
    sbuf b = {0};
    int rc = sbuf_read_file(&b, path);
    if (rc) {
        free(b.s);
        fprintf(stderr, "dyad eval: %s: %s\n", path, strerror(rc));
        return 1;
    }
    const char *p = b.s, *end = b.s + b.len;
    story_rec *cur = NULL;
    size_t errors = 0, line = 1;
    const char *line_at = p;
    while (p && p < end) {
        const char *lt = memchr(p, '<', (size_t)(end - p));
        if (!lt)
            break;
        for (; line_at < lt; line_at++)
            line += *line_at == '\n';
        if (end - lt >= 4 && memcmp(lt, "<!--", 4) == 0) { /* comments may hold tags: skip whole */
            const char *ce = strstr(lt + 4, "-->");
            p = ce ? ce + 3 : end;
            continue;
        }
        const char *gt = memchr(lt, '>', (size_t)(end - lt));
        if (!gt)
            break;
        bool is_sentence = (size_t)(end - lt) > 10 && memcmp(lt, "<Sentence ", 10) == 0;
        bool closing = (size_t)(end - lt) > 11 && memcmp(lt, "</Sentences", 11) == 0;
        if ((is_sentence || closing) && cur) {
            on_gold(cur, ev);
            cur = NULL;
        }
        if (is_sentence) {
            char id[128] = "", date[32] = "";
            xml_attr(lt, gt, "id", id, sizeof id);
            xml_attr(lt, gt, "date", date, sizeof date);
            cur = calloc(1, sizeof *cur);
            gold_rec *g = calloc(1, sizeof *g);
            if (!cur || !g) {
                free(g);
                break;
            }
            cur->extra = g;
            cur->owned[0] = strdup(id);
            if (strlen(date) == 8 && (cur->owned[1] = malloc(11)))
                snprintf(cur->owned[1], 11, "%.4s-%.2s-%.2s", date, date + 4, date + 6);
            else
                cur->owned[1] = strdup(date);
            snprintf(cur->where, sizeof cur->where, "%s:%zu", path, line);
        } else if (cur && (size_t)(end - lt) > 12 && memcmp(lt, "<EventCoding", 12) == 0) {
            gold_rec *g = cur->extra;
            char sc[16] = "", tc[16] = "", ec[8] = "", noev[16] = "";
            if (xml_attr(lt, gt, "noevents", noev, sizeof noev))
                ;
            else if (xml_attr(lt, gt, "eventcode", ec, sizeof ec)) {
                xml_attr(lt, gt, "sourcecode", sc, sizeof sc);
                xml_attr(lt, gt, "targetcode", tc, sizeof tc);
                triple *nw = realloc(g->want, (g->nwant + 1) * sizeof *nw);
                if (nw) {
                    g->want = nw;
                    triple *t = &g->want[g->nwant++];
                    memset(t, 0, sizeof *t);
                    snprintf(t->s, sizeof t->s, "%s", sc);
                    snprintf(t->t, sizeof t->t, "%s", tc);
                    snprintf(t->c, sizeof t->c, "%s", ec);
                }
            }
        } else if (cur && (size_t)(end - lt) >= 6 && memcmp(lt, "<Text>", 6) == 0) {
            const char *te = strstr(gt + 1, "</Text>");
            if (!te) {
                fprintf(stderr, "dyad eval: %s:%zu: <Text> without </Text>\n", path, line);
                errors++;
                break;
            }
            free(cur->owned[2]);
            cur->owned[2] = xml_text(gt + 1, te);
            gt = te + 6;
        }
        p = gt + 1;
    }
    if (cur)
        on_gold(cur, ev);
    free(b.s);
    return errors;
}

/* ---- the seed's must / forbidden rules ----------------------------------------------------------------- */

static bool code_accepted(const char *code, json_t *list)
{
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v) {
        const char *a = json_string_value(v);
        if (!a)
            continue;
        size_t n = strlen(a);
        if (n && a[n - 1] == '$') {
            if (strlen(code) == n - 1 && strncmp(code, a, n - 1) == 0)
                return true;
        } else if (strncmp(code, a, n) == 0) {
            return true;
        }
    }
    return false;
}

static bool rule_ok(const dyad_event *e, json_t *rule, bool need_factual)
{
    json_t *v;
    if ((v = json_object_get(rule, "source")) && !code_accepted(e->source.code, v))
        return false;
    if ((v = json_object_get(rule, "target")) && !code_accepted(e->target.code, v))
        return false;
    if ((v = json_object_get(rule, "cameo"))) {
        bool any = false;
        size_t i;
        json_t *c;
        json_array_foreach(v, i, c) any |= json_string_value(c) && strcmp(json_string_value(c), e->cameo) == 0;
        if (!any)
            return false;
    }
    if ((v = json_object_get(rule, "root"))) {
        bool any = false;
        size_t i;
        json_t *c;
        json_array_foreach(v, i, c) any |= json_string_value(c) && strncmp(json_string_value(c), e->cameo, 2) == 0;
        if (!any)
            return false;
    }
    return !need_factual || e->modality == DYAD_FACTUAL;
}

static int eval_seed(json_t *exp, const char *path, const dyad_dict *d, bool as_json, long min_must, long max_forbidden)
{
    const char *story = json_string_value(json_object_get(exp, "story"));
    const char *id = json_string_value(json_object_get(exp, "story_id"));
    const char *date = json_string_value(json_object_get(exp, "date"));
    if (!story || !id || !date) {
        fprintf(stderr, "dyad eval: %s: want \"story\", \"story_id\" and \"date\"\n", path);
        return 1;
    }
    char full[4096];
    const char *slash = strrchr(path, '/');
    snprintf(full, sizeof full, "%.*s%s", slash ? (int)(slash - path + 1) : 0, path, story);
    sbuf text = {0};
    int rc0 = sbuf_read_file(&text, full);
    if (rc0) {
        free(text.s);
        fprintf(stderr, "dyad eval: %s: %s\n", full, strerror(rc0));
        return 1;
    }
    dyad_coder *c = dyad_coder_new(d);
    dyad_story s = {id, date, text.s ? text.s : "", text.len, NULL, NULL, NULL};
    const dyad_event *ev;
    size_t ne;
    if (dyad_code(c, &s, &ev, &ne) != DYAD_OK) {
        fprintf(stderr, "dyad eval: %s: %s\n", full, dyad_coder_errmsg(c));
        dyad_coder_free(c);
        free(text.s);
        return 1;
    }
    json_t *must = json_object_get(exp, "must"), *forb = json_object_get(exp, "forbidden");
    size_t got = 0, nmust = json_array_size(must), nforb = 0, i;
    json_t *rule;
    sbuf missed = {0}, forbidden = {0};
    json_array_foreach(must, i, rule) {
        bool ok = false;
        for (size_t k = 0; k < ne && !ok; k++)
            ok = rule_ok(&ev[k], rule, true);
        if (ok)
            got++;
        else
            sbuf_addf(&missed, "%s%s", missed.len ? ", " : "", json_string_value(json_object_get(rule, "id")));
    }
    json_array_foreach(forb, i, rule) {
        const char *hint = json_string_value(json_object_get(rule, "sentence_hint"));
        json_t *unless = json_object_get(rule, "unless_modality");
        for (size_t k = 0; k < ne; k++) {
            if (!rule_ok(&ev[k], rule, false))
                continue;
            bool excused = false;
            size_t u;
            json_t *m;
            json_array_foreach(unless, u, m) excused |= strcmp(json_string_value(m), dyad_modality_name(ev[k].modality)) == 0;
            if (excused)
                continue;
            if (hint) {
                size_t hl = strlen(hint) < 20 ? strlen(hint) : 20;
                const char *evs = s.text + ev[k].evidence.start;
                size_t el = ev[k].evidence.end - ev[k].evidence.start;
                bool found = false;
                for (size_t q = 0; q + hl <= el && !found; q++)
                    found = memcmp(evs + q, hint, hl) == 0;
                if (!found)
                    continue;
            }
            nforb++;
            sbuf_addf(&forbidden, "%s%s", forbidden.len ? ", " : "", json_string_value(json_object_get(rule, "id")));
            break;
        }
    }
    if (as_json) {
        printf("{\"kind\":\"seed\",\"file\":\"%s\",\"must\":%zu,\"must_total\":%zu,\"forbidden\":%zu,\"events\":%zu}\n", path,
               got, nmust, nforb, ne);
    } else {
        for (size_t k = 0; k < ne; k++)
            printf("event %-8s %-8s %-5s %-12s %.*s\n", ev[k].source.code, ev[k].target.code[0] ? ev[k].target.code : "-",
                   ev[k].cameo, dyad_modality_name(ev[k].modality),
                   (int)(ev[k].trigger.end - ev[k].trigger.start), s.text + ev[k].trigger.start);
        printf("missed: %s\nforbidden coded: %s\n", missed.len ? missed.s : "-", forbidden.len ? forbidden.s : "-");
        printf("seed: %zu/%zu must, %zu forbidden, %zu events\n", got, nmust, nforb, ne);
    }
    int rc = 0;
    if (min_must >= 0 && (long)got < min_must) {
        fprintf(stderr, "dyad eval: FLOOR: %zu must events, floor %ld\n", got, min_must);
        rc = 1;
    }
    if (max_forbidden >= 0 && (long)nforb > max_forbidden) {
        fprintf(stderr, "dyad eval: FLOOR: %zu forbidden events, at most %ld\n", nforb, max_forbidden);
        rc = 1;
    }
    free(missed.s);
    free(forbidden.s);
    free(text.s);
    dyad_coder_free(c);
    return rc;
}

static void eval_usage(FILE *f)
{
    fputs("usage: dyad eval --gold FILE [--dicts DIR] [--verbose] [--json] [floors]\n"
          "  FILE is gold JSONL ({\"id\",\"date\",\"text\",\"expected_events\":[{\"source\",\"target\",\"code\"}]})\n"
          "  PETRARCH's XML validation records (*.xml), or a seed expected.json (must / forbidden rules).\n"
          "  Prints records exactly right, precision / recall / F1 at code and root level, a per-root table;\n"
          "  --verbose lists each missed and extra event with its sentence; --json prints one JSON object.\n"
          "floors (exit 1 when a figure is below): --min-exact X --min-f1 X --min-root-f1 X (0..1),\n"
          "  --min-must N --max-forbidden N (seed)\n",
          f);
}

int cmd_eval(int argc, char **argv)
{
    const char *gold = NULL, *dicts = NULL, *v;
    bool verbose = false, as_json = false;
    double min_exact = -1, min_f1 = -1, min_rf1 = -1;
    long min_must = -1, max_forb = -1;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            eval_usage(stdout);
            return 0;
        } else if (cli_opt(argc, argv, &i, "--gold", &v)) gold = v;
        else if (cli_opt(argc, argv, &i, "--dicts", &v)) dicts = v;
        else if (strcmp(argv[i], "--verbose") == 0 || strcmp(argv[i], "-v") == 0) verbose = true;
        else if (strcmp(argv[i], "--json") == 0) as_json = true;
        else if (cli_opt(argc, argv, &i, "--min-exact", &v)) min_exact = atof(v);
        else if (cli_opt(argc, argv, &i, "--min-f1", &v)) min_f1 = atof(v);
        else if (cli_opt(argc, argv, &i, "--min-root-f1", &v)) min_rf1 = atof(v);
        else if (cli_opt(argc, argv, &i, "--min-must", &v)) min_must = atol(v);
        else if (cli_opt(argc, argv, &i, "--max-forbidden", &v)) max_forb = atol(v);
        else {
            fprintf(stderr, "dyad eval: unknown argument '%s'\n", argv[i]);
            eval_usage(stderr);
            return 2;
        }
    }
    if (!gold) {
        eval_usage(stderr);
        return 2;
    }
    dyad_dict *d = cli_load_dict(dicts, NULL);
    if (!d)
        return 1;
    int rc = 0;
    /* a seed file is one JSON object with "must" */
    json_error_t je;
    json_t *whole = json_load_file(gold, 0, &je);
    if (whole && json_is_object(whole) && json_object_get(whole, "must")) {
        rc = eval_seed(whole, gold, d, as_json, min_must, max_forb);
        json_decref(whole);
        dyad_dict_free(d);
        return rc;
    }
    json_decref(whole);
    eval_run ev = {0};
    ev.d = d;
    ev.verbose = verbose;
    ev.coder = dyad_coder_new(d);
    input_opts o = {0};
    o.jsonl = true;
    o.keep = keep_expected;
    o.keep_bad_dates = true; /* a record the coder refuses still counts, with no events */
    size_t gl = strlen(gold);
    if (gl > 4 && strcmp(gold + gl - 4, ".xml") == 0)
        ev.errors += read_petrarch_xml(gold, &ev);
    else
        input_read(gold, &o, on_gold, on_err, &ev);
    double p = ratio(ev.tp, ev.tp + ev.fp), r = ratio(ev.tp, ev.tp + ev.fn), f = f1(ev.tp, ev.fp, ev.fn);
    double rp = ratio(ev.rtp, ev.rtp + ev.rfp), rr = ratio(ev.rtp, ev.rtp + ev.rfn), rf = f1(ev.rtp, ev.rfp, ev.rfn);
    double ex = ratio(ev.exact, ev.records);
    if (as_json) {
        printf("{\"kind\":\"gold\",\"file\":\"%s\",\"records\":%zu,\"exact\":%zu,\"exact_ratio\":%.4f,"
               "\"code\":{\"tp\":%zu,\"fp\":%zu,\"fn\":%zu,\"precision\":%.4f,\"recall\":%.4f,\"f1\":%.4f},"
               "\"root\":{\"tp\":%zu,\"fp\":%zu,\"fn\":%zu,\"precision\":%.4f,\"recall\":%.4f,\"f1\":%.4f},\"errors\":%zu}\n",
               gold, ev.records, ev.exact, ex, ev.tp, ev.fp, ev.fn, p, r, f, ev.rtp, ev.rfp, ev.rfn, rp, rr, rf, ev.errors);
    } else {
        if (verbose && ev.details.len)
            fputs(ev.details.s, stdout);
        printf("records %zu, exactly right %zu (%.3f), input errors %zu\n", ev.records, ev.exact, ex, ev.errors);
        printf("code level: P %.3f R %.3f F1 %.3f  (tp %zu fp %zu fn %zu)\n", p, r, f, ev.tp, ev.fp, ev.fn);
        printf("root level: P %.3f R %.3f F1 %.3f  (tp %zu fp %zu fn %zu)\n", rp, rr, rf, ev.rtp, ev.rfp, ev.rfn);
        printf("root   tp   fp   fn\n");
        for (int k = 0; k <= 20; k++)
            if (ev.root_tp[k] + ev.root_fp[k] + ev.root_fn[k])
                printf("  %02d %4zu %4zu %4zu\n", k, ev.root_tp[k], ev.root_fp[k], ev.root_fn[k]);
    }
    if (min_exact >= 0 && ex + 1e-9 < min_exact) {
        fprintf(stderr, "dyad eval: FLOOR: exact %.3f below %.3f (%s)\n", ex, min_exact, gold);
        rc = 1;
    }
    if (min_f1 >= 0 && f + 1e-9 < min_f1) {
        fprintf(stderr, "dyad eval: FLOOR: F1 %.3f below %.3f (%s)\n", f, min_f1, gold);
        rc = 1;
    }
    if (min_rf1 >= 0 && rf + 1e-9 < min_rf1) {
        fprintf(stderr, "dyad eval: FLOOR: root F1 %.3f below %.3f (%s)\n", rf, min_rf1, gold);
        rc = 1;
    }
    free(ev.details.s);
    dyad_coder_free(ev.coder);
    dyad_dict_free(d);
    return rc;
}
