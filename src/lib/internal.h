/*
 * internal.h - data structures shared by libdyad's modules, never seen by callers.
 *
 * Flow: text.c splits a story into sentences and tokens; dict.c owns the vocabulary, the phrase trie and
 * the verb patterns; coder.c turns a sentence's tokens into mentions, clauses and events; output.c writes
 * events. util.c holds the plain pieces they all use (growable buffers, hashing, the string table).
 */
#ifndef DYAD_INTERNAL_H
#define DYAD_INTERNAL_H

#include "dyad.h"
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* ---- util.c ---------------------------------------------------------------------------------------- */

void *xrealloc_array(void *p, size_t n, size_t size); /* NULL on overflow or failure */

/* Grow an array *P of *CAP elements so that it holds at least N; false on failure. */
#define GROW(p, cap, n)                                                                          \
    ((n) <= (cap) ? true : grow_array((void **)&(p), &(cap), (n), sizeof *(p)))
bool grow_array(void **p, size_t *cap, size_t n, size_t size);

typedef struct sbuf {
    char *s;
    size_t len, cap;
} sbuf;
bool sbuf_add(sbuf *b, const char *s, size_t n);
bool sbuf_addc(sbuf *b, char c);
bool sbuf_addf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
bool sbuf_json_str(sbuf *b, const char *s, size_t n); /* a quoted, escaped JSON string */
/* Append all of stream F (or of the file at PATH) to B; 0 on success, else an errno value (ENOMEM when
 * out of memory). B stays NUL-terminated. */
int sbuf_read_stream(sbuf *b, FILE *f);
int sbuf_read_file(sbuf *b, const char *path);

uint64_t hash_bytes(const void *p, size_t n);

/* A string table: interns byte strings to dense ids 1..n (0 means "absent"). */
typedef struct strtab {
    uint32_t *slots;   /* open addressing, holds ids */
    size_t nslots;
    char *pool;        /* the strings, NUL-terminated, back to back */
    size_t pool_len, pool_cap;
    uint32_t *off;     /* off[id] = offset of the string in pool */
    uint32_t *len;
    size_t n, cap;     /* ids in use are 1..n */
} strtab;
void strtab_free(strtab *t);
uint32_t strtab_find(const strtab *t, const char *s, size_t n);
uint32_t strtab_add(strtab *t, const char *s, size_t n); /* 0 on allocation failure */
static inline const char *strtab_str(const strtab *t, uint32_t id) { return t->pool + t->off[id]; }

/* A map from 64-bit keys to 32-bit values (open addressing; key 0 is reserved). */
typedef struct u64map {
    uint64_t *keys;
    uint32_t *vals;
    size_t nslots, n;
} u64map;
void u64map_free(u64map *m);
bool u64map_put(u64map *m, uint64_t key, uint32_t val);
bool u64map_get(const u64map *m, uint64_t key, uint32_t *val);

/* Is S (N bytes) the lower-case ASCII word W (K bytes), in any case? */
static inline bool ascii_ieq(const char *s, size_t n, const char *w, size_t k)
{
    if (n != k)
        return false;
    for (size_t i = 0; i < n; i++) {
        char a = s[i];
        if (a >= 'A' && a <= 'Z')
            a = (char)(a + 32);
        if (a != w[i])
            return false;
    }
    return true;
}

/* Dates as integers yyyymmdd; 0 when the text is not a real YYYY-MM-DD day. */
int32_t date_parse(const char *s, size_t n);
/* Days since 1970-01-01 of a yyyymmdd date. */
int64_t date_days(int32_t ymd);
/* An actor code: 1 to 15 capital letters and digits. */
bool code_valid(const char *s, size_t n);
/* CODE or CODE/CODE/... (an entry that stands for several actors: "the two Koreas" PRK/KOR), 15 characters at most. */
bool compound_code_valid(const char *s, size_t n);

/* Decode one UTF-8 code point at S (N bytes left); returns its length, or 0 if invalid. */
size_t utf8_decode(const unsigned char *s, size_t n, int32_t *cp);

/* ---- text.c: sentences and tokens ----------------------------------------------------------------- */

enum {
    T_CAP = 1 << 0,      /* starts with an upper-case letter */
    T_ALLCAPS = 1 << 1,  /* two or more letters, all upper case */
    T_PUNCT = 1 << 2,
    T_NUM = 1 << 3,
    T_QUOTE = 1 << 4,
    T_SENT_START = 1 << 5,
    T_HYPHEN = 1 << 6,   /* a hyphen token: "US" "-" "based" */
};

