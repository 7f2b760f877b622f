/*
 * store.c - the event store on SQLite (see include/dyad_store.h and docs/store.md).
 *
 * Writing: every statement is prepared once at open. dyad_store_add() stores a story and its events inside
 * the caller's batch transaction; what can fail for the story alone fails before its first write, and a
 * failure after that rolls the batch back, so a story is stored whole or not at all (no SAVEPOINT per story:
 * it would copy every page the story touches into a sub-journal). The batch's full-text index rows, dyad_daily
 * sums and event_dyads rows are written at its end, before COMMIT. Rows keyed at random (LSH keys, dyad_daily,
 * event_dyads) go to a small table of recent rows, moved into the large one in key order once it has grown
 * (move_recent()): a batch then rewrites the pages of the small tables only, not most pages of the large ones
 * (docs/store.md). Checkpoints run on a thread of their own (after_commit()). Idempotence comes from checks
 * made inside the transaction: the story id is UNIQUE, and the normalised-text hash is looked up before
 * inserting. Row ids are allocated densely (max + 1), so a crashed run completed by a second run gives the
 * same rows as one clean run.
 *
 * Reprints: a story's words (ASCII letters lowered, digits, any non-ASCII byte; everything else separates
 * words) form 5-word shingles; 128 MinHash values (multiply-shift hashes of the shingle hash) make its
 * signature; 20 bands of 3 values are the (32-bit) LSH keys kept for original stories (in story_lsh_recent,
 * moved into story_lsh in one sorted pass once there are enough of them). A new story's candidates are the
 * stories sharing a band key; the best candidate over the thresholds is its original. A filter in memory
 * (lsh_filter_build()) skips the probes of keys no story has.
 */
#define _GNU_SOURCE
#include "dyad_store.h"

#include <math.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MIN_RESEMBLANCE 0.5
#define MIN_CONTAINMENT 0.8

enum {
    Q_HAS_ID,
    Q_FIND_HASH,
    Q_INSERT_STORY,
    Q_INSERT_LSH,
    Q_FIND_LSH,
    Q_GET_SIG,
    Q_INSERT_EVENT,
    Q_ORIG_EVENTS,
    Q_INSERT_MENTION,
    Q_BUMP_MENTIONS,
    Q_INSERT_EV_CAS,
    Q_INSERT_CAS,
    Q_ORIG_CAS,
    Q_COUNT_LSH_RECENT,
    Q_MERGE_LSH,
    Q_CLEAR_LSH_RECENT,
    Q_DAILY_ADD,
    Q_COUNT_DAILY_RECENT,
    Q_MERGE_DAILY,
    Q_CLEAR_DAILY_RECENT,
    Q_INSERT_DYAD,
    Q_COUNT_DYADS_RECENT,
    Q_MERGE_DYADS,
    Q_CLEAR_DYADS_RECENT,
    Q_INDEX_FTS,
    Q_PAGE_COUNT,
    Q_DATA_VERSION,
    Q_LSH_KEYS,
    Q_COUNT
};

#define DAILY_UPSERT                                                                                          \
    "ON CONFLICT(source, target, date, factual) DO UPDATE SET events = events + excluded.events, "             \
    "q1 = q1 + excluded.q1, q2 = q2 + excluded.q2, q3 = q3 + excluded.q3, q4 = q4 + excluded.q4, "              \
    "gsum = round(gsum + excluded.gsum, 6), gneg = round(gneg + excluded.gneg, 6), "                            \
    "gpos = round(gpos + excluded.gpos, 6), mentions = mentions + excluded.mentions, "                          \
    "stories = stories + excluded.stories"

static const char *const queries[Q_COUNT] = {
    [Q_HAS_ID] = "SELECT id FROM stories WHERE sid = ?1",
    [Q_FIND_HASH] = "SELECT id, source, duplicate_of FROM stories WHERE text_hash = ?1 ORDER BY id",
    [Q_INSERT_STORY] = "INSERT INTO stories(sid, date, title, source, url, text, text_hash, shingles, minhash, "
                       "duplicate_of, similarity, dict_version, coded_at) "
                       "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    /* a story's 20 band keys (?1-?20: one statement, not 20) and its row id (?21) */
    [Q_INSERT_LSH] =
        "INSERT OR IGNORE INTO story_lsh_recent(key, story) VALUES (?1, ?21), (?2, ?21), (?3, ?21), "
        "(?4, ?21), (?5, ?21), (?6, ?21), (?7, ?21), (?8, ?21), (?9, ?21), (?10, ?21), (?11, ?21), "
        "(?12, ?21), (?13, ?21), (?14, ?21), (?15, ?21), (?16, ?21), (?17, ?21), (?18, ?21), (?19, ?21), "
        "(?20, ?21)",
    [Q_FIND_LSH] = "SELECT story FROM story_lsh WHERE key = ?1 UNION ALL SELECT story FROM story_lsh_recent WHERE key = ?1",
    [Q_GET_SIG] = "SELECT minhash, shingles, duplicate_of FROM stories WHERE id = ?1",
    [Q_INSERT_EVENT] =
        "INSERT INTO events(story, sentence, date, source_code, source_text, source_start, source_end, "
        "source_resolved, target_code, target_text, target_start, target_end, target_resolved, cameo, quad, "
        "goldstein, plover, plover_mode, modality, attribution_text, attribution_code, attribution_start, "
        "attribution_end, evidence_start, evidence_end, evidence_text, trigger_start, trigger_end, trigger_text, "
        "pattern, event_date, event_date_precision, event_date_start, event_date_end, event_date_text, "
        "plover_context, issues, attribution_date, attribution_date_precision, place_level, place_country, "
        "place_admin1, place_lat, place_lon, place_geonameid, place_name_start, place_name_end, place_name_text, "
        "place_start, place_end, place_text) "
        "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, "
        "?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33, ?34, ?35, ?36, ?37, ?38, ?39, ?40, "
        "?41, ?42, ?43, ?44, ?45, ?46, ?47, ?48, ?49, ?50, ?51)",
    [Q_ORIG_EVENTS] =
        "SELECT id, source_code, target_code, cameo, modality, date FROM events WHERE story = ?1 ORDER BY id",
    [Q_INSERT_MENTION] = "INSERT OR IGNORE INTO mentions(event, story) VALUES(?1, ?2)",
    [Q_BUMP_MENTIONS] = "UPDATE events SET mentions = mentions + 1 WHERE id = ?1",
    [Q_INSERT_EV_CAS] = "INSERT INTO event_casualties(event, k, kind, count, qualifier, who_start, who_end, who_text, "
                        "reported_by_start, reported_by_end, reported_by_text, reported_by_code, text_start, "
                        "text_end, text) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
    [Q_INSERT_CAS] = "INSERT INTO casualties(story, k, sentence, country, kind, count, qualifier, who_start, who_end, "
                     "who_text, reported_by_start, reported_by_end, reported_by_text, reported_by_code, text_start, "
                     "text_end, text) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, "
                     "?17)",
    [Q_ORIG_CAS] = "SELECT kind, count, qualifier FROM casualties WHERE story = ?1 ORDER BY k",
    [Q_COUNT_LSH_RECENT] = "SELECT count(*) FROM story_lsh_recent",
    [Q_MERGE_LSH] = "INSERT OR IGNORE INTO story_lsh SELECT key, story FROM story_lsh_recent",
    [Q_CLEAR_LSH_RECENT] = "DELETE FROM story_lsh_recent",
    /* dyad_daily: the batch's sums of a row (?1 source, ?2 target, ?3 date, ?4 factual, ?5 events, ?6-?9 q1-q4,
     * ?10-?12 Goldstein sums, ?13 mentions, ?14 stories) added to dyad_daily_recent, whose rows are added to
     * dyad_daily's when it has DAILY_MERGE_ROWS of them. Goldstein sums are kept to 6 decimals, so that they do
     * not depend on how the events were grouped into batches and merges (docs/store.md). */
    [Q_DAILY_ADD] = "INSERT INTO dyad_daily_recent VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) "
                    DAILY_UPSERT,
    [Q_COUNT_DAILY_RECENT] = "SELECT count(*) FROM dyad_daily_recent",
    [Q_MERGE_DAILY] = "INSERT INTO dyad_daily SELECT * FROM dyad_daily_recent WHERE 1 " DAILY_UPSERT,
    [Q_CLEAR_DAILY_RECENT] = "DELETE FROM dyad_daily_recent",
    /* the codes of events (?1 source or '', ?2 target or '', ?3 date, ?4 event, ?5 CAMEO code), and its move */
    [Q_INSERT_DYAD] = "INSERT INTO event_dyads_recent VALUES(?1, ?2, ?3, ?4, ?5)",
    [Q_COUNT_DYADS_RECENT] = "SELECT count(*) FROM event_dyads_recent",
    [Q_MERGE_DYADS] = "INSERT INTO event_dyads SELECT * FROM event_dyads_recent",
    [Q_CLEAR_DYADS_RECENT] = "DELETE FROM event_dyads_recent",
    /* the batch's events into the full-text index in one statement, before COMMIT: cheaper than one a row */
    [Q_INDEX_FTS] = "INSERT INTO events_fts(rowid, evidence_text) SELECT id, evidence_text FROM events WHERE id >= ?1",
    [Q_PAGE_COUNT] = "PRAGMA page_count",
    [Q_DATA_VERSION] = "PRAGMA data_version",
    [Q_LSH_KEYS] = "SELECT key FROM story_lsh UNION ALL SELECT key FROM story_lsh_recent",
};

/* Schema 5: the events' dyad index as a table, and the rows of the latest events, moved into it in one pass
 * once there are DYADS_MERGE_ROWS of them (as story_lsh_recent and dyad_daily_recent). Schema 1 to 4 had an
 * index, events_dyad(source_code, target_code, date), whose random keys a batch's events dirtied most pages
 * of, every batch. Schema 6: a row for every event ('' for a missing source or target) with its CAMEO code,
 * so that it also serves the target side of an actor (through the distinct sources) and the CAMEO codes (a
 * scan of its rows, a tenth of the events' bytes): the indexes events_target and events_cameo of schemas 1
 * to 5 cost two index inserts an event, a sixth of the storing time. */
#define EVENT_DYADS                                                                                            \
    "CREATE TABLE IF NOT EXISTS event_dyads(source TEXT NOT NULL, target TEXT NOT NULL, date TEXT NOT NULL,\n"  \
    "  event INTEGER NOT NULL, cameo TEXT NOT NULL, PRIMARY KEY(source, target, date, event)) WITHOUT ROWID;\n" \
    "CREATE TABLE IF NOT EXISTS event_dyads_recent(source TEXT NOT NULL, target TEXT NOT NULL,\n"               \
    "  date TEXT NOT NULL, event INTEGER NOT NULL, cameo TEXT NOT NULL,\n"                                      \
    "  PRIMARY KEY(source, target, date, event)) WITHOUT ROWID;\n"

static const char schema[] =
    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;\n"
    "CREATE TABLE IF NOT EXISTS stories(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  sid TEXT NOT NULL UNIQUE,          -- the story's own id\n"
    "  date TEXT NOT NULL,\n"
    "  title TEXT, source TEXT, url TEXT,\n"
    "  text_hash INTEGER NOT NULL,        -- 64-bit hash of the normalised text\n"
    "  shingles INTEGER NOT NULL,         -- number of word 5-shingles\n"
    "  duplicate_of INTEGER REFERENCES stories(id), -- the original this story reprints\n"
    "  similarity REAL,                   -- estimated resemblance to the original\n"
    "  dict_version TEXT NOT NULL,\n"
    "  coded_at TEXT NOT NULL,\n"
    "  minhash BLOB,                      -- 128 x uint32 little-endian; NULL under 25 shingles\n"
    "  text TEXT NOT NULL                 -- last: the columns before it are read without its pages\n"
    ");\n"
    "CREATE INDEX IF NOT EXISTS stories_hash ON stories(text_hash);\n"
    "CREATE INDEX IF NOT EXISTS stories_date ON stories(date);\n"
    "CREATE INDEX IF NOT EXISTS stories_dup ON stories(duplicate_of) WHERE duplicate_of IS NOT NULL;\n"
    "CREATE TABLE IF NOT EXISTS story_lsh(key INTEGER NOT NULL, story INTEGER NOT NULL,\n"
    "  PRIMARY KEY(key, story)) WITHOUT ROWID;\n"
    /* schema 4: the keys of the latest original stories, moved into story_lsh in one sorted pass once there are
     * LSH_MERGE_ROWS of them: a batch's random keys dirty most pages of a large story_lsh, written once a
     * batch, and of this small table only (docs/store.md) */
    "CREATE TABLE IF NOT EXISTS story_lsh_recent(key INTEGER NOT NULL, story INTEGER NOT NULL,\n"
    "  PRIMARY KEY(key, story)) WITHOUT ROWID;\n"
    "CREATE TABLE IF NOT EXISTS events(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  story INTEGER NOT NULL REFERENCES stories(id),\n"
    "  sentence INTEGER NOT NULL,\n"
    "  date TEXT NOT NULL,\n"
    "  source_code TEXT, source_text TEXT, source_start INTEGER, source_end INTEGER, source_resolved INTEGER,\n"
    "  source_country TEXT GENERATED ALWAYS AS (CASE WHEN length(source_code) >= 3 THEN substr(source_code, 1, 3) END) VIRTUAL,\n"
    "  source_sector TEXT GENERATED ALWAYS AS (CASE WHEN length(source_code) > 3 THEN substr(source_code, 4) END) VIRTUAL,\n"
    "  target_code TEXT, target_text TEXT, target_start INTEGER, target_end INTEGER, target_resolved INTEGER,\n"
    "  target_country TEXT GENERATED ALWAYS AS (CASE WHEN length(target_code) >= 3 THEN substr(target_code, 1, 3) END) VIRTUAL,\n"
    "  target_sector TEXT GENERATED ALWAYS AS (CASE WHEN length(target_code) > 3 THEN substr(target_code, 4) END) VIRTUAL,\n"
    "  cameo TEXT NOT NULL,\n"
    "  root TEXT GENERATED ALWAYS AS (substr(cameo, 1, 2)) VIRTUAL,\n"
    "  quad INTEGER NOT NULL,\n"
    "  goldstein REAL NOT NULL,\n"
    "  plover TEXT, plover_mode TEXT, plover_context TEXT,\n"
    "  issues TEXT,                       -- topics of the sentence, joined by ';'\n"
    "  modality TEXT NOT NULL,\n"
    "  attribution_text TEXT, attribution_code TEXT, attribution_start INTEGER, attribution_end INTEGER,\n"
    "  evidence_start INTEGER NOT NULL, evidence_end INTEGER NOT NULL, evidence_text TEXT NOT NULL,\n"
    "  trigger_start INTEGER NOT NULL, trigger_end INTEGER NOT NULL, trigger_text TEXT NOT NULL,\n"
    "  pattern INTEGER,\n"
    "  event_date INTEGER,                -- the event's own date when the text gives one: yyyymmdd\n"
    "  event_date_precision TEXT,         -- day, week, month, year\n"
    "  event_date_start INTEGER, event_date_end INTEGER, event_date_text TEXT,\n"
    "  mentions INTEGER NOT NULL DEFAULT 1, -- 1 + the reprints that repeated this event\n"
    /* schema 3 (last, as ALTER TABLE adds them to an older database) */
    "  attribution_date INTEGER,          -- yyyymmdd when the text says when it was said\n"
    "  attribution_date_precision TEXT,\n"
    "  place_level TEXT,                  -- where it happened: 'city' or 'country'; NULL when not said\n"
    "  place_country TEXT,                -- ISO 3166-1 alpha-3\n"
    "  place_admin1 TEXT, place_lat REAL, place_lon REAL, place_geonameid INTEGER, -- cities (GeoNames)\n"
    "  place_name_start INTEGER, place_name_end INTEGER, place_name_text TEXT, -- 'Kharkiv'\n"
    "  place_start INTEGER, place_end INTEGER, place_text TEXT -- 'near Kharkiv'\n"
    ");\n"
    EVENT_DYADS
    "CREATE INDEX IF NOT EXISTS events_story ON events(story);\n"
    /* schema 3: casualty counts, on events (at most 2 each, in order k) and on stories (every count of the
     * story, with or without an event; country: docs/store.md) */
    "CREATE TABLE IF NOT EXISTS event_casualties(\n"
    "  event INTEGER NOT NULL, k INTEGER NOT NULL,\n"
    "  kind TEXT NOT NULL, count INTEGER NOT NULL, qualifier TEXT NOT NULL, -- killed, 2600, 'more than'\n"
    "  who_start INTEGER, who_end INTEGER, who_text TEXT,\n"
    "  reported_by_start INTEGER, reported_by_end INTEGER, reported_by_text TEXT, reported_by_code TEXT,\n"
    "  text_start INTEGER NOT NULL, text_end INTEGER NOT NULL, text TEXT NOT NULL,\n"
    "  PRIMARY KEY(event, k)) WITHOUT ROWID;\n"
    "CREATE INDEX IF NOT EXISTS event_casualties_count ON event_casualties(kind, count);\n"
    "CREATE TABLE IF NOT EXISTS casualties(\n"
    "  story INTEGER NOT NULL, k INTEGER NOT NULL, sentence INTEGER NOT NULL, country TEXT,\n"
    "  kind TEXT NOT NULL, count INTEGER NOT NULL, qualifier TEXT NOT NULL,\n"
    "  who_start INTEGER, who_end INTEGER, who_text TEXT,\n"
    "  reported_by_start INTEGER, reported_by_end INTEGER, reported_by_text TEXT, reported_by_code TEXT,\n"
    "  text_start INTEGER NOT NULL, text_end INTEGER NOT NULL, text TEXT NOT NULL,\n"
    "  PRIMARY KEY(story, k)) WITHOUT ROWID;\n"
    "CREATE INDEX IF NOT EXISTS casualties_count ON casualties(kind, count);\n"
    "CREATE INDEX IF NOT EXISTS casualties_country ON casualties(country) WHERE country IS NOT NULL;\n"
    "CREATE TABLE IF NOT EXISTS mentions(event INTEGER NOT NULL, story INTEGER NOT NULL,\n"
    "  PRIMARY KEY(event, story)) WITHOUT ROWID;\n"
    "CREATE VIRTUAL TABLE IF NOT EXISTS events_fts USING fts5(evidence_text, content='events', content_rowid='id');\n"
    "CREATE VIEW IF NOT EXISTS daily AS\n"
    "  SELECT date, source_code AS source, target_code AS target, cameo, count(*) AS events, sum(mentions) AS mentions\n"
    "  FROM events WHERE modality = 'factual' GROUP BY date, source_code, target_code, cameo;\n"
    /* schema 2: one row a day per directed dyad of full codes (and factual or not), so that a dyad's series
     * (include/dyad_analytics.h) reads one row a day instead of every event. stories: the distinct stories of
     * that dyad and day. Schema 2 and 3 kept it up to date by triggers on events; from schema 4 the writer
     * does (daily_flush(): one upsert a stored event and one update a mention, at the end of the batch, in
     * key order), because a trigger makes every event insert a statement that needs its own journal. */
    "CREATE TABLE IF NOT EXISTS dyad_daily(\n"
    "  source TEXT NOT NULL, target TEXT NOT NULL, -- full codes; '' when the event has none\n"
    "  date TEXT NOT NULL, factual INTEGER NOT NULL,\n"
    "  events INTEGER NOT NULL, q1 INTEGER NOT NULL, q2 INTEGER NOT NULL, q3 INTEGER NOT NULL, q4 INTEGER NOT NULL,\n"
    "  gsum REAL NOT NULL, gneg REAL NOT NULL, gpos REAL NOT NULL, -- Goldstein: all, negative, positive events\n"
    "  mentions INTEGER NOT NULL, stories INTEGER NOT NULL,\n"
    "  PRIMARY KEY(source, target, date, factual)) WITHOUT ROWID;\n"
    /* for the dyads of a window (dyad top). Schemas 2 to 5 also had dyad_daily_target, a covering index on
     * (target, source, ...) for what was done to an actor: every move of the recent rows rewrote most of its
     * pages (a third of the storing time of dyad_daily); schema 6 reads the target side through the distinct
     * sources instead (src/analytics/analytics.c). */
    "CREATE INDEX IF NOT EXISTS dyad_daily_date ON dyad_daily(date);\n"
    /* schema 5: the sums of the latest batches, added to dyad_daily's rows in one pass in key order once there
     * are DAILY_MERGE_ROWS of them: a batch's rows of random dyads and days dirty most pages of dyad_daily's
     * three trees, all written again every batch; here only the pages of a small table are. Readers add the
     * two (src/analytics/analytics.c). */
    "CREATE TABLE IF NOT EXISTS dyad_daily_recent(\n"
    "  source TEXT NOT NULL, target TEXT NOT NULL, date TEXT NOT NULL, factual INTEGER NOT NULL,\n"
    "  events INTEGER NOT NULL, q1 INTEGER NOT NULL, q2 INTEGER NOT NULL, q3 INTEGER NOT NULL, q4 INTEGER NOT NULL,\n"
    "  gsum REAL NOT NULL, gneg REAL NOT NULL, gpos REAL NOT NULL, mentions INTEGER NOT NULL, stories INTEGER NOT NULL,\n"
    "  PRIMARY KEY(source, target, date, factual)) WITHOUT ROWID;\n";

