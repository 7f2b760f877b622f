/*
 * dict.c - dictionaries: loading dyad's own text format, the vocabulary and word keys, the phrase trie
 * (actors, agents, discards, issues, modality and reporting phrases), verb patterns and the CAMEO codebook.
 *
 * Loading happens in two steps. While files are read, every word is added to the vocabulary as written
 * and entries are kept raw. dyad_dict_finish() then reduces every word to its key (the shortest base form
 * present in the vocabulary, docs/dictionaries.md) and builds the trie and the pattern index, so that a
 * dictionary word and a text word always go through the same reduction.
 */
#include "internal.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <utf8proc.h>

/* Raw phrases waiting for dyad_dict_finish(). */
typedef struct pending {
    uint32_t off, len; /* into the pool */
    uint8_t kind;
    uint32_t val;
    uint16_t file;
    uint32_t line;
} pending;

typedef struct dict_extra {
    pending *pend;
    size_t npend, pend_cap;
    sbuf pool;
} dict_extra;

/* The extra state lives behind the public struct to keep internal.h about the finished form. */
static dict_extra *X(const dyad_dict *d) { return (dict_extra *)d->extra; }

const char *dyad_status_name(dyad_status st)
{
    switch (st) {
    case DYAD_OK: return "ok";
    case DYAD_ERR_IO: return "i/o error";
    case DYAD_ERR_PARSE: return "parse error";
    case DYAD_ERR_INPUT: return "bad input";
    case DYAD_ERR_DATE: return "bad date";
    case DYAD_ERR_NOMEM: return "out of memory";
    case DYAD_ERR_ARG: return "bad argument";
    }
    return "unknown";
}

/* ---- closed-class words: tiny fixed lists, part of the grammar rather than of the dictionaries ------- */

static const struct {
    const char *w;
    uint32_t f;
} closed[] = {
    {"a", W_DET}, {"an", W_DET}, {"the", W_DET | W_REF}, {"both", W_REF}, {"it", W_REF}, {"they", W_REF},
    {"he", W_REF}, {"she", W_REF}, {"him", W_REF}, {"her", W_REF}, {"them", W_REF}, {"we", W_REF}, {"i", W_REF}, {"congress", W_REF}, {"this", W_DET}, {"these", W_DET}, {"those", W_DET},
    {"his", W_POSS}, {"her", W_POSS | W_PRON}, {"its", W_POSS}, {"their", W_POSS}, {"our", W_POSS},
    {"my", W_POSS}, {"your", W_POSS},
    {"also", W_FILLER}, {"still", W_FILLER}, {"already", W_FILLER}, {"again", W_FILLER},
    {"further", W_FILLER}, {"now", W_FILLER}, {"then", W_FILLER}, {"just", W_FILLER},
    {"even", W_FILLER}, {"once", W_FILLER}, {"soon", W_FILLER}, {"later", W_FILLER},
    {"in", W_PREP}, {"on", W_PREP}, {"at", W_PREP}, {"with", W_PREP}, {"of", W_PREP}, {"to", W_PREP},
    {"for", W_PREP}, {"from", W_PREP}, {"by", W_PREP}, {"against", W_PREP}, {"around", W_PREP},
    {"about", W_PREP}, {"into", W_PREP}, {"over", W_PREP}, {"under", W_PREP}, {"near", W_PREP},
    {"between", W_PREP}, {"among", W_PREP}, {"including", W_PREP}, {"toward", W_PREP},
    {"towards", W_PREP}, {"across", W_PREP}, {"through", W_PREP}, {"within", W_PREP},
    {"without", W_PREP}, {"after", W_PREP}, {"before", W_PREP}, {"amid", W_PREP}, {"via", W_PREP},
    {"like", W_PREP}, {"than", W_PREP}, {"inside", W_PREP}, {"outside", W_PREP}, {"upon", W_PREP},
    {"that", W_BARRIER}, {"which", W_BARRIER}, {"who", W_BARRIER}, {"whom", W_BARRIER},
    {"whose", W_BARRIER}, {"where", W_BARRIER}, {"when", W_BARRIER}, {"while", W_BARRIER},
    {"whereas", W_BARRIER}, {"although", W_BARRIER}, {"though", W_BARRIER}, {"because", W_BARRIER},
    {"but", W_BARRIER}, {"however", W_BARRIER}, {"meanwhile", W_BARRIER}, {"during", W_PREP},
    {"since", W_BARRIER}, {"unless", W_BARRIER}, {"if", W_BARRIER}, {"whether", W_BARRIER},
    {";", W_BARRIER}, {":", W_BARRIER}, {"(", W_BARRIER}, {")", W_BARRIER},
    {"not", W_NEG}, {"n't", W_NEG}, {"never", W_NEG}, {"no", W_NEG}, {"neither", W_NEG}, {"nor", W_NEG},
    {"be", W_BE}, {"have", W_AUX}, {"do", W_AUX}, {"will", W_AUX}, {"would", W_AUX}, {"can", W_AUX},
    {"could", W_AUX}, {"shall", W_AUX}, {"should", W_AUX}, {"must", W_AUX}, {"might", W_AUX},
    {"and", W_AND}, {"&", W_AND},
    {"he", W_PRON}, {"she", W_PRON}, {"him", W_PRON},
    {"they", W_PRON_PL}, {"them", W_PRON_PL},
    {",", W_COMMA},
    {"both", 0}, {"latter", 0}, {"former", 0}, {"counterpart", 0}, {"side", 0}, {"leader", 0},
    {"two", 0}, {"country", 0}, {"'s", 0}, {"-", 0}, {"base", 0}, {"it", 0}, {"statement", 0},
    {"anti", 0}, {"government", 0}, {"according", 0}, {"counterparts", 0}, {"party", 0},
    {"nation", 0}, {"government", 0},
    {"monday", W_TIME}, {"tuesday", W_TIME}, {"wednesday", W_TIME}, {"thursday", W_TIME}, {"friday", W_TIME},
    {"saturday", W_TIME}, {"sunday", W_TIME}, {"yesterday", W_TIME}, {"today", W_TIME}, {"tonight", W_TIME},
    {"tomorrow", W_TIME}, {"last", W_TIME}, {"this", W_DET | W_TIME}, {"next", W_TIME}, {"january", W_TIME},
    {"february", W_TIME}, {"march", W_TIME}, {"april", W_TIME}, {"may", W_TIME}, {"june", W_TIME},
    {"july", W_TIME}, {"august", W_TIME}, {"september", W_TIME}, {"october", W_TIME}, {"november", W_TIME},
    {"december", W_TIME}, {"jan", W_TIME}, {"feb", W_TIME}, {"mar", W_TIME}, {"apr", W_TIME}, {"jun", W_TIME},
    {"jul", W_TIME}, {"aug", W_TIME}, {"sep", W_TIME}, {"sept", W_TIME}, {"oct", W_TIME}, {"nov", W_TIME},
    {"dec", W_TIME}, {"one", W_TIME}, {"two", W_TIME}, {"three", W_TIME}, {"four", W_TIME}, {"five", W_TIME},
    {"six", W_TIME}, {"seven", W_TIME}, {"eight", W_TIME}, {"nine", W_TIME}, {"ten", W_TIME},
    {"one", W_NUMBER}, {"two", W_NUMBER}, {"three", W_NUMBER}, {"four", W_NUMBER}, {"five", W_NUMBER},
    {"six", W_NUMBER}, {"seven", W_NUMBER}, {"eight", W_NUMBER}, {"nine", W_NUMBER}, {"ten", W_NUMBER},
    {"eleven", W_NUMBER}, {"twelve", W_NUMBER}, {"thirteen", W_NUMBER}, {"fourteen", W_NUMBER},
    {"fifteen", W_NUMBER}, {"sixteen", W_NUMBER}, {"seventeen", W_NUMBER}, {"eighteen", W_NUMBER},
    {"nineteen", W_NUMBER}, {"twenty", W_NUMBER}, {"thirty", W_NUMBER}, {"forty", W_NUMBER}, {"fifty", W_NUMBER},
    {"sixty", W_NUMBER}, {"seventy", W_NUMBER}, {"eighty", W_NUMBER}, {"ninety", W_NUMBER},
    {"hundred", W_NUMBER}, {"thousand", W_NUMBER}, {"million", W_NUMBER}, {"dozen", W_NUMBER},
    {"score", W_NUMBER}, {"toll", W_NUMBER},
};