typedef struct token {
    uint32_t start, end; /* bytes into the story */
    uint32_t id;         /* key id in the dictionary vocabulary, 0 when the word is unknown */
    uint16_t flags;      /* T_* */
    uint32_t wflags;     /* W_* word-class flags of the key, copied from the dictionary */
    uint32_t clause;     /* clause number within the sentence */
} token;

typedef struct sentence {
    uint32_t start, end;
} sentence;

/* Split TEXT into sentences (appended to *SENTS). */
bool text_sentences(const char *text, size_t len, sentence **sents, size_t *n, size_t *cap);
/* Tokenize text[start,end) (appended to *TOKS, ids left 0). */
bool text_tokens(const char *text, uint32_t start, uint32_t end, token **toks, size_t *n, size_t *cap);

/* ---- when.c: time expressions ------------------------------------------------------------------------ */

typedef struct time_expr {
    uint32_t first, last; /* tokens */
    int32_t date;         /* yyyymmdd (the first day of a week's, month's or year's span) */
    uint8_t precision;    /* DYAD_DAY ... DYAD_YEAR */
} time_expr;
/* The time expressions of a sentence's tokens, resolved against the story date; returns how many. */
size_t when_find(const char *text, const token *t, size_t n, int32_t story, time_expr *out, size_t cap);
int32_t when_add_days(int32_t ymd, int days);

/* ---- place.c: the gazetteer (docs/places.md) --------------------------------------------------------- */

typedef struct place_hit {
    char country[4];      /* alpha-3 */
    char admin1[8];
    double lat, lon;
    int64_t population;
    uint32_t geonameid;
} place_hit;
/* Whether the built-in gazetteer is present. */
bool place_available(void);
/* Cities named NAME (N bytes, as written in text), most populous first; returns the number found (all of
 * them may be more than CAP; only CAP are written). Case, accents, apostrophes and hyphens aside: "Bogota"
 * finds Bogotá; a name written with accents finds only the cities spelled so, when there are any. */
size_t place_lookup(const char *name, size_t n, place_hit *out, size_t cap);
/* Resolve an ambiguous name with the story's context: COUNTRIES are the alpha-3 codes of countries the story
 * mentions (may be empty). Returns 1 and fills *HIT with the best candidate, or 0 when the name is unknown
 * or too ambiguous to choose. The rule (docs/places.md), over the candidates of place_lookup:
 *  - some in COUNTRIES: the only one there, or the one with more than 10x the people of the next there;
 *    but none when a namesake elsewhere has 100x its people (Moscow, Idaho in a story about the US);
 *  - none in COUNTRIES, or no COUNTRIES: the only candidate, or the one with more than 10x the people of the
 *    next (Paris: France); and, when COUNTRIES were given, only a capital, a region's seat or a city of
 *    100,000 or more (a village elsewhere is more likely a namesake the gazetteer lacks).
 * So Tripoli is Libya with LBY, Lebanon with LBN, and nothing without either. */
int place_resolve(const char *name, size_t n, const char (*countries)[4], size_t ncountries, place_hit *hit);

/* ---- casualties.c: casualty counts ------------------------------------------------------------------- */

/* "more than 2,600 people have been killed, including protesters": how many, of what, and who. */
enum { CAS_KILLED = 1, CAS_WOUNDED, CAS_ARRESTED, CAS_DISPLACED, CAS_MISSING, CAS_ABDUCTED };
typedef struct casualty {
    uint32_t first, last;        /* tokens of the whole expression ("more than 2,600 people have been killed") */
    uint8_t kind;                /* CAS_* */
    int64_t count;               /* 2600; for "dozens"/"hundreds"/"thousands" the lower bound (24, 200, 2000) */
    char qualifier[16];          /* "more than", "at least", "about", "nearly", "up to", "over", "" */
    uint32_t who_first, who_last;/* tokens naming who ("protesters and security personnel", "civilians"); who_first > who_last when none */
} casualty;
/* Casualty counts of a sentence; returns how many were written to OUT. */
size_t casualties_find(const char *text, const token *t, size_t n, casualty *out, size_t cap);
/* Tokens of a quantity starting at token I ("20", "at least 30", "dozens of", "more than 2,600"), 0 if none:
 * what stands between a verb and the actor it counts ("arrested 20 protesters"). */
size_t quantity_len(const char *text, const token *t, size_t n, size_t i);

/* ---- dict.c ------------------------------------------------------------------------------------------ */