/* Schema 1 -> 2: dyad_daily (created by the schema above) filled from the stored events. */
static const char upgrade_1_2[] =
    "INSERT INTO dyad_daily SELECT coalesce(source_code, ''), coalesce(target_code, ''), date, modality = 'factual',\n"
    "  count(*), sum(quad = 1), sum(quad = 2), sum(quad = 3), sum(quad = 4), sum(goldstein), sum(min(goldstein, 0)),\n"
    "  sum(max(goldstein, 0)), sum(mentions), count(DISTINCT story)\n"
    "  FROM events GROUP BY 1, 2, 3, 4;\n"
    "UPDATE meta SET value = '2' WHERE key = 'schema';\n";

/* Schema 2 -> 3: the events' new columns (events stored before have none of them: ingest again into a new
 * database to get them); the new tables come from the schema above. */
static const char upgrade_2_3[] =
    "ALTER TABLE events ADD COLUMN attribution_date INTEGER;\n"
    "ALTER TABLE events ADD COLUMN attribution_date_precision TEXT;\n"
    "ALTER TABLE events ADD COLUMN place_level TEXT;\n"
    "ALTER TABLE events ADD COLUMN place_country TEXT;\n"
    "ALTER TABLE events ADD COLUMN place_admin1 TEXT;\n"
    "ALTER TABLE events ADD COLUMN place_lat REAL;\n"
    "ALTER TABLE events ADD COLUMN place_lon REAL;\n"
    "ALTER TABLE events ADD COLUMN place_geonameid INTEGER;\n"
    "ALTER TABLE events ADD COLUMN place_name_start INTEGER;\n"
    "ALTER TABLE events ADD COLUMN place_name_end INTEGER;\n"
    "ALTER TABLE events ADD COLUMN place_name_text TEXT;\n"
    "ALTER TABLE events ADD COLUMN place_start INTEGER;\n"
    "ALTER TABLE events ADD COLUMN place_end INTEGER;\n"
    "ALTER TABLE events ADD COLUMN place_text TEXT;\n"
    "UPDATE meta SET value = '3' WHERE key = 'schema';\n";

/* Schema 4: dyad_daily is kept by the writer, no longer by triggers; no index on events(date) (a date range
 * is found through stories(date): one row a story instead of one an event); schema 5: no index events_dyad
 * (the table event_dyads); schema 6: no index dyad_daily_target, events_target or events_cameo (event_dyads
 * serves them). Run on every open of a database for
 * writing: an older dyad that opens a newer database (and then refuses it) has created them again. */
static const char schema_4_drops[] =
    "DROP TRIGGER IF EXISTS events_dyad_daily;\n"
    "DROP TRIGGER IF EXISTS events_dyad_daily_mentions;\n"
    "DROP INDEX IF EXISTS events_date;\n"
    "DROP INDEX IF EXISTS events_dyad;\n"
    "DROP INDEX IF EXISTS dyad_daily_target;\n"
    "DROP INDEX IF EXISTS events_target;\n"
    "DROP INDEX IF EXISTS events_cameo;\n";

/* Schema 5: dyad_daily's Goldstein sums to 6 decimals (as the writer keeps them from now on); the events'
 * dyad index made a table (filled by upgrade_5_6; the index is dropped by schema_4_drops). */
static const char upgrade_4_5[] =
    "UPDATE dyad_daily SET gsum = round(gsum, 6), gneg = round(gneg, 6), gpos = round(gpos, 6);\n"
    "UPDATE meta SET value = '5' WHERE key = 'schema';\n";

/* Schema 6: event_dyads made again, with every event and its CAMEO code; the indexes it replaces, and
 * dyad_daily_target, are dropped by schema_4_drops. */
static const char upgrade_5_6[] =
    "DROP TABLE event_dyads;\n"
    "DROP TABLE event_dyads_recent;\n"
    EVENT_DYADS
    "INSERT INTO event_dyads SELECT coalesce(source_code, ''), coalesce(target_code, ''), date, id, cameo\n"
    "  FROM events ORDER BY 1, 2, 3, 4;\n"
    "UPDATE meta SET value = '6' WHERE key = 'schema';\n";

/* Schema 3's indexes on the events' new columns: made after an upgrade has added the columns. */
static const char schema_3_indexes[] =
    "CREATE INDEX IF NOT EXISTS events_place_country ON events(place_country) WHERE place_country IS NOT NULL;\n"
    "CREATE INDEX IF NOT EXISTS events_place_geo ON events(place_lat, place_lon) WHERE place_lat IS NOT NULL;\n";

struct dyad_store {
    sqlite3 *db;
    sqlite3_stmt *q[Q_COUNT];
    bool readonly, in_tx;
    int64_t first_event; /* the batch's first event row id; 0 before its first event */
    int64_t lsh_recent;  /* rows in story_lsh_recent; -1 when not known */
    bool lsh_added;      /* the batch has added rows to story_lsh_recent */
    int wal_frames;      /* frames in the WAL after the last commit */
    struct checkpointer *ck; /* the checkpoints' thread (after_commit()); NULL until the first */
    bool ck_pending;         /* a checkpoint was asked of it since the WAL last restarted */
    /* the LSH keys' filter (lsh_filter_build()): bit (key >> lsh_shift) is set for every stored key, so that
     * a clear bit means "no story has this key" without an index probe; NULL when not built */
    uint64_t *lsh_bits;
    int lsh_shift;
    int64_t lsh_keys;        /* keys set in it (an upper bound of the distinct keys) */
    int64_t lsh_version;     /* PRAGMA data_version when it was last known to hold every stored key */
    int64_t lookups;         /* stories looked up for reprints since the database was opened */
    int page_size;       /* of the database: 8 KiB unless it was made with another */
    char err[1024];
    /* scratch */
    char *norm;
    size_t norm_cap; /* of norm, and of wh in units of 2 bytes of text */
    uint64_t *wh;    /* the fingerprint's hashes of words and shingles */
    char *text;
    size_t text_cap;
    char issues[256];
    int64_t *cand;
    size_t ncand, cand_cap;
    struct orig_ev {
        int64_t id;
        char src[16], tgt[16], cameo[8], modality[16];
        size_t date; /* in pool */
        bool used;
    } *orig;
    size_t orig_cap;
    /* the batch's changes to dyad_daily, applied by daily_flush() before COMMIT */
    struct daily_add {
        char src[16], tgt[16]; /* '' when none */
        char cameo[8];         /* a stored event's */
        size_t date;           /* offset in pool */
        int64_t event;         /* the stored event's row id (0 for a mention) */
        uint8_t factual, quad, first, mention; /* first: the story's first event of this row */
        double goldstein;
    } *daily;
    size_t ndaily, daily_cap;
    char *pool; /* the dates of the batch's daily rows */
    size_t pool_len, pool_cap;
};

static void lsh_filter_drop(dyad_store *s);
static void lsh_filter_check(dyad_store *s);
static void ckpt_stop(dyad_store *s);

const char *dyad_store_status_name(dyad_store_status st)
{
    switch (st) {
    case DYAD_STORE_OK: return "ok";
    case DYAD_STORE_ERR_OPEN: return "cannot open";
    case DYAD_STORE_ERR_SCHEMA: return "schema";
    case DYAD_STORE_ERR_SQL: return "sqlite";
    case DYAD_STORE_ERR_ARG: return "argument";
    case DYAD_STORE_ERR_NOMEM: return "out of memory";
    }
    return "?";
}

const char *dyad_store_outcome_name(dyad_store_outcome o)
{
    switch (o) {
    case DYAD_STORE_ADDED: return "added";
    case DYAD_STORE_REPRINT: return "reprint";
    case DYAD_STORE_SAME_ID: return "same id";
    case DYAD_STORE_SAME_TEXT: return "same text";
    }
    return "?";
}

static dyad_store_status fail(dyad_store *s, dyad_store_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static dyad_store_status fail(dyad_store *s, dyad_store_status st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->err, sizeof s->err, fmt, ap);
    va_end(ap);
    return st;
}

static dyad_store_status sqlfail(dyad_store *s, const char *what)
{
    return fail(s, DYAD_STORE_ERR_SQL, "%s: %s", what, s->db ? sqlite3_errmsg(s->db) : "no database");
}

/* Put "A: B: " before the message (truncating its end when long). */
static void err_prefix(dyad_store *s, const char *a, const char *b)
{
    char m[sizeof s->err];
    memcpy(m, s->err, sizeof m);
    size_t o = 0, cap = sizeof s->err - 1;
    const char *parts[5] = {a, b ? ": " : NULL, b, ": ", m};
    for (int i = 0; i < 5; i++)
        for (const char *p = parts[i]; p && *p && o < cap; p++)
            s->err[o++] = *p;
    s->err[o] = 0;
}

dyad_store *dyad_store_new(void) { return calloc(1, sizeof(dyad_store)); }

const char *dyad_store_errmsg(const dyad_store *s) { return s ? s->err : "no store (out of memory)"; }

/* The batch's queued changes are dropped (rolled back, or applied). */
static void batch_forget(dyad_store *s)
{
    s->ndaily = 0;
    s->pool_len = 0;
    s->first_event = 0;
    s->lsh_added = false;
}

static void close_db(dyad_store *s)
{
    for (int i = 0; i < Q_COUNT; i++) {
        sqlite3_finalize(s->q[i]);
        s->q[i] = NULL;
    }
    if (s->db) {
        if (s->in_tx)
            sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        ckpt_stop(s); /* first: closing the last connection checkpoints the rest and removes the WAL */
        sqlite3_close(s->db);
        s->db = NULL;
    }
    s->in_tx = false;
    batch_forget(s);
    s->lsh_recent = -1;
    lsh_filter_drop(s);
    s->lookups = 0;
}

void dyad_store_free(dyad_store *s)
{
    if (!s)
        return;
    close_db(s);
    free(s->norm);
    free(s->wh);
    free(s->text);
    free(s->cand);
    free(s->orig);
    free(s->daily);
    free(s->pool);
    free(s);
}

static dyad_store_status exec(dyad_store *s, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        fail(s, DYAD_STORE_ERR_SQL, "%s", msg ? msg : sqlite3_errmsg(s->db));
        sqlite3_free(msg);
        return DYAD_STORE_ERR_SQL;
    }
    return DYAD_STORE_OK;
}

static int64_t band_key(const uint32_t *sig, int band);
static void blob_to_sig(const unsigned char *blob, uint32_t *sig);

/* Schema 3 -> 4: the LSH keys again (20 bands of 3 values, 32-bit keys, where schema 3 had 32 bands of 4),
 * from each original story's stored signature. */