dyad_dict *dyad_dict_new(void)
{
    dyad_dict *d = calloc(1, sizeof *d);
    dict_extra *x = calloc(1, sizeof *x);
    if (!d || !x) {
        free(d);
        free(x);
        return NULL;
    }
    d->extra = x;
    /* payload, cameo and node index 0 are reserved */
    d->npayloads = 1;
    if (!GROW(d->payloads, d->payloads_cap, 1) || !GROW(d->node_payload, d->nodes_cap, 1)) {
        dyad_dict_free(d);
        return NULL;
    }
    d->node_payload[0] = 0;
    d->nnodes = 1;
    /* the closed-class words come first, and only they carry word-class flags */
    for (size_t i = 0; i < sizeof closed / sizeof closed[0]; i++) {
        uint32_t id = dict_add_word(d, closed[i].w, strlen(closed[i].w));
        if (!id) {
            dyad_dict_free(d);
            return NULL;
        }
        d->wflags[id] |= closed[i].f;
    }
    return d;
}

void dict_release(dyad_dict *d)
{
    if (d->mapped) {
        if (d->map_base)
            munmap(d->map_base, d->map_len);
    } else {
        strtab_free(&d->vocab);
        free(d->wflags);
        strtab_free(&d->forms);
        free(d->lemma_base);
        u64map_free(&d->edges);
        free(d->node_payload);
        free(d->payloads);
        free(d->actors);
        free(d->alts);
        free(d->agents);
        strtab_free(&d->issues);
        strtab_free(&d->synset_names);
        free(d->syn_first);
        free(d->syn_n);
        free(d->syn_words);
        free(d->els);
        free(d->patterns);
        free(d->anchor_off);
        free(d->anchor_pat);
        u64map_free(&d->pair_map);
        u64map_free(&d->syn_member);
        free(d->pair_first);
        free(d->pair_n);
        free(d->pair_pat);
        free(d->cameo);
        u64map_free(&d->cameo_index);
    }
    for (size_t i = 0; i < d->nfiles; i++)
        free(d->files[i]);
    free(d->files);
    /* everything but the messages and the loading state back to zero */
    void *extra = d->extra;
    char **problems = d->problems;
    size_t np = d->nproblems, pc = d->problems_cap;
    char err[sizeof d->err];
    memcpy(err, d->err, sizeof err);
    memset(d, 0, sizeof *d);
    d->extra = extra;
    d->problems = problems;
    d->nproblems = np;
    d->problems_cap = pc;
    memcpy(d->err, err, sizeof err);
}

void dyad_dict_free(dyad_dict *d)
{
    if (!d)
        return;
    dict_release(d);
    dict_extra *x = X(d);
    if (x) {
        free(x->pend);
        free(x->pool.s);
        free(x);
    }
    for (size_t i = 0; i < d->nproblems; i++)
        free(d->problems[i]);
    free(d->problems);
    free(d);
}

const char *dyad_dict_errmsg(const dyad_dict *d) { return d ? d->err : "no dictionary"; }
size_t dyad_dict_problem_count(const dyad_dict *d) { return d ? d->nproblems : 0; }
const char *dyad_dict_problem(const dyad_dict *d, size_t i)
{
    return d && i < d->nproblems ? d->problems[i] : NULL;
}

void dict_problem(dyad_dict *d, const char *file, size_t line, const char *fmt, ...)
{
    char msg[512];
    int k = snprintf(msg, sizeof msg, "%s:%zu: ", file, line);
    if (k < 0 || (size_t)k >= sizeof msg)
        k = 0;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg + k, sizeof msg - (size_t)k, fmt, ap);
    va_end(ap);
    if (!GROW(d->problems, d->problems_cap, d->nproblems + 1))
        return;
    char *s = strdup(msg);
    if (s)
        d->problems[d->nproblems++] = s;
}

uint16_t dict_file_id(dyad_dict *d, const char *name)
{
    for (size_t i = 0; i < d->nfiles; i++)
        if (strcmp(d->files[i], name) == 0)
            return (uint16_t)i;
    if (d->nfiles >= 0xffff || !GROW(d->files, d->files_cap, d->nfiles + 1))
        return 0;
    d->files[d->nfiles] = strdup(name);
    return (uint16_t)d->nfiles++;
}

/* ---- words and keys ---------------------------------------------------------------------------------- */

/* Normalise a word as written: short all-capital acronyms keep their case, everything else is
 * lower-cased. Returns the length written to OUT (at most 4*n bytes). */
static size_t norm_word(const char *s, size_t n, char *out, bool *acronym)
{
    bool acr = n >= 2 && n <= 4;
    bool letter = false;
    for (size_t i = 0; i < n && acr; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z')
            letter = true;
        else if (!(c >= '0' && c <= '9'))
            acr = false;
    }
    acr = acr && letter;
    if (acronym)
        *acronym = acr;
    if (acr) {
        memcpy(out, s, n);
        return n;
    }
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            out[o++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
            i++;
            continue;
        }
        int32_t cp;
        size_t l = utf8_decode((const unsigned char *)s + i, n - i, &cp);
        if (!l) {
            out[o++] = (char)c;
            i++;
            continue;
        }
        if (cp == 0x2019) /* a typographic apostrophe is an apostrophe */
            out[o++] = '\'';
        else
            o += (size_t)utf8proc_encode_char(utf8proc_tolower(cp), (utf8proc_uint8_t *)out + o);
        i += l;
    }
    return o;
}

uint32_t dict_add_word(dyad_dict *d, const char *s, size_t n)
{
    if (n == 0 || n > 200)
        return 0;
    char buf[4 * 200 + 8];
    size_t m = norm_word(s, n, buf, NULL);
    size_t before = d->vocab.n;
    uint32_t id = strtab_add(&d->vocab, buf, m);
    if (!id || id <= before)
        return id; /* known already, flags set */
    if (!GROW(d->wflags, d->wflags_cap, (size_t)id + 1))
        return 0;
    d->wflags[id] = 0;
    return id;
}

static inline uint32_t try_stem(const dyad_dict *d, const char *w, size_t n, const char *suffix,
                                uint32_t best, size_t *bestlen, char *tmp)
{
    size_t sl = strlen(suffix);
    if (n < 3 || n + sl > 240 || n + sl >= *bestlen)
        return best;
    memcpy(tmp, w, n);
    memcpy(tmp + n, suffix, sl);
    uint32_t id = strtab_find(&d->vocab, tmp, n + sl);
    if (id) {
        *bestlen = n + sl;
        return id;
    }
    return best;
}

