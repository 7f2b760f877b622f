/*
 * gazetteer.c - the build-time converter of the gazetteer (docs/places.md): reads the cities exported by
 * gazetteer/export.js (TSV: geonameid, name, alpha-3, admin1, population, lat*1e5, lon*1e5, feature code) and
 * the aliases of gazetteer/aliases.tsv, and writes the index that place.c uses in place (src/lib/gazetteer.h).
 *
 * Usage: dyad-gazetteer OUT.idx CITIES.tsv [ALIASES.tsv]
 */
#include "gazetteer.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct city_in {
    gaz_city c;
    uint32_t name; /* offset of the name in the names buffer */
} city_in;

typedef struct pair {
    uint32_t str, len; /* the key, in the keys buffer */
    uint32_t city;     /* index after sorting */
} pair;

static char *names, *keybuf;
static size_t names_len, names_cap, keybuf_len, keybuf_cap;

static void die(const char *msg, const char *arg)
{
    fprintf(stderr, "dyad-gazetteer: %s%s%s\n", msg, arg ? ": " : "", arg ? arg : "");
    exit(1);
}

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        die("out of memory", NULL);
    return q;
}

static uint32_t append(char **buf, size_t *len, size_t *cap, const char *s, size_t n)
{
    if (*len + n + 1 > *cap) {
        *cap = (*len + n + 1) * 2;
        *buf = xrealloc(*buf, *cap);
    }
    memcpy(*buf + *len, s, n);
    (*buf)[*len + n] = 0;
    uint32_t at = (uint32_t)*len;
    *len += n + 1;
    return at;
}

static uint8_t kind_of(const char *fc)
{
    if (strcmp(fc, "PPLC") == 0)
        return GAZ_CAPITAL;
    if (strcmp(fc, "PPLA") == 0)
        return GAZ_ADMIN1;
    if (strncmp(fc, "PPLA", 4) == 0)
        return GAZ_ADMIN;
    return GAZ_OTHER;
}

/* Most populous first; then capitals, then seats of regions; then by id, so that the order is stable. */
static int by_population(const void *a, const void *b)
{
    const gaz_city *x = &((const city_in *)a)->c, *y = &((const city_in *)b)->c;
    if (x->population != y->population)
        return x->population > y->population ? -1 : 1;
    int kx = x->kind ? x->kind : 9, ky = y->kind ? y->kind : 9;
    if (kx != ky)
        return kx < ky ? -1 : 1;
    return x->geonameid < y->geonameid ? -1 : x->geonameid > y->geonameid;
}

static int pair_cmp(const void *a, const void *b)
{
    const pair *x = a, *y = b;
    size_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp(keybuf + x->str, keybuf + y->str, n);
    if (c)
        return c;
    if (x->len != y->len)
        return x->len < y->len ? -1 : 1;
    return x->city < y->city ? -1 : x->city > y->city;
}

static pair *pairs;
static size_t npairs, pairs_cap;

/* The keys of NAME (plain, and folded when it differs) for city CITY. */
static void add_name(const char *name, uint32_t city)
{
    char k1[GAZ_KEY_MAX], k2[GAZ_KEY_MAX];
    size_t n1 = gaz_key_of(name, strlen(name), true, k1, sizeof k1);
    size_t n2 = gaz_key_of(name, strlen(name), false, k2, sizeof k2);
    if (npairs + 2 > pairs_cap) {
        pairs_cap = (npairs + 2) * 2;
        pairs = xrealloc(pairs, pairs_cap * sizeof *pairs);
    }
    if (n1)
        pairs[npairs++] = (pair){append(&keybuf, &keybuf_len, &keybuf_cap, k1, n1), (uint32_t)n1, city};
    if (n2 && (n2 != n1 || memcmp(k1, k2, n1) != 0))
        pairs[npairs++] = (pair){append(&keybuf, &keybuf_len, &keybuf_cap, k2, n2), (uint32_t)n2, city};
}