/* Word classes of closed-class words (set on vocabulary ids by the coder's table). */
enum {
    W_DET = 1 << 0,     /* a, an, the */
    W_POSS = 1 << 1,    /* his, her, its, their, our */
    W_FILLER = 1 << 2,  /* adverbs skipped between pattern words */
    W_PREP = 1 << 3,
    W_BARRIER = 1 << 4, /* starts a new clause: that, which, where, while, but, ; */
    W_NEG = 1 << 5,
    W_BE = 1 << 6,
    W_AND = 1 << 7,
    W_PRON = 1 << 8,    /* he, she, him, her */
    W_PRON_PL = 1 << 9, /* they, them */
    W_COMMA = 1 << 10,
    W_AUX = 1 << 11,    /* have, has, had, do, did; the modal verbs will, would, can, could... */
    W_TIME = 1 << 12,   /* starts a time expression (when.c): weekdays, months, yesterday, last, ago... */
    W_NUMBER = 1 << 13, /* a number word (casualties.c): one, twelve, dozen, hundreds... */
    W_REF = 1 << 14,    /* can start a reference: the (latter), both, it, they, he... */
    W_START = 1 << 15,  /* the first word of a dictionary phrase (set by dyad_dict_finish) */
    W_ANCHOR = 1 << 16, /* the first word of a verb pattern (set by dyad_dict_finish) */
};

enum { ACT_COUNTRY = 1, ACT_PERSON, ACT_ACTOR };

typedef struct code_alt {
    char code[16];
    int32_t from, to; /* yyyymmdd; 0 = open */
} code_alt;

typedef struct actor_entry {
    uint32_t first_alt, n_alts;
    uint8_t kind;
    uint32_t line;   /* where it was defined */
    uint16_t file;
} actor_entry;

typedef struct agent_entry {
    char sector[12];
    bool prefix; /* goes before the country's code (PETRARCH's [NGO~]: "MSF Arnor" NGOARN) */
    char after_country[15]; /* `agent "forces" = ~MIL`: this word as written, a role only right after a
                             * country ("Russian forces"); not in the trie. Empty for ordinary agents. */
    uint32_t line;
    uint16_t file;
} agent_entry;

/* What a phrase in the trie stands for. */
enum { PH_ACTOR = 1, PH_AGENT, PH_DISCARD, PH_DISCARD_STORY, PH_ISSUE, PH_MODAL_HYPO, PH_MODAL_FUTURE, PH_MODAL_NEG,
       PH_REPORT, PH_INTENT, PH_REFUSAL };

typedef struct payload {
    uint8_t kind;
    uint32_t val;  /* actor/agent/issue index */
    uint32_t next; /* next payload of the same node, 0 = end (index 0 unused) */
} payload;

enum { PE_WORD = 1, PE_SYN, PE_TARGET, PE_SOURCE, PE_GAP };

typedef struct pat_el {
    uint8_t type;
    uint32_t val; /* word id or synset index */
} pat_el;

typedef struct pattern {
    uint64_t sig; /* one bit (word id % 64) per word of the pattern: a sentence lacking a bit can't match */
    uint32_t first_el, n_el;
    uint16_t code, mirror; /* indexes into the codebook; mirror = 0xffff when none */
    uint16_t file;
    uint32_t line;
} pattern;

typedef struct cameo_entry {
    char code[8];
    double goldstein;
    char plover[16], mode[24], context[32];
    char name[96];
    bool defined; /* seen in a `cameo` line (not only referenced by a pattern) */
    uint16_t intent; /* 1 + index of the code of a stated intent to do this ("will attack": 138), 0 = none */
    uint16_t refusal; /* 1 + index of the code of a stated refusal to do this ("will not meet": 125), 0 = none */
} cameo_entry;

