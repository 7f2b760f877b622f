/*
 * store.c - the event store commands: `dyad ingest` (code stories on N threads, one writer stores them in
 * batches, one transaction a batch), `dyad events` (filters and export formats), `dyad stats`, `dyad casualties`.
 * The store itself is src/store/store.c (include/dyad_store.h); design in docs/store.md.
 */
#include "cli.h"
#include "dyad_store.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define INGEST_BATCH 256
#define INGEST_BATCH_BYTES (16u << 20)

static const char *db_path(const char *opt)
{
    if (opt)
        return opt;
    const char *e = getenv("DYAD_DB");
    return e && *e ? e : "dyad.db";
}

/* ---- the dictionary version: DYAD_VERSION + a hash of the dictionaries' bytes ------------------------- */

struct dyad_builtin { /* as in src/lib/builtin.c */
    const char *name;
    const char *data;
    size_t len;
};
extern const struct dyad_builtin dyad_builtins[];

static uint64_t fnv_add(uint64_t h, const void *p, size_t n)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

static bool is_grammar(const char *name)
{
    return strcmp(name, "dicts/cameo.txt") == 0 || strcmp(name, "dicts/lemmas.txt") == 0 ||
           strcmp(name, "dicts/grammar.txt") == 0;
}

static uint64_t hash_file(uint64_t h, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return h;
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        h = fnv_add(h, buf, n);
    fclose(f);
    return h;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* "0.1.0+builtin.1234abcd5678ef90": the library version and a hash of every dictionary byte it coded with
 * (the built-in ones, or the grammar plus the files of --dicts). */
static void dict_version(const char *dicts, char *out, size_t cap)
{
    uint64_t h = 1469598103934665603ULL;
    for (const struct dyad_builtin *b = dyad_builtins; b->name; b++) {
        if (dicts && !is_grammar(b->name))
            continue;
        h = fnv_add(h, b->name, strlen(b->name) + 1);
        h = fnv_add(h, b->data, b->len);
    }
    struct stat st;
    if (dicts && stat(dicts, &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            DIR *d = opendir(dicts);
            char **names = NULL;
            size_t n = 0, ncap = 0;
            struct dirent *de;
            while (d && (de = readdir(d))) {
                if (de->d_name[0] == '.')
                    continue;
                if (n == ncap) {
                    ncap = ncap ? 2 * ncap : 32;
                    char **nn = realloc(names, ncap * sizeof *names);
                    if (!nn)
                        break;
                    names = nn;
                }
                if ((names[n] = strdup(de->d_name)))
                    n++;
            }
            if (d)
                closedir(d);
            if (n)
                qsort(names, n, sizeof *names, cmp_str);
            for (size_t i = 0; i < n; i++) {
                char p[4096];
                snprintf(p, sizeof p, "%s/%s", dicts, names[i]);
                struct stat fs;
                if (stat(p, &fs) == 0 && S_ISREG(fs.st_mode)) {
                    h = fnv_add(h, names[i], strlen(names[i]) + 1);
                    h = hash_file(h, p);
                }
                free(names[i]);
            }
            free(names);
        } else {
            h = hash_file(h, dicts);
        }
    }
    snprintf(out, cap, "%s+%s.%016llx", DYAD_VERSION, dicts ? "dicts" : "builtin", (unsigned long long)h);
}

/* ---- dyad ingest --------------------------------------------------------------------------------------- */

typedef struct ingest_run {
    coder_pool *pool;
    dyad_store *store;
    const char *db;
    char dict_version[64];
    story_rec *batch[INGEST_BATCH];
    size_t n, bytes;
    size_t read, added, reprints, same_id, same_text, events, mentions, errors;
    bool fatal, tty, progress_shown;
    double t0, last_progress;
    const input_opts *in; /* for the bytes read so far */
    size_t total_bytes;   /* of the input files; 0 when unknown (standard input) */
} ingest_run;

static void clear_progress(ingest_run *r)
{
    if (r->progress_shown) {
        fputs("\r\033[K", stderr);
        r->progress_shown = false;
    }
}

static void progress(ingest_run *r, bool force)
{
    if (!r->tty)
        return;
    double now = cli_now_ms();
    if (!force && now - r->last_progress < 250)
        return;
    r->last_progress = now;
    double secs = (now - r->t0) / 1e3;
    char eta[48] = "";
    size_t done = r->in ? r->in->bytes_read : 0;
    if (r->total_bytes && done && secs > 1 && done < r->total_bytes) {
        double left = secs * (double)(r->total_bytes - done) / (double)done;
        snprintf(eta, sizeof eta, ", %.0f%%, ETA %.0fs", 100.0 * (double)done / (double)r->total_bytes, left);
    }
    fprintf(stderr, "\r\033[Kdyad ingest: %zu stories (%.0f/s), %zu stored, %zu reprints, %zu already stored, "
                    "%zu events, %zu errors%s",
            r->read, secs > 0 ? (double)r->read / secs : 0, r->added, r->reprints, r->same_id + r->same_text,
            r->events, r->errors, eta);
    r->progress_shown = true;
}

static void ingest_flush(ingest_run *r)
{
    if (!r->n)
        return;
    if (!r->fatal) {
        pool_code(r->pool, r->batch, r->n);
        if (dyad_store_begin(r->store) != DYAD_STORE_OK) {
            clear_progress(r);
            fprintf(stderr, "dyad: %s: %s\n", r->db, dyad_store_errmsg(r->store));
            r->fatal = true;
        }
    }
    size_t added = 0, reprints = 0, same_id = 0, same_text = 0, events = 0, mentions = 0;
    for (size_t i = 0; i < r->n && !r->fatal; i++) {
        story_rec *s = r->batch[i];
        if (s->status != DYAD_OK) {
            clear_progress(r);
            fprintf(stderr, "dyad: %s\n", s->err);
            r->errors++;
            continue;
        }
        dyad_store_result res;
        if (dyad_store_add_casualties(r->store, &s->s, s->extra, s->nevents, s->casualties, s->ncasualties,
                                      r->dict_version, &res) != DYAD_STORE_OK) {
            clear_progress(r);
            fprintf(stderr, "dyad: %s: %s: %s\n", r->db, s->where, dyad_store_errmsg(r->store));
            r->fatal = true;
            break;
        }
        switch (res.outcome) {
        case DYAD_STORE_ADDED: added++; break;
        case DYAD_STORE_REPRINT: reprints++; break;
        case DYAD_STORE_SAME_ID: same_id++; break;
        case DYAD_STORE_SAME_TEXT: same_text++; break;
        }
        events += res.events_added;
        mentions += res.mentions_added;
    }
    if (!r->fatal) {
        if (dyad_store_commit(r->store) != DYAD_STORE_OK) {
            clear_progress(r);
            fprintf(stderr, "dyad: %s: %s\n", r->db, dyad_store_errmsg(r->store));
            r->fatal = true;
        } else { /* counted once the batch is durable */
            r->added += added;
            r->reprints += reprints;
            r->same_id += same_id;
            r->same_text += same_text;
            r->events += events;
            r->mentions += mentions;
        }
    }
    for (size_t i = 0; i < r->n; i++) {
        free(r->batch[i]->extra);
        r->batch[i]->extra = NULL;
        story_rec_free(r->batch[i]);
    }
    r->n = 0;
    r->bytes = 0;
    progress(r, false);
}

static bool ingest_story(story_rec *s, void *ctx)
{
    ingest_run *r = ctx;
    r->read++;
    /* stored by an earlier run: skip before coding (dyad_store_add checks again, in the transaction) */
    int have = dyad_store_has_story(r->store, s->s.id);
    if (have != 0) {
        if (have < 0) {
            clear_progress(r);
            fprintf(stderr, "dyad: %s: %s\n", r->db, dyad_store_errmsg(r->store));
            r->fatal = true;
        } else {
            r->same_id++;
        }
        story_rec_free(s);
        progress(r, false);
        return !r->fatal;
    }
    r->batch[r->n++] = s;
    r->bytes += s->s.text_len;
    if (r->n == INGEST_BATCH || r->bytes >= INGEST_BATCH_BYTES)
        ingest_flush(r);
    return !r->fatal;
}

static void ingest_error(const char *msg, void *ctx)
{
    ingest_run *r = ctx;
    clear_progress(r);
    fprintf(stderr, "dyad: %s\n", msg);
    r->errors++;
}

static void ingest_usage(FILE *f)
{
    fputs("usage: dyad ingest [options] [FILE|DIR|-]...\n"
          "  Codes stories (plain-text files, *.jsonl records, directories, '-' for standard input, as dyad code\n"
          "  reads them) and stores stories and events in an SQLite database. Stories already stored (same id,\n"
          "  or same normalised text) are skipped; reprints are linked to their original and their events\n"
          "  counted as mentions. Each batch of stories is one transaction: after a crash, run it again.\n"
          "options:\n"
          "  --db PATH          the database (default $DYAD_DB, or ./dyad.db); created if missing\n"
          "  --jsonl            read every file as JSONL records\n"
          "  --date YYYY-MM-DD  date of plain-text stories (and of records without one); default today\n"
          "  --id ID            id of a single plain-text story (default: its path)\n"
          "  --dicts DIR        code with the dictionaries in DIR instead of the built-in ones\n"
          "  -j N               code with N threads (one writer)\n"
          "A progress line is shown on a terminal; the summary line is always printed on stderr.\n"
          "exit status: 0 all stored; 1 nothing could be stored, or a database error; 3 some inputs had errors;\n"
          "2 usage\n",
          f);
}

int cmd_ingest(int argc, char **argv)
{
    input_opts o = {0};
    const char *dicts = NULL, *jv = NULL, *db = NULL;
    const char *files[256];
    int nfiles = 0, threads = 1;
    for (int i = 1; i < argc; i++) {
        const char *v;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            ingest_usage(stdout);
            return 0;
        } else if (strcmp(argv[i], "--jsonl") == 0) {
            o.jsonl = true;
        } else if (cli_opt(argc, argv, &i, "--db", &v)) {
            db = v;
        } else if (cli_opt(argc, argv, &i, "--date", &v)) {
            o.date = v;
        } else if (cli_opt(argc, argv, &i, "--id", &v)) {
            o.id = v;
        } else if (cli_opt(argc, argv, &i, "--dicts", &v)) {
            dicts = v;
        } else if (cli_opt(argc, argv, &i, "-j", &v) || cli_opt(argc, argv, &i, "--threads", &v)) {
            jv = v;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "dyad ingest: unknown option '%s'\n", argv[i]);
            ingest_usage(stderr);
            return 2;
        } else if (nfiles < 256) {
            files[nfiles++] = argv[i];
        } else {
            fprintf(stderr, "dyad ingest: more than 256 inputs; give a directory instead\n");
            return 2;
        }
    }
    if (o.date && !dyad_date_valid(o.date)) {
        fprintf(stderr, "dyad ingest: bad --date '%s' (want YYYY-MM-DD, a real day)\n", o.date);
        return 2;
    }
    if (jv) {
        char *end;
        long t = strtol(jv, &end, 10);
        if (*end || t < 1 || t > 64) {
            fprintf(stderr, "dyad ingest: -j wants a number of threads from 1 to 64\n");
            return 2;
        }
        threads = (int)t;
    }
    ingest_run r = {0};
    r.db = db_path(db);
    r.tty = isatty(2);
    r.store = dyad_store_new();
    if (!r.store || dyad_store_open(r.store, r.db, 0) != DYAD_STORE_OK) {
        fprintf(stderr, "dyad: %s\n", dyad_store_errmsg(r.store));
        dyad_store_free(r.store);
        return 1;
    }
    dyad_dict *d = cli_load_dict(dicts, NULL);
    if (!d) {
        dyad_store_free(r.store);
        return 1;
    }
    dict_version(dicts, r.dict_version, sizeof r.dict_version);
    r.pool = pool_new(d, threads, DYAD_FMT_JSONL);
    if (!r.pool) {
        fprintf(stderr, "dyad: out of memory\n");
        dyad_dict_free(d);
        dyad_store_free(r.store);
        return 1;
    }
    pool_keep_events(r.pool, true);
    r.t0 = cli_now_ms();
    if (!nfiles)
        files[nfiles++] = "-";
    r.in = &o;
    for (int i = 0; i < nfiles && r.tty; i++)
        r.total_bytes += input_size(files[i]);
    for (int i = 0; i < nfiles && !r.fatal; i++)
        input_read(files[i], &o, ingest_story, ingest_error, &r);
    ingest_flush(&r);
    clear_progress(&r);
    if (o.date_defaulted)
        fprintf(stderr, "dyad: note: stories without a date were coded as of today, %s (use --date)\n", o.today);
    double secs = (cli_now_ms() - r.t0) / 1e3;
    fprintf(stderr,
            "dyad ingest: stories %zu, stored %zu, reprints %zu, already stored %zu, events %zu, mentions %zu, "
            "errors %zu, seconds %.3f, stories/s %.0f, events/s %.0f, db %s%s\n",
            r.read, r.added, r.reprints, r.same_id + r.same_text, r.events, r.mentions, r.errors, secs,
            secs > 0 ? (double)r.read / secs : 0, secs > 0 ? (double)r.events / secs : 0, r.db,
            r.fatal ? " (stopped by a database error; the committed batches are kept, run again to go on)" : "");
    pool_free(r.pool);
    dyad_dict_free(d);
    dyad_store_free(r.store);
    if (r.fatal)
        return 1;
    if (r.errors && !(r.added + r.reprints + r.same_id + r.same_text))
        return 1;
    return r.errors ? 3 : 0;
}

