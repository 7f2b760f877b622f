/*
 * input.c - stories from files, directories and standard input (see input.h).
 *
 * JSONL records are parsed with jansson. Lines of any length are read (getline); validity of UTF-8 is
 * checked here first, so that the message can give the byte offset in the file.
 */
#include "input.h"
#include "internal.h"

#include <dirent.h>
#include <stdarg.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

void story_rec_free(story_rec *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < sizeof r->owned / sizeof r->owned[0]; i++)
        free(r->owned[i]);
    free(r->out);
    free(r->casualties);
    free(r);
}

static void errf(error_cb ecb, void *ctx, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void errf(error_cb ecb, void *ctx, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    ecb(msg, ctx);
}

static const char *default_date(input_opts *o)
{
    if (o->date)
        return o->date;
    if (!o->today[0]) {
        time_t now = time(NULL);
        struct tm tm;
        gmtime_r(&now, &tm);
        strftime(o->today, sizeof o->today, "%Y-%m-%d", &tm);
    }
    o->date_defaulted = true;
    return o->today;
}

/* "YYYY-MM-DD", or "YYYYMMDD" as PETRARCH's records write it, into a fresh YYYY-MM-DD string. */
static char *norm_date(const char *s)
{
    char buf[11];
    size_t n = strlen(s);
    if (n == 8 && strspn(s, "0123456789") == 8)
        snprintf(buf, sizeof buf, "%.4s-%.2s-%.2s", s, s + 4, s + 6);
    else if (n == 10)
        memcpy(buf, s, 11);
    else
        return NULL;
    return dyad_date_valid(buf) ? strdup(buf) : NULL;
}

static size_t read_jsonl(FILE *f, const char *path, input_opts *o, story_cb cb, error_cb ecb, void *ctx)
{
    char *line = NULL;
    size_t cap = 0, errors = 0, lineno = 0, offset = 0, good = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, f)) >= 0) {
        lineno++;
        size_t here = offset;
        offset += (size_t)n;
        o->bytes_read += (size_t)n;
        size_t len = (size_t)n;
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            len--;
        size_t sp = 0;
        while (sp < len && (line[sp] == ' ' || line[sp] == '\t'))
            sp++;
        if (sp == len)
            continue; /* blank lines are allowed */
        size_t bad;
        if (!dyad_utf8_check(line, len, &bad)) {
            errf(ecb, ctx, "%s:%zu: byte %zu: %s; record skipped", path, lineno, here + bad,
                 line[bad] ? "invalid UTF-8" : "NUL byte");
            errors++;
            continue;
        }
        json_error_t je;
        json_t *j = json_loadb(line, len, 0, &je);
        if (!j || !json_is_object(j)) {
            errf(ecb, ctx, "%s:%zu: byte %zu: %s; record skipped", path, lineno,
                 here + (j ? 0 : (size_t)(je.position > 0 ? je.position - 1 : 0)),
                 j ? "a record must be a JSON object" : je.text);
            json_decref(j);
            errors++;
            continue;
        }
        json_t *jid = json_object_get(j, "id"), *jtext = json_object_get(j, "text"), *jdate = json_object_get(j, "date");
        const char *why = NULL;
        if (!jtext || !json_is_string(jtext))
            why = "no \"text\" string";
        else if (!jid || !(json_is_string(jid) || json_is_integer(jid)))
            why = "no \"id\" string";
        else if (jdate && !json_is_null(jdate) && !json_is_string(jdate))
            why = "\"date\" is not a string";
        if (why) {
            errf(ecb, ctx, "%s:%zu: %s; record skipped", path, lineno, why);
            json_decref(j);
            errors++;
            continue;
        }
        story_rec *r = calloc(1, sizeof *r);
        if (!r) {
            json_decref(j);
            errors++;
            break;
        }
        char idbuf[32];
        if (json_is_integer(jid))
            snprintf(idbuf, sizeof idbuf, "%lld", (long long)json_integer_value(jid));
        r->owned[0] = strdup(json_is_string(jid) ? json_string_value(jid) : idbuf);
        const char *ds = jdate && json_is_string(jdate) ? json_string_value(jdate) : NULL;
        r->owned[1] = norm_date(ds ? ds : default_date(o));
        if (!r->owned[1] && o->keep_bad_dates && ds)
            r->owned[1] = strdup(ds);
        if (!r->owned[1]) {
            errf(ecb, ctx, "%s:%zu: story %s: bad date '%s' (want YYYY-MM-DD); record skipped", path, lineno,
                 r->owned[0] ? r->owned[0] : "?", ds ? ds : "");
            story_rec_free(r);
            json_decref(j);
            errors++;
            continue;
        }
        size_t tl = json_string_length(jtext);
        r->owned[2] = malloc(tl + 1);
        if (r->owned[2]) {
            memcpy(r->owned[2], json_string_value(jtext), tl);
            r->owned[2][tl] = 0;
        }
        const char *opt[3] = {"title", "source", "url"};
        for (int k = 0; k < 3; k++) {
            json_t *v = json_object_get(j, opt[k]);
            if (v && json_is_string(v))
                r->owned[3 + k] = strdup(json_string_value(v));
        }
        r->s = (dyad_story){r->owned[0], r->owned[1], r->owned[2], tl, r->owned[3], r->owned[4], r->owned[5]};
        snprintf(r->where, sizeof r->where, "%s:%zu", path, lineno);
        if (o->keep)
            r->extra = o->keep(j, o->keep_ctx);
        json_decref(j);
        good++;
        if (!cb(r, ctx))
            break;
    }
    free(line);
    if (ferror(f)) {
        errf(ecb, ctx, "%s: read error: %s", path, strerror(errno));
        errors++;
    } else if (lineno == 0 || (good == 0 && errors == 0)) {
        errf(ecb, ctx, "%s: empty input: no story", path);
        errors++;
    }
    return errors;
}