static dyad_store_status upgrade_lsh(dyad_store *s)
{
    dyad_store_status st = exec(s, "DELETE FROM story_lsh");
    if (st)
        return st;
    sqlite3_stmt *q = NULL, *ins = NULL;
    if (sqlite3_prepare_v2(s->db, "SELECT id, minhash FROM stories WHERE duplicate_of IS NULL AND minhash IS NOT NULL",
                           -1, &q, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(s->db, "INSERT OR IGNORE INTO story_lsh(key, story) VALUES(?1, ?2)", -1, &ins, NULL) !=
            SQLITE_OK) {
        sqlite3_finalize(q);
        return sqlfail(s, "reading the signatures");
    }
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW && st == DYAD_STORE_OK) {
        if (sqlite3_column_bytes(q, 1) != 4 * DYAD_STORE_MINHASH)
            continue;
        uint32_t sig[DYAD_STORE_MINHASH];
        blob_to_sig(sqlite3_column_blob(q, 1), sig);
        for (int b = 0; b < DYAD_STORE_BANDS && st == DYAD_STORE_OK; b++) {
            sqlite3_reset(ins);
            sqlite3_bind_int64(ins, 1, band_key(sig, b));
            sqlite3_bind_int64(ins, 2, sqlite3_column_int64(q, 0));
            if (sqlite3_step(ins) != SQLITE_DONE)
                st = sqlfail(s, "storing a story's signature");
        }
    }
    if (st == DYAD_STORE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
        st = sqlfail(s, "reading the signatures");
    sqlite3_finalize(q);
    sqlite3_finalize(ins);
    return st ? st : exec(s, "UPDATE meta SET value = '4' WHERE key = 'schema'");
}

/* A failed step of setting up or upgrading the schema: the error names the step, and the transaction is
 * rolled back. */
static dyad_store_status upgrade_failed(dyad_store *s, const char *path, const char *what, dyad_store_status st)
{
    err_prefix(s, path, what);
    exec(s, "ROLLBACK");
    return st;
}

static dyad_store_status setup_schema(dyad_store *s, const char *path)
{
    dyad_store_status st = exec(s, "BEGIN IMMEDIATE");
    if (st)
        return st;
    /* a database with tables but no meta row is someone else's */
    sqlite3_stmt *q = NULL;
    int have_meta = 0, have_tables = 0;
    if (sqlite3_prepare_v2(s->db, "SELECT count(*), sum(name = 'meta') FROM sqlite_schema WHERE type = 'table'", -1,
                           &q, NULL) == SQLITE_OK &&
        sqlite3_step(q) == SQLITE_ROW) {
        have_tables = sqlite3_column_int(q, 0);
        have_meta = sqlite3_column_int(q, 1);
    }
    sqlite3_finalize(q);
    if (have_tables && !have_meta) {
        exec(s, "ROLLBACK");
        return fail(s, DYAD_STORE_ERR_SCHEMA, "%s: not a dyad database (it has other tables)", path);
    }
    if ((st = exec(s, schema)) != DYAD_STORE_OK) {
        err_prefix(s, path, "creating the schema");
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        return DYAD_STORE_ERR_SQL;
    }
    char ins[128];
    snprintf(ins, sizeof ins, "INSERT OR IGNORE INTO meta(key, value) VALUES('schema', '%d')", DYAD_STORE_SCHEMA);
    if ((st = exec(s, ins)) != DYAD_STORE_OK) {
        exec(s, "ROLLBACK");
        return st;
    }
    /* a schema-1 database gets the daily dyad table of schema 2, filled from its events */
    q = NULL;
    int v = 0;
    if (sqlite3_prepare_v2(s->db, "SELECT value FROM meta WHERE key = 'schema'", -1, &q, NULL) == SQLITE_OK &&
        sqlite3_step(q) == SQLITE_ROW)
        v = sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    if (v == 1 && (st = exec(s, upgrade_1_2)) != DYAD_STORE_OK)
        return upgrade_failed(s, path, "upgrading the schema from version 1", st);
    /* a schema-1 or -2 database gets the events' columns of schema 3 (its new tables come from the schema);
     * a newer database is left alone (check_schema refuses it) */
    if (v >= 1 && v < 3 && (st = exec(s, upgrade_2_3)) != DYAD_STORE_OK)
        return upgrade_failed(s, path, "upgrading the schema to version 3", st);
    /* schema 4: no triggers, no index on events(date); the LSH keys of schema 4's bands, from the stored
     * signatures */
    if (v >= 1 && v <= DYAD_STORE_SCHEMA && (st = exec(s, schema_4_drops)) != DYAD_STORE_OK)
        return upgrade_failed(s, path, "upgrading the schema to version 4", st);
    if (v >= 1 && v < 4 && (st = upgrade_lsh(s)) != DYAD_STORE_OK)
        return upgrade_failed(s, path, "upgrading the schema to version 4", st);
    if (v >= 1 && v < 5 && (st = exec(s, upgrade_4_5)) != DYAD_STORE_OK)
        return upgrade_failed(s, path, "upgrading the schema to version 5", st);
    if (v >= 1 && v < 6 && (st = exec(s, upgrade_5_6)) != DYAD_STORE_OK)
        return upgrade_failed(s, path, "upgrading the schema to version 6", st);
    if (v <= DYAD_STORE_SCHEMA && (st = exec(s, schema_3_indexes)) != DYAD_STORE_OK)
        return upgrade_failed(s, path, "creating the schema", st);
    return exec(s, "COMMIT");
}

static dyad_store_status check_schema(dyad_store *s, const char *path)
{
    sqlite3_stmt *q = NULL;
    int v = -1;
    if (sqlite3_prepare_v2(s->db, "SELECT value FROM meta WHERE key = 'schema'", -1, &q, NULL) == SQLITE_OK &&
        sqlite3_step(q) == SQLITE_ROW)
        v = sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    if (v < 0)
        return fail(s, DYAD_STORE_ERR_SCHEMA, "%s: not a dyad database", path);
    if (v != DYAD_STORE_SCHEMA)
        return fail(s, DYAD_STORE_ERR_SCHEMA, "%s: schema version %d, this dyad reads version %d%s", path, v,
                    DYAD_STORE_SCHEMA,
                    v < DYAD_STORE_SCHEMA ? " (dyad ingest into it upgrades it; events stored before the upgrade "
                                            "keep no places or casualties)"
                                          : " (written by a newer dyad)");
    return DYAD_STORE_OK;
}

static int wal_hook(void *ctx, sqlite3 *db, const char *name, int frames)
{
    (void)db;
    (void)name;
    ((dyad_store *)ctx)->wal_frames = frames;
    return SQLITE_OK;
}

dyad_store_status dyad_store_open(dyad_store *s, const char *path, int flags)
{
    if (!s || !path)
        return s ? fail(s, DYAD_STORE_ERR_ARG, "no database path") : DYAD_STORE_ERR_ARG;
    close_db(s);
    s->readonly = flags & DYAD_STORE_READONLY;
    int of = s->readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    if (sqlite3_open_v2(path, &s->db, of, NULL) != SQLITE_OK) {
        fail(s, DYAD_STORE_ERR_OPEN, "%s: %s", path, s->db ? sqlite3_errmsg(s->db) : "cannot open");
        close_db(s);
        return DYAD_STORE_ERR_OPEN;
    }
    sqlite3_busy_timeout(s->db, 10000);
    dyad_store_status st;
    if (!s->readonly) {
        /* WAL: readers never block the writer; synchronous=NORMAL is safe against a crash of the process
         * (kill -9): a committed transaction is in the WAL file; a power cut may lose the last commits,
         * never corrupt the file, and re-running the ingest restores them. */
        /* 8 KiB pages for a new database (an existing one keeps its own): a story's text of a few KB wastes
         * less of a page than of a 4 KiB one (14% fewer bytes at a million events), and a batch writes fewer,
         * larger pages (5% less storing time) */
        exec(s, "PRAGMA page_size=8192");
        sqlite3_stmt *q = NULL;
        const char *mode = "";
        if (sqlite3_prepare_v2(s->db, "PRAGMA journal_mode=WAL", -1, &q, NULL) == SQLITE_OK &&
            sqlite3_step(q) == SQLITE_ROW)
            mode = (const char *)sqlite3_column_text(q, 0);
        bool wal = mode && strcmp(mode, "wal") == 0;
        sqlite3_finalize(q);
        if (!wal) {
            st = fail(s, DYAD_STORE_ERR_OPEN, "%s: %s", path,
                      sqlite3_errcode(s->db) != SQLITE_OK ? sqlite3_errmsg(s->db) : "cannot switch to WAL mode");
            close_db(s);
            return st;
        }
        if ((st = exec(s, "PRAGMA synchronous=NORMAL")) || (st = setup_schema(s, path))) {
            if (st == DYAD_STORE_ERR_SQL && strncmp(s->err, path, strlen(path)) != 0)
                err_prefix(s, path, NULL);
            close_db(s);
            return st;
        }
    }
    if ((st = check_schema(s, path)) != DYAD_STORE_OK) {
        close_db(s);
        return st;
    }
    if (!s->readonly)
        for (int i = 0; i < Q_COUNT; i++)
            if (sqlite3_prepare_v3(s->db, queries[i], -1, SQLITE_PREPARE_PERSISTENT, &s->q[i], NULL) != SQLITE_OK) {
                st = sqlfail(s, "preparing a statement");
                close_db(s);
                return st;
            }
    /* 256 MiB page cache (the indexes of random keys, story_lsh and stories_hash, are touched all over) */
    exec(s, "PRAGMA cache_size=-262144");
    if (!s->readonly) { /* checkpoints: after_commit() */
        sqlite3_stmt *q = NULL;
        s->page_size = 4096;
        if (sqlite3_prepare_v2(s->db, "PRAGMA page_size", -1, &q, NULL) == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW)
            s->page_size = sqlite3_column_int(q, 0);
        sqlite3_finalize(q);
        sqlite3_wal_hook(s->db, wal_hook, s);
    }
    return DYAD_STORE_OK;
}

/* ---- transactions ------------------------------------------------------------------------------------ */

/* ---- checkpoints ------------------------------------------------------------------------------------- */

/* A checkpoint (copying the WAL's pages into the database, then syncing it) takes a tenth of the storing
 * time, most of it waiting for the disk, so it runs on a thread of its own with a connection of its own
 * while the writer goes on with the next batches: SQLite's checkpoint copies only committed pages, as of
 * its start, and a crash in the middle of one loses nothing (the WAL still holds the pages). The WAL is
 * written again from its start only when a write transaction begins with every frame copied: at the start
 * of the next batch after the thread has finished, the writer copies what was committed meanwhile (a batch
 * or two) itself, then begins (ckpt_catch_up()). */
struct checkpointer {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    sqlite3 *db;
    bool want, busy, quit;
    bool wait; /* DYAD_STORE_CHECKPOINT_WAIT set: a batch waits for the thread's checkpoint (tests) */
};

static void *ckpt_main(void *arg)
{
    struct checkpointer *c = arg;
    pthread_mutex_lock(&c->mu);
    for (;;) {
        while (!c->want && !c->quit)
            pthread_cond_wait(&c->cv, &c->mu);
        if (c->quit)
            break;
        c->want = false;
        c->busy = true;
        pthread_mutex_unlock(&c->mu);
        /* passive: never waits for the writer; a failure leaves the pages in the WAL for the next one */
        sqlite3_wal_checkpoint_v2(c->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
        pthread_mutex_lock(&c->mu);
        c->busy = false;
        pthread_cond_broadcast(&c->cv);
    }
    pthread_mutex_unlock(&c->mu);
    return NULL;
}

static void ckpt_stop(dyad_store *s)
{
    struct checkpointer *c = s->ck;
    if (!c)
        return;
    pthread_mutex_lock(&c->mu);
    c->quit = true;
    pthread_cond_broadcast(&c->cv);
    pthread_mutex_unlock(&c->mu);
    pthread_join(c->thread, NULL);
    sqlite3_close(c->db);
    pthread_mutex_destroy(&c->mu);
    pthread_cond_destroy(&c->cv);
    free(c);
    s->ck = NULL;
    s->ck_pending = false;
}

/* The thread and its connection; false when they cannot be had (the writer then checkpoints itself). */
static bool ckpt_start(dyad_store *s)
{
    struct checkpointer *c = calloc(1, sizeof *c);
    const char *path = sqlite3_db_filename(s->db, "main");
    if (!c || !path || !*path)
        goto fail;
    if (sqlite3_open_v2(path, &c->db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
        sqlite3_exec(c->db, "PRAGMA synchronous=NORMAL", NULL, NULL, NULL) != SQLITE_OK)
        goto fail;
    if (pthread_mutex_init(&c->mu, NULL) != 0)
        goto fail;
    if (pthread_cond_init(&c->cv, NULL) != 0) {
        pthread_mutex_destroy(&c->mu);
        goto fail;
    }
    if (pthread_create(&c->thread, NULL, ckpt_main, c) != 0) {
        pthread_mutex_destroy(&c->mu);
        pthread_cond_destroy(&c->cv);
        goto fail;
    }
    /* the thread's work is then the same, but when the WAL restarts no longer depends on how the threads are
     * scheduled: a test can check that it does */
    c->wait = getenv("DYAD_STORE_CHECKPOINT_WAIT") != NULL;
    s->ck = c;
    return true;
fail:
    if (c)
        sqlite3_close(c->db);
    free(c);
    return false;
}

/* At the start of a batch, outside a transaction: once the thread's checkpoint is done, the frames
 * committed since it began are copied here, so that this batch's transaction writes the WAL from its
 * start. While the thread is still copying, the batch goes on (the WAL grows by a batch), unless the WAL
 * has passed 2 GiB: then it waits for the thread. */
static void ckpt_catch_up(dyad_store *s)
{
    struct checkpointer *c = s->ck;
    if (!c || !s->ck_pending)
        return;
    pthread_mutex_lock(&c->mu);
    bool busy = c->want || c->busy;
    if (busy && ((int64_t)s->wal_frames * s->page_size > (int64_t)2 << 30 || c->wait)) {
        while (c->want || c->busy)
            pthread_cond_wait(&c->cv, &c->mu);
        busy = false;
    }
    pthread_mutex_unlock(&c->mu);
    if (busy)
        return;
    sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
    s->ck_pending = false;
    s->wal_frames = 0;
}

/* Checkpoint once the WAL outgrows both 64 MiB and the database itself, or 1 GiB. A batch rewrites pages
 * all over the small tables of recent rows and the indexes of random keys, a move of recent rows all over
 * a large table: the rarer the checkpoints, the more of those rewrites each one folds into a single copy
 * of the page; the WAL stays smaller than the database and than 1 GiB (and a batch or two).
 * sqlite3_close() checkpoints the rest and removes the WAL. */
static void after_commit(dyad_store *s)
{
    int64_t wal = (int64_t)s->wal_frames * s->page_size;
    if (s->ck_pending || wal < (int64_t)64 << 20)
        return;
    sqlite3_stmt *q = s->q[Q_PAGE_COUNT];
    int64_t pages = 0;
    sqlite3_reset(q);
    if (sqlite3_step(q) == SQLITE_ROW)
        pages = sqlite3_column_int64(q, 0);
    sqlite3_reset(q);
    if (s->wal_frames <= pages && wal <= (int64_t)1 << 30)
        return;
    if (s->ck || ckpt_start(s)) {
        pthread_mutex_lock(&s->ck->mu);
        s->ck->want = true;
        pthread_cond_signal(&s->ck->cv);
        pthread_mutex_unlock(&s->ck->mu);
        s->ck_pending = true;
    } else {
        sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
        s->wal_frames = 0;
    }
}

static dyad_store_status daily_flush(dyad_store *s);

#define LSH_MERGE_ROWS 131072

/* A table of recent rows (story_lsh_recent, dyad_daily_recent, event_dyads_recent) into its large table once
 * it holds LIMIT rows: one pass in key order, that rewrites each page of the large table's trees once for all
 * of them, where storing them there a batch at a time rewrote most of its pages every batch. Q: the
 * statements that count, move and clear; *KNOWN: the count when it is kept (-1: not known yet), or NULL. */
static dyad_store_status move_recent(dyad_store *s, const int q[3], int64_t *known, int64_t limit, const char *what)
{
    int64_t rows = known ? *known : -1;
    if (rows < 0) {
        sqlite3_stmt *c = s->q[q[0]];
        sqlite3_reset(c);
        int rc = sqlite3_step(c);
        rows = sqlite3_column_int64(c, 0);
        sqlite3_reset(c);
        if (rc != SQLITE_ROW)
            return sqlfail(s, what);
        if (known)
            *known = rows;
    }
    if (rows < limit)
        return DYAD_STORE_OK;
    for (int i = 1; i < 3; i++) {
        sqlite3_stmt *m = s->q[q[i]];
        sqlite3_reset(m);
        int rc = sqlite3_step(m);
        sqlite3_reset(m);
        if (rc != SQLITE_DONE)
            return sqlfail(s, what);
    }
    if (known)
        *known = 0;
    return DYAD_STORE_OK;
}

static dyad_store_status lsh_merge(dyad_store *s)
{
    static const int q[3] = {Q_COUNT_LSH_RECENT, Q_MERGE_LSH, Q_CLEAR_LSH_RECENT};
    return move_recent(s, q, &s->lsh_recent, LSH_MERGE_ROWS, "moving the recent LSH keys");
}

/* After a failed write: the batch is rolled back whole (a story is never stored in part). */
static void batch_abort(dyad_store *s)
{
    if (s->in_tx && !sqlite3_get_autocommit(s->db))
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    s->in_tx = false;
    batch_forget(s);
    s->lsh_recent = -1;
    size_t n = strlen(s->err);
    snprintf(s->err + n, sizeof s->err - n, " (the batch was rolled back)");
}

dyad_store_status dyad_store_begin(dyad_store *s)
{
    if (!s || !s->db || s->readonly || s->in_tx)
        return s ? fail(s, DYAD_STORE_ERR_ARG, "begin: no writable database, or a transaction is open")
                 : DYAD_STORE_ERR_ARG;
    ckpt_catch_up(s);
    dyad_store_status st = exec(s, "BEGIN IMMEDIATE");
    if (st == DYAD_STORE_OK) {
        s->in_tx = true;
        lsh_filter_check(s);
    }
    batch_forget(s);
    return st;
}

dyad_store_status dyad_store_commit(dyad_store *s)
{
    if (!s || !s->db || !s->in_tx)
        return s ? fail(s, DYAD_STORE_ERR_ARG, "commit: no transaction") : DYAD_STORE_ERR_ARG;
    /* what the batch left for its end: the full-text index of its events, its dyad_daily changes */
    dyad_store_status st = DYAD_STORE_OK;
    if (s->first_event) {
        sqlite3_stmt *q = s->q[Q_INDEX_FTS];
        sqlite3_reset(q);
        sqlite3_bind_int64(q, 1, s->first_event);
        if (sqlite3_step(q) != SQLITE_DONE)
            st = sqlfail(s, "indexing the events' evidence");
        sqlite3_reset(q);
        s->first_event = 0;
    }
    if (st == DYAD_STORE_OK && s->lsh_added)
        st = lsh_merge(s);
    if (st == DYAD_STORE_OK)
        st = daily_flush(s);
    if (st != DYAD_STORE_OK) {
        batch_abort(s);
        return st;
    }
    st = exec(s, "COMMIT");
    if (st == DYAD_STORE_OK) {
        s->in_tx = false;
        after_commit(s);
    }
    return st;
}

dyad_store_status dyad_store_rollback(dyad_store *s)
{
    if (!s || !s->db || !s->in_tx)
        return s ? fail(s, DYAD_STORE_ERR_ARG, "rollback: no transaction") : DYAD_STORE_ERR_ARG;
    s->in_tx = false;
    batch_forget(s);
    s->lsh_recent = -1;
    return exec(s, "ROLLBACK");
}

/* ---- fingerprints ------------------------------------------------------------------------------------ */

static inline uint64_t mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

static uint64_t fnv(const char *p, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)p[i];
        h *= 1099511628211ULL;
    }
    return mix64(h);
}

/* Multiply-shift hash family for the MinHash values: odd multipliers and offsets from a fixed seed. */
static uint64_t mh_a[DYAD_STORE_MINHASH], mh_b[DYAD_STORE_MINHASH];
static void mh_init(void)
{
    uint64_t x = 0x6479616473746f72ULL; /* "dyadstor" */
    for (int i = 0; i < DYAD_STORE_MINHASH; i++) {
        x += 0x9e3779b97f4a7c15ULL;
        mh_a[i] = mix64(x) | 1;
        x += 0x9e3779b97f4a7c15ULL;
        mh_b[i] = mix64(x);
    }
}

/* Normalised text into OUT (at least LEN+1 bytes): words of ASCII letters (lowered), digits and non-ASCII
 * bytes, one space between words. */
static size_t normalise(const char *t, size_t len, char *out)
{
    size_t o = 0;
    bool gap = false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)t[i];
        bool word = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || c >= 0x80;
        if (!word) {
            gap = o > 0;
            continue;
        }
        if (gap) {
            out[o++] = ' ';
            gap = false;
        }
        out[o++] = (char)((c >= 'A' && c <= 'Z') ? c + 32 : c);
    }
    out[o] = 0;
    return o;
}