/* ---- dyad events --------------------------------------------------------------------------------------- */

typedef enum out_fmt { OUT_JSONL, OUT_CSV, OUT_TSV, OUT_PHOENIX, OUT_GDELT } out_fmt;

typedef struct events_run {
    out_fmt fmt;
    char *buf;
    size_t len, cap;
    size_t n;
    bool nomem;
} events_run;

static bool buf_add(events_run *r, const char *s, size_t n)
{
    if (r->len + n + 1 > r->cap) {
        size_t nc = r->cap ? r->cap * 2 : 4096;
        while (nc < r->len + n + 1)
            nc *= 2;
        char *p = realloc(r->buf, nc);
        if (!p) {
            r->nomem = true;
            return false;
        }
        r->buf = p;
        r->cap = nc;
    }
    memcpy(r->buf + r->len, s, n);
    r->len += n;
    r->buf[r->len] = 0;
    return true;
}

static void buf_str(events_run *r, const char *s) { buf_add(r, s ? s : "", s ? strlen(s) : 0); }

/* a CSV field (RFC 4180: quoted when it holds a comma, quote or line break) */
static void csv_field(events_run *r, const char *s, bool last)
{
    s = s ? s : "";
    if (strpbrk(s, ",\"\r\n")) {
        buf_add(r, "\"", 1);
        for (const char *p = s; *p; p++) {
            buf_add(r, p, 1);
            if (*p == '"')
                buf_add(r, "\"", 1); /* doubled */
        }
        buf_add(r, "\"", 1);
    } else {
        buf_str(r, s);
    }
    buf_add(r, last ? "\n" : ",", 1);
}

