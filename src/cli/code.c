/*
 * code.c - `dyad code`: read stories, code them on N threads in batches, write events in input order.
 */
#include "cli.h"

#include <pthread.h>
#include <sys/resource.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct coder_pool {
    const dyad_dict *d;
    int threads;
    dyad_format fmt;
    dyad_coder **coders;
    story_rec **recs;
    size_t n;
    atomic_size_t next;
    bool keep; /* keep each story's events in r->extra (a dyad_event array) instead of writing them */
    bool casualties; /* also write each story's casualty records (dyad code --casualties) */
};

void pool_write_casualties(coder_pool *p, bool on) { p->casualties = on; }

void pool_keep_events(coder_pool *p, bool keep) { p->keep = keep; }

coder_pool *pool_new(const dyad_dict *d, int threads, dyad_format fmt)
{
    coder_pool *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->d = d;
    p->threads = threads < 1 ? 1 : threads;
    p->fmt = fmt;
    p->coders = calloc((size_t)p->threads, sizeof *p->coders);
    if (!p->coders) {
        free(p);
        return NULL;
    }
    for (int i = 0; i < p->threads; i++)
        if (!(p->coders[i] = dyad_coder_new(d))) {
            pool_free(p);
            return NULL;
        }
    return p;
}

void pool_free(coder_pool *p)
{
    if (!p)
        return;
    for (int i = 0; i < p->threads; i++)
        dyad_coder_free(p->coders[i]);
    free(p->coders);
    free(p);
}

static void code_one(coder_pool *p, dyad_coder *c, story_rec *r)
{
    const dyad_event *ev;
    size_t n;
    r->status = dyad_code(c, &r->s, &ev, &n);
    r->nevents = 0;
    r->out_len = 0;
    if (r->status != DYAD_OK) {
        snprintf(r->err, sizeof r->err, "%s: %s", r->where, dyad_coder_errmsg(c));
        return;
    }
    if (p->keep) {
        free(r->extra);
        r->extra = n ? malloc(n * sizeof *ev) : NULL;
        if (n && !r->extra) {
            r->status = DYAD_ERR_NOMEM;
            snprintf(r->err, sizeof r->err, "%s: out of memory", r->where);
            return;
        }
        if (n)
            memcpy(r->extra, ev, n * sizeof *ev);
        const dyad_casualty *k; /* the story-level casualty records (ingest stores them) */
        size_t nk;
        dyad_coder_casualties(c, &k, &nk);
        free(r->casualties);
        r->casualties = nk ? malloc(nk * sizeof *k) : NULL;
        r->ncasualties = r->casualties ? nk : 0;
        if (nk && !r->casualties) {
            r->status = DYAD_ERR_NOMEM;
            snprintf(r->err, sizeof r->err, "%s: out of memory", r->where);
            return;
        }
        if (nk)
            memcpy(r->casualties, k, nk * sizeof *k);
    }
    for (size_t i = 0; i < n && !p->keep; i++)
        if (dyad_event_write(&ev[i], &r->s, p->fmt, &r->out, &r->out_len, &r->out_cap) != DYAD_OK) {
            r->status = DYAD_ERR_NOMEM;
            snprintf(r->err, sizeof r->err, "%s: out of memory", r->where);
            return;
        }
    if (p->casualties && !p->keep) {
        const dyad_casualty *k;
        size_t nk;
        dyad_coder_casualties(c, &k, &nk);
        for (size_t i = 0; i < nk; i++)
            if (dyad_casualty_write(&k[i], &r->s, &r->out, &r->out_len, &r->out_cap) != DYAD_OK) {
                r->status = DYAD_ERR_NOMEM;
                snprintf(r->err, sizeof r->err, "%s: out of memory", r->where);
                return;
            }
    }
    r->nevents = n;
    dyad_code_stats cs;
    dyad_coder_get_stats(c, &cs);
    r->sentences = cs.sentences;
    r->historical = cs.historical;
}

typedef struct worker_arg {
    coder_pool *p;
    int idx;
} worker_arg;

static void *worker(void *arg)
{
    worker_arg *w = arg;
    coder_pool *p = w->p;
    for (;;) {
        size_t i = atomic_fetch_add(&p->next, 1);
        if (i >= p->n)
            break;
        code_one(p, p->coders[w->idx], p->recs[i]);
    }
    return NULL;
}

void pool_code(coder_pool *p, story_rec **recs, size_t n)
{
    p->recs = recs;
    p->n = n;
    atomic_store(&p->next, 0);
    if (p->threads == 1 || n < 2) {
        for (size_t i = 0; i < n; i++)
            code_one(p, p->coders[0], recs[i]);
        return;
    }
    pthread_t tid[64];
    worker_arg args[64];
    int t = p->threads > 64 ? 64 : p->threads;
    int started = 0;
    for (int i = 1; i < t; i++) {
        args[i] = (worker_arg){p, i};
        if (pthread_create(&tid[i], NULL, worker, &args[i]) == 0)
            started = i;
        else
            break;
    }
    args[0] = (worker_arg){p, 0};
    worker(&args[0]);
    for (int i = 1; i <= started; i++)
        pthread_join(tid[i], NULL);
}