/* The 128 multiply-shift hashes of every shingle are most of a story's fingerprint: on x86-64 the function is
 * also compiled for AVX2 and AVX-512 (the loop over the hashes vectorised; 3.8 times faster with AVX-512),
 * and the loader picks the one the processor runs. The values are the same whichever runs. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && defined(__has_attribute)
#if __has_attribute(target_clones)
#define FINGERPRINT_CLONES __attribute__((target_clones("arch=x86-64-v4", "avx2", "default")))
#endif
#endif
#ifndef FINGERPRINT_CLONES
#define FINGERPRINT_CLONES
#endif

/* WH: room for N / 2 + 1 hashes (one a word). Three passes, each free of data-dependent branches: the words'
 * FNV hashes and the text's (one loop over the bytes: a byte is added to the current word's hash, which is
 * stored at the word's slot at every byte; a space ends the word), each shingle's hash (in place: a shingle
 * begins at its first word), then the MinHash values. Looping over each word's bytes until its end and
 * keeping the minima with a compare and a store mispredicted at every word and every shingle: 2 times
 * slower. The values are those of fnv() on each word and on the text. */
FINGERPRINT_CLONES
static uint64_t fingerprint_norm(const char *norm, size_t n, uint64_t *wh, uint32_t *sig, size_t *nshingles)
{
    static int inited;
    if (!inited) { /* idempotent and deterministic: a race writes the same values */
        mh_init();
        inited = 1;
    }
    const uint64_t offset = 1469598103934665603ULL, prime = 1099511628211ULL;
    uint64_t t = offset, w = offset;
    size_t words = 0;
    for (size_t i = 0; i < n; i++) { /* normalised: one space between words, none at either end */
        unsigned char c = (unsigned char)norm[i];
        t = (t ^ c) * prime;
        bool space = c == ' ';
        wh[words] = w;
        words += space;
        w = space ? offset : (w ^ c) * prime;
    }
    if (n)
        wh[words++] = w;
    for (size_t k = 0; k < words; k++)
        wh[k] = mix64(wh[k]);
    size_t sh = words >= DYAD_STORE_SHINGLE ? words - DYAD_STORE_SHINGLE + 1 : 0;
    for (size_t k = 0; k < sh; k++) {
        uint64_t h = 0;
        for (int r = 0; r < DYAD_STORE_SHINGLE; r++)
            h = mix64(h ^ wh[k + (size_t)r]);
        wh[k] = h;
    }
    for (int m = 0; m < DYAD_STORE_MINHASH; m++)
        sig[m] = UINT32_MAX;
    for (size_t k = 0; k < sh; k++) {
        uint64_t h = wh[k];
        for (int m = 0; m < DYAD_STORE_MINHASH; m++) {
            uint32_t v = (uint32_t)((h * mh_a[m] + mh_b[m]) >> 32);
            sig[m] = v < sig[m] ? v : sig[m];
        }
    }
    *nshingles = sh;
    return mix64(t);
}

uint64_t dyad_store_fingerprint(const char *text, size_t len, uint32_t *sig, size_t *shingles)
{
    char *norm = malloc(len + 1);
    uint64_t *wh = malloc((len / 2 + 1) * sizeof *wh);
    uint32_t tmp[DYAD_STORE_MINHASH];
    size_t shs = 0;
    if (!norm || !wh) {
        free(norm);
        free(wh);
        return 0;
    }
    size_t n = normalise(text, len, norm);
    uint64_t h = fingerprint_norm(norm, n, wh, sig ? sig : tmp, &shs);
    free(norm);
    free(wh);
    if (shingles)
        *shingles = shs;
    return h;
}

double dyad_store_resemblance(const uint32_t *a, const uint32_t *b)
{
    int same = 0;
    for (int i = 0; i < DYAD_STORE_MINHASH; i++)
        same += a[i] == b[i];
    return (double)same / DYAD_STORE_MINHASH;
}

/* A band's key: 32 bits (4 bytes a row in story_lsh, not 8); a false match costs one signature compare. */
static int64_t band_key(const uint32_t *sig, int band)
{
    uint64_t h = mix64((uint64_t)band + 0x51ed270b27aa5c11ULL);
    for (int r = 0; r < DYAD_STORE_BAND_ROWS; r++)
        h = mix64(h ^ sig[band * DYAD_STORE_BAND_ROWS + r]);
    return (int32_t)(uint32_t)(h >> 32);
}

static void sig_to_blob(const uint32_t *sig, unsigned char *blob)
{
    for (int i = 0; i < DYAD_STORE_MINHASH; i++) {
        blob[4 * i] = (unsigned char)sig[i];
        blob[4 * i + 1] = (unsigned char)(sig[i] >> 8);
        blob[4 * i + 2] = (unsigned char)(sig[i] >> 16);
        blob[4 * i + 3] = (unsigned char)(sig[i] >> 24);
    }
}

static void blob_to_sig(const unsigned char *blob, uint32_t *sig)
{
    for (int i = 0; i < DYAD_STORE_MINHASH; i++)
        sig[i] = (uint32_t)blob[4 * i] | (uint32_t)blob[4 * i + 1] << 8 | (uint32_t)blob[4 * i + 2] << 16 |
                 (uint32_t)blob[4 * i + 3] << 24;
}

static sqlite3_stmt *stmt(dyad_store *s, int which)
{
    sqlite3_stmt *q = s->q[which];
    sqlite3_reset(q);
    sqlite3_clear_bindings(q);
    return q;
}

/* ---- dyad_daily ------------------------------------------------------------------------------------------ */

/* Room for NEED elements of SIZE bytes at *P (capacity *CAP, doubled from FIRST as needed). */
static bool grow_to(void **p, size_t *cap, size_t need, size_t size, size_t first)
{
    if (need <= *cap)
        return true;
    size_t nc = *cap ? *cap : first;
    while (nc < need)
        nc *= 2;
    void *q = realloc(*p, nc * size);
    if (!q)
        return false;
    *p = q;
    *cap = nc;
    return true;
}

static bool pool_add(dyad_store *s, const char *str, size_t *off)
{
    size_t n = strlen(str) + 1;
    if (!grow_to((void **)&s->pool, &s->pool_cap, s->pool_len + n, 1, 4096))
        return false;
    memcpy(s->pool + s->pool_len, str, n);
    *off = s->pool_len;
    s->pool_len += n;
    return true;
}

static struct daily_add *daily_new(dyad_store *s, const char *src, const char *tgt, size_t date, bool factual)
{
    if (!grow_to((void **)&s->daily, &s->daily_cap, s->ndaily + 1, sizeof *s->daily, 1024))
        return NULL;
    struct daily_add *d = &s->daily[s->ndaily];
    memset(d, 0, sizeof *d);
    memcpy(d->src, src, strnlen(src, sizeof d->src - 1)); /* codes are at most 15 bytes (dyad_actor) */
    memcpy(d->tgt, tgt, strnlen(tgt, sizeof d->tgt - 1));
    d->date = date;
    d->factual = factual;
    s->ndaily++;
    return d;
}

/* A stored event of the story whose daily rows start at FIRST in s->daily. */
static dyad_store_status daily_event(dyad_store *s, size_t first, size_t date, const dyad_event *e, int64_t id)
{
    bool factual = e->modality == DYAD_FACTUAL;
    bool seen = false; /* an earlier event of the story in the same row: the story is counted once */
    for (size_t i = first; i < s->ndaily && !seen; i++) {
        const struct daily_add *o = &s->daily[i];
        seen = !o->mention && o->factual == factual && strcmp(o->src, e->source.code) == 0 &&
               strcmp(o->tgt, e->target.code) == 0;
    }
    struct daily_add *d = daily_new(s, e->source.code, e->target.code, date, factual);
    if (!d)
        return fail(s, DYAD_STORE_ERR_NOMEM, "out of memory");
    d->quad = e->quad;
    d->goldstein = e->goldstein;
    memcpy(d->cameo, e->cameo, strnlen(e->cameo, sizeof d->cameo - 1));
    d->first = !seen;
    d->event = id;
    return DYAD_STORE_OK;
}

static int daily_cmp(const void *pa, const void *pb, void *pool)
{
    const struct daily_add *a = pa, *b = pb;
    const char *daily_pool = pool;
    int c = strcmp(a->src, b->src);
    if (!c)
        c = strcmp(a->tgt, b->tgt);
    if (!c && a->date != b->date)
        c = strcmp(daily_pool + a->date, daily_pool + b->date);
    if (!c)
        c = (int)a->factual - (int)b->factual;
    return c;
}

/* A Goldstein score or sum in millionths: integers add exactly, in any order. */
static int64_t micro(double g) { return llround(g * 1e6); }

#define DAILY_MERGE_ROWS 65536
#define DYADS_MERGE_ROWS 131072

/* The batch's changes to dyad_daily: summed a row at a time (in key order: fewer pages touched than in the order
 * of the events) into dyad_daily_recent; its events' rows of event_dyads into event_dyads_recent (in the same
 * order); each moved into its large table when it has grown. */
static dyad_store_status daily_flush(dyad_store *s)
{
    if (!s->ndaily)
        return DYAD_STORE_OK;
    qsort_r(s->daily, s->ndaily, sizeof *s->daily, daily_cmp, s->pool);
    sqlite3_stmt *q = s->q[Q_DAILY_ADD];
    for (size_t i = 0, j; i < s->ndaily; i = j) {
        const struct daily_add *d = &s->daily[i];
        int64_t events = 0, quads[4] = {0}, mentions = 0, stories = 0, gsum = 0, gneg = 0, gpos = 0;
        for (j = i; j < s->ndaily && daily_cmp(d, &s->daily[j], s->pool) == 0; j++) {
            const struct daily_add *e = &s->daily[j];
            mentions++; /* an event counts its own mention */
            if (e->mention)
                continue;
            int64_t g = micro(e->goldstein);
            events++;
            if (e->quad >= 1 && e->quad <= 4)
                quads[e->quad - 1]++;
            gsum += g;
            gneg += g < 0 ? g : 0;
            gpos += g > 0 ? g : 0;
            stories += e->first;
        }
        for (size_t k = i; k < j; k++) {
            if (!s->daily[k].event)
                continue;
            sqlite3_stmt *iq = s->q[Q_INSERT_DYAD];
            sqlite3_reset(iq);
            sqlite3_bind_text(iq, 1, d->src, -1, SQLITE_STATIC);
            sqlite3_bind_text(iq, 2, d->tgt, -1, SQLITE_STATIC);
            sqlite3_bind_text(iq, 3, s->pool + d->date, -1, SQLITE_STATIC);
            sqlite3_bind_int64(iq, 4, s->daily[k].event);
            sqlite3_bind_text(iq, 5, s->daily[k].cameo, -1, SQLITE_STATIC);
            int rc = sqlite3_step(iq);
            sqlite3_reset(iq);
            if (rc != SQLITE_DONE)
                return sqlfail(s, "storing an event's dyad");
        }
        sqlite3_reset(q);
        sqlite3_bind_text(q, 1, d->src, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 2, d->tgt, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 3, s->pool + d->date, -1, SQLITE_STATIC);
        sqlite3_bind_int(q, 4, d->factual);
        sqlite3_bind_int64(q, 5, events);
        for (int k = 0; k < 4; k++)
            sqlite3_bind_int64(q, 6 + k, quads[k]);
        sqlite3_bind_double(q, 10, (double)gsum / 1e6);
        sqlite3_bind_double(q, 11, (double)gneg / 1e6);
        sqlite3_bind_double(q, 12, (double)gpos / 1e6);
        sqlite3_bind_int64(q, 13, mentions);
        sqlite3_bind_int64(q, 14, stories);
        if (sqlite3_step(q) != SQLITE_DONE) {
            sqlite3_reset(q);
            return sqlfail(s, "updating dyad_daily");
        }
    }
    sqlite3_reset(q);
    batch_forget(s);
    static const int dq[3] = {Q_COUNT_DAILY_RECENT, Q_MERGE_DAILY, Q_CLEAR_DAILY_RECENT};
    static const int eq[3] = {Q_COUNT_DYADS_RECENT, Q_MERGE_DYADS, Q_CLEAR_DYADS_RECENT};
    dyad_store_status st = move_recent(s, dq, NULL, DAILY_MERGE_ROWS, "moving the recent dyad_daily rows");
    return st ? st : move_recent(s, eq, NULL, DYADS_MERGE_ROWS, "moving the recent event dyads");
}

