/*
 * dyad_store.h - the event store: coded stories and their events in an SQLite database (one file, WAL mode),
 * idempotent and crash-safe, with near-duplicate (reprint) detection, full-text search over the evidence
 * and a one-row-a-day aggregate view. Schema and design: docs/store.md.
 *
 * Rules the store keeps (as libdyad does): it never prints and never exits; every function that can fail
 * returns a dyad_store_status and leaves a message that the caller reads with dyad_store_errmsg().
 *
 * Flow for writing: dyad_store_new(), dyad_store_open(), then for each batch of stories dyad_store_begin(),
 * dyad_store_add() or dyad_store_add_casualties() per coded story (with its events), dyad_store_commit(). A batch is atomic: after a crash
 * at any moment the database holds every committed batch and nothing of the others, so running the same
 * input again completes it (stories already stored are skipped: same id, or same normalised text).
 *
 * One handle is used by one thread at a time.
 */
#ifndef DYAD_STORE_H
#define DYAD_STORE_H

#include "dyad.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define DYAD_STORE_SCHEMA 6 /* 2: the dyad_daily table (docs/store.md); 3: attribution dates, places and
                             * casualties (events' columns, event_casualties, casualties); 4: dyad_daily kept
                             * by the writer instead of triggers; 5: the latest batches' dyad_daily sums in
                             * dyad_daily_recent; 6: event_dyads holds every event's codes, instead of
                             * indexes on the events' targets and CAMEO codes and on dyad_daily's targets.
                             * An older database opened for writing is upgraded; opened read-only it is
                             * refused. */

typedef enum dyad_store_status {
    DYAD_STORE_OK = 0,
    DYAD_STORE_ERR_OPEN,   /* the database could not be opened or created */
    DYAD_STORE_ERR_SCHEMA, /* not a dyad database, or one of another schema version */
    DYAD_STORE_ERR_SQL,    /* an SQLite error (disk full, I/O error, busy...) */
    DYAD_STORE_ERR_ARG,    /* a caller error: NULL, bad filter value, call out of order */
    DYAD_STORE_ERR_NOMEM
} dyad_store_status;

const char *dyad_store_status_name(dyad_store_status st);

typedef struct dyad_store dyad_store;

/* A handle with no database yet (NULL when out of memory). */
dyad_store *dyad_store_new(void);
/* Rolls back an open transaction, closes the database and frees the handle. */
void dyad_store_free(dyad_store *s);
const char *dyad_store_errmsg(const dyad_store *s);

#define DYAD_STORE_READONLY 1 /* open an existing database for queries only */

/* Open (and, unless READONLY, create and set up) the database at PATH. */
dyad_store_status dyad_store_open(dyad_store *s, const char *path, int flags);

/* ---- writing --------------------------------------------------------------------------------------- */

dyad_store_status dyad_store_begin(dyad_store *s);
dyad_store_status dyad_store_commit(dyad_store *s);
dyad_store_status dyad_store_rollback(dyad_store *s);

/* 1 when a story with this id is stored, 0 when not, -1 on error. Lets a caller skip coding it. */
int dyad_store_has_story(dyad_store *s, const char *id);

typedef enum dyad_store_outcome {
    DYAD_STORE_ADDED = 0,  /* a new story and its events */
    DYAD_STORE_REPRINT,    /* a new story that reprints a stored one: linked, its events counted as mentions */
    DYAD_STORE_SAME_ID,    /* a story with this id is stored: nothing added */
    DYAD_STORE_SAME_TEXT   /* a story with the same normalised text (and source) is stored: nothing added */
} dyad_store_outcome;
const char *dyad_store_outcome_name(dyad_store_outcome o);

typedef struct dyad_store_result {
    dyad_store_outcome outcome;
    int64_t story;         /* row id of the story added, or of the stored one that made it a no-op */
    int64_t duplicate_of;  /* REPRINT: row id of the original (first) story; else 0 */
    double similarity;     /* REPRINT: estimated resemblance to the original (1 for the same text) */
    size_t events_added;   /* new event rows */
    size_t mentions_added; /* REPRINT: events counted as further mentions of the original's events */
} dyad_store_result;

/* Store story S (coded into the N events EV) with the version of the dictionaries that coded it. The story
 * and its events go in together or not at all: a failure after its first row is written (an SQLite error,
 * out of memory) rolls back the whole batch (the message says so, and there is no batch to commit then).
 * Outside a batch the story is a batch of its own. RES (may be NULL) says what happened. */
dyad_store_status dyad_store_add(dyad_store *s, const dyad_story *st, const dyad_event *ev, size_t n,
                                 const char *dict_version, dyad_store_result *res);
/* dyad_store_add() with the story's casualty records (dyad_coder_casualties(): every count of the story,
 * including those of sentences without an event), kept in the `casualties` table. The story, its events
 * and its casualty records go in together or not at all. A reprint keeps only the records that the
 * original does not have (same kind, count and qualifier; each of the original's matched once). */
dyad_store_status dyad_store_add_casualties(dyad_store *s, const dyad_story *st, const dyad_event *ev, size_t n,
                                           const dyad_casualty *cas, size_t ncas, const char *dict_version,
                                           dyad_store_result *res);

/* Near-duplicate detection parameters (docs/store.md): word 5-shingles, 128 MinHash values, LSH with 32
 * bands of 4 rows; a reprint when the estimated Jaccard resemblance is at least 0.5 and the smaller story's
 * shingles are at least 80% contained in the other's. Stories under 25 shingles are matched on exact
 * normalised text only. */
#define DYAD_STORE_SHINGLE 5
#define DYAD_STORE_MINHASH 128
#define DYAD_STORE_BANDS 20
#define DYAD_STORE_BAND_ROWS 3 /* the first BANDS x BAND_ROWS MinHash values make the LSH keys */
#define DYAD_STORE_MIN_SHINGLES 25

/* The normalised-text hash and the MinHash signature of a text (used by dyad_store_add; public for tests).
 * SIG has DYAD_STORE_MINHASH values; *SHINGLES receives the number of shingles. */
uint64_t dyad_store_fingerprint(const char *text, size_t len, uint32_t *sig, size_t *shingles);
/* Estimated Jaccard resemblance of two signatures. */
double dyad_store_resemblance(const uint32_t *a, const uint32_t *b);

/* ---- reading --------------------------------------------------------------------------------------- */

typedef struct dyad_store_filter {
    const char *from, *to;     /* dates "YYYY-MM-DD", inclusive; NULL for open */
    const char *actor;         /* code prefix, on source or target ("IRN" matches "IRNGOV") */
    const char *dyad_source;   /* code prefixes of a directed dyad: source ... */
    const char *dyad_target;   /* ... and target */
    const char *cameo;         /* CAMEO code prefix ("19", "190") */
    const char *root;          /* CAMEO root ("19") */
    int quad;                  /* 1..4; 0 for any */
    const char *modality;      /* "factual", "negated", "hypothetical", "future"; NULL for any */
    const char *text;          /* words that must all occur in the evidence (full-text search) */
    int64_t limit;             /* 0 for no limit */
    /* schema 3 */
    const char *country;       /* the event's place is in this country (ISO 3166-1 alpha-3, exact) */
    int near;                  /* 1: the event's place (a city: it has coordinates) is within NEAR_KM km of */
    double near_lat, near_lon, near_km; /* (NEAR_LAT, NEAR_LON), great-circle distance */
    int64_t min_killed;        /* > 0: the event's casualties include `killed` with a count >= this */
} dyad_store_filter;

/* One event as stored, with its story. EV and STORY can be passed to dyad_event_write() to print the event
 * exactly as `dyad code` does: STORY.text holds the story's bytes at the spans of EV (evidence, trigger,
 * actors, attribution, event date, place, casualties) and nothing meaningful elsewhere. Valid during the callback only. */
typedef struct dyad_store_row {
    int64_t id;              /* event row id */
    int64_t story_row;       /* story row id */
    dyad_event ev;
    dyad_story story;        /* id, date, title, source, url; text as said above */
    const char *source_text, *target_text, *evidence_text, *trigger_text, *attribution_text, *event_date_text;
    int64_t mentions;        /* 1 + the reprints that repeated this event */
    const char *dict_version;
    const char *coded_at;    /* "YYYY-MM-DDTHH:MM:SSZ" */
    const char *place_name_text, *place_text; /* the place's name and phrase; NULL when EV has no place */
} dyad_store_row;

/* Call CB for every event that passes F, in storage order (the input order). CB returns non-zero to stop. */
dyad_store_status dyad_store_query(dyad_store *s, const dyad_store_filter *f,
                                   int (*cb)(const dyad_store_row *row, void *ctx), void *ctx);

/* One story-level casualty record (the `casualties` table) with its story; K and STORY can be passed to
 * dyad_casualty_write() to print it exactly as `dyad code --casualties` does (STORY.text holds the story's
 * bytes at K's spans only). COUNTRY: the place of the record's sentence (docs/store.md), or NULL. */
typedef struct dyad_store_casualty_row {
    int64_t story_row;
    dyad_casualty k;
    dyad_story story;
    const char *country;
} dyad_store_casualty_row;

/* Call CB for every story-level casualty record that passes F, in storage order. Of F only from, to
 * (the story date), country, min_killed (a `killed` record of at least that count) and limit apply; the
 * others must be unset (0/NULL). CB returns non-zero to stop. */
dyad_store_status dyad_store_casualties(dyad_store *s, const dyad_store_filter *f,
                                        int (*cb)(const dyad_store_casualty_row *row, void *ctx), void *ctx);

#define DYAD_STORE_TOP 10
typedef struct dyad_store_count {
    char code[16];
    int64_t n;
} dyad_store_count;

typedef struct dyad_store_stats {
    int64_t stories, originals, reprints, events, mentions; /* mentions: sum over events (>= events) */
    char date_min[11], date_max[11];                        /* of the events; empty when none */
    dyad_store_count actors[DYAD_STORE_TOP];                /* source or target, by events */
    dyad_store_count cameos[DYAD_STORE_TOP];
    dyad_store_count roots[DYAD_STORE_TOP];
    size_t nactors, ncameos, nroots;
    int64_t bytes;                                          /* page_count * page_size */
} dyad_store_stats;
dyad_store_status dyad_store_get_stats(dyad_store *s, dyad_store_stats *st);

/* ---- for the store's companion libraries (dyad_analytics) ---------------------------------------------- */

/* The store's SQLite connection (a sqlite3 *), NULL when no database is open. Read-only use. */
void *dyad_store_sqlite(dyad_store *s);
/* Set the message dyad_store_errmsg() returns; returns ST. */
dyad_store_status dyad_store_set_error(dyad_store *s, dyad_store_status st, const char *msg);
/* For a code-prefix match that an index can serve (code >= P AND code < OUT): the smallest string greater
 * than every string starting with P. Returns 0 when there is none (empty P, or all bytes 0xff). */
int dyad_store_prefix_end(const char *p, char *out, size_t cap);

#ifdef __cplusplus
}
#endif
#endif