/* a tab-separated field: tabs and line breaks become spaces */
static void tab_field(events_run *r, const char *s, bool last)
{
    for (const char *p = s ? s : ""; *p; p++) {
        char c = (*p == '\t' || *p == '\n' || *p == '\r') ? ' ' : *p;
        buf_add(r, &c, 1);
    }
    buf_add(r, last ? "\n" : "\t", 1);
}

static const char csv_header[] = "event_id,story_id,date,sentence,source,source_text,target,target_text,cameo,root,"
                                 "quad,goldstein,plover,modality,attribution,attribution_code,mentions,"
                                 "evidence_start,evidence_end,evidence,url,dict_version\n";

/* Phoenix's PentaClass from the CAMEO root: 0 statements and appeals (01-02), 1 verbal cooperation (03-05),
 * 2 material cooperation (06-08), 3 verbal conflict (09-13), 4 material conflict (14-20). */
static int penta(const char *cameo)
{
    int root = (cameo[0] - '0') * 10 + (cameo[1] - '0');
    return root <= 2 ? 0 : root <= 5 ? 1 : root <= 8 ? 2 : root <= 13 ? 3 : 4;
}

static void part(char *dst, size_t cap, const char *code, size_t from, size_t len)
{
    size_t n = strlen(code);
    if (from >= n) {
        dst[0] = 0;
        return;
    }
    snprintf(dst, cap, "%.*s", (int)len, code + from);
}