/* ---- adding stories ------------------------------------------------------------------------------------ */

int dyad_store_has_story(dyad_store *s, const char *id)
{
    if (!s || !s->db || !id || s->readonly) {
        if (s)
            fail(s, DYAD_STORE_ERR_ARG, "has_story: no writable database or no id");
        return -1;
    }
    sqlite3_stmt *q = stmt(s, Q_HAS_ID);
    sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(q);
    int r = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
    if (r < 0)
        sqlfail(s, "looking up a story");
    sqlite3_reset(q);
    return r;
}

static bool same_source(const char *a, const char *b)
{
    /* unknown sources are taken to be the same outlet: the same text is then the same story */
    if (!a || !*a || !b || !*b)
        return true;
    return strcmp(a, b) == 0;
}

static void bind_span_text(sqlite3_stmt *q, int col, const dyad_story *st, dyad_span sp)
{
    if (sp.end > sp.start && sp.end <= st->text_len)
        sqlite3_bind_text(q, col, st->text + sp.start, (int)(sp.end - sp.start), SQLITE_STATIC);
    else
        sqlite3_bind_text(q, col, "", 0, SQLITE_STATIC);
}

/* A span's start, end and text into columns COL..COL+2; all NULL when the span is empty (not said). */
static void bind_opt_span(sqlite3_stmt *q, int col, const dyad_story *st, dyad_span sp)
{
    if (sp.end > sp.start && sp.end <= st->text_len) {
        sqlite3_bind_int64(q, col, sp.start);
        sqlite3_bind_int64(q, col + 1, sp.end);
        sqlite3_bind_text(q, col + 2, st->text + sp.start, (int)(sp.end - sp.start), SQLITE_STATIC);
    }
}

/* A casualty count into the 13 columns kind, count, qualifier, who_start/end/text,
 * reported_by_start/end/text/code, text_start/end/text from COL on. */
static void bind_casualty(sqlite3_stmt *q, int col, const dyad_story *st, const dyad_casualty *k)
{
    sqlite3_bind_text(q, col, dyad_casualty_kind_name(k->kind), -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, col + 1, k->count);
    sqlite3_bind_text(q, col + 2, k->qualifier, -1, SQLITE_STATIC);
    bind_opt_span(q, col + 3, st, k->who);
    bind_opt_span(q, col + 6, st, k->reported_by);
    if (k->reported_by_code[0])
        sqlite3_bind_text(q, col + 9, k->reported_by_code, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, col + 10, k->text.start);
    sqlite3_bind_int64(q, col + 11, k->text.end);
    bind_span_text(q, col + 12, st, k->text);
}

/* Event E of story ST (row STORY); its dyad_daily change is queued (FIRST: where the story's daily changes
 * start, DATE: the story's date in the pool). */
static dyad_store_status insert_event(dyad_store *s, int64_t story, const dyad_story *st, const dyad_event *e,
                                      size_t first, size_t date)
{
    sqlite3_stmt *q = stmt(s, Q_INSERT_EVENT);
    sqlite3_bind_int64(q, 1, story);
    sqlite3_bind_int64(q, 2, e->sentence);
    sqlite3_bind_text(q, 3, st->date, -1, SQLITE_STATIC);
    const dyad_actor *a[2] = {&e->source, &e->target};
    for (int k = 0; k < 2; k++) {
        int c = 4 + 5 * k;
        if (a[k]->code[0]) {
            sqlite3_bind_text(q, c, a[k]->code, -1, SQLITE_STATIC);
            bind_span_text(q, c + 1, st, a[k]->text);
            sqlite3_bind_int64(q, c + 2, a[k]->text.start);
            sqlite3_bind_int64(q, c + 3, a[k]->text.end);
            sqlite3_bind_int(q, c + 4, a[k]->resolved);
        }
    }
    sqlite3_bind_text(q, 14, e->cameo, -1, SQLITE_STATIC);
    sqlite3_bind_int(q, 15, e->quad);
    sqlite3_bind_double(q, 16, e->goldstein);
    if (e->plover)
        sqlite3_bind_text(q, 17, e->plover, -1, SQLITE_STATIC);
    if (e->plover_mode)
        sqlite3_bind_text(q, 18, e->plover_mode, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 19, dyad_modality_name(e->modality), -1, SQLITE_STATIC);
    if (e->attribution.end > e->attribution.start) {
        bind_span_text(q, 20, st, e->attribution);
        if (e->attribution_code[0])
            sqlite3_bind_text(q, 21, e->attribution_code, -1, SQLITE_STATIC);
        sqlite3_bind_int64(q, 22, e->attribution.start);
        sqlite3_bind_int64(q, 23, e->attribution.end);
    }
    sqlite3_bind_int64(q, 24, e->evidence.start);
    sqlite3_bind_int64(q, 25, e->evidence.end);
    bind_span_text(q, 26, st, e->evidence);
    sqlite3_bind_int64(q, 27, e->trigger.start);
    sqlite3_bind_int64(q, 28, e->trigger.end);
    bind_span_text(q, 29, st, e->trigger);
    sqlite3_bind_int64(q, 30, e->pattern);
    if (e->event_date) {
        sqlite3_bind_int64(q, 31, e->event_date);
        sqlite3_bind_text(q, 32, dyad_precision_name(e->event_date_precision), -1, SQLITE_STATIC);
        sqlite3_bind_int64(q, 33, e->event_date_text.start);
        sqlite3_bind_int64(q, 34, e->event_date_text.end);
        bind_span_text(q, 35, st, e->event_date_text);
    }
    if (e->plover_context)
        sqlite3_bind_text(q, 36, e->plover_context, -1, SQLITE_STATIC);
    char issues[256];
    size_t il = 0;
    for (uint8_t k = 0; k < e->nissues && k < 4; k++)
        il += (size_t)snprintf(issues + il, il < sizeof issues ? sizeof issues - il : 0, "%s%s", k ? ";" : "",
                               e->issues[k]);
    if (e->nissues && il < sizeof issues)
        sqlite3_bind_text(q, 37, issues, (int)il, SQLITE_TRANSIENT);
    if (e->attribution_date) {
        sqlite3_bind_int64(q, 38, e->attribution_date);
        sqlite3_bind_text(q, 39, dyad_precision_name(e->attribution_date_precision), -1, SQLITE_STATIC);
    }
    const dyad_place *pl = &e->place;
    if (pl->level == DYAD_PLACE_COUNTRY || pl->level == DYAD_PLACE_CITY) {
        bool city = pl->level == DYAD_PLACE_CITY;
        sqlite3_bind_text(q, 40, city ? "city" : "country", -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 41, pl->country, (int)strnlen(pl->country, sizeof pl->country), SQLITE_STATIC);
        if (pl->admin1[0])
            sqlite3_bind_text(q, 42, pl->admin1, (int)strnlen(pl->admin1, sizeof pl->admin1), SQLITE_STATIC);
        if (city) { /* coordinates are a city's only: a country-level place never matches --near */
            sqlite3_bind_double(q, 43, pl->lat);
            sqlite3_bind_double(q, 44, pl->lon);
            sqlite3_bind_int64(q, 45, pl->geonameid);
        }
        sqlite3_bind_int64(q, 46, pl->name.start);
        sqlite3_bind_int64(q, 47, pl->name.end);
        bind_span_text(q, 48, st, pl->name);
        sqlite3_bind_int64(q, 49, pl->text.start);
        sqlite3_bind_int64(q, 50, pl->text.end);
        bind_span_text(q, 51, st, pl->text);
    }
    if (sqlite3_step(q) != SQLITE_DONE)
        return sqlfail(s, "storing an event");
    int64_t id = sqlite3_last_insert_rowid(s->db);
    if (!s->first_event)
        s->first_event = id;
    for (uint8_t k = 0; k < e->ncasualties && k < 2; k++) {
        q = stmt(s, Q_INSERT_EV_CAS);
        sqlite3_bind_int64(q, 1, id);
        sqlite3_bind_int(q, 2, k);
        bind_casualty(q, 3, st, &e->casualties[k]);
        if (sqlite3_step(q) != SQLITE_DONE)
            return sqlfail(s, "storing an event's casualties");
    }
    return daily_event(s, first, date, e, id);
}

/* The reprint's events that repeat an original event (same source, target, code and modality; each
 * original event matched once) become mentions of it; the others are stored as the reprint's own. */
static dyad_store_status add_mentions(dyad_store *s, int64_t story, int64_t orig, const dyad_story *st,
                                      const dyad_event *ev, size_t n, size_t date, dyad_store_result *res)
{
    size_t first = s->ndaily;
    size_t norig = 0;
    sqlite3_stmt *q = stmt(s, Q_ORIG_EVENTS);
    sqlite3_bind_int64(q, 1, orig);
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        if (!grow_to((void **)&s->orig, &s->orig_cap, norig + 1, sizeof *s->orig, 64))
            return fail(s, DYAD_STORE_ERR_NOMEM, "out of memory");
        struct orig_ev *o = &s->orig[norig++];
        o->id = sqlite3_column_int64(q, 0);
        const char *c;
        snprintf(o->src, sizeof o->src, "%s", (c = (const char *)sqlite3_column_text(q, 1)) ? c : "");
        snprintf(o->tgt, sizeof o->tgt, "%s", (c = (const char *)sqlite3_column_text(q, 2)) ? c : "");
        snprintf(o->cameo, sizeof o->cameo, "%s", (c = (const char *)sqlite3_column_text(q, 3)) ? c : "");
        snprintf(o->modality, sizeof o->modality, "%s", (c = (const char *)sqlite3_column_text(q, 4)) ? c : "");
        o->used = false;
        if (!pool_add(s, (c = (const char *)sqlite3_column_text(q, 5)) ? c : "", &o->date)) {
            sqlite3_reset(q);
            return fail(s, DYAD_STORE_ERR_NOMEM, "out of memory");
        }
    }
    sqlite3_reset(q);
    if (rc != SQLITE_DONE)
        return sqlfail(s, "reading the original's events");
    for (size_t i = 0; i < n; i++) {
        const dyad_event *e = &ev[i];
        struct orig_ev *m = NULL;
        for (size_t k = 0; k < norig && !m; k++) {
            struct orig_ev *o = &s->orig[k];
            if (!o->used && strcmp(o->src, e->source.code) == 0 && strcmp(o->tgt, e->target.code) == 0 &&
                strcmp(o->cameo, e->cameo) == 0 && strcmp(o->modality, dyad_modality_name(e->modality)) == 0)
                m = o;
        }
        dyad_store_status r;
        if (!m) {
            if ((r = insert_event(s, story, st, e, first, date)) != DYAD_STORE_OK)
                return r;
            res->events_added++;
            continue;
        }
        m->used = true;
        q = stmt(s, Q_INSERT_MENTION);
        sqlite3_bind_int64(q, 1, m->id);
        sqlite3_bind_int64(q, 2, story);
        if (sqlite3_step(q) != SQLITE_DONE)
            return sqlfail(s, "storing a mention");
        q = stmt(s, Q_BUMP_MENTIONS);
        sqlite3_bind_int64(q, 1, m->id);
        if (sqlite3_step(q) != SQLITE_DONE)
            return sqlfail(s, "counting a mention");
        struct daily_add *d = daily_new(s, m->src, m->tgt, m->date, strcmp(m->modality, "factual") == 0);
        if (!d)
            return fail(s, DYAD_STORE_ERR_NOMEM, "out of memory");
        d->mention = 1;
        res->mentions_added++;
    }
    return DYAD_STORE_OK;
}

static bool add_candidate(dyad_store *s, int64_t id)
{
    for (size_t i = 0; i < s->ncand; i++)
        if (s->cand[i] == id)
            return true;
    if (!grow_to((void **)&s->cand, &s->cand_cap, s->ncand + 1, sizeof *s->cand, 64))
        return false;
    s->cand[s->ncand++] = id;
    return true;
}

/* ---- the LSH keys' filter ------------------------------------------------------------------------------ */

/* Most band keys of a new story are stored nowhere: one bit a key (its top bits) in memory answers "no
 * stored story has it" without the two index probes (story_lsh and story_lsh_recent) that each key cost,
 * most of a story's lookup time. The filter is built from the tables, once a handle has looked up
 * LSH_FILTER_AFTER stories (reading the keys of a large database costs the probes of a few thousand
 * stories: a small ingest does not pay it), inside the batch's transaction; the handle sets the bits of the
 * keys it stores (a rolled-back key leaves its bit set: one useless probe, never a missed one). Another
 * connection's commit (PRAGMA data_version changes) makes it stale: it is dropped at the next batch and
 * built again. A clear bit skips a probe that would have found nothing, so the candidates, and the
 * reprints found, are those of the probes alone. */
#define LSH_FILTER_AFTER 1000
#define LSH_FILTER_MIN_BITS 24 /* 2 MiB */
#define LSH_FILTER_MAX_BITS 30 /* 128 MiB; 16 bits a key up to 67 million keys (3.4 million stories) */

static void lsh_filter_drop(dyad_store *s)
{
    free(s->lsh_bits);
    s->lsh_bits = NULL;
    s->lsh_keys = 0;
}

static int64_t data_version(dyad_store *s)
{
    sqlite3_stmt *q = s->q[Q_DATA_VERSION];
    sqlite3_reset(q);
    int64_t v = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int64(q, 0) : -1;
    sqlite3_reset(q);
    return v;
}

static inline bool lsh_filter_has(const dyad_store *s, int64_t key)
{
    uint32_t bit = (uint32_t)key >> s->lsh_shift;
    return s->lsh_bits[bit >> 6] >> (bit & 63) & 1;
}

static inline void lsh_filter_set(dyad_store *s, int64_t key)
{
    uint32_t bit = (uint32_t)key >> s->lsh_shift;
    s->lsh_bits[bit >> 6] |= (uint64_t)1 << (bit & 63);
    s->lsh_keys++;
}

/* The filter of every stored key, sized for at least 32 bits a key of the stories stored so far (20 keys
 * a story at most) and kept under 1 bit in 16 set (lsh_filter_check()). Out of memory is no error: the
 * lookups probe every key. */
static dyad_store_status lsh_filter_build(dyad_store *s)
{
    lsh_filter_drop(s);
    sqlite3_stmt *q = NULL;
    int64_t stories = 0;
    if (sqlite3_prepare_v2(s->db, "SELECT max(id) FROM stories", -1, &q, NULL) != SQLITE_OK)
        return sqlfail(s, "reading the LSH keys");
    if (sqlite3_step(q) == SQLITE_ROW)
        stories = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    int bits = LSH_FILTER_MIN_BITS;
    while (bits < LSH_FILTER_MAX_BITS && ((int64_t)1 << bits) < stories * DYAD_STORE_BANDS * 32)
        bits++;
    s->lsh_bits = calloc((size_t)1 << (bits - 6), sizeof *s->lsh_bits);
    if (!s->lsh_bits)
        return DYAD_STORE_OK;
    s->lsh_shift = 32 - bits;
    q = s->q[Q_LSH_KEYS];
    sqlite3_reset(q);
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW)
        lsh_filter_set(s, sqlite3_column_int64(q, 0));
    sqlite3_reset(q);
    if (rc != SQLITE_DONE) {
        lsh_filter_drop(s);
        return sqlfail(s, "reading the LSH keys");
    }
    s->lsh_version = data_version(s);
    return DYAD_STORE_OK;
}

