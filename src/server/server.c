/*
 * server.c - `dyad serve`: the JSON API and the dashboard's files over HTTP, with libmicrohttpd.
 *
 * Threads: libmicrohttpd's pool of worker threads (epoll); each worker lazily opens its own read-only store
 * handle (one handle is used by one thread at a time), its own read-only SQLite connection for the story
 * view, and its own coder for POST /api/code. All of them are freed when the server stops.
 *
 * Security: binds 127.0.0.1 unless told otherwise, and any other address needs a token, checked on every
 * request (Authorization: Bearer T, or Basic with T as the password so that a browser can open the
 * dashboard) in constant time. Without a token only loopback Host headers are accepted (DNS rebinding).
 * Request bodies are read into memory up to max_body bytes, refused with 413 beyond (before reading them
 * when Content-Length says so). POST /api/code wants application/json, so a cross-site form cannot post.
 * Every SQL statement binds its values; the filters go through dyad_store_query, which binds them too.
 */
#define _GNU_SOURCE
#include "server.h"

#include "dyad_analytics.h"
#include "dyad_store.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* docs/openapi.json, compiled in (openapi.S, made by CMake) */
extern const char dyad_openapi_json[];
extern const uint64_t dyad_openapi_json_len;

#define EVENTS_DEFAULT_LIMIT 100
#define EVENTS_MAX_LIMIT 1000
#define EVENTS_MAX_OFFSET 100000000
#define TOP_DEFAULT_LIMIT 10
#define TOP_MAX_LIMIT 100
#define SERIES_MAX_DAYS 36600 /* a daily series of at most a hundred years */

/* ---- growable buffer ------------------------------------------------------------------------------------- */

typedef struct sbuf {
    char *p;
    size_t len, cap;
    bool nomem;
} sbuf;

static void sb_add(sbuf *b, const char *s, size_t n)
{
    if (b->nomem)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p) {
            b->nomem = true;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = 0;
}

static void sb_str(sbuf *b, const char *s) { sb_add(b, s, strlen(s)); }

static void sb_printf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(sbuf *b, const char *fmt, ...)
{
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    sb_add(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

/* ---- per-thread workers ---------------------------------------------------------------------------------- */

typedef struct worker {
    dyad_store *store;
    sqlite3 *db; /* for the story view: SELECTs with bound parameters */
    sqlite3_stmt *q_story, *q_story_events;
    dyad_coder *coder;
    char *line; /* dyad_event_write's buffer */
    size_t line_len, line_cap;
    char err[512];
    struct worker *next;
} worker;

static struct {
    const dyad_server_config *cfg;
    bool loopback;
    pthread_mutex_t lock;
    worker *workers;
} G = {.lock = PTHREAD_MUTEX_INITIALIZER};

static _Thread_local worker *tls_worker;
static _Thread_local const char *tls_method, *tls_url; /* of the request being answered, for the log */
static _Thread_local double tls_t0;

static const char *const SQL_STORY =
    "SELECT s.id, s.sid, s.date, s.title, s.source, s.url, s.text, o.sid, s.similarity, s.dict_version, "
    "s.coded_at FROM stories s LEFT JOIN stories o ON o.id = s.duplicate_of WHERE s.sid = ?1";
static const char *const SQL_STORY_EVENTS =
    "SELECT id, sentence, source_code, source_start, source_end, source_resolved, "     /* 0 */
    "target_code, target_start, target_end, target_resolved, cameo, quad, goldstein, "  /* 6 */
    "plover, plover_mode, plover_context, issues, modality, attribution_code, "         /* 13 */
    "attribution_start, attribution_end, evidence_start, evidence_end, trigger_start, " /* 19 */
    "trigger_end, pattern, event_date, event_date_precision, event_date_start, "        /* 24 */
    "event_date_end, mentions FROM events WHERE story = ?1 ORDER BY id";                /* 29 */

static void worker_free(worker *w)
{
    if (!w)
        return;
    sqlite3_finalize(w->q_story);
    sqlite3_finalize(w->q_story_events);
    sqlite3_close(w->db);
    dyad_store_free(w->store);
    dyad_coder_free(w->coder);
    free(w->line);
    free(w);
}

/* This thread's worker, opened on first use; NULL with the reason in MSG. */
static worker *get_worker(char *msg, size_t cap)
{
    if (tls_worker)
        return tls_worker;
    worker *w = calloc(1, sizeof *w);
    if (!w) {
        snprintf(msg, cap, "out of memory");
        return NULL;
    }
    w->store = dyad_store_new();
    if (!w->store || dyad_store_open(w->store, G.cfg->db, DYAD_STORE_READONLY) != DYAD_STORE_OK) {
        snprintf(msg, cap, "the event store: %s", w->store ? dyad_store_errmsg(w->store) : "out of memory");
        worker_free(w);
        return NULL;
    }
    if (sqlite3_open_v2(G.cfg->db, &w->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(w->db, SQL_STORY, -1, &w->q_story, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(w->db, SQL_STORY_EVENTS, -1, &w->q_story_events, NULL) != SQLITE_OK) {
        snprintf(msg, cap, "the event store: %s", w->db ? sqlite3_errmsg(w->db) : "out of memory");
        worker_free(w);
        return NULL;
    }
    sqlite3_busy_timeout(w->db, 5000);
    pthread_mutex_lock(&G.lock);
    w->next = G.workers;
    G.workers = w;
    pthread_mutex_unlock(&G.lock);
    tls_worker = w;
    return w;
}

/* ---- responses ------------------------------------------------------------------------------------------- */

typedef struct request {
    sbuf body;
    bool too_big;
    bool is_post;
    double t0;
} request;

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void log_request(struct MHD_Connection *c, unsigned status, size_t len)
{
    if (!G.cfg->log && status < 500)
        return;
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    char addr[INET6_ADDRSTRLEN] = "?";
    if (ci && ci->client_addr) {
        const struct sockaddr *sa = ci->client_addr;
        if (sa->sa_family == AF_INET)
            inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, addr, sizeof addr);
        else if (sa->sa_family == AF_INET6)
            inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, addr, sizeof addr);
    }
    fprintf(stderr, "dyad serve: %s \"%s %s\" %u %zu bytes %.1f ms\n", addr, tls_method ? tls_method : "-",
            tls_url ? tls_url : "-", status, len, tls_t0 > 0 ? now_ms() - tls_t0 : 0.0);
}

static void common_headers(struct MHD_Response *r, const char *ctype)
{
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
}

/* Queue BODY (malloc'd, LEN bytes; taken over) with STATUS. */
static enum MHD_Result send_owned(struct MHD_Connection *c, unsigned status, char *body, size_t len,
                                  const char *ctype, const char *www_auth)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        free(body);
        return MHD_NO;
    }
    common_headers(r, ctype);
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    if (www_auth)
        MHD_add_response_header(r, MHD_HTTP_HEADER_WWW_AUTHENTICATE, www_auth);
    if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
        MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD, POST");
    enum MHD_Result ret = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    log_request(c, status, len);
    return ret;
}