static int write_row(const dyad_store_row *row, void *ctx)
{
    events_run *r = ctx;
    const dyad_event *e = &row->ev;
    char num[64], a[32], b[32], c[32];
    r->n++;
    switch (r->fmt) {
    case OUT_JSONL:
    case OUT_TSV:
        if (dyad_event_write(e, &row->story, r->fmt == OUT_JSONL ? DYAD_FMT_JSONL : DYAD_FMT_TSV, &r->buf, &r->len,
                             &r->cap) != DYAD_OK)
            r->nomem = true;
        break;
    case OUT_CSV: {
        snprintf(num, sizeof num, "%lld", (long long)row->id);
        csv_field(r, num, false);
        csv_field(r, row->story.id, false);
        csv_field(r, row->story.date, false);
        snprintf(num, sizeof num, "%u", e->sentence);
        csv_field(r, num, false);
        csv_field(r, e->source.code, false);
        csv_field(r, e->source.code[0] ? row->source_text : "", false);
        csv_field(r, e->target.code, false);
        csv_field(r, e->target.code[0] ? row->target_text : "", false);
        csv_field(r, e->cameo, false);
        snprintf(a, sizeof a, "%.2s", e->cameo);
        csv_field(r, a, false);
        snprintf(num, sizeof num, "%u", e->quad);
        csv_field(r, num, false);
        snprintf(num, sizeof num, "%.1f", e->goldstein);
        csv_field(r, num, false);
        csv_field(r, e->plover, false);
        csv_field(r, dyad_modality_name(e->modality), false);
        csv_field(r, row->attribution_text, false);
        csv_field(r, e->attribution_code, false);
        snprintf(num, sizeof num, "%lld", (long long)row->mentions);
        csv_field(r, num, false);
        snprintf(num, sizeof num, "%u", e->evidence.start);
        csv_field(r, num, false);
        snprintf(num, sizeof num, "%u", e->evidence.end);
        csv_field(r, num, false);
        csv_field(r, row->evidence_text, false);
        csv_field(r, row->story.url, false);
        csv_field(r, row->dict_version, true);
        break;
    }
    case OUT_PHOENIX: {
        const char *d = row->story.date; /* YYYY-MM-DD */
        snprintf(num, sizeof num, "%lld", (long long)row->id);
        tab_field(r, num, false);
        snprintf(num, sizeof num, "%.4s%.2s%.2s", d, d + 5, d + 8);
        tab_field(r, num, false);
        snprintf(num, sizeof num, "%.4s", d);
        tab_field(r, num, false);
        snprintf(num, sizeof num, "%.2s", d + 5);
        tab_field(r, num, false);
        snprintf(num, sizeof num, "%.2s", d + 8);
        tab_field(r, num, false);
        const dyad_actor *act[2] = {&e->source, &e->target};
        for (int k = 0; k < 2; k++) {
            tab_field(r, act[k]->code, false);
            part(a, sizeof a, act[k]->code, 0, 3);
            part(b, sizeof b, act[k]->code, 3, 3);
            part(c, sizeof c, act[k]->code, 6, 16);
            tab_field(r, a, false);
            tab_field(r, b, false);
            tab_field(r, c, false);
        }
        tab_field(r, e->cameo, false);
        snprintf(a, sizeof a, "%.2s", e->cameo);
        tab_field(r, a, false);
        snprintf(num, sizeof num, "%d", penta(e->cameo));
        tab_field(r, num, false);
        snprintf(num, sizeof num, "%.1f", e->goldstein);
        tab_field(r, num, false);
        for (int k = 0; k < 5; k++) /* Issues, Lat, Lon, LocationName, StateName */
            tab_field(r, "", false);
        part(a, sizeof a, e->source.code, 0, 3); /* CountryCode: the source's country */
        tab_field(r, a, false);
        snprintf(num, sizeof num, "%s_%u", row->story.id, e->sentence);
        tab_field(r, num, false);
        tab_field(r, row->story.url, false);
        tab_field(r, row->story.source, true);
        break;
    }
    case OUT_GDELT: {
        const char *d = row->story.date;
        int y = atoi(d), mo = atoi(d + 5), dd = atoi(d + 8);
        snprintf(num, sizeof num, "%lld", (long long)row->id);
        tab_field(r, num, false); /* GLOBALEVENTID */
        snprintf(num, sizeof num, "%04d%02d%02d", y, mo, dd);
        tab_field(r, num, false); /* SQLDATE */
        snprintf(num, sizeof num, "%04d%02d", y, mo);
        tab_field(r, num, false); /* MonthYear */
        snprintf(num, sizeof num, "%04d", y);
        tab_field(r, num, false); /* Year */
        snprintf(num, sizeof num, "%.4f", y + (mo * 30 + dd) / 365.0);
        tab_field(r, num, false); /* FractionDate */
        const dyad_actor *act[2] = {&e->source, &e->target};
        const char *names[2] = {row->source_text, row->target_text};
        for (int k = 0; k < 2; k++) {
            const char *code = act[k]->code;
            tab_field(r, code, false); /* ActorNCode */
            /* ActorNName: the phrase in the story, in capitals as GDELT writes names */
            char name[256];
            snprintf(name, sizeof name, "%s", code[0] && names[k] ? names[k] : "");
            for (char *p = name; *p; p++)
                if (*p >= 'a' && *p <= 'z')
                    *p = (char)(*p - 32);
            tab_field(r, name, false);
            part(a, sizeof a, code, 0, 3);
            bool group = strcmp(a, "IGO") == 0 || strcmp(a, "NGO") == 0 || strcmp(a, "IMG") == 0;
            tab_field(r, group ? "" : a, false); /* CountryCode */
            if (group)
                part(b, sizeof b, code, 3, 3);
            tab_field(r, group ? b : "", false); /* KnownGroupCode */
            tab_field(r, "", false);            /* EthnicCode */
            tab_field(r, "", false);            /* Religion1Code */
            tab_field(r, "", false);            /* Religion2Code */
            for (int t = 0; t < 3; t++) {       /* Type1..3Code: the 3-letter parts after the country */
                part(b, sizeof b, code, (size_t)(3 + 3 * t + (group ? 3 : 0)), 3);
                tab_field(r, b, false);
            }
        }
        tab_field(r, e->sentence == 0 ? "1" : "0", false); /* IsRootEvent: the lead sentence */
        tab_field(r, e->cameo, false);                     /* EventCode */
        snprintf(a, sizeof a, "%.3s", e->cameo);
        tab_field(r, a, false); /* EventBaseCode */
        snprintf(a, sizeof a, "%.2s", e->cameo);
        tab_field(r, a, false); /* EventRootCode */
        snprintf(num, sizeof num, "%u", e->quad);
        tab_field(r, num, false);
        snprintf(num, sizeof num, "%.1f", e->goldstein);
        tab_field(r, num, false);
        snprintf(num, sizeof num, "%lld", (long long)row->mentions);
        tab_field(r, num, false); /* NumMentions */
        tab_field(r, "", false);  /* NumSources */
        tab_field(r, num, false); /* NumArticles */
        tab_field(r, "", false);  /* AvgTone */
        for (int k = 0; k < 2 * 8; k++) /* Actor1Geo_*, Actor2Geo_*: dyad places events, not actors */
            tab_field(r, "", false);
        /* ActionGeo_*: the event's place. Type 1 country, 3 US city, 4 world city; FullName the name as the
         * story gives it; CountryCode and ADM1Code empty (GDELT uses FIPS 10-4 codes, dyad ISO 3166-1 and
         * GeoNames' admin1); FeatureID the GeoNames id (GDELT: GNS/GNIS ids) */
        const dyad_place *pl = &e->place;
        bool city = pl->level == DYAD_PLACE_CITY;
        tab_field(r, !pl->level ? "" : !city ? "1" : strcmp(pl->country, "USA") == 0 ? "3" : "4", false);
        tab_field(r, pl->level && row->place_name_text ? row->place_name_text : "", false); /* FullName */
        tab_field(r, "", false); /* CountryCode */
        tab_field(r, "", false); /* ADM1Code */
        tab_field(r, "", false); /* ADM2Code */
        snprintf(num, sizeof num, "%.4f", pl->lat);
        tab_field(r, city ? num : "", false); /* Lat */
        snprintf(num, sizeof num, "%.4f", pl->lon);
        tab_field(r, city ? num : "", false); /* Long */
        snprintf(num, sizeof num, "%u", pl->geonameid);
        tab_field(r, city && pl->geonameid ? num : "", false); /* FeatureID */
        const char *ca = row->coded_at ? row->coded_at : ""; /* YYYY-MM-DDTHH:MM:SSZ */
        if (strlen(ca) >= 19)
            snprintf(num, sizeof num, "%.4s%.2s%.2s%.2s%.2s%.2s", ca, ca + 5, ca + 8, ca + 11, ca + 14, ca + 17);
        else
            num[0] = 0;
        tab_field(r, num, false); /* DATEADDED */
        tab_field(r, row->story.url ? row->story.url : row->story.id, true); /* SOURCEURL */
        break;
    }
    }
    if (r->len >= (1u << 16) || r->nomem) {
        fwrite(r->buf, 1, r->len, stdout);
        r->len = 0;
    }
    return r->nomem;
}