typedef struct dyad_dict {
    bool finished;
    bool loaded;     /* something was loaded (an image may only go into a fresh dictionary) */
    bool mapped;     /* the arrays point into an image (image.c): never freed one by one */
    void *map_base;  /* the mapping to unmap, or NULL for the image linked into the binary */
    size_t map_len;
    void *extra; /* loading state, freed by finish (dict.c) */
    char err[512];
    char **problems;
    size_t nproblems, problems_cap;
    char **files; /* names for messages */
    size_t nfiles, files_cap;

    strtab vocab;        /* every word of every entry: the keys tokens are reduced to */
    uint32_t *wflags;    /* per vocabulary id */
    size_t wflags_cap;
    strtab forms;        /* irregular forms (lemma entries), id -> lemma_base[id] (vocab id) */
    uint32_t *lemma_base;
    size_t lemma_cap;

    /* phrase trie: node 0 is the root; edges (node, word) -> child in a map */
    u64map edges;
    uint32_t *node_payload; /* first payload of each node, 0 = none */
    size_t nnodes, nodes_cap;
    payload *payloads;
    size_t npayloads, payloads_cap;

    actor_entry *actors;
    size_t nactors, actors_cap;
    code_alt *alts;
    size_t nalts, alts_cap;
    agent_entry *agents;
    size_t nagents, agents_cap;
    strtab issues; /* issue names */

    /* synsets: members of synset i are syn_words[syn_first[i] .. syn_first[i]+syn_n[i]) */
    strtab synset_names;
    uint32_t *syn_first, *syn_n;
    size_t syn_cap;
    uint32_t *syn_words;
    size_t nsyn_words, syn_words_cap;

    pat_el *els;
    size_t nels, els_cap;
    pattern *patterns;
    size_t npatterns, patterns_cap;
    /* patterns by anchor word: anchor_off[w] .. anchor_off[w+1] into anchor_pat (built by finish) */
    uint32_t *anchor_off, *anchor_pat;
    size_t nanchor;
    /* patterns whose second element is a word, by (anchor word, second word) or, when the third is a word
     * too, by the three words (key2, key3): pair_map holds group+1;
     * group g has pair_n[g] patterns from pair_pat[pair_first[g]]. Most patterns are here, so that a
     * common anchor ("call", "demand") does not try hundreds of patterns at every occurrence. */
    u64map pair_map;
    u64map syn_member; /* ((synset+1) << 32 | word) + 1 -> 1: membership in O(1) */
    uint32_t *pair_first, *pair_n, *pair_pat;
    size_t npairs, ngroups;

    cameo_entry *cameo;
    size_t ncameo, cameo_cap;
    u64map cameo_index; /* code string hash -> index+1 */

    size_t ndiscards, nlemmas;
} dyad_dict;

/* Keys of the pattern index: two words, three words (dict.c). */
uint64_t key2(uint32_t a, uint32_t b);
uint64_t key3(uint32_t a, uint32_t b, uint32_t c);

/* Free the finished form's arrays (or unmap the image) and reset them; keeps err and problems. */
void dict_release(dyad_dict *d);
/* Make a fresh dictionary use the image at BASE (image.c). */
dyad_status dict_adopt_image(dyad_dict *d, const void *base, size_t len, bool owned, const char *name);

/* The key of one token (see docs/dictionaries.md): its vocabulary id, 0 when unknown. SCRATCH holds at
 * least 4*N+8 bytes. */
uint32_t dict_key(const dyad_dict *d, const char *s, size_t n, char *scratch);
/* The code an actor has on DATE (yyyymmdd); NULL when it has none then. */
const char *dict_actor_code(const dyad_dict *d, uint32_t actor, int32_t date);
int dict_cameo_find(const dyad_dict *d, const char *code);
/* A word that the dictionaries use as a verb of its own ("met" in PETRARCH's MET block, beside MEET) is no
 * longer reduced to the base form an irregular-form entry gives it. */
void dict_keep_form(dyad_dict *d, const char *word);
void dict_problem(dyad_dict *d, const char *file, size_t line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Importers of the field's formats (import.c). Each returns false only on allocation failure; bad lines
 * are reported with dict_problem(). */
typedef enum { FMT_UNKNOWN = 0, FMT_DYAD, FMT_PETR_VERBS, FMT_PETR_ACTORS, FMT_PETR_AGENTS,
               FMT_PETR_DISCARDS, FMT_PETR_ISSUES } dict_format;
dict_format import_detect(const char *name, const char *buf, size_t len);
bool import_petrarch(dyad_dict *d, dict_format fmt, const char *name, const char *buf, size_t len);

/* Adding entries (used by the native loader and the importers). Names are raw text, tokenized here. */
uint32_t dict_add_word(dyad_dict *d, const char *s, size_t n);
bool dict_add_phrase(dyad_dict *d, const char *text, size_t n, uint8_t kind, uint32_t val, uint16_t file,
                     size_t line);
uint16_t dict_file_id(dyad_dict *d, const char *name);
/* One entry in dyad's own format, text [P, E) without comment or newline (importers translate the field's
 * formats into such lines). Problems are reported against FNAME:LINE. False only when out of memory. */
bool dict_native_line(dyad_dict *d, const char *fname, uint16_t fid, size_t line, const char *p, const char *e);

#endif