static enum MHD_Result send_sbuf(struct MHD_Connection *c, unsigned status, sbuf *b)
{
    if (b->nomem) {
        free(b->p);
        static const char oom[] = "{\"error\":\"out of memory\"}";
        char *p = strdup(oom);
        return p ? send_owned(c, 500, p, strlen(p), "application/json; charset=utf-8", NULL) : MHD_NO;
    }
    if (!b->p)
        sb_add(b, "", 0);
    char *p = b->p;
    b->p = NULL;
    return send_owned(c, status, p, b->len, "application/json; charset=utf-8", NULL);
}

static enum MHD_Result send_json(struct MHD_Connection *c, unsigned status, json_t *j)
{
    char *s = j ? json_dumps(j, JSON_COMPACT | JSON_REAL_PRECISION(12)) : NULL;
    json_decref(j);
    if (!s) {
        sbuf b = {.nomem = true};
        return send_sbuf(c, 500, &b);
    }
    /* json_dumps allocates with malloc (jansson's default allocator) */
    return send_owned(c, status, s, strlen(s), "application/json; charset=utf-8", NULL);
}

static enum MHD_Result send_error_auth(struct MHD_Connection *c, unsigned status, const char *www_auth,
                                       const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static enum MHD_Result send_error_auth(struct MHD_Connection *c, unsigned status, const char *www_auth,
                                       const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    json_t *j = json_pack("{s:s}", "error", msg);
    if (!j) /* the message was not valid UTF-8 (it quotes the request): say it without the quote */
        j = json_pack("{s:s}", "error", "bad request");
    char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;
    json_decref(j);
    if (!s)
        return MHD_NO;
    return send_owned(c, status, s, strlen(s), "application/json; charset=utf-8", www_auth);
}

#define send_error(c, status, ...) send_error_auth(c, status, NULL, __VA_ARGS__)

static enum MHD_Result send_store_error(struct MHD_Connection *c, dyad_store_status st, const char *msg)
{
    if (st == DYAD_STORE_ERR_ARG)
        return send_error(c, 400, "%s", msg);
    if (st == DYAD_STORE_ERR_NOMEM)
        return send_error(c, 503, "out of memory");
    return send_error(c, 500, "the event store: %s", msg);
}

/* ---- parameters ------------------------------------------------------------------------------------------ */

typedef struct arg_check {
    const char *const *allowed;
    char bad[64];
} arg_check;

static enum MHD_Result arg_iter(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind;
    (void)value;
    arg_check *a = cls;
    for (const char *const *p = a->allowed; *p; p++)
        if (strcmp(*p, key) == 0)
            return MHD_YES;
    snprintf(a->bad, sizeof a->bad, "%s", key);
    return MHD_NO;
}

/* NULL when every query parameter is one of ALLOWED; else the message of a 400 */
static bool args_ok(struct MHD_Connection *c, const char *const *allowed, char *msg, size_t cap)
{
    arg_check a = {.allowed = allowed, .bad = ""};
    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, arg_iter, &a);
    if (!a.bad[0])
        return true;
    size_t n = (size_t)snprintf(msg, cap, "unknown parameter '%s' (this endpoint takes:", a.bad);
    for (const char *const *p = allowed; *p && n < cap; p++)
        n += (size_t)snprintf(msg + n, cap - n, " %s", *p);
    if (n < cap)
        snprintf(msg + n, cap - n, ")");
    return false;
}

/* A query parameter; NULL when absent or empty. */
static const char *arg(struct MHD_Connection *c, const char *name)
{
    const char *v = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, name);
    return v && *v ? v : NULL;
}