static inline bool consonant(char c)
{
    return c >= 'b' && c <= 'z' && c != 'e' && c != 'i' && c != 'o' && c != 'u';
}

uint32_t dict_key(const dyad_dict *d, const char *s, size_t n, char *scratch)
{
    if (n == 0 || n > 60)
        return 0;
    bool acr;
    size_t m = norm_word(s, n, scratch, &acr);
    if (acr) {
        uint32_t id = strtab_find(&d->vocab, scratch, m);
        if (id)
            return id;
        for (size_t i = 0; i < m; i++)
            if (scratch[i] >= 'A' && scratch[i] <= 'Z')
                scratch[i] = (char)(scratch[i] + 32);
    }
    if (d->forms.n) {
        uint32_t f = strtab_find(&d->forms, scratch, m);
        if (f && d->lemma_base[f])
            return d->lemma_base[f];
    }
    uint32_t best = strtab_find(&d->vocab, scratch, m);
    size_t bestlen = best ? m : SIZE_MAX;
    char *tmp = scratch + m + 1;
    const char *w = scratch;
    if (m >= 4) {
        char last = w[m - 1];
        if (last == 's' && w[m - 2] != 's') {
            if (m > 4 && w[m - 2] == 'e' && w[m - 3] == 'i')
                best = try_stem(d, w, m - 3, "y", best, &bestlen, tmp);
            /* "meetings", "shootings", "rulings": the plural of a noun in -ing reduces as its singular does */
            if (m >= 6 && w[m - 2] == 'g' && w[m - 3] == 'n' && w[m - 4] == 'i') {
                if (m >= 7 && w[m - 5] == w[m - 6] && consonant(w[m - 5]))
                    best = try_stem(d, w, m - 5, "", best, &bestlen, tmp);
                best = try_stem(d, w, m - 4, "", best, &bestlen, tmp);
                best = try_stem(d, w, m - 4, "e", best, &bestlen, tmp);
            }
            if (w[m - 2] == 'e')
                best = try_stem(d, w, m - 2, "", best, &bestlen, tmp);
            best = try_stem(d, w, m - 1, "", best, &bestlen, tmp);
        } else if (last == 'd' && w[m - 2] == 'e') {
            if (w[m - 3] == 'i')
                best = try_stem(d, w, m - 3, "y", best, &bestlen, tmp);
            if (m >= 5 && w[m - 3] == w[m - 4] && consonant(w[m - 3]))
                best = try_stem(d, w, m - 3, "", best, &bestlen, tmp);
            best = try_stem(d, w, m - 2, "", best, &bestlen, tmp);
            best = try_stem(d, w, m - 1, "", best, &bestlen, tmp);
        } else if (m >= 5 && last == 'g' && w[m - 2] == 'n' && w[m - 3] == 'i') {
            if (m >= 6 && w[m - 4] == w[m - 5] && consonant(w[m - 4]))
                best = try_stem(d, w, m - 4, "", best, &bestlen, tmp);
            best = try_stem(d, w, m - 3, "", best, &bestlen, tmp);
            best = try_stem(d, w, m - 3, "e", best, &bestlen, tmp);
        }
    }
    return best;
}

void dict_keep_form(dyad_dict *d, const char *word)
{
    char buf[4 * 64 + 8];
    size_t n = strlen(word);
    if (n == 0 || n > 64 || !d->forms.n)
        return;
    size_t m = norm_word(word, n, buf, NULL);
    uint32_t f = strtab_find(&d->forms, buf, m);
    if (f && d->lemma_base[f] && !(d->vocab.len[d->lemma_base[f]] == m &&
                                   memcmp(strtab_str(&d->vocab, d->lemma_base[f]), buf, m) == 0))
        d->lemma_base[f] = 0;
}

/* ---- parsing helpers ------------------------------------------------------------------------------- */

static const char *skip_ws(const char *p, const char *e)
{
    while (p < e && (*p == ' ' || *p == '\t'))
        p++;
    return p;
}