static void events_usage(FILE *f)
{
    fputs("usage: dyad events [--db PATH] [filters] [--format jsonl|csv|tsv|phoenix|gdelt]\n"
          "  Prints the stored events that pass every filter, in the order they were stored.\n"
          "filters:\n"
          "  --from DATE, --to DATE   event dates, inclusive (YYYY-MM-DD)\n"
          "  --actor CODE             source or target code starts with CODE (IRN matches IRNGOV)\n"
          "  --dyad A,B               source code starts with A and target code with B\n"
          "  --cameo CODE             CAMEO code starts with CODE (190, or 19 for the root)\n"
          "  --root RR                CAMEO root (two digits)\n"
          "  --quad N                 QuadClass 1-4\n"
          "  --modality M             factual, negated, hypothetical or future\n"
          "  --text WORDS             the evidence holds all the WORDS (full-text search)\n"
          "  --country CCC            the event's place is in country CCC (ISO 3166-1 alpha-3)\n"
          "  --near LAT,LON,KM        the event's place (a city) is within KM km of LAT,LON\n"
          "  --min-killed N           the event's casualties count at least N killed\n"
          "  --limit N                at most N events\n"
          "formats: jsonl (as dyad code), csv (with a header), tsv (as dyad code --format tsv),\n"
          "  phoenix (Phoenix's 26 tab-separated columns), gdelt (GDELT 2.0's 61 event columns, those dyad\n"
          "  can fill; see docs/store.md). The database defaults to $DYAD_DB, or ./dyad.db.\n",
          f);
}