/* A whole number in [LO, HI]; false when it is not one. */
static bool parse_int(const char *s, long long lo, long long hi, long long *out)
{
    if (!s || !*s || strlen(s) > 18)
        return false;
    for (const char *p = s; *p; p++)
        if (*p < '0' || *p > '9')
            return false;
    long long v = strtoll(s, NULL, 10);
    if (v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

static bool parse_bool(const char *s, int *out)
{
    if (strcmp(s, "1") == 0 || strcmp(s, "true") == 0 || strcmp(s, "yes") == 0)
        *out = 1;
    else if (strcmp(s, "0") == 0 || strcmp(s, "false") == 0 || strcmp(s, "no") == 0)
        *out = 0;
    else
        return false;
    return true;
}

/* from/to: valid dates, from <= to; false with the message in MSG */
static bool dates_ok(const char *from, const char *to, char *msg, size_t cap)
{
    if (from && !dyad_date_valid(from)) {
        snprintf(msg, cap, "from wants a date YYYY-MM-DD");
        return false;
    }
    if (to && !dyad_date_valid(to)) {
        snprintf(msg, cap, "to wants a date YYYY-MM-DD");
        return false;
    }
    if (from && to && strcmp(from, to) > 0) {
        snprintf(msg, cap, "from (%s) is after to (%s)", from, to);
        return false;
    }
    return true;
}

/* ---- events as JSON ---------------------------------------------------------------------------------------- */

/* One event as `dyad code` writes it, with the store's row id and mentions (when ID > 0) and the byte spans
 * of its actors in front: {"id":..,"mentions":..,"source_span":{..},"target_span":{..}|null, ...}. */
static void write_event(sbuf *out, worker *w, const dyad_event *e, const dyad_story *st, int64_t id,
                        int64_t mentions)
{
    w->line_len = 0;
    if (dyad_event_write(e, st, DYAD_FMT_JSONL, &w->line, &w->line_len, &w->line_cap) != DYAD_OK ||
        w->line_len < 2 || w->line[0] != '{') {
        out->nomem = true;
        return;
    }
    while (w->line_len && (w->line[w->line_len - 1] == '\n' || w->line[w->line_len - 1] == '\r'))
        w->line_len--;
    sb_str(out, "{");
    if (id > 0)
        sb_printf(out, "\"id\":%lld,\"mentions\":%lld,", (long long)id, (long long)mentions);
    if (e->source.code[0])
        sb_printf(out, "\"source_span\":{\"start\":%u,\"end\":%u},", e->source.text.start, e->source.text.end);
    else
        sb_str(out, "\"source_span\":null,");
    if (e->target.code[0])
        sb_printf(out, "\"target_span\":{\"start\":%u,\"end\":%u},", e->target.text.start, e->target.text.end);
    else
        sb_str(out, "\"target_span\":null,");
    sb_add(out, w->line + 1, w->line_len - 1);
}

typedef struct events_ctx {
    sbuf *out;
    worker *w;
    long long skip, take, n;
    bool more;
} events_ctx;

static int events_cb(const dyad_store_row *row, void *cls)
{
    events_ctx *x = cls;
    if (x->skip > 0) {
        x->skip--;
        return 0;
    }
    if (x->n == x->take) {
        x->more = true;
        return 1;
    }
    if (x->n++)
        sb_str(x->out, ",");
    write_event(x->out, x->w, &row->ev, &row->story, row->id, row->mentions);
    return x->out->nomem;
}

/* ---- endpoints ------------------------------------------------------------------------------------------- */

static enum MHD_Result h_events(struct MHD_Connection *c, worker *w)
{
    static const char *const allowed[] = {"from", "to", "actor", "dyad", "cameo", "root", "quad",
                                          "modality", "text", "limit", "offset", NULL};
    char msg[512];
    if (!args_ok(c, allowed, msg, sizeof msg))
        return send_error(c, 400, "%s", msg);
    dyad_store_filter f = {0};
    char dyad_a[32] = "", dyad_b[32] = "";
    f.from = arg(c, "from");
    f.to = arg(c, "to");
    f.actor = arg(c, "actor");
    f.cameo = arg(c, "cameo");
    f.root = arg(c, "root");
    f.modality = arg(c, "modality");
    f.text = arg(c, "text");
    const char *v;
    long long limit = EVENTS_DEFAULT_LIMIT, offset = 0, n;
    if (!dates_ok(f.from, f.to, msg, sizeof msg))
        return send_error(c, 400, "%s", msg);
    if (f.actor && !dyad_code_valid(f.actor))
        return send_error(c, 400, "actor wants a code of capitals and digits (IRN, IRNGOV)");
    if ((v = arg(c, "dyad"))) {
        const char *comma = strchr(v, ',');
        if (!comma || comma - v >= (long)sizeof dyad_a || strlen(comma + 1) >= sizeof dyad_b)
            return send_error(c, 400, "dyad wants SOURCE,TARGET codes (USA,IRN)");
        snprintf(dyad_a, sizeof dyad_a, "%.*s", (int)(comma - v), v);
        snprintf(dyad_b, sizeof dyad_b, "%s", comma + 1);
        if (!dyad_code_valid(dyad_a) || !dyad_code_valid(dyad_b))
            return send_error(c, 400, "dyad wants SOURCE,TARGET codes of capitals and digits (USA,IRN)");
        f.dyad_source = dyad_a;
        f.dyad_target = dyad_b;
    }
    if (f.cameo && (strspn(f.cameo, "0123456789") != strlen(f.cameo) || strlen(f.cameo) > 4))
        return send_error(c, 400, "cameo wants a CAMEO code of 1 to 4 digits");
    if (f.root && (strspn(f.root, "0123456789") != 2 || strlen(f.root) != 2))
        return send_error(c, 400, "root wants two digits (01 to 20)");
    if ((v = arg(c, "quad"))) {
        if (!parse_int(v, 1, 4, &n))
            return send_error(c, 400, "quad wants 1, 2, 3 or 4");
        f.quad = (int)n;
    }
    if (f.modality && strcmp(f.modality, "factual") && strcmp(f.modality, "negated") &&
        strcmp(f.modality, "hypothetical") && strcmp(f.modality, "future"))
        return send_error(c, 400, "modality wants factual, negated, hypothetical or future");
    if ((v = arg(c, "limit")) && !parse_int(v, 1, EVENTS_MAX_LIMIT, &limit))
        return send_error(c, 400, "limit wants a number from 1 to %d", EVENTS_MAX_LIMIT);
    if ((v = arg(c, "offset")) && !parse_int(v, 0, EVENTS_MAX_OFFSET, &offset))
        return send_error(c, 400, "offset wants a number from 0 to %d", EVENTS_MAX_OFFSET);
    f.limit = offset + limit + 1; /* one more than the page: is there a next one? */
    sbuf out = {0};
    sb_str(&out, "{\"events\":[");
    events_ctx x = {.out = &out, .w = w, .skip = offset, .take = limit};
    dyad_store_status st = dyad_store_query(w->store, &f, events_cb, &x);
    if (st != DYAD_STORE_OK) {
        free(out.p);
        return send_store_error(c, st, dyad_store_errmsg(w->store));
    }
    sb_printf(&out, "],\"offset\":%lld,\"limit\":%lld,\"count\":%lld,\"next\":", offset, limit, x.n);
    if (x.more)
        sb_printf(&out, "%lld}", offset + limit);
    else
        sb_str(&out, "null}");
    return send_sbuf(c, 200, &out);
}

#ifdef DYAD_HAVE_ANALYTICS
static const char *const top_names[] = {"conflict", "cooperation", "volume", "change"};
static const char *const period_names[] = {"day", "week", "month"};
#endif

#ifndef DYAD_HAVE_ANALYTICS
static enum MHD_Result no_analytics(struct MHD_Connection *c)
{
    return send_error(c, 501, "this dyad was built without the analytics library (dyadanalytics)");
}
#endif

static enum MHD_Result h_top(struct MHD_Connection *c, worker *w)
{
    static const char *const allowed[] = {"by", "from", "to", "limit", NULL};
    char msg[512];
    if (!args_ok(c, allowed, msg, sizeof msg))
        return send_error(c, 400, "%s", msg);
    const char *from = arg(c, "from"), *to = arg(c, "to"), *v;
    if (!dates_ok(from, to, msg, sizeof msg))
        return send_error(c, 400, "%s", msg);
    long long limit = TOP_DEFAULT_LIMIT;
    if ((v = arg(c, "limit")) && !parse_int(v, 1, TOP_MAX_LIMIT, &limit))
        return send_error(c, 400, "limit wants a number from 1 to %d", TOP_MAX_LIMIT);
    int by = 0;
    if ((v = arg(c, "by"))) {
        if (strcmp(v, "conflict") == 0)
            by = 0;
        else if (strcmp(v, "cooperation") == 0)
            by = 1;
        else if (strcmp(v, "volume") == 0)
            by = 2;
        else if (strcmp(v, "change") == 0)
            by = 3;
        else
            return send_error(c, 400, "by wants conflict, cooperation, volume or change");
    }
#ifdef DYAD_HAVE_ANALYTICS
    dyad_top_row *rows = NULL;
    size_t n = 0;
    dyad_store_status st = dyad_top(w->store, (dyad_top_by)by, from, to, (size_t)limit, &rows, &n);
    if (st != DYAD_STORE_OK) {
        free(rows);
        return send_store_error(c, st, dyad_store_errmsg(w->store));
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, json_pack("{s:s,s:s,s:I,s:f,s:f}", "source", rows[i].source, "target",
                                             rows[i].target, "events", (json_int_t)rows[i].events,
                                             "goldstein_sum", rows[i].goldstein_sum, "score", rows[i].score));
    free(rows);
    return send_json(c, 200, json_pack("{s:s,s:s?,s:s?,s:o}", "by", top_names[by], "from", from, "to", to,
                                       "dyads", arr));
#else
    (void)w;
    (void)by;
    return no_analytics(c);
#endif
}

static enum MHD_Result h_series(struct MHD_Connection *c, worker *w)
{
    static const char *const allowed[] = {"a", "b", "by", "both", "from", "to", "factual", NULL};
    char msg[512];
    if (!args_ok(c, allowed, msg, sizeof msg))
        return send_error(c, 400, "%s", msg);
    const char *a = arg(c, "a"), *b = arg(c, "b"), *from = arg(c, "from"), *to = arg(c, "to"), *v;
    if (!a)
        return send_error(c, 400, "a (an actor code: IRN, USAGOV) is required");
    if (!dyad_code_valid(a) || (b && !dyad_code_valid(b)))
        return send_error(c, 400, "a and b want codes of capitals and digits (IRN, USAGOV)");
    if (!dates_ok(from, to, msg, sizeof msg))
        return send_error(c, 400, "%s", msg);
    int by = 0, both = 0, factual = 1;
    if ((v = arg(c, "by"))) {
        if (strcmp(v, "day") == 0)
            by = 0;
        else if (strcmp(v, "week") == 0)
            by = 1;
        else if (strcmp(v, "month") == 0)
            by = 2;
        else
            return send_error(c, 400, "by wants day, week or month");
    }
    if ((v = arg(c, "both")) && !parse_bool(v, &both))
        return send_error(c, 400, "both wants 1 or 0 (true or false)");
    if ((v = arg(c, "factual")) && !parse_bool(v, &factual))
        return send_error(c, 400, "factual wants 1 or 0 (true or false)");
    if (both && !b)
        return send_error(c, 400, "both needs b");
    if (from && to && dyad_date_days(to) - dyad_date_days(from) > SERIES_MAX_DAYS)
        return send_error(c, 400, "from..to spans more than %d days", SERIES_MAX_DAYS);
#ifdef DYAD_HAVE_ANALYTICS
    dyad_series_query q = {.a = a, .b = b, .both = both, .by = (dyad_period)by, .from = from, .to = to,
                           .factual_only = factual};
    dyad_series_point *pts = NULL;
    size_t n = 0;
    dyad_store_status st = dyad_series(w->store, &q, &pts, &n);
    if (st != DYAD_STORE_OK) {
        free(pts);
        return send_store_error(c, st, dyad_store_errmsg(w->store));
    }
    sbuf out = {0};
    sb_str(&out, "{\"a\":\"");
    sb_str(&out, a); /* validated: capitals and digits */
    sb_str(&out, "\",\"b\":");
    if (b) {
        sb_str(&out, "\"");
        sb_str(&out, b);
        sb_str(&out, "\"");
    } else {
        sb_str(&out, "null");
    }
    sb_printf(&out, ",\"by\":\"%s\",\"both\":%s,\"factual\":%s,\"points\":[", period_names[by],
              both ? "true" : "false", factual ? "true" : "false");
    for (size_t i = 0; i < n; i++) {
        const dyad_series_point *p = &pts[i];
        char per[16];
        snprintf(per, sizeof per, "%.10s", p->period);
        for (char *s = per; *s; s++)
            if (!((*s >= '0' && *s <= '9') || *s == '-'))
                *s = '?';
        sb_printf(&out,
                  "%s{\"period\":\"%s\",\"events\":%lld,\"quad\":[%lld,%lld,%lld,%lld],\"goldstein_sum\":%.4f,"
                  "\"goldstein_mean\":%.4f,\"material_conflict_share\":%.4f,\"stories\":%lld,\"mentions\":%lld}",
                  i ? "," : "", per, (long long)p->events, (long long)p->quad[0], (long long)p->quad[1],
                  (long long)p->quad[2], (long long)p->quad[3], p->goldstein_sum, p->goldstein_mean,
                  p->material_conflict_share, (long long)p->stories, (long long)p->mentions);
    }
    sb_str(&out, "]}");
    free(pts);
    return send_sbuf(c, 200, &out);
#else
    (void)w;
    (void)by;
    return no_analytics(c);
#endif
}

static enum MHD_Result h_alerts(struct MHD_Connection *c, worker *w)
{
    static const char *const allowed[] = {"since", NULL};
    char msg[512];
    if (!args_ok(c, allowed, msg, sizeof msg))
        return send_error(c, 400, "%s", msg);
    const char *since = arg(c, "since");
    if (since && !dyad_date_valid(since))
        return send_error(c, 400, "since wants a date YYYY-MM-DD");
#ifdef DYAD_HAVE_ANALYTICS
    dyad_alert *al = NULL;
    size_t n = 0;
    dyad_store_status st = dyad_alerts(w->store, since, &al, &n);
    if (st != DYAD_STORE_OK) {
        free(al);
        return send_store_error(c, st, dyad_store_errmsg(w->store));
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *ev = json_array();
        for (size_t k = 0; k < al[i].nevents && k < DYAD_ALERT_EVENTS; k++)
            json_array_append_new(ev, json_integer((json_int_t)al[i].events[k]));
        json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:s,s:f,s:s,s:o}", "source", al[i].source, "target",
                                             al[i].target, "start", al[i].start, "detected", al[i].detected,
                                             "score", al[i].score, "method", al[i].method, "events", ev));
    }
    free(al);
    return send_json(c, 200, json_pack("{s:s?,s:o}", "since", since, "alerts", arr));