static const char *trim_end(const char *p, const char *e)
{
    while (e > p && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
        e--;
    return e;
}

/* Split [p,e) at SEP (" ; " style: the separator char), calling FN on each trimmed, non-empty piece. */
typedef bool (*piece_fn)(dyad_dict *d, const char *s, size_t n, void *ctx);
static bool each_piece(dyad_dict *d, const char *p, const char *e, char sep, piece_fn fn, void *ctx)
{
    while (p < e) {
        const char *q = memchr(p, sep, (size_t)(e - p));
        if (!q)
            q = e;
        const char *a = skip_ws(p, q), *b = trim_end(a, q);
        if (b > a && !fn(d, a, (size_t)(b - a), ctx))
            return false;
        p = q + 1;
    }
    return true;
}

/* Add every word of a raw phrase to the vocabulary. */
static bool add_phrase_words(dyad_dict *d, const char *s, size_t n)
{
    token tk[64];
    token *toks = NULL;
    size_t nt = 0, cap = 0;
    (void)tk;
    /* text_tokens wants offsets into one buffer: tokenize the phrase in place */
    bool ok = text_tokens(s, 0, (uint32_t)n, &toks, &nt, &cap);
    for (size_t i = 0; ok && i < nt; i++)
        ok = dict_add_word(d, s + toks[i].start, toks[i].end - toks[i].start) != 0;
    free(toks);
    return ok;
}

bool dict_add_phrase(dyad_dict *d, const char *text, size_t n, uint8_t kind, uint32_t val, uint16_t file,
                     size_t line)
{
    dict_extra *x = X(d);
    if (!add_phrase_words(d, text, n))
        return false;
    if (!GROW(x->pend, x->pend_cap, x->npend + 1))
        return false;
    uint32_t off = (uint32_t)x->pool.len;
    if (!sbuf_add(&x->pool, text, n) || !sbuf_addc(&x->pool, 0))
        return false;
    x->pend[x->npend++] = (pending){off, (uint32_t)n, kind, val, file, (uint32_t)line};
    return true;
}

typedef struct phrase_ctx {
    uint8_t kind;
    uint32_t val;
    uint16_t file;
    size_t line;
} phrase_ctx;

static bool phrase_piece(dyad_dict *d, const char *s, size_t n, void *ctx)
{
    phrase_ctx *c = ctx;
    return dict_add_phrase(d, s, n, c->kind, c->val, c->file, c->line);
}

/* "CODE" or "CODE@FROM..TO" alternatives, space-separated. */
static bool parse_codes(dyad_dict *d, const char *p, const char *e, const char *fname, size_t line,
                        uint32_t *first, uint32_t *count)
{
    *first = (uint32_t)d->nalts;
    *count = 0;
    while ((p = skip_ws(p, e)) < e) {
        const char *q = p;
        while (q < e && *q != ' ' && *q != '\t')
            q++;
        const char *at = memchr(p, '@', (size_t)(q - p));
        const char *ce = at ? at : q;
        if (!compound_code_valid(p, (size_t)(ce - p))) {
            dict_problem(d, fname, line, "bad actor code '%.*s' (want capital letters and digits, at most "
                         "15, optionally A/B for several actors and @FROM..TO)", (int)(q - p), p);
            return false;
        }
        code_alt a = {{0}, 0, 0};
        memcpy(a.code, p, (size_t)(ce - p));
        if (at) {
            const char *r = at + 1;
            const char *dots = NULL;
            for (const char *t = r; t + 1 < q; t++)
                if (t[0] == '.' && t[1] == '.') {
                    dots = t;
                    break;
                }
            if (!dots) {
                dict_problem(d, fname, line, "date range '%.*s' needs FROM..TO (either may be empty)",
                             (int)(q - r), r);
                return false;
            }
            if (dots > r && !(a.from = date_parse(r, (size_t)(dots - r)))) {
                dict_problem(d, fname, line, "bad date '%.*s' (want YYYY-MM-DD)", (int)(dots - r), r);
                return false;
            }
            if (dots + 2 < q && !(a.to = date_parse(dots + 2, (size_t)(q - dots - 2)))) {
                dict_problem(d, fname, line, "bad date '%.*s' (want YYYY-MM-DD)", (int)(q - dots - 2),
                             dots + 2);
                return false;
            }
            if (a.from && a.to && a.from > a.to) {
                dict_problem(d, fname, line, "date range '%.*s' ends before it starts", (int)(q - r), r);
                return false;
            }
        }
        if (!GROW(d->alts, d->alts_cap, d->nalts + 1))
            return false;
        d->alts[d->nalts++] = a;
        (*count)++;
        p = q;
    }
    if (!*count) {
        dict_problem(d, fname, line, "no code after '='");
        return false;
    }
    return true;
}

static int cameo_ref(dyad_dict *d, const char *s, size_t n)
{
    if (n < 2 || n > 4)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return -1;
    uint64_t key = hash_bytes(s, n) | 1;
    uint32_t v;
    if (u64map_get(&d->cameo_index, key, &v))
        return (int)v - 1;
    if (d->ncameo >= 0xfffe || !GROW(d->cameo, d->cameo_cap, d->ncameo + 1))
        return -1;
    cameo_entry *c = &d->cameo[d->ncameo];
    memset(c, 0, sizeof *c);
    memcpy(c->code, s, n);
    if (!u64map_put(&d->cameo_index, key, (uint32_t)d->ncameo + 1))
        return -1;
    return (int)d->ncameo++;
}

int dict_cameo_find(const dyad_dict *d, const char *code)
{
    uint32_t v;
    size_t n = strlen(code);
    if (u64map_get(&d->cameo_index, hash_bytes(code, n) | 1, &v))
        return (int)v - 1;
    return -1;
}

/* ---- verb patterns ----------------------------------------------------------------------------------- */

typedef struct verb_ctx {
    uint16_t code, mirror, file;
    size_t line;
    const char *fname;
} verb_ctx;

static int synset_index(const dyad_dict *d, const char *s, size_t n)
{
    uint32_t id = strtab_find(&d->synset_names, s, n);
    return id ? (int)id - 1 : -1;
}

static bool add_el(dyad_dict *d, uint8_t type, uint32_t val)
{
    if (!GROW(d->els, d->els_cap, d->nels + 1))
        return false;
    d->els[d->nels++] = (pat_el){type, val};
    return true;
}

static bool pattern_piece(dyad_dict *d, const char *s, size_t n, void *ctx)
{
    verb_ctx *v = ctx;
    size_t first = d->nels;
    const char *p = s, *e = s + n;
    int literals = 0;
    bool bad = false;
    while ((p = skip_ws(p, e)) < e && !bad) {
        const char *q = p;
        while (q < e && *q != ' ' && *q != '\t')
            q++;
        size_t l = (size_t)(q - p);
        if (l == 1 && *p == '+') {
            if (!add_el(d, PE_TARGET, 0)) return false;
        } else if (l == 1 && *p == '$') {
            if (!add_el(d, PE_SOURCE, 0)) return false;
        } else if (l == 2 && p[0] == '.' && p[1] == '.') {
            if (d->nels == first) {
                dict_problem(d, v->fname, v->line, "pattern '%.*s' starts with '..'", (int)n, s);
                bad = true;
            } else if (!add_el(d, PE_GAP, 0)) {
                return false;
            }
        } else if (*p == '&') {
            int si = synset_index(d, p + 1, l - 1);
            if (si < 0) {
                dict_problem(d, v->fname, v->line, "unknown synset '%.*s' (define it before use)", (int)l, p);
                bad = true;
            } else if (!add_el(d, PE_SYN, (uint32_t)si)) {
                return false;
            }
            literals++;
        } else {
            /* a word: tokenized like text, so "anti-government" is three elements */
            token *toks = NULL;
            size_t nt = 0, cap = 0;
            if (!text_tokens(p, 0, (uint32_t)l, &toks, &nt, &cap)) {
                free(toks);
                return false;
            }
            for (size_t i = 0; i < nt; i++) {
                uint32_t id = dict_add_word(d, p + toks[i].start, toks[i].end - toks[i].start);
                if (!id || !add_el(d, PE_WORD, id)) {
                    free(toks);
                    return false;
                }
                literals++;
            }
            free(toks);
        }
        p = q;
    }
    if (!bad && !literals) {
        dict_problem(d, v->fname, v->line, "pattern '%.*s' has no word", (int)n, s);
        bad = true;
    }
    if (!bad && d->els[d->nels - 1].type == PE_GAP) {
        dict_problem(d, v->fname, v->line, "pattern '%.*s' ends with '..'", (int)n, s);
        bad = true;
    }
    if (bad) {
        d->nels = first;
        return true;
    }
    if (!GROW(d->patterns, d->patterns_cap, d->npatterns + 1))
        return false;
    d->patterns[d->npatterns++] = (pattern){0, (uint32_t)first, (uint32_t)(d->nels - first), v->code, v->mirror,
                                            v->file, (uint32_t)v->line};
    return true;
}

typedef struct syn_ctx {
    int count;
} syn_ctx;

static bool synset_piece(dyad_dict *d, const char *s, size_t n, void *ctx)
{
    syn_ctx *c = ctx;
    uint32_t id = dict_add_word(d, s, n);
    if (!id || !GROW(d->syn_words, d->syn_words_cap, d->nsyn_words + 1))
        return false;
    d->syn_words[d->nsyn_words++] = id;
    c->count++;
    return true;
}

typedef struct lemma_ctx {
    uint32_t base;
    const char *fname;
    size_t line;
} lemma_ctx;

static bool lemma_piece(dyad_dict *d, const char *s, size_t n, void *ctx)
{
    lemma_ctx *c = ctx;
    char buf[4 * 200 + 8];
    if (n > 200)
        return true;
    size_t m = norm_word(s, n, buf, NULL);
    uint32_t f = strtab_find(&d->forms, buf, m);
    if (f && d->lemma_base[f] && d->lemma_base[f] != c->base) {
        dict_problem(d, c->fname, c->line, "form '%.*s' already has another base form", (int)n, s);
        return true;
    }
    if (f && d->lemma_base[f] == c->base)
        return true; /* the same entry again (the grammar's lemmas.txt and a --dicts copy of it) */
    /* a base that is itself a form of another word ("be = is" after "is = be") would make words reduce
     * one way in the text and another in the dictionaries */
    const char *bs = strtab_str(&d->vocab, c->base);
    uint32_t bf = strtab_find(&d->forms, bs, d->vocab.len[c->base]);
    if (bf && d->lemma_base[bf] && d->lemma_base[bf] != c->base) {
        dict_problem(d, c->fname, c->line, "base form '%s' is itself a form of '%s'; '%.*s' left as it is", bs,
                     strtab_str(&d->vocab, d->lemma_base[bf]), (int)n, s);
        return true;
    }
    f = strtab_add(&d->forms, buf, m);
    if (!f || !GROW(d->lemma_base, d->lemma_cap, (size_t)f + 1))
        return false;
    d->lemma_base[f] = c->base;
    d->nlemmas++;
    return true;
}

/* ---- the native format ------------------------------------------------------------------------------- */

static bool kw(const char *p, const char *e, const char *word, const char **rest)
{
    size_t n = strlen(word);
    if ((size_t)(e - p) < n || memcmp(p, word, n) != 0)
        return false;
    if (p + n < e && p[n] != ' ' && p[n] != '\t')
        return false;
    *rest = skip_ws(p + n, e);
    return true;
}

bool dict_native_line(dyad_dict *d, const char *fname, uint16_t fid, size_t line, const char *p, const char *e)
{
    const char *r;
    const char *eq;
    if (kw(p, e, "country", &r) || kw(p, e, "actor", &r) || kw(p, e, "person", &r)) {
        uint8_t kind = *p == 'c' ? ACT_COUNTRY : *p == 'p' ? ACT_PERSON : ACT_ACTOR;
        eq = memchr(r, '=', (size_t)(e - r));
        if (!eq || eq == r) {
            dict_problem(d, fname, line, "want '%.*s NAME ; NAME = CODE'", (int)(r - p - 1), p);
            return true;
        }
        uint32_t first, count;
        if (!parse_codes(d, eq + 1, e, fname, line, &first, &count))
            return d->nproblems > 0; /* a reported problem, or out of memory */
        if (kind == ACT_COUNTRY && (count != 1 || strlen(d->alts[first].code) != 3)) {
            dict_problem(d, fname, line, "a country has one three-letter code");
            d->nalts = first;
            return true;
        }
        if (!GROW(d->actors, d->actors_cap, d->nactors + 1))
            return false;
        d->actors[d->nactors] = (actor_entry){first, count, kind, (uint32_t)line, fid};
        phrase_ctx c = {PH_ACTOR, (uint32_t)d->nactors++, fid, line};
        return each_piece(d, r, eq, ';', phrase_piece, &c);
    }
    if (kw(p, e, "agent", &r)) {
        eq = memchr(r, '=', (size_t)(e - r));
        const char *c0 = eq ? skip_ws(eq + 1, e) : NULL;
        const char *c1 = eq ? trim_end(c0, e) : NULL;
        /* "~GOV" follows the country's code ("Iranian officials" IRNGOV); "NGO~" goes before it */
        bool prefix = eq && c1 - c0 >= 2 && *c0 != '~' && c1[-1] == '~';
        const char *s0 = !eq ? NULL : prefix ? c0 : c0 + 1, *s1 = !eq ? NULL : prefix ? c1 - 1 : c1;
        if (!eq || eq == r || c1 - c0 < 2 || (!prefix && *c0 != '~') || !code_valid(s0, (size_t)(s1 - s0)) ||
            s1 - s0 > 11) {
            dict_problem(d, fname, line, "want 'agent NAME ; NAME = ~SECTOR' or '= SECTOR~' (capital letters)");
            return true;
        }
        if (!GROW(d->agents, d->agents_cap, d->nagents + 1))
            return false;
        agent_entry *a = &d->agents[d->nagents];
        memset(a, 0, sizeof *a);
        memcpy(a->sector, s0, (size_t)(s1 - s0));
        a->prefix = prefix;
        a->line = (uint32_t)line;
        a->file = fid;
        /* `agent "forces" = ~MIL`: one word, matched as written (lower-cased) and only right after a country */
        const char *q0 = skip_ws(r, eq), *q1 = trim_end(q0, eq);
        if (q0 < q1 && *q0 == '"') {
            size_t wl = (size_t)(q1 - q0) - 2;
            bool ok = q1 - q0 >= 3 && q1[-1] == '"' && wl < sizeof a->after_country;
            for (size_t k = 0; ok && k < wl; k++)
                ok = (q0[1 + k] >= 'a' && q0[1 + k] <= 'z') || q0[1 + k] == '-';
            if (!ok) {
                dict_problem(d, fname, line, "want one lower-case word in quotes: 'agent \"WORD\" = ~SECTOR'");
                return true;
            }
            memcpy(a->after_country, q0 + 1, wl);
            d->nagents++;
            return true;
        }
        phrase_ctx c = {PH_AGENT, (uint32_t)d->nagents++, fid, line};
        return each_piece(d, r, eq, ';', phrase_piece, &c);
    }
    if (kw(p, e, "verb", &r)) {
        const char *colon = r;
        while (colon < e && *colon != ' ' && *colon != '\t' && !(*colon == ':' && colon + 1 < e &&
               (colon[1] == ' ' || colon[1] == '\t')))
            colon++;
        const char *codes_end = colon;
        colon = skip_ws(colon, e);
        if (colon >= e || *colon != ':') {
            dict_problem(d, fname, line, "want 'verb CODE : PATTERN ; PATTERN'");
            return true;
        }
        const char *pair = memchr(r, ':', (size_t)(codes_end - r));
        int code = cameo_ref(d, r, (size_t)((pair ? pair : codes_end) - r));
        int mirror = pair ? cameo_ref(d, pair + 1, (size_t)(codes_end - pair - 1)) : 0xffff;
        if (code < 0 || mirror < 0) {
            dict_problem(d, fname, line, "bad CAMEO code '%.*s' (want digits, or A:B for a pair)",
                         (int)(codes_end - r), r);
            return true;
        }
        verb_ctx v = {(uint16_t)code, (uint16_t)mirror, fid, line, fname};
        return each_piece(d, colon + 1, e, ';', pattern_piece, &v);
    }
    if (kw(p, e, "synset", &r)) {
        eq = memchr(r, '=', (size_t)(e - r));
        const char *ne = eq ? trim_end(r, eq) : NULL;
        if (!eq || *r != '&' || ne - r < 2) {
            dict_problem(d, fname, line, "want 'synset &NAME = WORD ; WORD'");
            return true;
        }
        if (strtab_find(&d->synset_names, r + 1, (size_t)(ne - r - 1))) {
            dict_problem(d, fname, line, "synset '%.*s' defined twice", (int)(ne - r), r);
            return true;
        }
        uint32_t id = strtab_add(&d->synset_names, r + 1, (size_t)(ne - r - 1));
        if (!id || !GROW(d->syn_first, d->syn_cap, id) )
            return false;
        size_t c2 = d->syn_cap;
        uint32_t *nn = xrealloc_array(d->syn_n, c2, sizeof *nn);
        if (!nn)
            return false;
        d->syn_n = nn;
        d->syn_first[id - 1] = (uint32_t)d->nsyn_words;
        syn_ctx c = {0};
        if (!each_piece(d, eq + 1, e, ';', synset_piece, &c))
            return false;
        d->syn_n[id - 1] = (uint32_t)c.count;
        if (!c.count)
            dict_problem(d, fname, line, "synset '%.*s' is empty", (int)(ne - r), r);
        return true;
    }
    if (kw(p, e, "lemma", &r)) {
        eq = memchr(r, '=', (size_t)(e - r));
        const char *b0 = eq ? skip_ws(eq + 1, e) : NULL, *b1 = eq ? trim_end(b0, e) : NULL;
        if (!eq || eq == r || b1 <= b0 || memchr(b0, ' ', (size_t)(b1 - b0))) {
            dict_problem(d, fname, line, "want 'lemma FORM ; FORM = BASE' (BASE one word)");
            return true;
        }
        lemma_ctx c = {dict_add_word(d, b0, (size_t)(b1 - b0)), fname, line};
        return c.base && each_piece(d, r, eq, ';', lemma_piece, &c);
    }
    if (kw(p, e, "discard", &r)) {
        const char *r2;
        uint8_t kind = PH_DISCARD;
        if (kw(r, e, "story", &r2)) {
            kind = PH_DISCARD_STORY;
            r = r2;
        }
        if (r >= e) {
            dict_problem(d, fname, line, "want 'discard [story] PHRASE ; PHRASE'");
            return true;
        }
        size_t before = X(d)->npend;
        phrase_ctx c = {kind, 0, fid, line};
        bool ok = each_piece(d, r, e, ';', phrase_piece, &c);
        d->ndiscards += X(d)->npend - before;
        return ok;
    }
    if (kw(p, e, "issue", &r) || kw(p, e, "modal", &r)) {
        bool issue = *p == 'i';
        const char *colon = memchr(r, ':', (size_t)(e - r));
        const char *n1 = colon ? trim_end(r, colon) : NULL;
        if (!colon || n1 == r) {
            dict_problem(d, fname, line, issue ? "want 'issue CODE : PHRASE ; PHRASE'"
                                               : "want 'modal hypothetical|future|negated : PHRASE ; PHRASE'");
            return true;
        }
        phrase_ctx c = {0, 0, fid, line};
        if (issue) {
            c.kind = PH_ISSUE;
            c.val = strtab_add(&d->issues, r, (size_t)(n1 - r));
            if (!c.val)
                return false;
        } else if (n1 - r == 12 && memcmp(r, "hypothetical", 12) == 0) {
            c.kind = PH_MODAL_HYPO;
        } else if (n1 - r == 6 && memcmp(r, "future", 6) == 0) {
            c.kind = PH_MODAL_FUTURE;
        } else if (n1 - r == 7 && memcmp(r, "negated", 7) == 0) {
            c.kind = PH_MODAL_NEG;
        } else {
            dict_problem(d, fname, line, "modal kind '%.*s' is not 'hypothetical', 'future' or 'negated'",
                         (int)(n1 - r), r);
            return true;
        }
        return each_piece(d, colon + 1, e, ';', phrase_piece, &c);
    }
    bool refusal = kw(p, e, "refusal", &r);
    if (refusal || kw(p, e, "intent", &r)) {
        /* "intent [threat] : PHRASE ; PHRASE" and "refusal : PHRASE ; PHRASE" (the markers), or "intent CODE :
         * CODE" and "refusal CODE : CODE" (what stating an intent, or a refusal, to do CODE is coded as) */
        const char *kind = refusal ? "refusal" : "intent";
        const char *colon = memchr(r, ':', (size_t)(e - r));
        if (!colon) {
            dict_problem(d, fname, line, "want '%s%s : PHRASE ; PHRASE' or '%s CODE : CODE'", kind,
                         refusal ? "" : " [threat]", kind);
            return true;
        }
        bool threat = false;
        if (!refusal && kw(r, colon, "threat", &r))
            threat = true; /* "intent threat : PHRASE": an intent stated as a threat */
        if (colon == r) {
            phrase_ctx c = {refusal ? PH_REFUSAL : PH_INTENT, threat, fid, line};
            return each_piece(d, colon + 1, e, ';', phrase_piece, &c);
        }
        const char *n1 = trim_end(r, colon), *q = skip_ws(colon + 1, e), *n2 = trim_end(q, e);
        int from = cameo_ref(d, r, (size_t)(n1 - r)), to = from < 0 ? -1 : cameo_ref(d, q, (size_t)(n2 - q));
        if (from < 0 || to < 0) {
            dict_problem(d, fname, line, "bad CAMEO code in '%s %.*s : %.*s'", kind, (int)(n1 - r), r, (int)(n2 - q), q);
            return true;
        }
        if (!d->cameo[to].defined) {
            dict_problem(d, fname, line, "CAMEO code %s is not in the codebook", d->cameo[to].code);
            return true;
        }
        if (refusal)
            d->cameo[from].refusal = (uint16_t)(to + 1);
        else
            d->cameo[from].intent = (uint16_t)(to + 1);
        return true;
    }
    if (kw(p, e, "report", &r)) {
        if (r >= e || *r != ':') {
            dict_problem(d, fname, line, "want 'report : PHRASE ; PHRASE'");
            return true;
        }
        phrase_ctx c = {PH_REPORT, 0, fid, line};
        return each_piece(d, r + 1, e, ';', phrase_piece, &c);
    }
    if (kw(p, e, "cameo", &r)) {
        /* cameo CODE GOLDSTEIN PLOVER MODE CONTEXT "NAME" */
        char code[8] = "", plover[16] = "", mode[24] = "", context[32] = "", name[96] = "";
        double g;
        char tail[256];
        size_t n = (size_t)(e - r) < sizeof tail - 1 ? (size_t)(e - r) : sizeof tail - 1;
        memcpy(tail, r, n);
        tail[n] = 0;
        int used = 0;
        if (sscanf(tail, "%7s %lf %15s %23s %31s %n", code, &g, plover, mode, context, &used) != 5 || tail[used] != '"' ||
            sscanf(tail + used + 1, "%95[^\"]", name) != 1 || g < -10 || g > 10) {
            dict_problem(d, fname, line, "want 'cameo CODE GOLDSTEIN PLOVER MODE CONTEXT \"NAME\"' (-10..10, '-' for none)");
            return true;
        }
        int ci = cameo_ref(d, code, strlen(code));
        if (ci < 0) {
            dict_problem(d, fname, line, "bad CAMEO code '%s'", code);
            return true;
        }
        cameo_entry *c = &d->cameo[ci];
        c->goldstein = g;
        snprintf(c->plover, sizeof c->plover, "%s", plover);
        snprintf(c->mode, sizeof c->mode, "%s", strcmp(mode, "-") ? mode : "");
        snprintf(c->context, sizeof c->context, "%s", strcmp(context, "-") ? context : "");
        snprintf(c->name, sizeof c->name, "%s", name);
        c->defined = true;
        return true;
    }
    const char *w = p;
    while (w < e && *w != ' ' && *w != '\t')
        w++;
    dict_problem(d, fname, line, "unknown entry kind '%.*s'", (int)(w - p), p);
    return true;
}

static dyad_status load_native(dyad_dict *d, const char *name, const char *buf, size_t len)
{
    uint16_t fid = dict_file_id(d, name);
    size_t line = 0;
    const char *p = buf, *end = buf + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *e = nl ? nl : end;
        line++;
        const char *hash = memchr(p, '#', (size_t)(e - p));
        const char *le = trim_end(p, hash ? hash : e);
        const char *s = skip_ws(p, le);
        size_t bad;
        if (!dyad_utf8_check(p, (size_t)(e - p), &bad)) {
            dict_problem(d, name, line, "invalid UTF-8 or NUL byte at column %zu", bad + 1);
        } else if (s < le && !dict_native_line(d, name, fid, line, s, le)) {
            snprintf(d->err, sizeof d->err, "%s:%zu: out of memory", name, line);
            return DYAD_ERR_NOMEM;
        }
        p = e + 1;
    }
    return DYAD_OK;
}