/* At the start of a batch: a filter made stale by another connection's commit, or fuller than 1 bit in 16
 * (a large ingest: built again, larger), is dropped. */
static void lsh_filter_check(dyad_store *s)
{
    if (s->lsh_bits && (data_version(s) != s->lsh_version ||
                        (s->lsh_shift > 32 - LSH_FILTER_MAX_BITS && s->lsh_keys << 4 > (int64_t)1 << (32 - s->lsh_shift))))
        lsh_filter_drop(s);
}

/* The best stored original that this signature reprints, or 0. */
static dyad_store_status find_reprint(dyad_store *s, const uint32_t *sig, size_t shingles, int64_t *orig,
                                      double *sim)
{
    *orig = 0;
    *sim = 0;
    s->ncand = 0;
    /* one probe a band: an IN list of all the keys costs SQLite a temporary index and a sort per story */
    if (!s->lsh_bits && ++s->lookups >= LSH_FILTER_AFTER) {
        dyad_store_status st = lsh_filter_build(s);
        if (st != DYAD_STORE_OK)
            return st;
    }
    sqlite3_stmt *lq = s->q[Q_FIND_LSH];
    for (int b = 0; b < DYAD_STORE_BANDS; b++) {
        int64_t key = band_key(sig, b);
        if (s->lsh_bits && !lsh_filter_has(s, key))
            continue;
        sqlite3_reset(lq);
        sqlite3_bind_int64(lq, 1, key);
        int lrc;
        while ((lrc = sqlite3_step(lq)) == SQLITE_ROW)
            if (!add_candidate(s, sqlite3_column_int64(lq, 0))) {
                sqlite3_reset(lq);
                return fail(s, DYAD_STORE_ERR_NOMEM, "out of memory");
            }
        sqlite3_reset(lq);
        if (lrc != SQLITE_DONE)
            return sqlfail(s, "looking up similar stories");
    }
    double best = 0;
    int64_t best_id = 0;
    for (size_t i = 0; i < s->ncand; i++) {
        sqlite3_stmt *q = stmt(s, Q_GET_SIG);
        sqlite3_bind_int64(q, 1, s->cand[i]);
        if (sqlite3_step(q) != SQLITE_ROW) {
            sqlite3_reset(q);
            continue;
        }
        const unsigned char *blob = sqlite3_column_blob(q, 0);
        int blen = sqlite3_column_bytes(q, 0);
        double nb = (double)sqlite3_column_int64(q, 1);
        int64_t dup = sqlite3_column_int64(q, 2);
        if (!blob || blen != 4 * DYAD_STORE_MINHASH) {
            sqlite3_reset(q);
            continue;
        }
        uint32_t other[DYAD_STORE_MINHASH];
        blob_to_sig(blob, other);
        sqlite3_reset(q);
        double j = dyad_store_resemblance(sig, other);
        double na = (double)shingles;
        double smaller = na < nb ? na : nb;
        double containment = smaller > 0 ? j * (na + nb) / ((1 + j) * smaller) : 0;
        int64_t id = dup ? dup : s->cand[i];
        if (j >= MIN_RESEMBLANCE && containment >= MIN_CONTAINMENT &&
            (j > best || (j == best && id < best_id))) {
            best = j;
            best_id = id;
        }
    }
    *orig = best_id;
    *sim = best;
    return DYAD_STORE_OK;
}

static void now_iso(char *buf, size_t cap)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, cap, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* The country of a story-level casualty record: the place of an event of its sentence, else the one
 * country of all the story's placed events; NULL when there is none or they disagree. */
static const char *casualty_country(const dyad_event *ev, size_t n, uint32_t sentence)
{
    const char *one = NULL;
    bool many = false;
    for (size_t i = 0; i < n; i++) {
        if (!ev[i].place.level || !ev[i].place.country[0])
            continue;
        if (ev[i].sentence == sentence)
            return ev[i].place.country;
        if (!one)
            one = ev[i].place.country;
        else if (strcmp(one, ev[i].place.country) != 0)
            many = true;
    }
    return many ? NULL : one;
}

/* The story's casualty records (k = 0, 1, ... in order); for a reprint of ORIG only those the original does
 * not have (same kind, count and qualifier; each of the original's matched once). */
static dyad_store_status insert_casualties(dyad_store *s, int64_t story, int64_t orig, const dyad_story *st,
                                           const dyad_event *ev, size_t n, const dyad_casualty *cas, size_t ncas)
{
    struct orig_cas {
        char kind[16], qual[16];
        int64_t count;
        bool used;
    } *o = NULL;
    size_t no = 0, ocap = 0;
    sqlite3_stmt *q;
    if (orig && ncas) {
        q = stmt(s, Q_ORIG_CAS);
        sqlite3_bind_int64(q, 1, orig);
        int rc;
        while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
            if (!grow_to((void **)&o, &ocap, no + 1, sizeof *o, 16)) {
                sqlite3_reset(q);
                free(o);
                return fail(s, DYAD_STORE_ERR_NOMEM, "out of memory");
            }
            const char *c;
            snprintf(o[no].kind, sizeof o[no].kind, "%s", (c = (const char *)sqlite3_column_text(q, 0)) ? c : "");
            o[no].count = sqlite3_column_int64(q, 1);
            snprintf(o[no].qual, sizeof o[no].qual, "%s", (c = (const char *)sqlite3_column_text(q, 2)) ? c : "");
            o[no++].used = false;
        }
        sqlite3_reset(q);
        if (rc != SQLITE_DONE) {
            free(o);
            return sqlfail(s, "reading the original's casualties");
        }
    }
    int k = 0;
    for (size_t i = 0; i < ncas; i++) {
        const dyad_casualty *c = &cas[i];
        bool seen = false;
        for (size_t j = 0; j < no && !seen; j++)
            if (!o[j].used && o[j].count == c->count && strcmp(o[j].kind, dyad_casualty_kind_name(c->kind)) == 0 &&
                strcmp(o[j].qual, c->qualifier) == 0)
                seen = o[j].used = true;
        if (seen)
            continue;
        q = stmt(s, Q_INSERT_CAS);
        sqlite3_bind_int64(q, 1, story);
        sqlite3_bind_int(q, 2, k++);
        sqlite3_bind_int64(q, 3, c->sentence);
        const char *country = casualty_country(ev, n, c->sentence);
        if (country)
            sqlite3_bind_text(q, 4, country, -1, SQLITE_STATIC);
        bind_casualty(q, 5, st, c);
        if (sqlite3_step(q) != SQLITE_DONE) {
            free(o);
            return sqlfail(s, "storing a casualty count");
        }
    }
    free(o);
    return DYAD_STORE_OK;
}

/* *WROTE is set once the story's first row is written: a failure after that rolls the batch back. */
static dyad_store_status add_story(dyad_store *s, const dyad_story *st, const dyad_event *ev, size_t n,
                                   const dyad_casualty *cas, size_t ncas, const char *dict_version,
                                   dyad_store_result *res, bool *wrote)
{
    int r = dyad_store_has_story(s, st->id);
    if (r < 0)
        return DYAD_STORE_ERR_SQL;
    if (r > 0) {
        sqlite3_stmt *q = stmt(s, Q_HAS_ID);
        sqlite3_bind_text(q, 1, st->id, -1, SQLITE_STATIC);
        if (sqlite3_step(q) == SQLITE_ROW)
            res->story = sqlite3_column_int64(q, 0);
        sqlite3_reset(q);
        res->outcome = DYAD_STORE_SAME_ID;
        return DYAD_STORE_OK;
    }
    if (st->text_len + 1 > s->norm_cap) {
        void *p = realloc(s->norm, st->text_len + 1);
        if (!p)
            return fail(s, DYAD_STORE_ERR_NOMEM, "out of memory");
        s->norm = p;
        s->norm_cap = st->text_len + 1;
        p = realloc(s->wh, (st->text_len / 2 + 1) * sizeof *s->wh);
        if (!p) {
            s->norm_cap = 0; /* both grown again next time */
            return fail(s, DYAD_STORE_ERR_NOMEM, "out of memory");
        }
        s->wh = p;
    }
    size_t nlen = normalise(st->text ? st->text : "", st->text_len, s->norm);
    uint32_t sig[DYAD_STORE_MINHASH];
    size_t shingles;
    int64_t hash = (int64_t)fingerprint_norm(s->norm, nlen, s->wh, sig, &shingles);

    /* the same normalised text */
    int64_t orig = 0;
    double sim = 0;
    sqlite3_stmt *q = stmt(s, Q_FIND_HASH);
    sqlite3_bind_int64(q, 1, hash);
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(q, 0);
        const char *src = (const char *)sqlite3_column_text(q, 1);
        int64_t dup = sqlite3_column_int64(q, 2);
        if (same_source(src, st->source)) {
            sqlite3_reset(q);
            res->outcome = DYAD_STORE_SAME_TEXT;
            res->story = id;
            return DYAD_STORE_OK;
        }
        if (!orig) {
            orig = dup ? dup : id;
            sim = 1;
        }
    }
    sqlite3_reset(q);
    if (rc != SQLITE_DONE)
        return sqlfail(s, "looking up the text hash");
    dyad_store_status ds;
    bool big = shingles >= DYAD_STORE_MIN_SHINGLES;
    if (!orig && big && (ds = find_reprint(s, sig, shingles, &orig, &sim)) != DYAD_STORE_OK)
        return ds;

    char now[32];
    now_iso(now, sizeof now);
    unsigned char blob[4 * DYAD_STORE_MINHASH];
    sig_to_blob(sig, blob);
    q = stmt(s, Q_INSERT_STORY);
    sqlite3_bind_text(q, 1, st->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, st->date, -1, SQLITE_STATIC);
    if (st->title)
        sqlite3_bind_text(q, 3, st->title, -1, SQLITE_STATIC);
    if (st->source)
        sqlite3_bind_text(q, 4, st->source, -1, SQLITE_STATIC);
    if (st->url)
        sqlite3_bind_text(q, 5, st->url, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 6, st->text ? st->text : "", (int)st->text_len, SQLITE_STATIC);
    sqlite3_bind_int64(q, 7, hash);
    sqlite3_bind_int64(q, 8, (int64_t)shingles);
    if (big)
        sqlite3_bind_blob(q, 9, blob, sizeof blob, SQLITE_STATIC);
    if (orig) {
        sqlite3_bind_int64(q, 10, orig);
        sqlite3_bind_double(q, 11, sim);
    }
    sqlite3_bind_text(q, 12, dict_version ? dict_version : DYAD_VERSION, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 13, now, -1, SQLITE_STATIC);
    size_t date;
    if (!pool_add(s, st->date, &date))
        return fail(s, DYAD_STORE_ERR_NOMEM, "out of memory");
    *wrote = true;
    if (sqlite3_step(q) != SQLITE_DONE)
        return sqlfail(s, "storing a story");
    int64_t story = sqlite3_last_insert_rowid(s->db);
    res->story = story;
    if (orig) {
        res->outcome = DYAD_STORE_REPRINT;
        res->duplicate_of = orig;
        res->similarity = sim;
        if ((ds = add_mentions(s, story, orig, st, ev, n, date, res)) != DYAD_STORE_OK)
            return ds;
        return insert_casualties(s, story, orig, st, ev, n, cas, ncas);
    }
    res->outcome = DYAD_STORE_ADDED;
    if (big) {
        _Static_assert(DYAD_STORE_BANDS == 20, "Q_INSERT_LSH binds 20 keys");
        q = stmt(s, Q_INSERT_LSH);
        for (int b = 0; b < DYAD_STORE_BANDS; b++) {
            int64_t key = band_key(sig, b);
            sqlite3_bind_int64(q, 1 + b, key);
            if (s->lsh_bits)
                lsh_filter_set(s, key);
        }
        sqlite3_bind_int64(q, DYAD_STORE_BANDS + 1, story);
        if (sqlite3_step(q) != SQLITE_DONE)
            return sqlfail(s, "storing a story's signature");
        s->lsh_added = true;
        if (s->lsh_recent >= 0)
            s->lsh_recent += sqlite3_changes(s->db);
    }
    size_t first = s->ndaily;
    for (size_t i = 0; i < n; i++) {
        if ((ds = insert_event(s, story, st, &ev[i], first, date)) != DYAD_STORE_OK)
            return ds;
        res->events_added++;
    }
    return insert_casualties(s, story, 0, st, ev, n, cas, ncas);
}

dyad_store_status dyad_store_add(dyad_store *s, const dyad_story *st, const dyad_event *ev, size_t n,
                                 const char *dict_version, dyad_store_result *res)
{
    return dyad_store_add_casualties(s, st, ev, n, NULL, 0, dict_version, res);
}

dyad_store_status dyad_store_add_casualties(dyad_store *s, const dyad_story *st, const dyad_event *ev, size_t n,
                                           const dyad_casualty *cas, size_t ncas, const char *dict_version,
                                           dyad_store_result *res)
{
    if (!s)
        return DYAD_STORE_ERR_ARG;
    if (!s->db || s->readonly)
        return fail(s, DYAD_STORE_ERR_ARG, "add: no writable database");
    if (!st || !st->id || !st->date || (!st->text && st->text_len) || (n && !ev) || (ncas && !cas))
        return fail(s, DYAD_STORE_ERR_ARG, "add: a story needs an id, a date and its text");
    if (st->text_len > INT32_MAX)
        return fail(s, DYAD_STORE_ERR_ARG, "story %s: text too large to store", st->id);
    dyad_store_result tmp;
    if (!res)
        res = &tmp;
    memset(res, 0, sizeof *res);
    /* outside a batch, the story is a batch of its own */
    bool own = !s->in_tx;
    dyad_store_status ds;
    if (own && (ds = dyad_store_begin(s)) != DYAD_STORE_OK)
        return ds;
    /* no SAVEPOINT per story: one makes SQLite copy every page the story touches into a sub-journal.
     * Everything that can fail for this story alone (ids, lookups, arguments) fails before its first write;
     * a failure after it (an SQLite error, out of memory) rolls the batch back. */
    bool wrote = false;
    ds = add_story(s, st, ev, n, cas, ncas, dict_version, res, &wrote);
    if (ds != DYAD_STORE_OK) {
        err_prefix(s, st->id, NULL);
        if (wrote || own)
            batch_abort(s);
        memset(res, 0, sizeof *res);
        return ds;
    }
    if (own && (ds = dyad_store_commit(s)) != DYAD_STORE_OK) {
        if (s->in_tx)
            dyad_store_rollback(s);
        memset(res, 0, sizeof *res);
        return ds;
    }
    return DYAD_STORE_OK;
}

/* ---- queries -------------------------------------------------------------------------------------------- */

typedef struct qbuf {
    char sql[4096];
    size_t len;
    const char *bind[48];
    int nbind;
} qbuf;

static void qadd(qbuf *b, const char *s)
{
    size_t n = strlen(s);
    if (b->len + n < sizeof b->sql) {
        memcpy(b->sql + b->len, s, n + 1);
        b->len += n;
    }
}

/* A bound text parameter; returns its number. */
static int qbind(qbuf *b, const char *v)
{
    if (b->nbind < (int)(sizeof b->bind / sizeof b->bind[0]))
        b->bind[b->nbind++] = v;
    return b->nbind;
}

/* "col >= ?a AND col < ?b" for the codes that start with PREFIX (an index range). */
static void prefix_range(qbuf *b, const char *col, const char *lo, const char *hi)
{
    char tmp[160];
    int a = qbind(b, lo), c = qbind(b, hi);
    snprintf(tmp, sizeof tmp, "(%s >= ?%d AND %s < ?%d)", col, a, col, c);
    qadd(b, tmp);
}

/* P with its last byte incremented (see dyad_store.h). */
int dyad_store_prefix_end(const char *p, char *out, size_t cap)
{
    size_t n = strlen(p);
    if (!n || n + 1 > cap)
        return false;
    memcpy(out, p, n + 1);
    while (n && (unsigned char)out[n - 1] == 0xff)
        out[--n] = 0;
    if (!n)
        return false;
    out[n - 1]++;
    return true;
}