#else
    (void)w;
    return no_analytics(c);
#endif
}

static const char *col(sqlite3_stmt *q, int i) { return (const char *)sqlite3_column_text(q, i); }

static dyad_span col_span(sqlite3_stmt *q, int i)
{
    return (dyad_span){(uint32_t)sqlite3_column_int64(q, i), (uint32_t)sqlite3_column_int64(q, i + 1)};
}

static void copy_code(char *dst, size_t cap, const char *src) { snprintf(dst, cap, "%s", src ? src : ""); }

/* A JSON string of VAL (or null) appended to OUT, without leaks. */
static void json_str(sbuf *out, const char *name, const char *val, bool comma)
{
    sb_printf(out, "%s\"%s\":", comma ? "," : "", name);
    json_t *j = val ? json_string(val) : NULL;
    char *s = j ? json_dumps(j, JSON_ENCODE_ANY) : NULL;
    json_decref(j);
    if (s) {
        sb_str(out, s);
        free(s);
    } else {
        sb_str(out, "null");
    }
}

static enum MHD_Result h_story(struct MHD_Connection *c, worker *w, const char *id)
{
    static const char *const allowed[] = {NULL};
    char msg[512];
    if (!args_ok(c, allowed, msg, sizeof msg))
        return send_error(c, 400, "%s", msg);
    if (!*id)
        return send_error(c, 404, "no story id");
    sqlite3_stmt *q = w->q_story;
    sqlite3_reset(q);
    sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_DONE) {
        sqlite3_reset(q);
        return send_error(c, 404, "no story with id '%s'", id);
    }
    if (rc != SQLITE_ROW) {
        snprintf(msg, sizeof msg, "%s", sqlite3_errmsg(w->db));
        sqlite3_reset(q);
        return send_error(c, 500, "the event store: %s", msg);
    }
    int64_t row = sqlite3_column_int64(q, 0);
    dyad_story st = {.id = col(q, 1), .date = col(q, 2), .title = col(q, 3), .source = col(q, 4),
                     .url = col(q, 5), .text = col(q, 6)};
    st.text_len = (size_t)sqlite3_column_bytes(q, 6);
    if (!st.text)
        st.text = "";
    sbuf out = {0};
    sb_str(&out, "{\"story\":{");
    sb_printf(&out, "\"row\":%lld", (long long)row);
    json_str(&out, "id", st.id, true);
    json_str(&out, "date", st.date, true);
    json_str(&out, "title", st.title, true);
    json_str(&out, "source", st.source, true);
    json_str(&out, "url", st.url, true);
    json_str(&out, "duplicate_of", col(q, 7), true);
    if (sqlite3_column_type(q, 8) != SQLITE_NULL)
        sb_printf(&out, ",\"similarity\":%.4f", sqlite3_column_double(q, 8));
    json_str(&out, "dict_version", col(q, 9), true);
    json_str(&out, "coded_at", col(q, 10), true);
    json_str(&out, "text", st.text, true);
    sb_str(&out, "},\"events\":[");
    sqlite3_stmt *e = w->q_story_events;
    sqlite3_reset(e);
    sqlite3_bind_int64(e, 1, row);
    size_t n = 0;
    while ((rc = sqlite3_step(e)) == SQLITE_ROW && !out.nomem) {
        dyad_event ev;
        memset(&ev, 0, sizeof ev);
        int64_t eid = sqlite3_column_int64(e, 0);
        ev.sentence = (uint32_t)sqlite3_column_int64(e, 1);
        copy_code(ev.source.code, sizeof ev.source.code, col(e, 2));
        ev.source.text = col_span(e, 3);
        ev.source.resolved = (uint8_t)sqlite3_column_int(e, 5);
        copy_code(ev.target.code, sizeof ev.target.code, col(e, 6));
        ev.target.text = col_span(e, 7);
        ev.target.resolved = (uint8_t)sqlite3_column_int(e, 9);
        copy_code(ev.cameo, sizeof ev.cameo, col(e, 10));
        ev.quad = (uint8_t)sqlite3_column_int(e, 11);
        ev.goldstein = sqlite3_column_double(e, 12);
        ev.plover = col(e, 13);
        ev.plover_mode = col(e, 14);
        ev.plover_context = col(e, 15);
        char issues[256] = "";
        const char *iss = col(e, 16);
        if (iss && *iss) {
            snprintf(issues, sizeof issues, "%s", iss);
            for (char *p = issues; p && ev.nissues < 4;) {
                ev.issues[ev.nissues++] = p;
                if ((p = strchr(p, ';')))
                    *p++ = 0;
            }
        }
        const char *mod = col(e, 17);
        for (int m = DYAD_FACTUAL; m <= DYAD_FUTURE; m++)
            if (mod && strcmp(mod, dyad_modality_name((dyad_modality)m)) == 0)
                ev.modality = (dyad_modality)m;
        copy_code(ev.attribution_code, sizeof ev.attribution_code, col(e, 18));
        ev.attribution = col_span(e, 19);
        ev.evidence = col_span(e, 21);
        ev.trigger = col_span(e, 23);
        ev.pattern = (uint32_t)sqlite3_column_int64(e, 25);
        ev.event_date = (int32_t)sqlite3_column_int64(e, 26);
        const char *prec = col(e, 27);
        for (int m = DYAD_NO_DATE; m <= DYAD_YEAR; m++)
            if (prec && strcmp(prec, dyad_precision_name((dyad_precision)m)) == 0)
                ev.event_date_precision = (dyad_precision)m;
        ev.event_date_text = col_span(e, 28);
        /* spans must lie inside the text for dyad_event_write; a damaged row is skipped, not trusted */
        const dyad_span sp[6] = {ev.evidence, ev.trigger, ev.source.text, ev.target.text, ev.attribution,
                                 ev.event_date_text};
        bool ok = true;
        for (int k = 0; k < 6; k++)
            if (sp[k].start > sp[k].end || sp[k].end > st.text_len)
                ok = false;
        if (!ok)
            continue;
        if (n++)
            sb_str(&out, ",");
        write_event(&out, w, &ev, &st, eid, sqlite3_column_int64(e, 30));
    }
    bool failed = rc != SQLITE_ROW && rc != SQLITE_DONE;
    if (failed)
        snprintf(msg, sizeof msg, "%s", sqlite3_errmsg(w->db));
    sqlite3_reset(e);
    sqlite3_reset(q);
    if (failed) {
        free(out.p);
        return send_error(c, 500, "the event store: %s", msg);
    }
    sb_str(&out, "]}");
    return send_sbuf(c, 200, &out);
}

