/*
 * dyad.h - the public interface of libdyad, a political event coder.
 *
 * libdyad reads news text and returns events: who did what to whom, coded in CAMEO, with the sentence as
 * evidence. The flow is: load dictionaries into a dyad_dict (immutable once finished, shared by threads),
 * make one dyad_coder per thread, code stories with it, read the events it returns.
 *
 * Rules the library keeps: it never prints and never exits; every function that can fail returns a
 * dyad_status and leaves a message naming the input and the place (file, line, byte) that the caller reads
 * with dyad_dict_errmsg() or dyad_coder_errmsg().
 */
#ifndef DYAD_H
#define DYAD_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define DYAD_VERSION "0.1.0"

typedef enum dyad_status {
    DYAD_OK = 0,
    DYAD_ERR_IO,     /* a file could not be read */
    DYAD_ERR_PARSE,  /* dictionary or record syntax */
    DYAD_ERR_INPUT,  /* story text refused: invalid UTF-8, NUL bytes, empty, too large */
    DYAD_ERR_DATE,   /* a date that is not YYYY-MM-DD or not a real day */
    DYAD_ERR_NOMEM,
    DYAD_ERR_ARG     /* a caller error: NULL, finished dictionary modified... */
} dyad_status;

const char *dyad_status_name(dyad_status st);

/* ---- dictionaries ---------------------------------------------------------------------------------- */

typedef struct dyad_dict dyad_dict;

dyad_dict *dyad_dict_new(void);
void dyad_dict_free(dyad_dict *d);

/* The dictionaries compiled into the library (dyad's own, from dicts/ in the source tree). */
dyad_status dyad_dict_load_builtin(dyad_dict *d);
/* Only the grammar part of the built-in dictionaries (the CAMEO codebook, irregular word forms, modality
 * and reporting words): what coding needs besides the actors, agents and verbs of --dicts DIR. */
dyad_status dyad_dict_load_grammar(dyad_dict *d);
/* One file or every regular file of a directory; the format of each file is detected from its content
 * (dyad's own format, PETRARCH2 / TABARI verbs, actors, agents, discards, issues). */
dyad_status dyad_dict_load_path(dyad_dict *d, const char *path);
/* A buffer in dyad's own format; NAME is used in messages. */
dyad_status dyad_dict_load_buffer(dyad_dict *d, const char *name, const char *buf, size_t len);
/* Build the lookup structures. After this the dictionary is read-only and may be shared by threads. */
dyad_status dyad_dict_finish(dyad_dict *d);

/* A finished dictionary as a binary image that loads without parsing (dyad dict compile), and loading
 * one into a new, empty dictionary (it comes back finished). An image is tied to the dyad that wrote it. */
dyad_status dyad_dict_save_image(const dyad_dict *d, const char *path);
dyad_status dyad_dict_load_image(dyad_dict *d, const char *path);
int dyad_dict_is_image(const char *path);

const char *dyad_dict_errmsg(const dyad_dict *d);

/* Problems found while loading (malformed lines), as "file:line: message", in input order. Loading goes on
 * past a bad line; the caller decides whether problems are fatal (dyad dict lint) or warnings. */
size_t dyad_dict_problem_count(const dyad_dict *d);
const char *dyad_dict_problem(const dyad_dict *d, size_t i);

typedef struct dyad_dict_stats {
    size_t words, actors, agents, patterns, verb_codes, synsets, lemmas, discards, issues, cameo_codes;
    size_t bytes; /* memory held by the finished dictionary */
} dyad_dict_stats;
void dyad_dict_get_stats(const dyad_dict *d, dyad_dict_stats *st);

/* Explain what PHRASE resolves to on DATE ("YYYY-MM-DD" or NULL for any date): writes a human-readable,
 * multi-line explanation into OUT (at most CAP bytes, NUL-terminated); returns the length it needed. */
size_t dyad_dict_explain(const dyad_dict *d, const char *phrase, const char *date, char *out, size_t cap);

/* ---- stories and events ------------------------------------------------------------------------------ */

typedef struct dyad_story {
    const char *id;    /* required */
    const char *date;  /* "YYYY-MM-DD", required */
    const char *text;  /* UTF-8; need not be NUL-terminated */
    size_t text_len;
    const char *title, *source, *url; /* optional, may be NULL */
} dyad_story;

typedef enum dyad_modality {
    DYAD_FACTUAL = 0,
    DYAD_NEGATED,
    DYAD_HYPOTHETICAL,
    DYAD_FUTURE
} dyad_modality;
const char *dyad_modality_name(dyad_modality m);

typedef enum dyad_precision { DYAD_NO_DATE = 0, DYAD_DAY, DYAD_WEEK, DYAD_MONTH, DYAD_YEAR } dyad_precision;
const char *dyad_precision_name(dyad_precision p);

/* A span of the story text, in bytes from its start. */
typedef struct dyad_span {
    uint32_t start, end;
} dyad_span;

typedef struct dyad_actor {
    char code[16];    /* "RUSGOV"; empty when the event has no such actor */
    dyad_span text;   /* the phrase in the story ("Russian President Vladimir Putin", "the latter") */
    uint8_t resolved; /* 1 when the phrase is a reference (pronoun, "the latter", "both sides") */
} dyad_actor;

/* "more than 2,600 people have been killed, including protesters": a casualty count of a sentence. */
typedef enum dyad_casualty_kind {
    DYAD_KILLED = 1, DYAD_WOUNDED, DYAD_ARRESTED, DYAD_DISPLACED, DYAD_MISSING, DYAD_ABDUCTED
} dyad_casualty_kind;
const char *dyad_casualty_kind_name(dyad_casualty_kind k);