/* Code a batch on all the pool's threads in the background (the caller goes on reading the next batch);
 * pool_wait() joins them. */
typedef struct pool_job {
    pthread_t tid[64];
    worker_arg args[64];
    int started;
} pool_job;

static void pool_start(coder_pool *p, pool_job *j, story_rec **recs, size_t n)
{
    p->recs = recs;
    p->n = n;
    atomic_store(&p->next, 0);
    j->started = 0;
    int t = p->threads > 64 ? 64 : p->threads;
    for (int i = 0; i < t; i++) {
        j->args[i] = (worker_arg){p, i};
        if (pthread_create(&j->tid[i], NULL, worker, &j->args[i]) != 0)
            break;
        j->started = i + 1;
    }
    if (!j->started) /* no thread could start: code here */
        worker(&j->args[0]);
}

static void pool_wait(pool_job *j)
{
    for (int i = 0; i < j->started; i++)
        pthread_join(j->tid[i], NULL);
    j->started = 0;
}

/* ---- the command ------------------------------------------------------------------------------------ */

#define BATCH_STORIES 512
#define BATCH_BYTES (16u << 20)

typedef struct code_run {
    coder_pool *pool;
    int threads;
    story_rec *batches[2][BATCH_STORIES]; /* one being read while the other is coded (-j 2 and more) */
    story_rec **batch;
    size_t n, bytes;
    story_rec **coding; /* the batch the threads are coding, NULL when none */
    size_t ncoding;
    pool_job job;
    size_t stories, coded, events, errors, sentences, bytes_in, historical;
    FILE *out;
} code_run;

/* Write a coded batch's events in input order and free it. */
static void drain(code_run *r, story_rec **batch, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        story_rec *s = batch[i];
        if (s->status != DYAD_OK) {
            fprintf(stderr, "dyad: %s\n", s->err);
            r->errors++;
        } else {
            r->coded++;
            r->events += s->nevents;
            r->sentences += s->sentences;
            r->historical += s->historical;
            r->bytes_in += s->s.text_len;
            if (s->out_len)
                fwrite(s->out, 1, s->out_len, r->out);
        }
        story_rec_free(s);
    }
}

/* With one thread, code the batch now; with more, finish and write the batch being coded, then start
 * coding this one in the background while the next is read. FINAL: also wait for it. */
static void flush(code_run *r, bool final)
{
    if (r->threads == 1) {
        pool_code(r->pool, r->batch, r->n);
        drain(r, r->batch, r->n);
    } else {
        if (r->coding) {
            pool_wait(&r->job);
            drain(r, r->coding, r->ncoding);
            r->coding = NULL;
        }
        if (r->n) {
            r->coding = r->batch;
            r->ncoding = r->n;
            pool_start(r->pool, &r->job, r->coding, r->ncoding);
            r->batch = r->batch == r->batches[0] ? r->batches[1] : r->batches[0];
        }
        if (final && r->coding) {
            pool_wait(&r->job);
            drain(r, r->coding, r->ncoding);
            r->coding = NULL;
        }
    }
    r->n = 0;
    r->bytes = 0;
}

static bool on_story(story_rec *s, void *ctx)
{
    code_run *r = ctx;
    r->batch[r->n++] = s;
    r->stories++;
    r->bytes += s->s.text_len;
    if (r->n == BATCH_STORIES || r->bytes >= BATCH_BYTES)
        flush(r, false);
    return true;
}

static void on_error(const char *msg, void *ctx)
{
    code_run *r = ctx;
    fflush(r->out); /* keep stdout and stderr in order for a reader of both */
    fprintf(stderr, "dyad: %s\n", msg);
}

static void code_usage(FILE *f)
{
    fputs("usage: dyad code [options] [FILE|DIR|-]...\n"
          "  Codes each plain-text FILE as one story, each *.jsonl file (or every file with --jsonl) as one\n"
          "  story a line: {\"id\",\"date\",\"text\"} plus optional \"title\",\"source\",\"url\". Directories are\n"
          "  walked; '-' or no FILE reads standard input. Events go to stdout, one a line.\n"
          "options:\n"
          "  --jsonl            read JSONL records\n"
          "  --date YYYY-MM-DD  date of plain-text stories (and of records without one); default today\n"
          "  --id ID            id of a single plain-text story (default: its path)\n"
          "  --format F         jsonl (default), tsv, or plover (PLOVER-style records)\n"
          "  --dicts DIR        code with the dictionaries in DIR instead of the built-in ones\n"
          "  -j N               code with N threads (output keeps the input order)\n"
          "  --stats            print throughput and peak memory on stderr at the end\n"
          "  --casualties       also write each story's casualty counts as {\"type\":\"casualties\"} lines\n"
          "exit status: 0 all coded; 1 nothing could be coded; 3 some inputs had errors; 2 usage\n",
          f);
}