static enum MHD_Result h_code(struct MHD_Connection *c, worker *w, request *r)
{
    static const char *const allowed[] = {NULL};
    char msg[512];
    if (!args_ok(c, allowed, msg, sizeof msg))
        return send_error(c, 400, "%s", msg);
    const char *ct = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
    if (!ct || strncasecmp(ct, "application/json", 16) != 0)
        return send_error(c, 415, "POST /api/code wants Content-Type: application/json");
    if (r->body.nomem)
        return send_error(c, 503, "out of memory");
    json_error_t jerr;
    json_t *j = json_loadb(r->body.p ? r->body.p : "", r->body.len, 0, &jerr);
    if (!j)
        return send_error(c, 400, "the body is not JSON: %s (byte %d)", jerr.text, jerr.position);
    enum MHD_Result ret;
    json_t *text = json_object_get(j, "text"), *date = json_object_get(j, "date");
    json_t *id = json_object_get(j, "id"), *title = json_object_get(j, "title");
    char today[16];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(today, sizeof today, "%Y-%m-%d", &tm);
    if (!json_is_object(j)) {
        ret = send_error(c, 400, "the body wants a JSON object {\"text\": ..., \"date\": \"YYYY-MM-DD\"}");
    } else if (!json_is_string(text) || json_string_length(text) == 0) {
        ret = send_error(c, 400, "text (a non-empty string) is required");
    } else if (date && !json_is_null(date) && (!json_is_string(date) || !dyad_date_valid(json_string_value(date)))) {
        ret = send_error(c, 400, "date wants a date YYYY-MM-DD");
    } else if ((id && !json_is_null(id) && !json_is_string(id)) ||
               (title && !json_is_null(title) && !json_is_string(title))) {
        ret = send_error(c, 400, "id and title want strings");
    } else {
        if (!w->coder) {
            w->coder = dyad_coder_new(G.cfg->dict);
            if (w->coder)
                dyad_coder_set_max_bytes(w->coder, G.cfg->max_body);
        }
        if (!w->coder) {
            json_decref(j);
            return send_error(c, 503, "out of memory");
        }
        dyad_story st = {.id = json_is_string(id) ? json_string_value(id) : "api",
                         .date = json_is_string(date) ? json_string_value(date) : today,
                         .text = json_string_value(text),
                         .text_len = json_string_length(text),
                         .title = json_is_string(title) ? json_string_value(title) : NULL};
        const dyad_event *ev = NULL;
        size_t n = 0;
        double t0 = now_ms();
        dyad_status s = dyad_code(w->coder, &st, &ev, &n);
        double ms = now_ms() - t0;
        if (s == DYAD_ERR_INPUT || s == DYAD_ERR_DATE || s == DYAD_ERR_ARG) {
            ret = send_error(c, 400, "%s", dyad_coder_errmsg(w->coder));
        } else if (s != DYAD_OK) {
            ret = send_error(c, 500, "%s", dyad_coder_errmsg(w->coder));
        } else {
            sbuf out = {0};
            dyad_code_stats cs;
            dyad_coder_get_stats(w->coder, &cs);
            sb_str(&out, "{\"events\":[");
            for (size_t i = 0; i < n; i++) {
                if (i)
                    sb_str(&out, ",");
                write_event(&out, w, &ev[i], &st, 0, 0);
            }
            sb_str(&out, "],\"casualties\":[");
            const dyad_casualty *k = NULL;
            size_t nk = 0;
            dyad_coder_casualties(w->coder, &k, &nk);
            for (size_t i = 0; i < nk; i++) {
                w->line_len = 0;
                if (dyad_casualty_write(&k[i], &st, &w->line, &w->line_len, &w->line_cap) != DYAD_OK) {
                    out.nomem = true;
                    break;
                }
                while (w->line_len && w->line[w->line_len - 1] == '\n')
                    w->line_len--;
                if (i)
                    sb_str(&out, ",");
                sb_add(&out, w->line, w->line_len);
            }
            sb_printf(&out, "],\"date\":\"%s\",\"sentences\":%zu,\"tokens\":%zu,\"ms\":%.3f}", st.date,
                      cs.sentences, cs.tokens, ms);
            ret = send_sbuf(c, 200, &out);
        }
    }
    json_decref(j);
    return ret;
}