typedef struct dyad_casualty {
    uint32_t sentence;
    dyad_casualty_kind kind;
    int64_t count;            /* for "dozens", "hundreds": the lower bound */
    char qualifier[16];       /* "more than", "at least", "about"... or "" */
    dyad_span text;           /* the whole expression */
    dyad_span who;            /* "protesters and security personnel"; start == end when not said */
    dyad_span reported_by;    /* the sentence's attribution ("A US-based rights group"); start == end when none */
    char reported_by_code[16];
} dyad_casualty;

/* Where an event happened, when its clause says so: a city from the gazetteer ("near Kharkiv"), or only a
 * country ("in Iran"), never a confident wrong city (ambiguous names stay at the country level or unset). */
typedef enum dyad_place_level { DYAD_PLACE_NONE = 0, DYAD_PLACE_COUNTRY, DYAD_PLACE_CITY } dyad_place_level;
typedef struct dyad_place {
    dyad_place_level level;
    char country[4];          /* ISO 3166-1 alpha-3 */
    char admin1[8];
    double lat, lon;          /* cities only */
    uint32_t geonameid;       /* cities only */
    dyad_span name;           /* "Kharkiv" */
    dyad_span text;           /* "near Kharkiv" */
} dyad_place;

typedef struct dyad_event {
    uint32_t sentence;        /* index of the sentence in the story, from 0 */
    dyad_span evidence;       /* the sentence */
    dyad_span trigger;        /* the words the verb pattern matched */
    dyad_actor source, target;
    char cameo[8];            /* "041" */
    double goldstein;
    uint8_t quad;             /* QuadClass 1..4 */
    const char *plover;       /* PLOVER event type ("CONSULT"), static storage owned by the dictionary */
    const char *plover_mode;  /* or NULL */
    const char *plover_context; /* or NULL */
    const char *issues[4];    /* topics of the sentence (issue dictionary), static storage of the dictionary */
    uint8_t nissues;
    dyad_modality modality;
    dyad_span attribution;    /* who reported it ("a Kremlin statement"); start == end when none */
    char attribution_code[16];
    int32_t attribution_date; /* yyyymmdd when the text says when it was said, else 0 */
    dyad_precision attribution_date_precision;
    uint32_t pattern;         /* index of the pattern that matched, for explanations */
    /* when the text says when: "late Wednesday" in a Friday story -> two days before (0 when it does not) */
    int32_t event_date;       /* yyyymmdd */
    dyad_precision event_date_precision;
    dyad_span event_date_text;
    /* the casualty counts of the sentence, on its violent events (CAMEO roots 18-20) */
    dyad_casualty casualties[2];
    uint8_t ncasualties;
    dyad_place place;
} dyad_event;

/* ---- the coder --------------------------------------------------------------------------------------- */

typedef struct dyad_coder dyad_coder;

/* One coder per thread; D must be finished and outlive the coder. */
dyad_coder *dyad_coder_new(const dyad_dict *d);
void dyad_coder_free(dyad_coder *c);
const char *dyad_coder_errmsg(const dyad_coder *c);

/* Largest story text accepted, in bytes (default 8 MiB). */
void dyad_coder_set_max_bytes(dyad_coder *c, size_t max);

/* Code one story. On DYAD_OK, *EVENTS points to N events owned by the coder, valid until the next call.
 * On an input error (DYAD_ERR_INPUT, DYAD_ERR_DATE) nothing is coded and the message names the byte. */
dyad_status dyad_code(dyad_coder *c, const dyad_story *s, const dyad_event **events, size_t *n);

/* Every casualty count of the last story coded, with its attribution, including those of sentences that
 * have no event ("2,600 people have been killed" names no attacker). Valid until the next dyad_code(). */
void dyad_coder_casualties(const dyad_coder *c, const dyad_casualty **list, size_t *n);

typedef struct dyad_code_stats {
    size_t sentences, tokens, long_sentences_split, discarded_sentences;
    size_t historical; /* events left out: dated more than a year before the story (a recalled past event) */
} dyad_code_stats;
/* Counters of the last dyad_code() call. */
void dyad_coder_get_stats(const dyad_coder *c, dyad_code_stats *st);

/* ---- output ------------------------------------------------------------------------------------------ */

typedef enum dyad_format { DYAD_FMT_JSONL = 0, DYAD_FMT_TSV, DYAD_FMT_PLOVER } dyad_format;

/* Append the event as one line (with its newline) in FORMAT to a growable buffer *BUF of *LEN bytes used
 * and *CAP allocated (realloc'd as needed; start with NULL/0/0). */
dyad_status dyad_event_write(const dyad_event *e, const dyad_story *s, dyad_format fmt,
                             char **buf, size_t *len, size_t *cap);
/* Append a story-level casualty record as a JSON line: {"story_id","type":"casualties",...}. */
dyad_status dyad_casualty_write(const dyad_casualty *k, const dyad_story *s, char **buf, size_t *len, size_t *cap);

/* The header line of the TSV format, with its newline. */
const char *dyad_tsv_header(void);

/* ---- utilities shared by the tools ------------------------------------------------------------------- */

/* Check DATE is a real "YYYY-MM-DD" day. */
int dyad_date_valid(const char *date);
/* Days since 1970-01-01 of a valid "YYYY-MM-DD" date (for spans between dates). */
long dyad_date_days(const char *date);
/* Check CODE is a well-formed actor code (or code prefix): 1 to 15 capital letters and digits. */
int dyad_code_valid(const char *code);
/* Check that TEXT is valid UTF-8 without NUL bytes; on failure return 0 and the byte offset in *BAD. */
int dyad_utf8_check(const char *text, size_t len, size_t *bad);

#ifdef __cplusplus
}
#endif
#endif