static char *read_line(FILE *f, char **buf, size_t *cap)
{
    ssize_t n = getline(buf, cap, f);
    if (n < 0)
        return NULL;
    while (n > 0 && ((*buf)[n - 1] == '\n' || (*buf)[n - 1] == '\r'))
        (*buf)[--n] = 0;
    return *buf;
}

/* Split LINE at tabs into at most MAX fields; returns how many. */
static size_t split(char *line, char **f, size_t max)
{
    size_t k = 0;
    f[k++] = line;
    for (char *p = line; *p && k < max; p++)
        if (*p == '\t') {
            *p = 0;
            f[k++] = p + 1;
        }
    return k;
}

static int by_id(const void *a, const void *b)
{
    uint32_t x = ((const uint32_t *)a)[0], y = ((const uint32_t *)b)[0];
    return x < y ? -1 : x > y;
}

static void put(FILE *f, const void *p, size_t n, uint64_t *at)
{
    static const char zero[8];
    if (n && fwrite(p, 1, n, f) != n)
        die("write error", NULL);
    *at += n;
    size_t pad = (size_t)((8 - *at % 8) % 8);
    if (pad && fwrite(zero, 1, pad, f) != pad)
        die("write error", NULL);
    *at += pad;
}

int main(int argc, char **argv)
{
    if (argc < 3 || argc > 4) {
        fprintf(stderr, "usage: dyad-gazetteer OUT.idx CITIES.tsv [ALIASES.tsv]\n");
        return 2;
    }
    FILE *in = fopen(argv[2], "r");
    if (!in)
        die(strerror(errno), argv[2]);
    city_in *cities = NULL;
    size_t n = 0, cap = 0, lineno = 0;
    char *line = NULL;
    size_t lcap = 0;
    while (read_line(in, &line, &lcap)) {
        lineno++;
        char *f[8];
        if (!line[0])
            continue;
        if (split(line, f, 8) != 8 || strlen(f[2]) != 3 || !f[1][0]) {
            fprintf(stderr, "dyad-gazetteer: %s:%zu: malformed line\n", argv[2], lineno);
            return 1;
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 4096;
            cities = xrealloc(cities, cap * sizeof *cities);
        }
        city_in *c = &cities[n++];
        memset(c, 0, sizeof *c);
        c->c.geonameid = (uint32_t)strtoul(f[0], NULL, 10);
        c->name = append(&names, &names_len, &names_cap, f[1], strlen(f[1]));
        memcpy(c->c.country, f[2], 3);
        if (strlen(f[3]) < sizeof c->c.admin1)
            memcpy(c->c.admin1, f[3], strlen(f[3]));
        c->c.population = (uint32_t)strtoul(f[4], NULL, 10);
        c->c.lat = (int32_t)strtol(f[5], NULL, 10);
        c->c.lon = (int32_t)strtol(f[6], NULL, 10);
        c->c.kind = kind_of(f[7]);
    }
    fclose(in);
    if (n == 0)
        die("no cities", argv[2]);
    qsort(cities, n, sizeof *cities, by_population);
    for (size_t i = 0; i < n; i++)
        add_name(names + cities[i].name, (uint32_t)i);

    size_t naliases = 0;
    if (argc == 4) {
        /* ids to city indexes, sorted by id */
        uint32_t (*ids)[2] = xrealloc(NULL, n * sizeof *ids);
        for (size_t i = 0; i < n; i++) {
            ids[i][0] = cities[i].c.geonameid;
            ids[i][1] = (uint32_t)i;
        }
        qsort(ids, n, sizeof *ids, by_id);
        FILE *a = fopen(argv[3], "r");
        if (!a)
            die(strerror(errno), argv[3]);
        lineno = 0;
        while (read_line(a, &line, &lcap)) {
            lineno++;
            char *f[2];
            if (!line[0] || line[0] == '#')
                continue;
            uint32_t key[2] = {0, 0};
            if (split(line, f, 2) != 2 || !(key[0] = (uint32_t)strtoul(f[1], NULL, 10))) {
                fprintf(stderr, "dyad-gazetteer: %s:%zu: malformed alias (NAME<TAB>GEONAMEID)\n", argv[3], lineno);
                return 1;
            }
            uint32_t(*hit)[2] = bsearch(key, ids, n, sizeof *ids, by_id);
            if (!hit) {
                fprintf(stderr, "dyad-gazetteer: %s:%zu: no city %s in the data\n", argv[3], lineno, f[1]);
                return 1;
            }
            add_name(f[0], (*hit)[1]);
            naliases++;
        }
        fclose(a);
        free(ids);
    }
    free(line);

    /* keys: sorted, the same key's cities by index (population), each pair once */
    qsort(pairs, npairs, sizeof *pairs, pair_cmp);
    gaz_key *keys = xrealloc(NULL, (npairs + 1) * sizeof *keys);
    uint32_t *post = xrealloc(NULL, npairs * sizeof *post);
    char *pool = xrealloc(NULL, keybuf_len);
    size_t nkeys = 0, npost = 0, pool_len = 0;
    for (size_t i = 0; i < npairs; i++) {
        const pair *p = &pairs[i];
        bool same_key = i > 0 && p->len == pairs[i - 1].len &&
                        memcmp(keybuf + p->str, keybuf + pairs[i - 1].str, p->len) == 0;
        if (same_key && p->city == pairs[i - 1].city)
            continue;
        if (!same_key) {
            keys[nkeys++] = (gaz_key){(uint32_t)pool_len, (uint32_t)npost};
            memcpy(pool + pool_len, keybuf + p->str, p->len);
            pool_len += p->len;
        }
        post[npost++] = p->city;
    }
    keys[nkeys] = (gaz_key){(uint32_t)pool_len, (uint32_t)npost};

    gaz_city *out = xrealloc(NULL, n * sizeof *out);
    for (size_t i = 0; i < n; i++)
        out[i] = cities[i].c;

    gaz_header h;
    memset(&h, 0, sizeof h);
    memcpy(h.magic, GAZ_MAGIC, 8);
    h.version = GAZ_VERSION;
    h.sizes = GAZ_SIZES;
    h.ncities = (uint32_t)n;
    h.nkeys = (uint32_t)nkeys;
    h.npost = (uint32_t)npost;
    h.pool_len = (uint32_t)pool_len;
    uint64_t at = (sizeof h + 7) & ~(uint64_t)7;
    h.off_cities = at;
    at = (at + n * sizeof *out + 7) & ~(uint64_t)7;
    h.off_keys = at;
    at = (at + (nkeys + 1) * sizeof *keys + 7) & ~(uint64_t)7;
    h.off_post = at;
    at = (at + npost * sizeof *post + 7) & ~(uint64_t)7;
    h.off_pool = at;
    at = (at + pool_len + 7) & ~(uint64_t)7;
    h.total = at;

    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", argv[1]);
    FILE *o = fopen(tmp, "wb");
    if (!o)
        die(strerror(errno), tmp);
    uint64_t w = 0;
    put(o, &h, sizeof h, &w);
    put(o, out, n * sizeof *out, &w);
    put(o, keys, (nkeys + 1) * sizeof *keys, &w);
    put(o, post, npost * sizeof *post, &w);
    put(o, pool, pool_len, &w);
    if (fclose(o) != 0 || w != h.total)
        die("write error", tmp);
    if (rename(tmp, argv[1]) != 0)
        die(strerror(errno), argv[1]);
    fprintf(stderr, "dyad-gazetteer: %zu cities, %zu aliases, %zu keys, %.1f MiB\n", n, naliases, nkeys,
            (double)h.total / (1024.0 * 1024.0));
    free(cities);
    free(pairs);
    free(keys);
    free(post);
    free(pool);
    free(out);
    free(names);
    free(keybuf);
    return 0;
}