static enum MHD_Result h_info(struct MHD_Connection *c)
{
#ifdef DYAD_HAVE_ANALYTICS
    const int analytics = 1;
#else
    const int analytics = 0;
#endif
    return send_json(c, 200, json_pack("{s:s,s:b,s:b,s:I}", "version", DYAD_VERSION, "analytics", analytics,
                                       "dashboard", G.cfg->web_root != NULL, "max_body",
                                       (json_int_t)G.cfg->max_body));
}

static enum MHD_Result h_openapi(struct MHD_Connection *c)
{
    size_t len = (size_t)dyad_openapi_json_len;
    struct MHD_Response *r = MHD_create_response_from_buffer(len, (void *)dyad_openapi_json, MHD_RESPMEM_PERSISTENT);
    if (!r)
        return MHD_NO;
    common_headers(r, "application/json; charset=utf-8");
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
    enum MHD_Result ret = MHD_queue_response(c, 200, r);
    MHD_destroy_response(r);
    log_request(c, 200, len);
    return ret;
}

/* ---- static files ------------------------------------------------------------------------------------------ */

static const char *mime_of(const char *path)
{
    const char *dot = strrchr(path, '.');
    static const struct {
        const char *ext, *type;
    } types[] = {{".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
                 {".css", "text/css; charset=utf-8"},   {".json", "application/json; charset=utf-8"},
                 {".svg", "image/svg+xml"},             {".png", "image/png"},
                 {".ico", "image/x-icon"},              {".txt", "text/plain; charset=utf-8"}};
    for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++)
        if (strcmp(dot, types[i].ext) == 0)
            return types[i].type;
    return "application/octet-stream";
}

