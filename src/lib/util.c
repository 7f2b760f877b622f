/*
 * util.c - the plain pieces every module uses: growable arrays and buffers, JSON string escaping,
 * hashing, the string table that interns words, a 64-bit key map, dates and UTF-8 decoding.
 * Written once here so that no module grows its own.
 */
#include "internal.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void *xrealloc_array(void *p, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    return realloc(p, n * size > 0 ? n * size : 1);
}

bool grow_array(void **p, size_t *cap, size_t n, size_t size)
{
    size_t nc = *cap ? *cap : 16;
    while (nc < n) {
        if (nc > SIZE_MAX / 2)
            return false;
        nc *= 2;
    }
    void *np = xrealloc_array(*p, nc, size);
    if (!np)
        return false;
    *p = np;
    *cap = nc;
    return true;
}

bool sbuf_add(sbuf *b, const char *s, size_t n)
{
    if (!GROW(b->s, b->cap, b->len + n + 1))
        return false;
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = 0;
    return true;
}

bool sbuf_addc(sbuf *b, char c) { return sbuf_add(b, &c, 1); }

bool sbuf_addf(sbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char tmp[256];
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0)
        return false;
    if ((size_t)n < sizeof tmp)
        return sbuf_add(b, tmp, (size_t)n);
    if (!GROW(b->s, b->cap, b->len + (size_t)n + 1))
        return false;
    va_start(ap, fmt);
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return true;
}

bool sbuf_json_str(sbuf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    /* worst case every byte becomes \u00XX */
    if (!GROW(b->s, b->cap, b->len + 6 * n + 3))
        return false;
    char *o = b->s + b->len;
    *o++ = '"';
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"': *o++ = '\\'; *o++ = '"'; break;
        case '\\': *o++ = '\\'; *o++ = '\\'; break;
        case '\n': *o++ = '\\'; *o++ = 'n'; break;
        case '\r': *o++ = '\\'; *o++ = 'r'; break;
        case '\t': *o++ = '\\'; *o++ = 't'; break;
        default:
            if (c < 0x20) {
                *o++ = '\\'; *o++ = 'u'; *o++ = '0'; *o++ = '0';
                *o++ = hex[c >> 4]; *o++ = hex[c & 15];
            } else {
                *o++ = (char)c;
            }
        }
    }
    *o++ = '"';
    *o = 0;
    b->len = (size_t)(o - b->s);
    return true;
}

int sbuf_read_stream(sbuf *b, FILE *f)
{
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        if (!sbuf_add(b, chunk, n))
            return ENOMEM;
    if (ferror(f))
        return errno ? errno : EIO;
    return sbuf_add(b, "", 0) ? 0 : ENOMEM; /* a NUL-terminated, allocated buffer even when empty */
}

int sbuf_read_file(sbuf *b, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return errno;
    int rc = sbuf_read_stream(b, f);
    fclose(f);
    return rc;
}

uint64_t hash_bytes(const void *p, size_t n)
{
    /* FNV-1a with a final mix: short keys (words) dominate, and this is fast and well spread for them. */
    const unsigned char *s = p;
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= 1099511628211ULL;
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h;
}

void strtab_free(strtab *t)
{
    free(t->slots);
    free(t->pool);
    free(t->off);
    free(t->len);
    memset(t, 0, sizeof *t);
}

uint32_t strtab_find(const strtab *t, const char *s, size_t n)
{
    if (!t->nslots)
        return 0;
    size_t mask = t->nslots - 1;
    for (size_t i = hash_bytes(s, n) & mask;; i = (i + 1) & mask) {
        uint32_t id = t->slots[i];
        if (!id)
            return 0;
        if (t->len[id] == n && memcmp(t->pool + t->off[id], s, n) == 0)
            return id;
    }
}

static bool strtab_rehash(strtab *t, size_t nslots)
{
    uint32_t *slots = calloc(nslots, sizeof *slots);
    if (!slots)
        return false;
    for (uint32_t id = 1; id <= t->n; id++) {
        size_t i = hash_bytes(t->pool + t->off[id], t->len[id]) & (nslots - 1);
        while (slots[i])
            i = (i + 1) & (nslots - 1);
        slots[i] = id;
    }
    free(t->slots);
    t->slots = slots;
    t->nslots = nslots;
    return true;
}

uint32_t strtab_add(strtab *t, const char *s, size_t n)
{
    uint32_t id = strtab_find(t, s, n);
    if (id)
        return id;
    if ((t->n + 2) * 2 > t->nslots && !strtab_rehash(t, t->nslots ? t->nslots * 2 : 1024))
        return 0;
    size_t oldcap = t->cap;
    if (t->n + 2 > UINT32_MAX / 2 || !GROW(t->off, t->cap, t->n + 2))
        return 0;
    if (t->cap != oldcap || !t->len) { /* off and len grow together */
        uint32_t *nl = xrealloc_array(t->len, t->cap, sizeof *nl);
        if (!nl)
            return 0;
        t->len = nl;
    }
    if (!GROW(t->pool, t->pool_cap, t->pool_len + n + 1) || t->pool_len + n + 1 > UINT32_MAX)
        return 0;
    id = (uint32_t)++t->n;
    t->off[id] = (uint32_t)t->pool_len;
    t->len[id] = (uint32_t)n;
    memcpy(t->pool + t->pool_len, s, n);
    t->pool[t->pool_len + n] = 0;
    t->pool_len += n + 1;
    size_t mask = t->nslots - 1;
    size_t i = hash_bytes(s, n) & mask;
    while (t->slots[i])
        i = (i + 1) & mask;
    t->slots[i] = id;
    return id;
}

