/*
 * store_gen.c - fills an event store with synthetic stories and events through the store API
 * (include/dyad_store.h), to measure the storing part of ingest and to build a large database for query
 * timings. Used by bench/store.sh; not part of the build or of make test.
 *
 *   store_gen DB STORIES EVENTS_PER_STORY [BATCH] [--chronological]
 *
 * By default each story's date is drawn at random over the two years (the worst case for the store's
 * per-day and per-dyad trees: every event of a batch lands on another page). With --chronological the
 * stories come in date order, a few hundred a day, as a daily feed or an archive read in order arrives.
 *
 * Each story is ~12 sentences of random words (so no two are near-duplicates), dated over two years; each
 * event has a source and target drawn from 60 actor codes (skewed, as news is), a CAMEO code from 40.
 * Prints: stories, events, seconds, events/s.
 */
#define _GNU_SOURCE
#include "dyad_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static uint64_t rng = 88172645463325252ULL;
static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static const char *const actors[] = {
    "USA", "USAGOV", "USAMIL", "IRN", "IRNGOV", "IRNMIL", "RUS", "RUSGOV", "RUSMIL", "UKR", "UKRGOV", "UKRMIL",
    "CHN", "CHNGOV", "ISR", "ISRGOV", "ISRMIL", "PSE", "PSEGOV", "SYR", "SYRGOV", "IRQ", "IRQGOV", "AFG",
    "AFGGOV", "PAK", "PAKGOV", "IND", "INDGOV", "GBR", "GBRGOV", "FRA", "FRAGOV", "DEU", "DEUGOV", "TUR",
    "TURGOV", "SAU", "SAUGOV", "EGY", "EGYGOV", "JPN", "JPNGOV", "PRK", "PRKGOV", "KOR", "KORGOV", "IGOUNO",
    "IGOEUREEC", "NGOHRI", "VEN", "VENGOV", "BRA", "BRAGOV", "MEX", "MEXGOV", "NGA", "NGAGOV", "ETH", "SDN"};
static const char *const cameos[] = {"010", "012", "013", "020", "036", "040", "042", "043", "046", "050",
                                     "051", "057", "061", "070", "071", "080", "090", "100", "110", "111",
                                     "112", "120", "128", "130", "138", "140", "141", "150", "160", "163",
                                     "170", "173", "180", "181", "182", "183", "190", "193", "195", "200"};

static const char *pick_actor(void)
{
    /* skewed: the first codes are far more frequent */
    size_t n = sizeof actors / sizeof actors[0];
    uint64_t r = next() % (n * n);
    size_t i = n - 1 - (size_t)(r ? (size_t)__builtin_sqrt((double)r) : 0);
    return actors[i < n ? i : 0];
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: store_gen DB STORIES EVENTS_PER_STORY [BATCH]\n");
        return 2;
    }
    long stories = atol(argv[2]), per = atol(argv[3]), batch = argc > 4 ? atol(argv[4]) : 1000;
    int chrono = argc > 5 && strcmp(argv[5], "--chronological") == 0;
    dyad_store *s = dyad_store_new();
    if (!s || dyad_store_open(s, argv[1], 0) != DYAD_STORE_OK) {
        fprintf(stderr, "store_gen: %s\n", dyad_store_errmsg(s));
        return 1;
    }
    char words[2000][12];
    size_t wlen[2000];
    for (int i = 0; i < 2000; i++) {
        int len = 3 + (int)(next() % 8);
        for (int k = 0; k < len; k++)
            words[i][k] = (char)('a' + next() % 26);
        words[i][len] = 0;
        wlen[i] = (size_t)len;
    }
    char *text = malloc(1 << 16);
    dyad_event *ev = calloc((size_t)per, sizeof *ev);
    dyad_span sent[64];
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    long events = 0;
    for (long i = 0; i < stories; i++) {
        if (i % batch == 0 && dyad_store_begin(s) != DYAD_STORE_OK)
            goto fail;
        size_t len = 0;
        int ns = 12;
        for (int k = 0; k < ns; k++) {
            sent[k].start = (uint32_t)len;
            int nw = 12 + (int)(next() % 14);
            for (int w = 0; w < nw; w++) { /* memcpy, not sprintf: the generator's time is in the figure */
                if (w || k)
                    text[len++] = ' ';
                size_t x = (size_t)(next() % 2000);
                memcpy(text + len, words[x], wlen[x]);
                len += wlen[x];
            }
            len += (size_t)sprintf(text + len, " %ld.", i);
            sent[k].end = (uint32_t)len;
            if (k == 0)
                sent[k].start = 0;
            else
                sent[k].start++; /* past the space */
        }
        char id[32], date[11];
        snprintf(id, sizeof id, "gen-%ld", i);
        time_t day = 1704067200 + (chrono ? (time_t)(i * 730 / (stories > 0 ? stories : 1))
                                          : (time_t)(next() % 730)) * 86400;
        struct tm tm;
        gmtime_r(&day, &tm);
        strftime(date, sizeof date, "%Y-%m-%d", &tm);
        for (long e = 0; e < per; e++) {
            dyad_event *x = &ev[e];
            memset(x, 0, sizeof *x);
            dyad_span sp = sent[next() % (uint64_t)ns];
            x->sentence = (uint32_t)e;
            x->evidence = sp;
            x->trigger = (dyad_span){sp.start, sp.start + 3};
            snprintf(x->source.code, sizeof x->source.code, "%s", pick_actor());
            snprintf(x->target.code, sizeof x->target.code, "%s", pick_actor());
            x->source.text = (dyad_span){sp.start, sp.start + 5};
            x->target.text = (dyad_span){sp.start + 6, sp.start + 10};
            const char *c = cameos[next() % (sizeof cameos / sizeof cameos[0])];
            snprintf(x->cameo, sizeof x->cameo, "%s", c);
            x->quad = (uint8_t)(1 + next() % 4);
            x->goldstein = -10.0 + (double)(next() % 200) / 10.0;
            x->plover = "CONSULT";
            x->modality = next() % 10 ? DYAD_FACTUAL : DYAD_HYPOTHETICAL;
        }
        dyad_story st = {id, date, text, len, NULL, "Synthetic", NULL};
        dyad_store_result res;
        if (dyad_store_add(s, &st, ev, (size_t)per, "bench", &res) != DYAD_STORE_OK)
            goto fail;
        events += (long)res.events_added;
        if ((i + 1) % batch == 0 || i + 1 == stories)
            if (dyad_store_commit(s) != DYAD_STORE_OK)
                goto fail;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("stories %ld, events %ld, seconds %.2f, stories/s %.0f, events/s %.0f\n", stories, events, secs,
           (double)stories / secs, (double)events / secs);
    free(text);
    free(ev);
    dyad_store_free(s);
    return 0;
fail:
    fprintf(stderr, "store_gen: %s\n", dyad_store_errmsg(s));
    dyad_store_free(s);
    return 1;
}