static enum MHD_Result h_static(struct MHD_Connection *c, const char *url)
{
    if (!G.cfg->web_root)
        return send_error(c, 404, "no dashboard: dyad serve was started without one (--web DIR)");
    const char *rel = url + 1; /* url starts with '/' */
    if (!*rel)
        rel = "index.html";
    /* only plain relative paths of safe characters, no "." or ".." segments, no hidden files */
    bool ok = strlen(rel) < 200;
    for (const char *p = rel; ok && *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '.' ||
              *p == '-' || *p == '_' || *p == '/'))
            ok = false;
    if (ok && (rel[0] == '.' || rel[0] == '/' || strstr(rel, "/.") || strstr(rel, "//")))
        ok = false;
    if (!ok)
        return send_error(c, 404, "not found");
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", G.cfg->web_root, rel);
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        if (fd >= 0)
            close(fd);
        return send_error(c, 404, "not found: %s", url);
    }
    struct MHD_Response *r = MHD_create_response_from_fd((uint64_t)st.st_size, fd); /* takes the fd */
    if (!r) {
        close(fd);
        return MHD_NO;
    }
    common_headers(r, mime_of(rel));
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
    if (strcmp(mime_of(rel), "text/html; charset=utf-8") == 0)
        MHD_add_response_header(r, "Content-Security-Policy",
                                "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                                "frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
    enum MHD_Result ret = MHD_queue_response(c, 200, r);
    MHD_destroy_response(r);
    log_request(c, 200, (size_t)st.st_size);
    return ret;
}

/* ---- access checks ------------------------------------------------------------------------------------------ */

bool dyad_server_secret_equal(const char *given, size_t given_len, const char *expected)
{
    size_t n = strlen(expected);
    volatile unsigned char d = (unsigned char)(given_len != n);
    for (size_t i = 0; i < n; i++)
        d |= (unsigned char)((i < given_len ? (unsigned char)given[i] : 0) ^ (unsigned char)expected[i]);
    return d == 0;
}

static int b64val(int ch)
{
    if (ch >= 'A' && ch <= 'Z')
        return ch - 'A';
    if (ch >= 'a' && ch <= 'z')
        return ch - 'a' + 26;
    if (ch >= '0' && ch <= '9')
        return ch - '0' + 52;
    if (ch == '+')
        return 62;
    if (ch == '/')
        return 63;
    return -1;
}

/* Decode base64 S into OUT (at most CAP-1 bytes, NUL-terminated); its length, or -1. */
static long b64decode(const char *s, char *out, size_t cap)
{
    size_t n = 0;
    unsigned acc = 0;
    int bits = 0;
    for (; *s && *s != '='; s++) {
        int v = b64val((unsigned char)*s);
        if (v < 0)
            return -1;
        acc = (acc << 6) | (unsigned)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            if (n + 1 >= cap)
                return -1;
            out[n++] = (char)((acc >> bits) & 0xff);
        }
    }
    out[n] = 0;
    return (long)n;
}

static bool authorized(struct MHD_Connection *c)
{
    const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
    if (!h)
        return false;
    if (strncasecmp(h, "Bearer ", 7) == 0) {
        const char *t = h + 7;
        while (*t == ' ')
            t++;
        return dyad_server_secret_equal(t, strlen(t), G.cfg->token);
    }
    if (strncasecmp(h, "Basic ", 6) == 0) { /* user:TOKEN, any user: so that a browser can log in */
        char dec[1024];
        long n = b64decode(h + 6, dec, sizeof dec);
        const char *colon = n > 0 ? memchr(dec, ':', (size_t)n) : NULL;
        if (!colon)
            return false;
        return dyad_server_secret_equal(colon + 1, (size_t)(dec + n - (colon + 1)), G.cfg->token);
    }
    return false;
}

/* Without a token the server is for this machine only: a Host header naming another host is a page of
 * another site reaching the loopback server through DNS rebinding. */
static bool host_ok(struct MHD_Connection *c)
{
    if (G.cfg->token)
        return true;
    const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
    if (!h)
        return true; /* HTTP/1.0 */
    char name[256];
    if (h[0] == '[') {
        const char *e = strchr(h, ']');
        if (!e || (size_t)(e - h) >= sizeof name)
            return false;
        snprintf(name, sizeof name, "%.*s", (int)(e - h - 1), h + 1);
    } else {
        size_t n = strcspn(h, ":");
        if (n >= sizeof name)
            return false;
        snprintf(name, sizeof name, "%.*s", (int)n, h);
    }
    return strcasecmp(name, "localhost") == 0 || dyad_server_is_loopback(name);
}

/* ---- the request handler ---------------------------------------------------------------------------------- */

static enum MHD_Result handler(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                               const char *version, const char *upload_data, size_t *upload_data_size,
                               void **con_cls)
{
    (void)cls;
    (void)version;
    request *r = *con_cls;
    tls_method = method;
    tls_url = url;
    tls_t0 = r ? r->t0 : now_ms();
    if (!r) { /* first call: the headers are in, the body (if any) is not */
        r = calloc(1, sizeof *r);
        if (!r)
            return MHD_NO;
        r->t0 = now_ms();
        *con_cls = r;
        r->is_post = strcmp(method, "POST") == 0;
        if (!host_ok(c))
            return send_error(c, 403, "Host not allowed: this server answers to localhost only (or use --token)");
        if (G.cfg->token && !authorized(c)) {
            bool api = strncmp(url, "/api/", 5) == 0;
            return send_error_auth(c, 401, api ? "Bearer realm=\"dyad\"" : "Basic realm=\"dyad\", charset=\"UTF-8\"",
                                   "a token is required (Authorization: Bearer TOKEN)");
        }
        if (r->is_post) {
            const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
            if (cl && (strlen(cl) > 15 || strtoull(cl, NULL, 10) > G.cfg->max_body))
                return send_error(c, 413, "the body is over %zu bytes", G.cfg->max_body);
            return MHD_YES; /* the body comes in the next calls */
        }
    }
    if (r->is_post && *upload_data_size) {
        if (!r->too_big && r->body.len + *upload_data_size > G.cfg->max_body) {
            r->too_big = true;
            free(r->body.p);
            r->body = (sbuf){0};
        }
        if (!r->too_big)
            sb_add(&r->body, upload_data, *upload_data_size);
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (r->too_big)
        return send_error(c, 413, "the body is over %zu bytes", G.cfg->max_body);

    bool get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
    if (strncmp(url, "/api/", 5) != 0 && strcmp(url, "/api") != 0) {
        if (!get)
            return send_error(c, 405, "method %s not allowed here", method);
        return h_static(c, url);
    }
    const char *p = url + 4;
    enum { E_NONE, E_EVENTS, E_TOP, E_SERIES, E_ALERTS, E_STORY, E_CODE, E_OPENAPI, E_INFO } ep = E_NONE;
    if (strcmp(p, "/events") == 0)
        ep = E_EVENTS;
    else if (strcmp(p, "/dyads/top") == 0)
        ep = E_TOP;
    else if (strcmp(p, "/series") == 0)
        ep = E_SERIES;
    else if (strcmp(p, "/alerts") == 0)
        ep = E_ALERTS;
    else if (strncmp(p, "/stories/", 9) == 0)
        ep = E_STORY;
    else if (strcmp(p, "/code") == 0)
        ep = E_CODE;
    else if (strcmp(p, "/openapi.json") == 0)
        ep = E_OPENAPI;
    else if (strcmp(p, "/info") == 0)
        ep = E_INFO;
    if (ep == E_NONE)
        return send_error(c, 404, "no such endpoint: %s (GET /api/openapi.json lists them)", url);
    if (ep == E_CODE ? strcmp(method, "POST") != 0 : !get)
        return send_error(c, 405, "method %s not allowed on %s (%s)", method, url, ep == E_CODE ? "POST" : "GET");
    if (ep == E_OPENAPI)
        return h_openapi(c);
    if (ep == E_INFO)
        return h_info(c);
    char msg[600];
    worker *w = get_worker(msg, sizeof msg);
    if (!w)
        return send_error(c, 503, "%s", msg);
    switch (ep) {
    case E_EVENTS:
        return h_events(c, w);
    case E_TOP:
        return h_top(c, w);
    case E_SERIES:
        return h_series(c, w);
    case E_ALERTS:
        return h_alerts(c, w);
    case E_STORY:
        return h_story(c, w, p + 9);
    case E_CODE:
        return h_code(c, w, r);
    default:
        return send_error(c, 404, "no such endpoint");
    }
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)c;
    (void)toe;
    request *r = *con_cls;
    if (r) {
        free(r->body.p);
        free(r);
        *con_cls = NULL;
    }
}