void u64map_free(u64map *m)
{
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}

static inline size_t u64_slot(uint64_t k, size_t mask)
{
    k ^= k >> 31;
    k *= 0x9e3779b97f4a7c15ULL;
    k ^= k >> 29;
    return (size_t)k & mask;
}

bool u64map_put(u64map *m, uint64_t key, uint32_t val)
{
    if ((m->n + 1) * 2 > m->nslots) {
        size_t ns = m->nslots ? m->nslots * 2 : 1024;
        uint64_t *keys = calloc(ns, sizeof *keys);
        uint32_t *vals = calloc(ns, sizeof *vals);
        if (!keys || !vals) {
            free(keys);
            free(vals);
            return false;
        }
        for (size_t i = 0; i < m->nslots; i++)
            if (m->keys[i]) {
                size_t j = u64_slot(m->keys[i], ns - 1);
                while (keys[j])
                    j = (j + 1) & (ns - 1);
                keys[j] = m->keys[i];
                vals[j] = m->vals[i];
            }
        free(m->keys);
        free(m->vals);
        m->keys = keys;
        m->vals = vals;
        m->nslots = ns;
    }
    size_t mask = m->nslots - 1;
    size_t i = u64_slot(key, mask);
    while (m->keys[i] && m->keys[i] != key)
        i = (i + 1) & mask;
    if (!m->keys[i])
        m->n++;
    m->keys[i] = key;
    m->vals[i] = val;
    return true;
}

bool u64map_get(const u64map *m, uint64_t key, uint32_t *val)
{
    if (!m->nslots)
        return false;
    size_t mask = m->nslots - 1;
    for (size_t i = u64_slot(key, mask);; i = (i + 1) & mask) {
        if (!m->keys[i])
            return false;
        if (m->keys[i] == key) {
            *val = m->vals[i];
            return true;
        }
    }
}

int32_t date_parse(const char *s, size_t n)
{
    if (n != 10 || s[4] != '-' || s[7] != '-')
        return 0;
    int v[3] = {0, 0, 0};
    const int pos[3][2] = {{0, 4}, {5, 2}, {8, 2}};
    for (int k = 0; k < 3; k++)
        for (int i = 0; i < pos[k][1]; i++) {
            char c = s[pos[k][0] + i];
            if (c < '0' || c > '9')
                return 0;
            v[k] = v[k] * 10 + (c - '0');
        }
    int y = v[0], m = v[1], dd = v[2];
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1 || m < 1 || m > 12 || dd < 1)
        return 0;
    int lim = mdays[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
    if (dd > lim)
        return 0;
    return y * 10000 + m * 100 + dd;
}

int dyad_date_valid(const char *date) { return date && date_parse(date, strlen(date)) != 0; }

int64_t date_days(int32_t ymd)
{
    /* days from the civil date (H. Hinnant's algorithm) */
    int64_t y = ymd / 10000, m = ymd / 100 % 100, d = ymd % 100;
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

long dyad_date_days(const char *date) { return (long)date_days(date ? date_parse(date, strlen(date)) : 0); }

bool code_valid(const char *s, size_t n)
{
    if (n == 0 || n > 15)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9')))
            return false;
    return true;
}

bool compound_code_valid(const char *s, size_t n)
{
    if (n == 0 || n > 15)
        return false;
    for (size_t i = 0, from = 0; i <= n; i++)
        if (i == n || s[i] == '/') {
            if (!code_valid(s + from, i - from))
                return false;
            from = i + 1;
        }
    return true;
}

int dyad_code_valid(const char *code) { return code && code_valid(code, strlen(code)); }

size_t utf8_decode(const unsigned char *s, size_t n, int32_t *cp)
{
    unsigned char c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t len;
    int32_t v, min;
    if ((c & 0xe0) == 0xc0) { len = 2; v = c & 0x1f; min = 0x80; }
    else if ((c & 0xf0) == 0xe0) { len = 3; v = c & 0x0f; min = 0x800; }
    else if ((c & 0xf8) == 0xf0) { len = 4; v = c & 0x07; min = 0x10000; }
    else return 0;
    if (len > n)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3f);
    }
    if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
        return 0;
    *cp = v;
    return len;
}

int dyad_utf8_check(const char *text, size_t len, size_t *bad)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0;
    while (i < len) {
        if (s[i] < 0x80) {
            if (s[i] == 0) {
                if (bad) *bad = i;
                return 0;
            }
            i++;
            continue;
        }
        int32_t cp;
        size_t l = utf8_decode(s + i, len - i, &cp);
        if (!l) {
            if (bad) *bad = i;
            return 0;
        }
        i += l;
    }
    return 1;
}