static size_t read_text(FILE *f, const char *path, input_opts *o, story_cb cb, error_cb ecb, void *ctx)
{
    sbuf sb = {0};
    int rc = sbuf_read_stream(&sb, f);
    if (rc) {
        free(sb.s);
        errf(ecb, ctx, "%s: read error: %s", path, strerror(rc));
        return 1;
    }
    char *buf = sb.s;
    size_t len = sb.len;
    o->bytes_read += len;
    size_t bad;
    if (!dyad_utf8_check(buf ? buf : "", len, &bad)) {
        /* line and byte of the fault */
        size_t line = 1;
        for (size_t i = 0; i < bad; i++)
            line += buf[i] == '\n';
        errf(ecb, ctx, "%s:%zu: byte %zu: %s; file skipped%s", path, line, bad,
             buf[bad] ? "invalid UTF-8" : "NUL byte", buf[bad] ? "" : " (a binary file?)");
        free(buf);
        return 1;
    }
    size_t i = 0;
    while (i < len && (buf[i] == ' ' || buf[i] == '\n' || buf[i] == '\t' || buf[i] == '\r'))
        i++;
    if (i == len) {
        free(buf);
        errf(ecb, ctx, "%s: empty input: no story", path);
        return 1;
    }
    story_rec *r = calloc(1, sizeof *r);
    if (!r) {
        free(buf);
        return 1;
    }
    r->owned[0] = strdup(o->id ? o->id : path);
    r->owned[1] = norm_date(default_date(o));
    if (!r->owned[1]) {
        errf(ecb, ctx, "%s: bad date '%s' (want YYYY-MM-DD)", path, o->date ? o->date : "");
        story_rec_free(r);
        free(buf);
        return 1;
    }
    if (!buf)
        buf = calloc(1, 1);
    else
        buf[len] = 0;
    r->owned[2] = buf;
    r->s = (dyad_story){r->owned[0], r->owned[1], buf, len, NULL, NULL, NULL};
    snprintf(r->where, sizeof r->where, "%s", path);
    cb(r, ctx);
    return 0;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static bool ends_with(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && strcmp(s + a - b, suf) == 0;
}

size_t input_size(const char *path)
{
    struct stat st;
    if (strcmp(path, "-") == 0 || stat(path, &st) != 0)
        return 0;
    if (S_ISREG(st.st_mode))
        return (size_t)st.st_size;
    if (!S_ISDIR(st.st_mode))
        return 0;
    DIR *dir = opendir(path);
    if (!dir)
        return 0;
    size_t total = 0;
    struct dirent *de;
    while ((de = readdir(dir))) {
        if (de->d_name[0] == '.')
            continue;
        char sub[4096];
        if ((size_t)snprintf(sub, sizeof sub, "%s/%s", path, de->d_name) < sizeof sub)
            total += input_size(sub);
    }
    closedir(dir);
    return total;
}

size_t input_read(const char *path, input_opts *o, story_cb cb, error_cb ecb, void *ctx)
{
    if (strcmp(path, "-") == 0)
        return o->jsonl ? read_jsonl(stdin, "<stdin>", o, cb, ecb, ctx) : read_text(stdin, "<stdin>", o, cb, ecb, ctx);
    struct stat st;
    if (stat(path, &st) != 0) {
        errf(ecb, ctx, "%s: %s", path, strerror(errno));
        return 1;
    }
    if (S_ISDIR(st.st_mode)) {
        DIR *dir = opendir(path);
        if (!dir) {
            errf(ecb, ctx, "%s: %s", path, strerror(errno));
            return 1;
        }
        char **names = NULL;
        size_t n = 0, cap = 0, errors = 0;
        struct dirent *de;
        while ((de = readdir(dir))) {
            if (de->d_name[0] == '.')
                continue;
            if (n == cap) {
                cap = cap ? cap * 2 : 64;
                char **nn = realloc(names, cap * sizeof *names);
                if (!nn)
                    break;
                names = nn;
            }
            size_t l = strlen(path) + strlen(de->d_name) + 2;
            names[n] = malloc(l);
            if (names[n])
                snprintf(names[n++], l, "%s/%s", path, de->d_name);
        }
        closedir(dir);
        if (n)
        qsort(names, n, sizeof *names, cmp_str);
        for (size_t i = 0; i < n; i++) {
            errors += input_read(names[i], o, cb, ecb, ctx);
            free(names[i]);
        }
        free(names);
        return errors;
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        errf(ecb, ctx, "%s: %s", path, strerror(errno));
        return 1;
    }
    size_t errors = (o->jsonl || ends_with(path, ".jsonl")) ? read_jsonl(f, path, o, cb, ecb, ctx)
                                                            : read_text(f, path, o, cb, ecb, ctx);
    fclose(f);
    return errors;
}