dyad_status dyad_dict_load_buffer(dyad_dict *d, const char *name, const char *buf, size_t len)
{
    if (!d || !name || (!buf && len))
        return DYAD_ERR_ARG;
    if (d->finished) {
        snprintf(d->err, sizeof d->err, "%s: dictionary already finished", name);
        return DYAD_ERR_ARG;
    }
    d->loaded = true;
    dict_format f = import_detect(name, buf, len);
    if (f == FMT_DYAD)
        return load_native(d, name, buf, len);
    if (f == FMT_UNKNOWN) {
        dict_problem(d, name, 1, "not a dictionary: no '# dyad-dict 1' first line and no PETRARCH/TABARI "
                     "layout recognised");
        return DYAD_OK;
    }
    if (!import_petrarch(d, f, name, buf, len)) {
        snprintf(d->err, sizeof d->err, "%s: out of memory", name);
        return DYAD_ERR_NOMEM;
    }
    return DYAD_OK;
}

static dyad_status load_file(dyad_dict *d, const char *path)
{
    sbuf b = {0};
    int rc = sbuf_read_file(&b, path);
    if (rc) {
        free(b.s);
        snprintf(d->err, sizeof d->err, "%s: %s", path, strerror(rc));
        return rc == ENOMEM ? DYAD_ERR_NOMEM : DYAD_ERR_IO;
    }
    dyad_status st = dyad_dict_load_buffer(d, path, b.s, b.len);
    free(b.s);
    return st;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

dyad_status dyad_dict_load_path(dyad_dict *d, const char *path)
{
    if (!d || !path)
        return DYAD_ERR_ARG;
    struct stat st;
    if (stat(path, &st) != 0) {
        snprintf(d->err, sizeof d->err, "%s: %s", path, strerror(errno));
        return DYAD_ERR_IO;
    }
    if (!S_ISDIR(st.st_mode))
        return load_file(d, path);
    DIR *dir = opendir(path);
    if (!dir) {
        snprintf(d->err, sizeof d->err, "%s: %s", path, strerror(errno));
        return DYAD_ERR_IO;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    dyad_status rc = DYAD_OK;
    while ((de = readdir(dir))) {
        if (de->d_name[0] == '.')
            continue;
        size_t l = strlen(path) + strlen(de->d_name) + 2;
        char *full = malloc(l);
        if (!full || !GROW(names, cap, n + 1)) {
            free(full);
            rc = DYAD_ERR_NOMEM;
            break;
        }
        snprintf(full, l, "%s/%s", path, de->d_name);
        names[n++] = full;
    }
    closedir(dir);
    /* sorted, so that loading order (and so synset definitions before use) does not depend on the file
     * system */
    if (n)
        qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; i < n && rc == DYAD_OK; i++)
        if (stat(names[i], &st) == 0 && S_ISREG(st.st_mode))
            rc = load_file(d, names[i]);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return rc;
}

/* ---- finishing: keys, trie, pattern index -------------------------------------------------------------- */

static uint32_t trie_child(dyad_dict *d, uint32_t node, uint32_t word, bool create)
{
    uint64_t key = ((uint64_t)node << 32) | word;
    key += 1; /* never 0 */
    uint32_t child;
    if (u64map_get(&d->edges, key, &child))
        return child;
    if (!create)
        return 0;
    if (!GROW(d->node_payload, d->nodes_cap, d->nnodes + 1))
        return 0;
    child = (uint32_t)d->nnodes++;
    d->node_payload[child] = 0;
    if (!u64map_put(&d->edges, key, child))
        return 0;
    return child;
}

typedef struct pair_entry {
    uint64_t key;
    uint32_t pat;
} pair_entry;

static int cmp_pair(const void *a, const void *b)
{
    const pair_entry *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return x->pat < y->pat ? -1 : x->pat > y->pat;
}

uint64_t key2(uint32_t a, uint32_t b) { return (((uint64_t)a << 32) | b) + 1; }

uint64_t key3(uint32_t a, uint32_t b, uint32_t c)
{
    /* a different space from key2's: the top bit set; a collision only costs a failed match */
    uint64_t h = ((uint64_t)a * 0x9e3779b97f4a7c15ULL) ^ ((uint64_t)b * 0xc2b2ae3d27d4eb4fULL) ^
                 ((uint64_t)c * 0x165667b19e3779f9ULL);
    return h | (1ULL << 63);
}

/* Call FN on each word a pattern element can match (the word, or every member of a synset). */
static size_t el_words(const dyad_dict *d, const pat_el *el, uint32_t *out, size_t cap)
{
    if (el->type == PE_WORD) {
        out[0] = el->val;
        return 1;
    }
    size_t n = 0;
    for (uint32_t m = 0; m < d->syn_n[el->val] && n < cap; m++)
        out[n++] = d->syn_words[d->syn_first[el->val] + m];
    return n;
}

/* The pattern indexes: by (anchor, second word) when the element after the anchor is a word, else by
 * anchor alone. */
static bool build_pattern_index(dyad_dict *d)
{
    size_t nw = d->vocab.n + 2;
    d->anchor_off = calloc(nw + 1, sizeof *d->anchor_off);
    pair_entry *pairs = NULL;
    size_t npairs = 0, pairs_cap = 0;
    uint32_t *singles = NULL; /* (word, pattern) flattened */
    size_t nsingles = 0, singles_cap = 0;
    uint32_t aw[512], bw[512], cw[512];
    bool ok = d->anchor_off != NULL;
    for (size_t i = 0; ok && i < d->npatterns; i++) {
        const pattern *p = &d->patterns[i];
        uint32_t k = 0;
        while (k < p->n_el && d->els[p->first_el + k].type != PE_WORD && d->els[p->first_el + k].type != PE_SYN)
            k++;
        if (k == p->n_el)
            continue;
        size_t na = el_words(d, &d->els[p->first_el + k], aw, 512);
        for (size_t a = 0; a < na; a++)
            d->wflags[aw[a]] |= W_ANCHOR;
        const pat_el *next = k + 1 < p->n_el ? &d->els[p->first_el + k + 1] : NULL;
        const pat_el *third = k + 2 < p->n_el ? &d->els[p->first_el + k + 2] : NULL;
        if (next && next->type == PE_WORD) {
            /* three words when the third is a word too ("threaten to attack"), else two */
            size_t nb = el_words(d, next, bw, 512);
            size_t nc = third && third->type == PE_WORD ? el_words(d, third, cw, 512) : 0;
            for (size_t a = 0; ok && a < na; a++)
                for (size_t b = 0; ok && b < nb; b++)
                    for (size_t q = 0; ok && q < (nc ? nc : 1); q++) {
                        ok = GROW(pairs, pairs_cap, npairs + 1);
                        if (ok)
                            pairs[npairs++] = (pair_entry){nc ? key3(aw[a], bw[b], cw[q]) : key2(aw[a], bw[b]),
                                                           (uint32_t)i};
                    }
        } else {
            for (size_t a = 0; ok && a < na; a++) {
                ok = GROW(singles, singles_cap, nsingles + 2);
                if (ok) {
                    singles[nsingles++] = aw[a];
                    singles[nsingles++] = (uint32_t)i;
                    d->anchor_off[aw[a] + 1]++;
                }
            }
        }
    }
    if (ok) {
        for (size_t w = 1; w <= nw; w++)
            d->anchor_off[w] += d->anchor_off[w - 1];
        d->nanchor = d->anchor_off[nw];
        d->anchor_pat = malloc((d->nanchor + 1) * sizeof *d->anchor_pat);
        uint32_t *fill = calloc(nw + 1, sizeof *fill);
        ok = d->anchor_pat && fill;
        for (size_t s = 0; ok && s < nsingles; s += 2) {
            uint32_t w = singles[s];
            d->anchor_pat[d->anchor_off[w] + fill[w]++] = singles[s + 1];
        }
        free(fill);
    }
    if (ok && npairs) {
        qsort(pairs, npairs, sizeof *pairs, cmp_pair);
        d->pair_pat = malloc(npairs * sizeof *d->pair_pat);
        d->pair_first = malloc(npairs * sizeof *d->pair_first);
        d->pair_n = malloc(npairs * sizeof *d->pair_n);
        ok = d->pair_pat && d->pair_first && d->pair_n;
        size_t g = 0, out = 0;
        for (size_t i = 0; ok && i < npairs; i++) {
            if (i > 0 && pairs[i].key == pairs[i - 1].key && pairs[i].pat == pairs[i - 1].pat)
                continue;
            if (i == 0 || pairs[i].key != pairs[i - 1].key) {
                d->pair_first[g] = (uint32_t)out;
                d->pair_n[g] = 0;
                ok = u64map_put(&d->pair_map, pairs[i].key, (uint32_t)g + 1);
                g++;
            }
            d->pair_pat[out++] = pairs[i].pat;
            d->pair_n[g - 1]++;
        }
        d->npairs = out;
        d->ngroups = g;
    }
    free(pairs);
    free(singles);
    return ok;
}

dyad_status dyad_dict_finish(dyad_dict *d)
{
    if (!d)
        return DYAD_ERR_ARG;
    if (d->finished)
        return DYAD_OK;
    dict_extra *x = X(d);
    char scratch[1024];
    token *toks = NULL;
    size_t cap = 0;
    /* phrases into the trie */
    for (size_t i = 0; i < x->npend; i++) {
        pending *pe = &x->pend[i];
        const char *s = x->pool.s + pe->off;
        size_t nt = 0;
        if (!text_tokens(s, 0, pe->len, &toks, &nt, &cap))
            goto nomem;
        size_t k = 0;
        /* a leading "the" is optional in the text; the coder takes it into the mention */
        if (nt > 1 && toks[0].end - toks[0].start == 3 && (s[0] == 't' || s[0] == 'T') &&
            (s[1] == 'h' || s[1] == 'H') && (s[2] == 'e' || s[2] == 'E'))
            k = 1;
        if (nt - k > 0xff) {
            dict_problem(d, d->files[pe->file], pe->line, "phrase of more than 255 words");
            continue;
        }
        uint32_t node = 0;
        for (size_t k0 = k; k < nt; k++) {
            uint32_t w = dict_key(d, s + toks[k].start, toks[k].end - toks[k].start, scratch);
            if (!w)
                break;
            if (k == k0)
                d->wflags[w] |= W_START;
            node = trie_child(d, node, w, true);
            if (!node)
                goto nomem;
        }
        if (k < nt || node == 0)
            continue;
        /* the same meaning twice on one node (a name listed twice) is kept once */
        bool dup = false;
        for (uint32_t p = d->node_payload[node]; p; p = d->payloads[p].next)
            if (d->payloads[p].kind == pe->kind && d->payloads[p].val == pe->val)
                dup = true;
        if (dup)
            continue;
        if (!GROW(d->payloads, d->payloads_cap, d->npayloads + 1))
            goto nomem;
        d->payloads[d->npayloads] = (payload){pe->kind, pe->val, d->node_payload[node]};
        d->node_payload[node] = (uint32_t)d->npayloads++;
    }
    free(toks);
    toks = NULL;
    /* pattern words and synset members to keys */
    for (size_t i = 0; i < d->nels; i++)
        if (d->els[i].type == PE_WORD)
            d->els[i].val = dict_key(d, strtab_str(&d->vocab, d->els[i].val), d->vocab.len[d->els[i].val],
                                     scratch);
    for (size_t i = 0; i < d->nsyn_words; i++)
        d->syn_words[i] = dict_key(d, strtab_str(&d->vocab, d->syn_words[i]), d->vocab.len[d->syn_words[i]],
                                   scratch);
    /* patterns whose code the codebook lacks are reported and dropped */
    size_t kept = 0;
    for (size_t i = 0; i < d->npatterns; i++) {
        pattern *p = &d->patterns[i];
        if (!d->cameo[p->code].defined || (p->mirror != 0xffff && !d->cameo[p->mirror].defined)) {
            dict_problem(d, d->files[p->file], p->line, "CAMEO code %s is not in the codebook",
                         d->cameo[d->cameo[p->code].defined ? p->mirror : p->code].code);
            continue;
        }
        d->patterns[kept++] = *p;
    }
    d->npatterns = kept;
    for (size_t si = 0; si < d->synset_names.n; si++)
        for (uint32_t m = 0; m < d->syn_n[si]; m++)
            if (!u64map_put(&d->syn_member, (((uint64_t)(si + 1) << 32) | d->syn_words[d->syn_first[si] + m]) + 1, 1))
                goto nomem;
    for (size_t i = 0; i < d->npatterns; i++) {
        pattern *p = &d->patterns[i];
        p->sig = 0;
        for (uint32_t k = 0; k < p->n_el; k++)
            if (d->els[p->first_el + k].type == PE_WORD)
                p->sig |= 1ULL << (d->els[p->first_el + k].val & 63);
    }
    if (!build_pattern_index(d))
        goto nomem;
    free(x->pend);
    x->pend = NULL;
    x->npend = x->pend_cap = 0;
    free(x->pool.s);
    x->pool = (sbuf){0};
    d->finished = true;
    return DYAD_OK;
nomem:
    free(toks);
    snprintf(d->err, sizeof d->err, "out of memory while building the dictionary");
    return DYAD_ERR_NOMEM;
}

const char *dict_actor_code(const dyad_dict *d, uint32_t actor, int32_t date)
{
    const actor_entry *a = &d->actors[actor];
    const char *undated = NULL;
    for (uint32_t k = 0; k < a->n_alts; k++) {
        const code_alt *c = &d->alts[a->first_alt + k];
        if (!c->from && !c->to) {
            if (!undated)
                undated = c->code;
            continue;
        }
        if ((!c->from || date >= c->from) && (!c->to || date <= c->to))
            return c->code;
    }
    return undated;
}

void dyad_dict_get_stats(const dyad_dict *d, dyad_dict_stats *st)
{
    memset(st, 0, sizeof *st);
    if (!d)
        return;
    st->words = d->vocab.n;
    st->actors = d->nactors;
    st->agents = d->nagents;
    st->patterns = d->npatterns;
    for (size_t i = 0; i < d->ncameo; i++)
        st->cameo_codes += d->cameo[i].defined;
    st->synsets = d->synset_names.n;
    st->lemmas = d->nlemmas;
    st->discards = d->ndiscards;
    st->issues = d->issues.n;
    st->bytes = d->vocab.pool_cap + d->vocab.nslots * 4 + d->vocab.cap * 8 + d->edges.nslots * 12 +
                d->nodes_cap * 4 + d->payloads_cap * sizeof(payload) + d->actors_cap * sizeof(actor_entry) +
                d->alts_cap * sizeof(code_alt) + d->agents_cap * sizeof(agent_entry) +
                d->els_cap * sizeof(pat_el) + d->patterns_cap * sizeof(pattern) + d->nanchor * 4 + d->npairs * 4 + d->ngroups * 8 +
                d->pair_map.nslots * 12 +
                d->vocab.n * 4 + d->cameo_cap * sizeof(cameo_entry);
    if (d->mapped)
        st->bytes = d->map_len; /* the image, shared read-only pages */
}