/* The words as an FTS5 query: each a quoted phrase (so that punctuation is taken literally), all required. */
static char *fts_query(const char *words)
{
    size_t n = strlen(words);
    char *q = malloc(3 * n + 8);
    if (!q)
        return NULL;
    size_t o = 0;
    const char *p = words;
    while (*p) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            break;
        if (o)
            q[o++] = ' ';
        q[o++] = '"';
        while (*p && *p != ' ' && *p != '\t') {
            if (*p == '"')
                q[o++] = '"';
            q[o++] = *p++;
        }
        q[o++] = '"';
    }
    q[o] = 0;
    return q;
}

static const char *col_text(sqlite3_stmt *q, int c) { return (const char *)sqlite3_column_text(q, c); }

static dyad_span col_span(sqlite3_stmt *q, int c)
{
    return (dyad_span){(uint32_t)sqlite3_column_int64(q, c), (uint32_t)sqlite3_column_int64(q, c + 1)};
}

/* Put TEXT at span SP of the scratch text (grown as needed). */
static bool place(dyad_store *s, dyad_span sp, const char *text, size_t cap_needed)
{
    if (!grow_to((void **)&s->text, &s->text_cap, cap_needed, 1, 4096))
        return false;
    if (sp.end > sp.start && text) {
        size_t n = strlen(text);
        size_t want = sp.end - sp.start;
        memcpy(s->text + sp.start, text, n < want ? n : want);
        if (n < want)
            memset(s->text + sp.start + n, ' ', want - n);
    }
    return true;
}

static void copy_code(char *dst, size_t cap, const char *src)
{
    snprintf(dst, cap, "%s", src ? src : "");
}

static dyad_precision precision_of(const char *name)
{
    for (int m = DYAD_NO_DATE; m <= DYAD_YEAR; m++)
        if (name && strcmp(name, dyad_precision_name((dyad_precision)m)) == 0)
            return (dyad_precision)m;
    return DYAD_NO_DATE;
}

/* A casualty count from the 13 columns that bind_casualty() fills, from column C on; TX receives the texts
 * of its who, reported_by and text spans. */
static void read_casualty(sqlite3_stmt *q, int c, dyad_casualty *k, const char *tx[3])
{
    const char *kind = col_text(q, c);
    for (int m = DYAD_KILLED; m <= DYAD_ABDUCTED; m++)
        if (kind && strcmp(kind, dyad_casualty_kind_name((dyad_casualty_kind)m)) == 0)
            k->kind = (dyad_casualty_kind)m;
    k->count = sqlite3_column_int64(q, c + 1);
    copy_code(k->qualifier, sizeof k->qualifier, col_text(q, c + 2));
    k->who = col_span(q, c + 3);
    tx[0] = col_text(q, c + 5);
    k->reported_by = col_span(q, c + 6);
    tx[1] = col_text(q, c + 8);
    copy_code(k->reported_by_code, sizeof k->reported_by_code, col_text(q, c + 9));
    k->text = col_span(q, c + 10);
    tx[2] = col_text(q, c + 12);
}

/* Put a casualty count's texts at its spans of the scratch text, growing it (and *END) as needed. */
static bool place_casualty(dyad_store *s, const dyad_casualty *k, const char *tx[3], uint32_t *end)
{
    const dyad_span sp[3] = {k->who, k->reported_by, k->text};
    uint32_t e = *end;
    for (int i = 0; i < 3; i++)
        if (sp[i].end > e)
            e = sp[i].end;
    if (!place(s, (dyad_span){0, 0}, NULL, (size_t)e + 1))
        return false;
    *end = e;
    for (int i = 0; i < 3; i++)
        place(s, sp[i], tx[i], 0);
    return true;
}

#define EARTH_KM 6371.0088 /* mean radius */
#define DEG (3.14159265358979323846 / 180)

/* Great-circle distance in km (haversine). */
static double km_between(double lat1, double lon1, double lat2, double lon2)
{
    double a = sin((lat2 - lat1) * DEG / 2), b = sin((lon2 - lon1) * DEG / 2);
    double h = a * a + cos(lat1 * DEG) * cos(lat2 * DEG) * b * b;
    return 2 * EARTH_KM * asin(sqrt(h < 1 ? h : 1));
}

static bool near_valid(const dyad_store_filter *f)
{
    return isfinite(f->near_lat) && isfinite(f->near_lon) && isfinite(f->near_km) && f->near_lat >= -90 &&
           f->near_lat <= 90 && f->near_lon >= -180 && f->near_lon <= 180 && f->near_km > 0;
}

/* The bounding box of the circle of NEAR_KM around (NEAR_LAT, NEAR_LON) as SQL conditions on the place's
 * coordinates (an index range on place_lat); the exact distance is checked on each row. The longitude
 * bound is asin(sin(r) / cos(lat)) (r the angular radius), none when the circle holds a pole, split in
 * two across the antimeridian. */
static void near_box(qbuf *b, const dyad_store_filter *f)
{
    double r = f->near_km / EARTH_KM, dlat = r / DEG + 1e-9;
    double lo = f->near_lat - dlat, hi = f->near_lat + dlat;
    char t[256];
    snprintf(t, sizeof t, " AND e.place_lat BETWEEN %.17g AND %.17g", lo, hi);
    qadd(b, t);
    if (lo <= -90 || hi >= 90 || r >= 3.14159265358979323846 / 2)
        return;
    double x = sin(r) / cos(f->near_lat * DEG);
    if (x >= 1)
        return;
    double dlon = asin(x) / DEG + 1e-9;
    double w = f->near_lon - dlon, e = f->near_lon + dlon;
    if (w < -180)
        snprintf(t, sizeof t, " AND (e.place_lon >= %.17g OR e.place_lon <= %.17g)", w + 360, e);
    else if (e > 180)
        snprintf(t, sizeof t, " AND (e.place_lon >= %.17g OR e.place_lon <= %.17g)", w, e - 360);
    else
        snprintf(t, sizeof t, " AND e.place_lon BETWEEN %.17g AND %.17g", w, e);
    qadd(b, t);
}

/* " UNION ALL" the events whose target starts with LO (up to HI), in event_dyads and event_dyads_recent: their
 * distinct sources are walked (one seek each: a few thousand codes at most, '' among them), each joined to
 * the targets' range on the key (source, target). Schema 6 has no index on the events' targets. */
static void targets_of(qbuf *b, const char *lo, const char *hi)
{
    static const char *const tables[2] = {"event_dyads", "event_dyads_recent"};
    for (int k = 0; k < 2; k++) {
        char t[512];
        snprintf(t, sizeof t,
                 " UNION ALL SELECT * FROM (WITH RECURSIVE w(c) AS (SELECT min(source) FROM %s UNION ALL SELECT "
                 "(SELECT min(source) FROM %s WHERE source > c) FROM w WHERE c IS NOT NULL) SELECT d.event FROM w "
                 "JOIN %s d ON d.source = w.c AND ",
                 tables[k], tables[k], tables[k]);
        qadd(b, t);
        prefix_range(b, "d.target", lo, hi);
        qadd(b, ")");
    }
}

dyad_store_status dyad_store_query(dyad_store *s, const dyad_store_filter *f,
                                   int (*cb)(const dyad_store_row *row, void *ctx), void *ctx)
{
    if (!s || !s->db || !f || !cb)
        return s ? fail(s, DYAD_STORE_ERR_ARG, "query: no database, filter or callback") : DYAD_STORE_ERR_ARG;
    if (f->near && !near_valid(f))
        return fail(s, DYAD_STORE_ERR_ARG, "bad --near %g,%g,%g (latitude -90..90, longitude -180..180, km > 0)",
                    f->near_lat, f->near_lon, f->near_km);
    qbuf b = {.len = 0};
    char hi[4][64];
    char *fts = NULL;
    qadd(&b, "SELECT e.id, e.story, s.sid, e.date, e.sentence, "
             "e.source_code, e.source_text, e.source_start, e.source_end, e.source_resolved, "       /* 5 */
             "e.target_code, e.target_text, e.target_start, e.target_end, e.target_resolved, "       /* 10 */
             "e.cameo, e.quad, e.goldstein, e.plover, e.plover_mode, e.modality, "                   /* 15 */
             "e.attribution_text, e.attribution_code, e.attribution_start, e.attribution_end, "      /* 21 */
             "e.evidence_start, e.evidence_end, e.evidence_text, "                                   /* 25 */
             "e.trigger_start, e.trigger_end, e.trigger_text, e.pattern, e.mentions, "               /* 28 */
             "s.title, s.source, s.url, s.dict_version, s.coded_at, "                                /* 33 */
             "e.event_date, e.event_date_precision, e.event_date_start, e.event_date_end, e.event_date_text, " /* 38 */
             "e.plover_context, e.issues, " /* 43 */
             "e.attribution_date, e.attribution_date_precision, e.place_level, e.place_country, e.place_admin1, " /* 45 */
             "e.place_lat, e.place_lon, e.place_geonameid, e.place_name_start, e.place_name_end, e.place_name_text, " /* 50 */
             "e.place_start, e.place_end, e.place_text " /* 56 */
             "FROM events e ");
    qadd(&b, "JOIN stories s ON s.id = e.story WHERE 1");
    if (f->from || f->to) {
        /* an event's date is its story's: without a dyad (whose index ends with the date), the dates are
         * found through the stories' date index, then the stories' events */
        char t[160];
        int a = f->from ? qbind(&b, f->from) : 0, z = f->to ? qbind(&b, f->to) : 0;
        if (a) {
            snprintf(t, sizeof t, " AND e.date >= ?%d", a);
            qadd(&b, t);
        }
        if (z) {
            snprintf(t, sizeof t, " AND e.date <= ?%d", z);
            qadd(&b, t);
        }
        if (!f->dyad_source) {
            qadd(&b, " AND e.story IN (SELECT id FROM stories WHERE 1");
            if (a) {
                snprintf(t, sizeof t, " AND date >= ?%d", a);
                qadd(&b, t);
            }
            if (z) {
                snprintf(t, sizeof t, " AND date <= ?%d", z);
                qadd(&b, t);
            }
            qadd(&b, ")");
        }
    }
    /* codes: the sources' ranges in event_dyads and event_dyads_recent (the dyad index, schemas 5 and 6), the
     * targets' through their distinct sources (targets_of()) */
    bool narrowed = f->from || f->to || f->text || f->country || f->min_killed > 0 || f->near;
    if (f->actor) {
        if (!dyad_store_prefix_end(f->actor, hi[0], sizeof hi[0]))
            return fail(s, DYAD_STORE_ERR_ARG, "bad actor code '%s'", f->actor);
        for (int k = 0; k < 2; k++) {
            qadd(&b, k ? " UNION ALL SELECT event FROM event_dyads_recent WHERE "
                       : " AND e.id IN (SELECT event FROM event_dyads WHERE ");
            prefix_range(&b, "source", f->actor, hi[0]);
        }
        targets_of(&b, f->actor, hi[0]);
        qadd(&b, ")");
        narrowed = true;
    }
    if (f->dyad_source) {
        if (!dyad_store_prefix_end(f->dyad_source, hi[1], sizeof hi[1]))
            return fail(s, DYAD_STORE_ERR_ARG, "bad dyad source code '%s'", f->dyad_source);
        if (f->dyad_target && !dyad_store_prefix_end(f->dyad_target, hi[2], sizeof hi[2]))
            return fail(s, DYAD_STORE_ERR_ARG, "bad dyad target code '%s'", f->dyad_target);
        for (int k = 0; k < 2; k++) {
            qadd(&b, k ? " UNION ALL SELECT event FROM event_dyads_recent WHERE "
                       : " AND e.id IN (SELECT event FROM event_dyads WHERE ");
            prefix_range(&b, "source", f->dyad_source, hi[1]);
            if (f->dyad_target) {
                qadd(&b, " AND ");
                prefix_range(&b, "target", f->dyad_target, hi[2]);
            }
            char t[80];
            if (f->from) {
                snprintf(t, sizeof t, " AND date >= ?%d", qbind(&b, f->from));
                qadd(&b, t);
            }
            if (f->to) {
                snprintf(t, sizeof t, " AND date <= ?%d", qbind(&b, f->to));
                qadd(&b, t);
            }
        }
        qadd(&b, ")");
        narrowed = true;
    } else if (f->dyad_target) {
        if (!dyad_store_prefix_end(f->dyad_target, hi[2], sizeof hi[2]))
            return fail(s, DYAD_STORE_ERR_ARG, "bad dyad target code '%s'", f->dyad_target);
        qadd(&b, " AND e.id IN (SELECT 0 WHERE 0");
        targets_of(&b, f->dyad_target, hi[2]);
        qadd(&b, ")");
        narrowed = true;
    }
    const char *cameo = f->cameo;
    if (f->root && (!cameo || strncmp(cameo, f->root, strlen(f->root)) != 0)) {
        if (cameo) /* both given and inconsistent: nothing can match */
            qadd(&b, " AND 0");
        cameo = f->root;
    }
    if (cameo) {
        if (!dyad_store_prefix_end(cameo, hi[3], sizeof hi[3]))
            return fail(s, DYAD_STORE_ERR_ARG, "bad CAMEO code '%s'", cameo);
        if (narrowed) { /* checked on the events another filter finds */
            qadd(&b, " AND ");
            prefix_range(&b, "e.cameo", cameo, hi[3]);
        } else { /* schema 6: no index on the events' codes; event_dyads holds every event's, in a tenth of
                  * the bytes */
            for (int k = 0; k < 2; k++) {
                qadd(&b, k ? " UNION ALL SELECT event FROM event_dyads_recent WHERE "
                           : " AND e.id IN (SELECT event FROM event_dyads WHERE ");
                prefix_range(&b, "cameo", cameo, hi[3]);
            }
            qadd(&b, ")");
        }
    }
    if (f->quad) {
        if (f->quad < 1 || f->quad > 4)
            return fail(s, DYAD_STORE_ERR_ARG, "bad quad class %d (1 to 4)", f->quad);
        char t[64];
        snprintf(t, sizeof t, " AND e.quad = %d", f->quad);
        qadd(&b, t);
    }
    if (f->modality) {
        char t[64];
        snprintf(t, sizeof t, " AND e.modality = ?%d", qbind(&b, f->modality));
        qadd(&b, t);
    }
    if (f->text) {
        fts = fts_query(f->text);
        if (!fts)
            return fail(s, DYAD_STORE_ERR_NOMEM, "out of memory");
        if (!*fts) {
            free(fts);
            return fail(s, DYAD_STORE_ERR_ARG, "--text: no words");
        }
        char t[128];
        snprintf(t, sizeof t, " AND e.id IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?%d)",
                 qbind(&b, fts));
        qadd(&b, t);
    }
    if (f->country) {
        char t[64];
        snprintf(t, sizeof t, " AND e.place_country = ?%d", qbind(&b, f->country));
        qadd(&b, t);
    }
    if (f->min_killed > 0) {
        char t[160];
        snprintf(t, sizeof t,
                 " AND e.id IN (SELECT event FROM event_casualties WHERE kind = 'killed' AND count >= %lld)",
                 (long long)f->min_killed);
        qadd(&b, t);
    }
    if (f->near)
        near_box(&b, f);
    qadd(&b, " ORDER BY e.id");
    if (f->limit > 0 && !f->near) { /* with --near the limit counts the rows that pass the exact check */
        char t[64];
        snprintf(t, sizeof t, " LIMIT %lld", (long long)f->limit);
        qadd(&b, t);
    }
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(s->db, b.sql, -1, &q, NULL) != SQLITE_OK) {
        free(fts);
        return sqlfail(s, "preparing the query");
    }
    for (int i = 0; i < b.nbind; i++)
        sqlite3_bind_text(q, i + 1, b.bind[i], -1, SQLITE_STATIC);
    sqlite3_stmt *cq = NULL; /* an event's casualties */
    if (sqlite3_prepare_v2(s->db,
                           "SELECT kind, count, qualifier, who_start, who_end, who_text, reported_by_start, "
                           "reported_by_end, reported_by_text, reported_by_code, text_start, text_end, text "
                           "FROM event_casualties WHERE event = ?1 ORDER BY k",
                           -1, &cq, NULL) != SQLITE_OK) {
        sqlite3_finalize(q);
        free(fts);
        return sqlfail(s, "preparing the query");
    }
    dyad_store_status ret = DYAD_STORE_OK;
    int rc;
    int64_t passed = 0;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        if (f->near) { /* the exact distance, after the box */
            if (sqlite3_column_type(q, 50) == SQLITE_NULL || sqlite3_column_type(q, 51) == SQLITE_NULL ||
                km_between(f->near_lat, f->near_lon, sqlite3_column_double(q, 50), sqlite3_column_double(q, 51)) >
                    f->near_km)
                continue;
            if (f->limit > 0 && ++passed > f->limit)
                break;
        }
        dyad_store_row r;
        memset(&r, 0, sizeof r);
        r.id = sqlite3_column_int64(q, 0);
        r.story_row = sqlite3_column_int64(q, 1);
        r.story.id = col_text(q, 2);
        r.story.date = col_text(q, 3);
        dyad_event *e = &r.ev;
        e->sentence = (uint32_t)sqlite3_column_int64(q, 4);
        copy_code(e->source.code, sizeof e->source.code, col_text(q, 5));
        r.source_text = col_text(q, 6);
        e->source.text = col_span(q, 7);
        e->source.resolved = (uint8_t)sqlite3_column_int(q, 9);
        copy_code(e->target.code, sizeof e->target.code, col_text(q, 10));
        r.target_text = col_text(q, 11);
        e->target.text = col_span(q, 12);
        e->target.resolved = (uint8_t)sqlite3_column_int(q, 14);
        copy_code(e->cameo, sizeof e->cameo, col_text(q, 15));
        e->quad = (uint8_t)sqlite3_column_int(q, 16);
        e->goldstein = sqlite3_column_double(q, 17);
        e->plover = col_text(q, 18);
        e->plover_mode = col_text(q, 19);
        const char *mod = col_text(q, 20);
        for (int m = DYAD_FACTUAL; m <= DYAD_FUTURE; m++)
            if (mod && strcmp(mod, dyad_modality_name((dyad_modality)m)) == 0)
                e->modality = (dyad_modality)m;
        r.attribution_text = col_text(q, 21);
        copy_code(e->attribution_code, sizeof e->attribution_code, col_text(q, 22));
        e->attribution = col_span(q, 23);
        e->evidence = col_span(q, 25);
        r.evidence_text = col_text(q, 27);
        e->trigger = col_span(q, 28);
        r.trigger_text = col_text(q, 30);
        e->pattern = (uint32_t)sqlite3_column_int64(q, 31);
        r.mentions = sqlite3_column_int64(q, 32);
        r.story.title = col_text(q, 33);
        r.story.source = col_text(q, 34);
        r.story.url = col_text(q, 35);
        r.dict_version = col_text(q, 36);
        r.coded_at = col_text(q, 37);
        e->event_date = (int32_t)sqlite3_column_int64(q, 38);
        const char *prec = col_text(q, 39);
        for (int m = DYAD_NO_DATE; m <= DYAD_YEAR; m++)
            if (prec && strcmp(prec, dyad_precision_name((dyad_precision)m)) == 0)
                e->event_date_precision = (dyad_precision)m;
        e->event_date_text = col_span(q, 40);
        r.event_date_text = col_text(q, 42);
        e->plover_context = col_text(q, 43);
        const char *iss = col_text(q, 44);
        if (iss && *iss) {
            snprintf(s->issues, sizeof s->issues, "%s", iss);
            for (char *p = s->issues; p && e->nissues < 4;) {
                e->issues[e->nissues++] = p;
                if ((p = strchr(p, ';')))
                    *p++ = 0;
            }
        }
        e->attribution_date = (int32_t)sqlite3_column_int64(q, 45);
        e->attribution_date_precision = precision_of(col_text(q, 46));
        const char *level = col_text(q, 47);
        if (level) {
            e->place.level = strcmp(level, "city") == 0 ? DYAD_PLACE_CITY : DYAD_PLACE_COUNTRY;
            copy_code(e->place.country, sizeof e->place.country, col_text(q, 48));
            copy_code(e->place.admin1, sizeof e->place.admin1, col_text(q, 49));
            e->place.lat = sqlite3_column_double(q, 50);
            e->place.lon = sqlite3_column_double(q, 51);
            e->place.geonameid = (uint32_t)sqlite3_column_int64(q, 52);
            e->place.name = col_span(q, 53);
            r.place_name_text = col_text(q, 55);
            e->place.text = col_span(q, 56);
            r.place_text = col_text(q, 58);
        }
        /* the story text at the event's spans */
        uint32_t end = 1;
        const dyad_span sp[8] = {e->evidence,      e->trigger,       e->source.text,   e->target.text,
                                 e->attribution,   e->event_date_text, e->place.name, e->place.text};
        for (int k = 0; k < 8; k++)
            if (sp[k].end > end)
                end = sp[k].end;
        if (!place(s, (dyad_span){0, 0}, NULL, end + 1)) {
            ret = fail(s, DYAD_STORE_ERR_NOMEM, "out of memory");
            break;
        }
        place(s, e->evidence, r.evidence_text, 0);
        place(s, e->trigger, r.trigger_text, 0);
        if (e->source.code[0])
            place(s, e->source.text, r.source_text, 0);
        else
            e->source.text = (dyad_span){0, 0};
        if (e->target.code[0])
            place(s, e->target.text, r.target_text, 0);
        else
            e->target.text = (dyad_span){0, 0};
        place(s, e->attribution, r.attribution_text, 0);
        if (e->event_date)
            place(s, e->event_date_text, r.event_date_text, 0);
        if (e->place.level) {
            place(s, e->place.name, r.place_name_text, 0);
            place(s, e->place.text, r.place_text, 0);
        }
        sqlite3_reset(cq);
        sqlite3_bind_int64(cq, 1, r.id);
        int crc = SQLITE_DONE;
        while (e->ncasualties < 2 && (crc = sqlite3_step(cq)) == SQLITE_ROW) {
            dyad_casualty *k = &e->casualties[e->ncasualties++];
            const char *tx[3];
            read_casualty(cq, 0, k, tx);
            k->sentence = e->sentence;
            if (!place_casualty(s, k, tx, &end)) {
                ret = fail(s, DYAD_STORE_ERR_NOMEM, "out of memory");
                break;
            }
        }
        if (ret == DYAD_STORE_OK && crc != SQLITE_ROW && crc != SQLITE_DONE)
            ret = sqlfail(s, "reading an event's casualties");
        if (ret != DYAD_STORE_OK)
            break;
        s->text[end] = 0;
        r.story.text = s->text;
        r.story.text_len = end;
        if (cb(&r, ctx))
            break;
    }
    if (ret == DYAD_STORE_OK && rc != SQLITE_ROW && rc != SQLITE_DONE)
        ret = sqlfail(s, "querying events");
    sqlite3_finalize(cq);
    sqlite3_finalize(q);
    free(fts);
    return ret;
}