static bool valid_country(const char *s)
{
    return strlen(s) == 3 && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == 3;
}

/* "LAT,LON,KM" */
static bool parse_near(const char *v, dyad_store_filter *f)
{
    char *end;
    double x[3];
    const char *p = v;
    for (int k = 0; k < 3; k++) {
        x[k] = strtod(p, &end);
        if (end == p || (k < 2 ? *end != ',' : *end != 0))
            return false;
        p = end + 1;
    }
    if (!(x[0] >= -90 && x[0] <= 90 && x[1] >= -180 && x[1] <= 180 && x[2] > 0 && x[2] <= 1e5))
        return false;
    f->near = 1;
    f->near_lat = x[0];
    f->near_lon = x[1];
    f->near_km = x[2];
    return true;
}

static bool parse_count(const char *v, int64_t *out)
{
    char *end;
    long long n = strtoll(v, &end, 10);
    if (end == v || *end || n < 1)
        return false;
    *out = n;
    return true;
}

/* The end of a query command: write what it buffered, report a failure, close the store. Exit status. */
static int query_done(dyad_store *s, const char *path, dyad_store_status st, char *buf, size_t len, bool nomem)
{
    if (len)
        fwrite(buf, 1, len, stdout);
    free(buf);
    int rc = 0;
    if (st != DYAD_STORE_OK) {
        fprintf(stderr, "dyad: %s: %s\n", path, dyad_store_errmsg(s));
        rc = 1;
    } else if (nomem) {
        fprintf(stderr, "dyad: out of memory\n");
        rc = 1;
    }
    dyad_store_free(s);
    if (fflush(stdout) != 0) {
        perror("dyad: stdout");
        return 1;
    }
    return rc;
}

/* The options dyad events and dyad casualties share (--db, --from, --to, --country, --min-killed, --limit):
 * 1 when argv[*i] was one, 0 when not, -1 after printing why its value is wrong. */
static int filter_opt(const char *cmd, int argc, char **argv, int *i, dyad_store_filter *f, const char **db)
{
    const char *v;
    if (cli_opt(argc, argv, i, "--db", &v)) {
        *db = v;
    } else if (cli_opt(argc, argv, i, "--from", &v)) {
        f->from = v;
    } else if (cli_opt(argc, argv, i, "--to", &v)) {
        f->to = v;
    } else if (cli_opt(argc, argv, i, "--country", &v)) {
        if (!valid_country(v)) {
            fprintf(stderr, "dyad %s: --country wants a 3-letter country code (IRN)\n", cmd);
            return -1;
        }
        f->country = v;
    } else if (cli_opt(argc, argv, i, "--min-killed", &v)) {
        if (!parse_count(v, &f->min_killed)) {
            fprintf(stderr, "dyad %s: --min-killed wants a positive number\n", cmd);
            return -1;
        }
    } else if (cli_opt(argc, argv, i, "--limit", &v)) {
        if (!parse_count(v, &f->limit)) {
            fprintf(stderr, "dyad %s: --limit wants a positive number\n", cmd);
            return -1;
        }
    } else {
        return 0;
    }
    return 1;
}