/* ---- addresses -------------------------------------------------------------------------------------------- */

bool dyad_server_is_loopback(const char *host)
{
    struct in_addr a4;
    struct in6_addr a6;
    if (inet_pton(AF_INET, host, &a4) == 1)
        return (ntohl(a4.s_addr) >> 24) == 127;
    if (inet_pton(AF_INET6, host, &a6) == 1)
        return IN6_IS_ADDR_LOOPBACK(&a6);
    return strcmp(host, "localhost") == 0;
}

bool dyad_server_parse_listen(const char *s, char *host, size_t cap, unsigned *port, char *err, size_t errcap)
{
    const char *ps = NULL;
    size_t hl;
    const char *hs = s;
    if (s[0] == '[') {
        const char *e = strchr(s, ']');
        if (!e) {
            snprintf(err, errcap, "'%s': missing ']'", s);
            return false;
        }
        hs = s + 1;
        hl = (size_t)(e - hs);
        if (e[1] == ':')
            ps = e + 2;
        else if (e[1]) {
            snprintf(err, errcap, "'%s': expected ':PORT' after ']'", s);
            return false;
        }
    } else {
        const char *colon = strrchr(s, ':');
        if (colon && strchr(s, ':') != colon) { /* a bare IPv6 address */
            hl = strlen(s);
        } else if (colon) {
            hl = (size_t)(colon - s);
            ps = colon + 1;
        } else {
            hl = strlen(s);
        }
    }
    if (hl == 0 || hl >= cap) {
        snprintf(err, errcap, "'%s': no address", s);
        return false;
    }
    snprintf(host, cap, "%.*s", (int)hl, hs);
    if (strcmp(host, "localhost") == 0)
        snprintf(host, cap, "127.0.0.1");
    struct in_addr a4;
    struct in6_addr a6;
    if (inet_pton(AF_INET, host, &a4) != 1 && inet_pton(AF_INET6, host, &a6) != 1) {
        snprintf(err, errcap, "'%s': the address must be numeric (127.0.0.1, ::1, 0.0.0.0)", host);
        return false;
    }
    *port = 8080;
    if (ps) {
        char *end;
        long v = strtol(ps, &end, 10);
        if (!*ps || *end || v < 0 || v > 65535) {
            snprintf(err, errcap, "'%s': the port must be a number from 0 to 65535", ps);
            return false;
        }
        *port = (unsigned)v;
    }
    return true;
}

/* ---- run --------------------------------------------------------------------------------------------------- */

int dyad_server_run(const dyad_server_config *cfg)
{
    G.cfg = cfg;
    G.loopback = dyad_server_is_loopback(cfg->host);
    if (!G.loopback && !cfg->token) {
        fprintf(stderr, "dyad serve: listening on %s (not loopback) needs --token\n", cfg->host);
        return 2;
    }
    union {
        struct sockaddr sa;
        struct sockaddr_in in4;
        struct sockaddr_in6 in6;
    } addr;
    memset(&addr, 0, sizeof addr);
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG;
    if (inet_pton(AF_INET, cfg->host, &addr.in4.sin_addr) == 1) {
        addr.in4.sin_family = AF_INET;
        addr.in4.sin_port = htons((uint16_t)cfg->port);
    } else if (inet_pton(AF_INET6, cfg->host, &addr.in6.sin6_addr) == 1) {
        addr.in6.sin6_family = AF_INET6;
        addr.in6.sin6_port = htons((uint16_t)cfg->port);
        flags |= MHD_USE_IPv6;
    } else {
        fprintf(stderr, "dyad serve: bad address '%s'\n", cfg->host);
        return 2;
    }
    /* SIGINT and SIGTERM are waited for by this thread only (the worker threads inherit the mask) */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
    unsigned threads = cfg->threads ? cfg->threads : 1;
    struct MHD_Daemon *d = MHD_start_daemon(
        flags, (uint16_t)cfg->port, NULL, NULL, handler, NULL, MHD_OPTION_SOCK_ADDR, &addr.sa,
        MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30, MHD_OPTION_CONNECTION_LIMIT, (unsigned)1000,
        MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned)512, MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "dyad serve: cannot listen on %s port %u: %s\n", cfg->host, cfg->port, strerror(errno));
        return 1;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    unsigned port = di ? di->port : cfg->port;
    bool v6 = addr.sa.sa_family == AF_INET6;
    fprintf(stderr, "dyad serve: listening on http://%s%s%s:%u/ (db %s, %u threads%s%s)\n", v6 ? "[" : "",
            cfg->host, v6 ? "]" : "", port, cfg->db, threads, cfg->token ? ", token required" : "",
            cfg->web_root ? "" : ", no dashboard");
    fflush(stderr);
    int sig = 0;
    sigwait(&set, &sig);
    fprintf(stderr, "dyad serve: %s, stopping\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
    MHD_stop_daemon(d);
    pthread_mutex_lock(&G.lock);
    while (G.workers) {
        worker *w = G.workers;
        G.workers = w->next;
        worker_free(w);
    }
    pthread_mutex_unlock(&G.lock);
    return 0;
}