dyad_store_status dyad_store_casualties(dyad_store *s, const dyad_store_filter *f,
                                        int (*cb)(const dyad_store_casualty_row *row, void *ctx), void *ctx)
{
    if (!s || !s->db || !f || !cb)
        return s ? fail(s, DYAD_STORE_ERR_ARG, "casualties: no database, filter or callback") : DYAD_STORE_ERR_ARG;
    if (f->actor || f->dyad_source || f->dyad_target || f->cameo || f->root || f->quad || f->modality || f->text ||
        f->near)
        return fail(s, DYAD_STORE_ERR_ARG, "casualties: only the date, country, killed and limit filters apply");
    qbuf b = {.len = 0};
    qadd(&b, "SELECT c.story, s.sid, s.date, s.title, s.source, s.url, c.sentence, c.country, " /* 0 */
             "c.kind, c.count, c.qualifier, c.who_start, c.who_end, c.who_text, c.reported_by_start, " /* 8 */
             "c.reported_by_end, c.reported_by_text, c.reported_by_code, c.text_start, c.text_end, c.text "
             "FROM casualties c JOIN stories s ON s.id = c.story WHERE 1");
    char t[160];
    if (f->from) {
        snprintf(t, sizeof t, " AND s.date >= ?%d", qbind(&b, f->from));
        qadd(&b, t);
    }
    if (f->to) {
        snprintf(t, sizeof t, " AND s.date <= ?%d", qbind(&b, f->to));
        qadd(&b, t);
    }
    if (f->country) {
        snprintf(t, sizeof t, " AND c.country = ?%d", qbind(&b, f->country));
        qadd(&b, t);
    }
    if (f->min_killed > 0) {
        snprintf(t, sizeof t, " AND c.kind = 'killed' AND c.count >= %lld", (long long)f->min_killed);
        qadd(&b, t);
    }
    qadd(&b, " ORDER BY c.story, c.k");
    if (f->limit > 0) {
        snprintf(t, sizeof t, " LIMIT %lld", (long long)f->limit);
        qadd(&b, t);
    }
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(s->db, b.sql, -1, &q, NULL) != SQLITE_OK)
        return sqlfail(s, "preparing the query");
    for (int i = 0; i < b.nbind; i++)
        sqlite3_bind_text(q, i + 1, b.bind[i], -1, SQLITE_STATIC);
    dyad_store_status ret = DYAD_STORE_OK;
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        dyad_store_casualty_row r;
        memset(&r, 0, sizeof r);
        r.story_row = sqlite3_column_int64(q, 0);
        r.story.id = col_text(q, 1);
        r.story.date = col_text(q, 2);
        r.story.title = col_text(q, 3);
        r.story.source = col_text(q, 4);
        r.story.url = col_text(q, 5);
        r.k.sentence = (uint32_t)sqlite3_column_int64(q, 6);
        r.country = col_text(q, 7);
        const char *tx[3];
        read_casualty(q, 8, &r.k, tx);
        uint32_t end = 1;
        if (!place_casualty(s, &r.k, tx, &end)) {
            ret = fail(s, DYAD_STORE_ERR_NOMEM, "out of memory");
            break;
        }
        s->text[end] = 0;
        r.story.text = s->text;
        r.story.text_len = end;
        if (cb(&r, ctx))
            break;
    }
    if (ret == DYAD_STORE_OK && rc != SQLITE_ROW && rc != SQLITE_DONE)
        ret = sqlfail(s, "querying casualties");
    sqlite3_finalize(q);
    return ret;
}

/* ---- stats ------------------------------------------------------------------------------------------------ */

static int64_t scalar(dyad_store *s, const char *sql, bool *ok)
{
    sqlite3_stmt *q = NULL;
    int64_t v = 0;
    if (sqlite3_prepare_v2(s->db, sql, -1, &q, NULL) != SQLITE_OK) {
        *ok = false;
        return 0;
    }
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        v = sqlite3_column_int64(q, 0);
    else if (rc != SQLITE_DONE)
        *ok = false;
    sqlite3_finalize(q);
    return v;
}

/* The DYAD_STORE_TOP most frequent values of SQL's one column (their first PREFIX bytes when PREFIX > 0), by
 * count and then value: counted in a hash table here, where a GROUP BY over the rows of two tables would sort
 * them all (schema 6 has no index on the events' codes). */
static bool top_counted(dyad_store *s, const char *sql, size_t prefix, dyad_store_count *out, size_t *n)
{
    sqlite3_stmt *q = NULL;
    *n = 0;
    if (sqlite3_prepare_v2(s->db, sql, -1, &q, NULL) != SQLITE_OK)
        return false;
    dyad_store_count *tab = NULL;
    size_t cap = 0, used = 0;
    int rc;
    bool ok = true;
    while (ok && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        char code[16] = {0};
        copy_code(code, sizeof code, col_text(q, 0));
        if (prefix > 0 && prefix < sizeof code)
            code[prefix] = 0;
        if ((used + 1) * 2 > cap) { /* grow, and place the counts again */
            size_t ncap = cap ? cap * 2 : 256;
            dyad_store_count *nt = calloc(ncap, sizeof *nt);
            if (!nt) {
                ok = false;
                break;
            }
            for (size_t i = 0; i < cap; i++) {
                if (!tab[i].n)
                    continue;
                size_t h = (size_t)fnv(tab[i].code, strlen(tab[i].code)) & (ncap - 1);
                while (nt[h].n)
                    h = (h + 1) & (ncap - 1);
                nt[h] = tab[i];
            }
            free(tab);
            tab = nt;
            cap = ncap;
        }
        size_t h = (size_t)fnv(code, strlen(code)) & (cap - 1);
        while (tab[h].n && strcmp(tab[h].code, code) != 0)
            h = (h + 1) & (cap - 1);
        if (!tab[h].n) {
            memcpy(tab[h].code, code, sizeof code);
            used++;
        }
        tab[h].n++;
    }
    sqlite3_finalize(q);
    ok = ok && (rc == SQLITE_DONE);
    for (size_t i = 0; ok && i < cap; i++) { /* insertion into the sorted top */
        if (!tab[i].n)
            continue;
        size_t k = *n;
        while (k > 0 && (out[k - 1].n < tab[i].n || (out[k - 1].n == tab[i].n &&
                                                       strcmp(out[k - 1].code, tab[i].code) > 0))) {
            if (k < DYAD_STORE_TOP)
                out[k] = out[k - 1];
            k--;
        }
        if (k < DYAD_STORE_TOP) {
            out[k] = tab[i];
            if (*n < DYAD_STORE_TOP)
                ++*n;
        }
    }
    free(tab);
    return ok;
}

/* every event's CAMEO code (schema 6: event_dyads has them all) */
#define CODES "SELECT cameo FROM event_dyads UNION ALL SELECT cameo FROM event_dyads_recent"

dyad_store_status dyad_store_get_stats(dyad_store *s, dyad_store_stats *st)
{
    if (!s || !s->db || !st)
        return s ? fail(s, DYAD_STORE_ERR_ARG, "stats: no database") : DYAD_STORE_ERR_ARG;
    memset(st, 0, sizeof *st);
    bool ok = true;
    if (exec(s, "BEGIN") != DYAD_STORE_OK) /* one consistent snapshot */
        return DYAD_STORE_ERR_SQL;
    st->stories = scalar(s, "SELECT count(*) FROM stories", &ok);
    st->reprints = scalar(s, "SELECT count(*) FROM stories WHERE duplicate_of IS NOT NULL", &ok);
    st->originals = st->stories - st->reprints;
    st->events = scalar(s, "SELECT count(*) FROM events", &ok);
    st->mentions = scalar(s, "SELECT coalesce(sum(mentions), 0) FROM events", &ok);
    st->bytes = scalar(s, "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()", &ok);
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(s->db, /* an event's date is its story's (stories_date: no scan of the events) */
                           "SELECT (SELECT date FROM stories s WHERE EXISTS (SELECT 1 FROM events e WHERE e.story = s.id) "
                           "ORDER BY date LIMIT 1), (SELECT date FROM stories s WHERE EXISTS (SELECT 1 FROM events e "
                           "WHERE e.story = s.id) ORDER BY date DESC LIMIT 1)",
                           -1, &q, NULL) == SQLITE_OK &&
        sqlite3_step(q) == SQLITE_ROW) {
        copy_code(st->date_min, sizeof st->date_min, col_text(q, 0));
        copy_code(st->date_max, sizeof st->date_max, col_text(q, 1));
    } else {
        ok = false;
    }
    sqlite3_finalize(q);
    ok = ok &&
         top_counted(s,
                     "SELECT source FROM event_dyads WHERE source <> '' UNION ALL SELECT source FROM "
                     "event_dyads_recent WHERE source <> '' UNION ALL SELECT target FROM event_dyads WHERE target <> '' "
                     "UNION ALL SELECT target FROM event_dyads_recent WHERE target <> ''",
                     0, st->actors, &st->nactors) &&
         top_counted(s, CODES, 0, st->cameos, &st->ncameos) && top_counted(s, CODES, 2, st->roots, &st->nroots);
    dyad_store_status ret = ok ? DYAD_STORE_OK : sqlfail(s, "stats");
    exec(s, "COMMIT");
    return ret;
}

/* ---- for companion libraries ------------------------------------------------------------------------------ */

void *dyad_store_sqlite(dyad_store *s) { return s ? s->db : NULL; }

dyad_store_status dyad_store_set_error(dyad_store *s, dyad_store_status st, const char *msg)
{
    if (s)
        fail(s, st, "%s", msg ? msg : "");
    return st;
}