int cmd_events(int argc, char **argv)
{
    dyad_store_filter f = {0};
    const char *db = NULL, *fmt = "jsonl", *v;
    char dyad_a[32] = "", dyad_b[32] = "";
    for (int i = 1; i < argc; i++) {
        int shared;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            events_usage(stdout);
            return 0;
        } else if ((shared = filter_opt("events", argc, argv, &i, &f, &db)) != 0) {
            if (shared < 0)
                return 2;
        } else if (cli_opt(argc, argv, &i, "--actor", &v)) {
            f.actor = v;
        } else if (cli_opt(argc, argv, &i, "--dyad", &v)) {
            const char *comma = strchr(v, ',');
            if (!comma || comma - v >= (long)sizeof dyad_a || strlen(comma + 1) >= sizeof dyad_b) {
                fprintf(stderr, "dyad events: --dyad wants SOURCE,TARGET codes (e.g. USA,IRN)\n");
                return 2;
            }
            snprintf(dyad_a, sizeof dyad_a, "%.*s", (int)(comma - v), v);
            snprintf(dyad_b, sizeof dyad_b, "%s", comma + 1);
            f.dyad_source = dyad_a;
            f.dyad_target = dyad_b;
        } else if (cli_opt(argc, argv, &i, "--cameo", &v)) {
            f.cameo = v;
        } else if (cli_opt(argc, argv, &i, "--root", &v)) {
            f.root = v;
        } else if (cli_opt(argc, argv, &i, "--quad", &v)) {
            if (strlen(v) != 1 || v[0] < '1' || v[0] > '4') {
                fprintf(stderr, "dyad events: --quad wants 1, 2, 3 or 4\n");
                return 2;
            }
            f.quad = v[0] - '0';
        } else if (cli_opt(argc, argv, &i, "--modality", &v)) {
            f.modality = v;
        } else if (cli_opt(argc, argv, &i, "--text", &v)) {
            f.text = v;
        } else if (cli_opt(argc, argv, &i, "--near", &v)) {
            if (!parse_near(v, &f)) {
                fprintf(stderr, "dyad events: --near wants LAT,LON,KM (latitude -90 to 90, longitude -180 to 180, "
                                "km > 0), e.g. 49.98,36.25,50\n");
                return 2;
            }
        } else if (cli_opt(argc, argv, &i, "--format", &v)) {
            fmt = v;
        } else {
            fprintf(stderr, "dyad events: unknown argument '%s'\n", argv[i]);
            events_usage(stderr);
            return 2;
        }
    }
    const char *bad = NULL;
    if (f.from && !dyad_date_valid(f.from))
        bad = "--from wants a date YYYY-MM-DD";
    else if (f.to && !dyad_date_valid(f.to))
        bad = "--to wants a date YYYY-MM-DD";
    else if (f.actor && !dyad_code_valid(f.actor))
        bad = "--actor wants a code of capitals and digits (IRN, IRNGOV)";
    else if (f.dyad_source && (!dyad_code_valid(f.dyad_source) || !dyad_code_valid(f.dyad_target)))
        bad = "--dyad wants SOURCE,TARGET codes of capitals and digits (USA,IRN)";
    else if (f.cameo && (strspn(f.cameo, "0123456789") != strlen(f.cameo) || !*f.cameo || strlen(f.cameo) > 4))
        bad = "--cameo wants a CAMEO code of 1 to 4 digits";
    else if (f.root && (strspn(f.root, "0123456789") != 2 || strlen(f.root) != 2))
        bad = "--root wants two digits (01 to 20)";
    else if (f.modality && strcmp(f.modality, "factual") && strcmp(f.modality, "negated") &&
             strcmp(f.modality, "hypothetical") && strcmp(f.modality, "future"))
        bad = "--modality wants factual, negated, hypothetical or future";
    if (bad) {
        fprintf(stderr, "dyad events: %s\n", bad);
        return 2;
    }
    events_run r = {0};
    if (strcmp(fmt, "jsonl") == 0 || strcmp(fmt, "json") == 0)
        r.fmt = OUT_JSONL;
    else if (strcmp(fmt, "csv") == 0)
        r.fmt = OUT_CSV;
    else if (strcmp(fmt, "tsv") == 0)
        r.fmt = OUT_TSV;
    else if (strcmp(fmt, "phoenix") == 0)
        r.fmt = OUT_PHOENIX;
    else if (strcmp(fmt, "gdelt") == 0)
        r.fmt = OUT_GDELT;
    else {
        fprintf(stderr, "dyad events: unknown --format '%s' (jsonl, csv, tsv, phoenix or gdelt)\n", fmt);
        return 2;
    }
    const char *path = db_path(db);
    dyad_store *s = dyad_store_new();
    if (!s || dyad_store_open(s, path, DYAD_STORE_READONLY) != DYAD_STORE_OK) {
        fprintf(stderr, "dyad: %s\n", dyad_store_errmsg(s));
        dyad_store_free(s);
        return 1;
    }
    if (r.fmt == OUT_CSV)
        fputs(csv_header, stdout);
    else if (r.fmt == OUT_TSV)
        fputs(dyad_tsv_header(), stdout);
    dyad_store_status st = dyad_store_query(s, &f, write_row, &r);
    return query_done(s, path, st, r.buf, r.len, r.nomem);
}