int cmd_code(int argc, char **argv)
{
    input_opts o = {0};
    const char *dicts = NULL, *fmt = "jsonl", *jv = NULL;
    const char *files[256];
    int nfiles = 0;
    int threads = 1;
    bool stats = false, casualties = false;
    for (int i = 1; i < argc; i++) {
        const char *v;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            code_usage(stdout);
            return 0;
        } else if (strcmp(argv[i], "--jsonl") == 0) {
            o.jsonl = true;
        } else if (strcmp(argv[i], "--stats") == 0) {
            stats = true;
        } else if (strcmp(argv[i], "--casualties") == 0) {
            casualties = true;
        } else if (cli_opt(argc, argv, &i, "--date", &v)) {
            o.date = v;
        } else if (cli_opt(argc, argv, &i, "--id", &v)) {
            o.id = v;
        } else if (cli_opt(argc, argv, &i, "--format", &v)) {
            fmt = v;
        } else if (cli_opt(argc, argv, &i, "--dicts", &v)) {
            dicts = v;
        } else if (cli_opt(argc, argv, &i, "-j", &v) || cli_opt(argc, argv, &i, "--threads", &v)) {
            jv = v;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "dyad code: unknown option '%s'\n", argv[i]);
            code_usage(stderr);
            return 2;
        } else if (nfiles < 256) {
            files[nfiles++] = argv[i];
        } else {
            fprintf(stderr, "dyad code: more than 256 inputs; give a directory instead\n");
            return 2;
        }
    }
    if (o.date && !dyad_date_valid(o.date)) {
        fprintf(stderr, "dyad code: bad --date '%s' (want YYYY-MM-DD, a real day)\n", o.date);
        return 2;
    }
    if (jv) {
        char *end;
        long t = strtol(jv, &end, 10);
        if (*end || t < 1 || t > 64) {
            fprintf(stderr, "dyad code: -j wants a number of threads from 1 to 64\n");
            return 2;
        }
        threads = (int)t;
    }
    dyad_format f;
    if (strcmp(fmt, "jsonl") == 0 || strcmp(fmt, "json") == 0)
        f = DYAD_FMT_JSONL;
    else if (strcmp(fmt, "tsv") == 0)
        f = DYAD_FMT_TSV;
    else if (strcmp(fmt, "plover") == 0)
        f = DYAD_FMT_PLOVER;
    else {
        fprintf(stderr, "dyad code: unknown --format '%s' (jsonl, tsv or plover)\n", fmt);
        return 2;
    }
    double t0 = cli_now_ms(), load_ms = 0;
    dyad_dict *d = cli_load_dict(dicts, &load_ms);
    if (!d)
        return 1;
    double t1 = cli_now_ms();
    code_run *r = calloc(1, sizeof *r); /* two batches of pointers: on the heap */
    if (!r) {
        fprintf(stderr, "dyad: out of memory\n");
        dyad_dict_free(d);
        return 1;
    }
    r->out = stdout;
    r->threads = threads;
    r->batch = r->batches[0];
    r->pool = pool_new(d, threads, f);
    if (!r->pool) {
        fprintf(stderr, "dyad: out of memory\n");
        dyad_dict_free(d);
        free(r);
        return 1;
    }
    pool_write_casualties(r->pool, casualties);
    if (f == DYAD_FMT_TSV)
        fputs(dyad_tsv_header(), stdout);
    if (!nfiles)
        files[nfiles++] = "-";
    size_t input_errors = 0;
    for (int i = 0; i < nfiles; i++)
        input_errors += input_read(files[i], &o, on_story, on_error, r);
    flush(r, true);
    if (o.date_defaulted)
        fprintf(stderr, "dyad: note: stories without a date were coded as of today, %s (use --date)\n", o.today);
    r->errors += input_errors;
    if (stats) {
        double secs = (cli_now_ms() - t1) / 1e3;
        struct rusage ru;
        getrusage(RUSAGE_SELF, &ru);
        fprintf(stderr,
                "dyad stats: threads %d, dictionary load %.2f ms, stories %zu, sentences %zu, MB %.1f, events %zu, "
                "historical events left out %zu, "
                "seconds %.3f, stories/s %.0f, sentences/s %.0f, MB/s %.2f, events per 1000 sentences %.1f, "
                "peak RSS MB %.1f, total ms %.0f\n",
                threads, load_ms, r->coded, r->sentences, (double)r->bytes_in / 1e6, r->events, r->historical, secs,
                secs > 0 ? (double)r->coded / secs : 0, secs > 0 ? (double)r->sentences / secs : 0,
                secs > 0 ? (double)r->bytes_in / 1e6 / secs : 0,
                r->sentences ? 1000.0 * (double)r->events / (double)r->sentences : 0, (double)ru.ru_maxrss / 1024.0,
                cli_now_ms() - t0);
    }
    if (r->errors)
        fprintf(stderr, "dyad: %zu stories coded, %zu events, %zu errors\n", r->coded, r->events, r->errors);
    pool_free(r->pool);
    dyad_dict_free(d);
    int rc = r->errors ? (r->coded ? 3 : 1) : 0;
    free(r);
    if (fflush(stdout) != 0) {
        perror("dyad: stdout");
        return 1;
    }
    return rc;
}