/* ---- dyad stats ---------------------------------------------------------------------------------------- */

int cmd_stats(int argc, char **argv)
{
    const char *db = NULL, *v;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs("usage: dyad stats [--db PATH]\n"
                  "  Stories (originals and reprints), events and mentions, date range, top actors and codes.\n",
                  stdout);
            return 0;
        } else if (cli_opt(argc, argv, &i, "--db", &v)) {
            db = v;
        } else {
            fprintf(stderr, "dyad stats: unknown argument '%s'\nusage: dyad stats [--db PATH]\n", argv[i]);
            return 2;
        }
    }
    const char *path = db_path(db);
    dyad_store *s = dyad_store_new();
    dyad_store_stats st;
    if (!s || dyad_store_open(s, path, DYAD_STORE_READONLY) != DYAD_STORE_OK ||
        dyad_store_get_stats(s, &st) != DYAD_STORE_OK) {
        fprintf(stderr, "dyad: %s\n", dyad_store_errmsg(s));
        dyad_store_free(s);
        return 1;
    }
    printf("database    %s (%.1f MB)\n", path, (double)st.bytes / 1e6);
    printf("stories     %lld (%lld originals, %lld reprints)\n", (long long)st.stories, (long long)st.originals,
           (long long)st.reprints);
    printf("events      %lld (%lld mentions)\n", (long long)st.events, (long long)st.mentions);
    printf("dates       %s .. %s\n", st.date_min[0] ? st.date_min : "-", st.date_max[0] ? st.date_max : "-");
    const struct {
        const char *name;
        dyad_store_count *c;
        size_t n;
    } tops[3] = {{"top actors", st.actors, st.nactors}, {"top codes", st.cameos, st.ncameos},
                 {"top roots", st.roots, st.nroots}};
    for (int t = 0; t < 3; t++) {
        printf("%-11s", tops[t].name);
        for (size_t i = 0; i < tops[t].n; i++)
            printf(" %s %lld%s", tops[t].c[i].code, (long long)tops[t].c[i].n, i + 1 < tops[t].n ? "," : "");
        printf("\n");
    }
    dyad_store_free(s);
    return 0;
}

/* ---- dyad casualties ----------------------------------------------------------------------------------- */

typedef struct casualties_run {
    char *buf;
    size_t len, cap;
    bool nomem;
} casualties_run;

static int write_casualty(const dyad_store_casualty_row *row, void *ctx)
{
    casualties_run *r = ctx;
    if (dyad_casualty_write(&row->k, &row->story, &r->buf, &r->len, &r->cap) != DYAD_OK)
        r->nomem = true;
    if (r->len >= (1u << 16) || r->nomem) {
        fwrite(r->buf, 1, r->len, stdout);
        r->len = 0;
    }
    return r->nomem;
}

static void casualties_usage(FILE *f)
{
    fputs("usage: dyad casualties [--db PATH] [--from DATE] [--to DATE] [--country CCC] [--min-killed N] [--limit N]\n"
          "  Prints the stored stories' casualty counts (every count of each story, with or without an event) as\n"
          "  dyad code --casualties does: {\"story_id\",\"type\":\"casualties\",...} lines, in the order stored.\n"
          "  --from, --to        story dates, inclusive (YYYY-MM-DD)\n"
          "  --country CCC       the count's country: the place of an event of its sentence, else the one country\n"
          "                      of the story's placed events (docs/store.md)\n"
          "  --min-killed N      killed counts of at least N\n"
          "  --limit N           at most N records\n",
          f);
}

int cmd_casualties(int argc, char **argv)
{
    dyad_store_filter f = {0};
    const char *db = NULL;
    for (int i = 1; i < argc; i++) {
        int shared;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            casualties_usage(stdout);
            return 0;
        } else if ((shared = filter_opt("casualties", argc, argv, &i, &f, &db)) != 0) {
            if (shared < 0)
                return 2;
        } else {
            fprintf(stderr, "dyad casualties: unknown argument '%s'\n", argv[i]);
            casualties_usage(stderr);
            return 2;
        }
    }
    const char *bad = NULL;
    if (f.from && !dyad_date_valid(f.from))
        bad = "--from wants a date YYYY-MM-DD";
    else if (f.to && !dyad_date_valid(f.to))
        bad = "--to wants a date YYYY-MM-DD";
    if (bad) {
        fprintf(stderr, "dyad casualties: %s\n", bad);
        return 2;
    }
    const char *path = db_path(db);
    dyad_store *s = dyad_store_new();
    if (!s || dyad_store_open(s, path, DYAD_STORE_READONLY) != DYAD_STORE_OK) {
        fprintf(stderr, "dyad: %s\n", dyad_store_errmsg(s));
        dyad_store_free(s);
        return 1;
    }
    casualties_run r = {0};
    dyad_store_status st = dyad_store_casualties(s, &f, write_casualty, &r);
    return query_done(s, path, st, r.buf, r.len, r.nomem);
}
