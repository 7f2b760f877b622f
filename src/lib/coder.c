/*
 * coder.c - from a sentence's tokens to events: the dict, parse and coder stages of the flow.
 *
 * For each sentence: (1) one pass over the tokens against the phrase trie finds actors, agents, discards,
 * modality and reporting phrases; (2) adjacent pieces become actor mentions ("Israeli Prime Minister
 * Benjamin Netanyahu"), compounds ("the US and Israel") and resolved references ("the latter", "his
 * Russian counterpart", "both sides", "he"); (3) clause barriers, prepositional objects and reported
 * speech give each mention a role; (4) verb patterns anchored on their first word are matched, the longer
 * of overlapping matches kept, and each match gives events with source, target, modality and attribution.
 *
 * The coder keeps its arrays between calls: no allocation per token or per sentence once warm.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#define MAX_SENT_TOKENS 400 /* longer sentences are coded in pieces of this size (counted in stats) */
#define GAP_MAX 6
#define FILLER_MAX 3
#define RECENT 16

typedef struct unit {
    uint32_t first, last; /* tokens */
    int32_t actor, agent; /* -1 when none */
} unit;

typedef struct mention {
    uint32_t first, last;  /* tokens of the phrase (first includes a leading article) */
    char code[16];
    uint8_t kind;          /* ACT_* of the head, 0 for a country+agent or agent-only phrase */
    uint8_t ref;           /* a resolved reference */
    uint8_t pp;            /* object of a preposition */
    int32_t group;         /* index of the first mention of its compound, or its own index */
    char sector[12];       /* the agent's sector when the phrase has one ("activists": OPP) */
    uint8_t agent_before;  /* the agent came first: "lawmakers in Fornost" */
    uint8_t multi;         /* one of the actors of an entry for several ("the two Koreas" PRK/KOR) */
    uint32_t gnext;        /* next member of the compound, or UINT32_MAX */
    uint8_t speaker;       /* "we", "I": the sentence's speaker, filled from its attribution */
} mention;

typedef struct match {
    uint32_t pat;
    uint32_t first, last; /* literal tokens */
    uint32_t span_first, span_last; /* with the slots' actors: what overlap is judged on */
    int32_t src, tgt;     /* mentions from slots, -1 none */
    bool passive, virtual_target, dropped;
    bool object_noun; /* the target slot holds a thing, not an actor ("attacked a cargo ship") */
    bool noun_passive; /* the pattern's object is the passive subject ("sanctions were imposed on X") */
    uint16_t code; /* the code to give: the pattern's, or a more specific one of an overlapping match */
} match;

typedef struct recent_actor {
    char code[16];
    uint8_t kind;
    dyad_span span;
} recent_actor;

/* A per-coder cache of word keys: most tokens of news text are a few thousand frequent words, and their
 * key (normalisation, irregular forms, suffix rules: several hash probes) is the same every time. */
#define KEY_CACHE_SLOTS 32768
#define KEY_CACHE_LEN 22
typedef struct key_slot {
    uint32_t id;
    uint8_t len;
    char s[KEY_CACHE_LEN + 1];
} key_slot;

struct dyad_coder {
    const dyad_dict *d;
    int32_t after_country[8]; /* the first 8 `agent "WORD"` entries (see find_units) */
    uint32_t nafter_country;
    key_slot *key_cache;
    char err[512];
    size_t max_bytes;
    char scratch[1024];
    dyad_code_stats stats;
    const dyad_story *story;
    int32_t date;

    sentence *sents;
    size_t nsents, sents_cap;
    token *toks;
    size_t ntoks, toks_cap;
    unit *units;
    size_t nunits, units_cap;
    mention *ments;
    size_t nments, ments_cap;
    int32_t *tok_ment; /* mention starting at a token's first unit, -1 none */
    uint16_t *tok_mark; /* per token: modal/report marks (MK_*) */
    uint8_t *qty;       /* per token: 1 + tokens of the quantity starting there (0 not yet known) */
    int32_t *part;      /* per token: part_of() there, -2 not yet known */
    size_t tokarr_cap;
    match *matches;
    size_t nmatches, matches_cap;
    time_expr times[16];
    size_t ntimes;
    dyad_place places[8]; /* of the sentence, with their first token in place_tok */
    uint32_t place_tok[8];
    size_t nplaces;
    char story_countries[32][4]; /* countries the story has named so far: context for ambiguous places */
    size_t nstory_countries;
    dyad_casualty *cas; /* of the whole story */
    size_t ncas, cas_cap;
    size_t sent_cas;    /* where this sentence's start in cas */
    uint64_t sent_sig; /* one bit per word id % 64 of the sentence (see pattern.sig) */
    int32_t attr_date; /* of the sentence's attribution */
    uint8_t attr_date_precision;
    uint32_t attr_verb;       /* the token of the sentence's reporting verb, UINT32_MAX when none */
    uint32_t issues[4]; /* issue ids of the sentence */
    uint8_t nissues;
    dyad_event *events;
    size_t nevents, events_cap;

    /* discourse state, kept across the sentences of one story */
    recent_actor recent[RECENT];
    size_t nrecent;
    char pair[2][16];
    dyad_span pair_span[2];
    bool have_pair;
    bool pair_compound;   /* the pair came from a compound ("Russia and Iran"), not from an event */
    uint32_t pair_sent, cur_sent;
    char last_country[4];
    char country_before[4]; /* last_country as it was when the sentence began */
    dyad_span last_attr;
    char last_attr_code[16];
    bool story_discard;
};

enum { MK_HYPO = 1, MK_FUTURE = 2, MK_REPORT = 4, MK_REPORT_START = 8, MK_DISCARD = 16, MK_ACCORDING = 32, MK_NEG = 64,
       MK_INTENT = 128, /* a stated intent of the subject: "will", "plans to", "vowed to" */
       MK_THREAT = 256, /* an intent stated as a threat ("threatened to"): only hostile acts make one */
       MK_REFUSE = 512  /* a stated refusal of the subject: "will not", "refused to" */ };
#define MK_MODAL (MK_HYPO | MK_FUTURE | MK_NEG)
/* the word-class flags that give a word a grammatical role (not W_START/W_ANCHOR, which only say that a
 * dictionary phrase or pattern begins with it) */
#define W_ROLE (~(uint32_t)(W_START | W_ANCHOR))

void dyad_coder_casualties(const dyad_coder *c, const dyad_casualty **list, size_t *n)
{
    *list = c->cas;
    *n = c->story_discard ? 0 : c->ncas;
}

const char *dyad_casualty_kind_name(dyad_casualty_kind k)
{
    static const char *const names[] = {"?", "killed", "wounded", "arrested", "displaced", "missing", "abducted"};
    return k >= DYAD_KILLED && k <= DYAD_ABDUCTED ? names[k] : "?";
}

const char *dyad_precision_name(dyad_precision p)
{
    static const char *const names[] = {"none", "day", "week", "month", "year"};
    return p <= DYAD_YEAR ? names[p] : "none";
}

const char *dyad_modality_name(dyad_modality m)
{
    switch (m) {
    case DYAD_FACTUAL: return "factual";
    case DYAD_NEGATED: return "negated";
    case DYAD_HYPOTHETICAL: return "hypothetical";
    case DYAD_FUTURE: return "future";
    }
    return "factual";
}

dyad_coder *dyad_coder_new(const dyad_dict *d)
{
    if (!d || !d->finished)
        return NULL;
    dyad_coder *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->d = d;
    c->max_bytes = 8u << 20;
    for (size_t k = 0; k < d->nagents && c->nafter_country < 8; k++) /* roles only right after a country */
        if (d->agents[k].after_country[0])
            c->after_country[c->nafter_country++] = (int32_t)k;
    c->key_cache = calloc(KEY_CACHE_SLOTS, sizeof *c->key_cache);
    if (!c->key_cache) {
        free(c);
        return NULL;
    }
    return c;
}

void dyad_coder_free(dyad_coder *c)
{
    if (!c)
        return;
    free(c->sents);
    free(c->toks);
    free(c->units);
    free(c->ments);
    free(c->tok_ment);
    free(c->tok_mark);
    free(c->qty);
    free(c->part);
    free(c->matches);
    free(c->events);
    free(c->key_cache);
    free(c->cas);
    free(c);
}

const char *dyad_coder_errmsg(const dyad_coder *c) { return c ? c->err : "no coder"; }
void dyad_coder_set_max_bytes(dyad_coder *c, size_t max) { c->max_bytes = max; }
void dyad_coder_get_stats(const dyad_coder *c, dyad_code_stats *st) { *st = c->stats; }

/* ---- small token predicates ------------------------------------------------------------------------ */

static inline const char *tok_text(const dyad_coder *c, const token *t) { return c->story->text + t->start; }
static inline size_t tok_len(const token *t) { return t->end - t->start; }
#define tok_is(c, t, lit) tok_is_n((c), (t), lit, sizeof(lit) - 1)

/* Is token T the word W (N bytes, lower case), in any case? Called through tok_is() with a literal. */
static inline bool tok_is_n(const dyad_coder *c, const token *t, const char *w, size_t n)
{
    return ascii_ieq(tok_text(c, t), tok_len(t), w, n);
}

/* Words skipped between pattern elements: articles, possessives, closed-list adverbs, and unknown
 * lower-case words in -ly. */
static bool is_filler(const dyad_coder *c, const token *t)
{
    if (t->wflags & (W_DET | W_POSS | W_FILLER))
        return true;
    size_t n = tok_len(t);
    const char *s = tok_text(c, t);
    if (t->flags & T_CAP)
        return false;
    /* "in northern Kenya", "of eastern Ukraine": a direction is a modifier of the place */
    if (n >= 7 && memcmp(s + n - 3, "ern", 3) == 0 &&
        (!memcmp(s, "north", 5) || !memcmp(s, "south", 5) || !memcmp(s, "east", 4) || !memcmp(s, "west", 4)))
        return true;
    return !t->id && n > 4 && s[n - 2] == 'l' && s[n - 1] == 'y';
}

/* Whether token t is the possessive "'s", with a straight or a curly apostrophe ("Iran’s"). */
static bool poss_s(const dyad_coder *c, const token *t)
{
    return tok_is(c, t, "'s") || tok_is(c, t, "\xe2\x80\x99s"); /* tok_is ignores case */
}

/* Whether token t is one of the words of a NULL-terminated list (case-insensitive). */
static bool tok_in(const dyad_coder *c, const token *t, const char *const *list)
{
    size_t n = tok_len(t);
    unsigned char f = (unsigned char)tok_text(c, t)[0] | 0x20; /* the first letter, lower-cased */
    for (int k = 0; list[k]; k++)
        if ((unsigned char)list[k][0] == f && strlen(list[k]) == n && tok_is_n(c, t, list[k], n))
            return true;
    return false;
}

/* The first actor mention (one with a code) ending at token i, -1 if none. */
static int32_t actor_ending_at(const dyad_coder *c, size_t i)
{
    for (size_t k = 0; k < c->nments; k++)
        if (c->ments[k].last == i && c->ments[k].code[0])
            return (int32_t)k;
    return -1;
}

/* ---- stage 1: phrases -------------------------------------------------------------------------------- */

/* What the trie finds at one position: the longest actor/agent phrase, the longest phrase of another kind
 * (discard, modality, reporting), and every issue phrase on the way, so that a topic ("Iran nuclear deal")
 * never hides an actor and an actor never hides a modality word. */
static void walk_trie(dyad_coder *c, size_t i, size_t n, uint32_t *actor_node, size_t *actor_len,
                      uint32_t *other_node, size_t *other_len)
{
    const dyad_dict *d = c->d;
    const token *t = c->toks;
    uint32_t node = 0;
    *actor_len = *other_len = 0;
    for (size_t k = i; k < n && t[k].id; k++) {
        uint32_t child;
        if (!u64map_get(&d->edges, (((uint64_t)node << 32) | t[k].id) + 1, &child))
            break;
        node = child;
        for (uint32_t p = d->node_payload[node]; p; p = d->payloads[p].next) {
            uint8_t kind = d->payloads[p].kind;
            if (kind == PH_ACTOR || kind == PH_AGENT) {
                *actor_node = node, *actor_len = k - i + 1;
            } else if (kind == PH_ISSUE) {
                uint32_t v = d->payloads[p].val;
                bool have = false;
                for (uint8_t q = 0; q < c->nissues; q++)
                    have |= c->issues[q] == v;
                if (!have && c->nissues < 4)
                    c->issues[c->nissues++] = v;
            } else {
                *other_node = node, *other_len = k - i + 1;
            }
        }
    }
}

/* Whether a verb pattern starts at token i with the words after it ("declare war", "claim responsibility
 * for"), over an article. */
static bool el_matches(const dyad_dict *d, const pat_el *el, uint32_t id);

static bool verb_with_object(const dyad_coder *c, size_t i, size_t n)
{
    const dyad_dict *d = c->d;
    const token *t = c->toks;
    uint32_t g;
    if (!t[i].id)
        return false;
    for (size_t q = i + 1; d->ngroups && q < n && q <= i + 2; q++) {
        if (t[q].id && (u64map_get(&d->pair_map, key2(t[i].id, t[q].id), &g) ||
                        (q + 1 < n && t[q + 1].id && u64map_get(&d->pair_map, key3(t[i].id, t[q].id, t[q + 1].id), &g))))
            return true;
        if (!(t[q].wflags & W_DET))
            break;
    }
    /* ... also through a gap ("claim .. responsibility", as PETRARCH's "- * RESPONSIBILITY" is imported):
     * the word after the gap among the next few; only before a lower-case word ("said that", "said Iran",
     * "said it", "said on Monday" have none) */
    size_t w1 = i + 1 < n && (t[i + 1].wflags & W_DET) ? i + 2 : i + 1;
    if (w1 >= n || (t[w1].flags & (T_CAP | T_PUNCT | T_NUM)) || (t[w1].wflags & W_ROLE))
        return false;
    for (uint32_t a = d->anchor_off[t[i].id]; a < d->anchor_off[t[i].id + 1]; a++) {
        const pattern *p = &d->patterns[d->anchor_pat[a]];
        uint32_t k = 0;
        while (k < p->n_el && d->els[p->first_el + k].type != PE_WORD && d->els[p->first_el + k].type != PE_SYN)
            k++;
        if (k + 2 >= p->n_el || d->els[p->first_el + k + 1].type != PE_GAP)
            continue;
        const pat_el *w = &d->els[p->first_el + k + 2];
        if (w->type != PE_WORD && w->type != PE_SYN)
            continue;
        /* right after it, or after one modifier ("claimed full responsibility"), not across a clause ("said
         * they will attack") */
        for (size_t q = i + 1; q < n && q <= i + 2 && !(t[q].flags & T_PUNCT) && !(t[q].wflags & (W_PRON | W_PRON_PL | W_AUX));
             q++)
            if (t[q].id && el_matches(d, w, t[q].id))
                return true;
    }
    return false;
}

static bool find_units(dyad_coder *c, size_t n)
{
    const dyad_dict *d = c->d;
    token *t = c->toks;
    c->nunits = 0;
    c->nissues = 0;
    size_t marked_to = 0; /* marks of a longer phrase already cover tokens before this */
    for (size_t i = 0; i < n;) {
        uint32_t anode = 0, onode = 0;
        size_t alen = 0, olen = 0;
        if (t[i].wflags & W_START) /* no phrase starts with any other word */
            walk_trie(c, i, n, &anode, &alen, &onode, &olen);
        uint16_t mark = 0;
        for (uint32_t p = olen ? d->node_payload[onode] : 0; p; p = d->payloads[p].next) {
            switch (d->payloads[p].kind) {
            case PH_DISCARD: mark |= MK_DISCARD; break;
            case PH_DISCARD_STORY: c->story_discard = true; break;
            case PH_MODAL_HYPO: mark |= MK_HYPO; break;
            case PH_MODAL_FUTURE: mark |= MK_FUTURE; break;
            case PH_MODAL_NEG: mark |= MK_NEG; break;
            case PH_REPORT: mark |= MK_REPORT; break;
            case PH_INTENT: mark |= d->payloads[p].val ? MK_INTENT | MK_THREAT : MK_INTENT; break;
            case PH_REFUSAL: mark |= MK_NEG | MK_REFUSE; break;
            default: break;
            }
        }
        if ((mark & MK_INTENT) && !(mark & MK_MODAL))
            mark |= MK_FUTURE; /* an intent marker is at least future */
        if (olen && i >= marked_to) {
            /* a capitalised "May" in mid-sentence is the month, not the modal verb */
            if ((mark & MK_MODAL) && olen == 1 && (t[i].flags & T_CAP) && !(t[i].flags & T_SENT_START))
                mark &= (uint16_t)~(MK_MODAL | MK_INTENT | MK_THREAT);
            /* "the claims", "a report": a reporting word after an article is a noun */
            if ((mark & MK_REPORT) && i > 0 && ((t[i - 1].wflags & (W_DET | W_POSS)) || poss_s(c, &t[i - 1])))
                mark &= (uint16_t)~MK_REPORT; /* ... and after a possessive: "Israel's claims" */
            /* ... and as the object of a verb pattern: "rejected claims that", "denied reports of" */
            if ((mark & MK_REPORT) && i > 0 && (t[i - 1].wflags & W_ANCHOR) && verb_with_object(c, i - 1, n))
                mark &= (uint16_t)~MK_REPORT;
            /* "claimed responsibility for", "declared war on", "announced sanctions": a reporting verb that
             * begins a verb pattern with its object reports nothing */
            if ((mark & MK_REPORT) && olen == 1 && verb_with_object(c, i, n))
                mark &= (uint16_t)~MK_REPORT;
            if (mark & MK_REPORT) {
                if (tok_is(c, &t[i], "according"))
                    mark |= MK_ACCORDING;
                c->tok_mark[i] |= MK_REPORT_START;
            }
            for (size_t k = i; k < i + olen; k++)
                c->tok_mark[k] |= mark;
            marked_to = i + olen;
        }
        /* `agent "forces" = ~MIL`: "Russian forces", "Israeli forces" are the armed forces; the word is taken as
         * written, so that the singular stays no role ("the use of force", "forced to flee") */
        const unit *pu = c->nunits > 0 ? &c->units[c->nunits - 1] : NULL; /* ... or after "government" */
        if (!alen && c->nafter_country && pu && pu->last + 1 == i &&
            ((pu->actor >= 0 && d->actors[pu->actor].kind == ACT_COUNTRY && pu->agent < 0) ||
             (pu->actor < 0 && pu->agent >= 0 && !strcmp(d->agents[pu->agent].sector, "GOV") &&
              tok_is(c, &t[i - 1], "government")))) {
            int32_t ag = -1;
            for (uint32_t k = 0; k < c->nafter_country && ag < 0; k++)
                if (tok_is_n(c, &t[i], d->agents[c->after_country[k]].after_country,
                             strlen(d->agents[c->after_country[k]].after_country)))
                    ag = c->after_country[k];
            if (ag >= 0) {
                if (!GROW(c->units, c->units_cap, c->nunits + 1))
                    return false;
                c->units[c->nunits++] = (unit){(uint32_t)i, (uint32_t)i, -1, ag};
                i++;
                continue;
            }
        }
        if (!alen) {
            i++;
            continue;
        }
        int32_t actor = -1, agent = -1;
        for (uint32_t p = d->node_payload[anode]; p; p = d->payloads[p].next) {
            const payload *pl = &d->payloads[p];
            if (pl->kind == PH_ACTOR) {
                /* prefer the entry that has a code on the story's date; among those, the first */
                if (actor < 0 || !dict_actor_code(d, (uint32_t)actor, c->date))
                    actor = (int32_t)pl->val;
            } else if (pl->kind == PH_AGENT) {
                agent = (int32_t)pl->val;
            }
        }
        /* "scaling a pole", "china plates", "roast turkey": a country's name written in lower case is a
         * common word; its adjective is not ("tunisian rioters") */
        if (actor >= 0 && d->actors[actor].kind == ACT_COUNTRY && !(t[i].flags & T_CAP)) {
            const token *l = &t[i + alen - 1];
            size_t ln = tok_len(l);
            const char *lw = tok_text(c, l);
            bool adjective = (ln > 3 && (!memcmp(lw + ln - 2, "an", 2) || !memcmp(lw + ln - 3, "ese", 3) ||
                                         !memcmp(lw + ln - 3, "ish", 3) || lw[ln - 1] == 'i')) ||
                             (ln > 4 && !memcmp(lw + ln - 3, "ans", 3));
            for (size_t q = 0; q < tok_len(&t[i]) && !adjective; q++)
                adjective = tok_text(c, &t[i])[q] >= 'A' && tok_text(c, &t[i])[q] <= 'Z'; /* "iSrael" */
            if (!adjective)
                actor = -1;
        }
        if (actor < 0 && agent < 0) {
            i++;
            continue;
        }
        if (!GROW(c->units, c->units_cap, c->nunits + 1))
            return false;
        c->units[c->nunits++] = (unit){(uint32_t)i, (uint32_t)(i + alen - 1), actor, agent};
        i += alen;
    }
    return true;
}

/* ---- stage 2: mentions ------------------------------------------------------------------------------- */

static void recent_push(dyad_coder *c, const char *code, uint8_t kind, dyad_span sp)
{
    if (!code[0])
        return;
    if (c->nrecent == RECENT) {
        memmove(c->recent, c->recent + 1, (RECENT - 1) * sizeof c->recent[0]);
        c->nrecent--;
    }
    recent_actor *r = &c->recent[c->nrecent++];
    snprintf(r->code, sizeof r->code, "%s", code);
    r->kind = kind;
    r->span = sp;
    if (strlen(code) >= 3 && kind == ACT_COUNTRY)
        memcpy(c->last_country, code, 3), c->last_country[3] = 0;
}

static mention *add_mention(dyad_coder *c, uint32_t first, uint32_t last)
{
    if (!GROW(c->ments, c->ments_cap, c->nments + 1))
        return NULL;
    mention *m = &c->ments[c->nments];
    memset(m, 0, sizeof *m);
    m->first = first;
    m->last = last;
    m->group = (int32_t)c->nments;
    m->gnext = UINT32_MAX;
    c->nments++;
    return m;
}

/* DST (16 bytes) = A followed by B, cut at 15 characters. */
static void set_code(char *dst, const char *a, const char *b)
{
    size_t n = 0;
    for (; a && *a && n < 15; a++)
        dst[n++] = *a;
    for (; b && *b && n < 15; b++)
        dst[n++] = *b;
    dst[n] = 0;
}

/* Build mentions from adjacent units; resolve their codes. */
/* Whether tokens [from, to) describe a place in the actor that follows: an article, a few lower-case words,
 * and a word for a town or region with "of" ("the northern West Bank city of", "the eastern province of"). */
static bool place_description(const dyad_coder *c, uint32_t from, uint32_t to)
{
    static const char *const places[] = {"city", "town", "village", "province", "region", "district", "state",
                                         "capital", "port", "county", "governorate", "area", NULL};
    const token *t = c->toks;
    if (to < from + 2 || to > from + 8 || !tok_is(c, &t[to - 1], "of"))
        return false;
    if (!tok_in(c, &t[to - 2], places))
        return false;
    for (uint32_t j = from; j + 2 < to; j++)
        if ((t[j].flags & T_PUNCT) || (t[j].wflags & (W_PREP | W_BARRIER | W_AND)) || c->tok_mark[j])
            return false;
    return true;
}

/* Whether tokens [from, to) are an article and at most two lower-case modifiers ("the northern",
 * "military-ruled"): what may stand between "dissidents from" and the country they come from. */
static bool modifiers_only(const dyad_coder *c, uint32_t from, uint32_t to)
{
    const token *t = c->toks;
    if (from < to && (t[from].wflags & W_DET))
        from++;
    int words = 0;
    for (uint32_t j = from; j < to; j++) {
        if (t[j].flags & T_HYPHEN)
            continue;
        if ((t[j].flags & (T_PUNCT | T_CAP | T_NUM)) || (t[j].wflags & (W_PREP | W_BARRIER | W_AND | W_DET)) ||
            c->tok_mark[j] || ++words > 2)
            return false;
    }
    return true;
}

static bool build_mentions(dyad_coder *c, size_t n)
{
    const dyad_dict *d = c->d;
    token *t = c->toks;
    c->nments = 0;
    for (size_t u = 0; u < c->nunits;) {
        size_t v = u;
        /* join units that touch, or are linked by "'s" or by "-based" */
        while (v + 1 < c->nunits) {
            uint32_t gap_from = c->units[v].last + 1, gap_to = c->units[v + 1].first;
            if (gap_to == gap_from) {
                v++;
                continue;
            }
            if (gap_to == gap_from + 1 && poss_s(c, &t[gap_from])) {
                v++;
                continue;
            }
            /* "Iran's new foreign minister", "the UN's human rights chief": a role after a few modifiers */
            if (gap_to > gap_from + 1 && gap_to <= gap_from + 3 && poss_s(c, &t[gap_from]) &&
                c->units[v + 1].agent >= 0 && c->units[v + 1].actor < 0 &&
                modifiers_only(c, gap_from + 1, gap_to)) {
                v++;
                continue;
            }
            if (gap_to == gap_from + 2 && (t[gap_from].flags & T_HYPHEN) && tok_is(c, &t[gap_from + 1], "based")) {
                v++;
                continue;
            }
            /* "Arnor former security officials" */
            if (gap_to == gap_from + 1 && tok_is(c, &t[gap_from], "former") && c->units[v + 1].agent >= 0) {
                v++;
                continue;
            }
            break;
        }
        uint32_t first = c->units[u].first, last = c->units[v].last;
        /* "in-person", "pro-Russian separatists", "non-government": a word after a prefix and a hyphen is
         * part of that word, not an actor ("US-Iran talks" keeps both: its first half is one) */
        if (first >= 2 && (t[first - 1].flags & T_HYPHEN) && t[first - 1].start == t[first - 2].end &&
            t[first - 1].end == t[first].start && !(t[first - 2].flags & (T_NUM | T_PUNCT)) &&
            !tok_is(c, &t[first - 2], "anti") && (u == 0 || c->units[u - 1].last != first - 2)) {
            u++; /* the units after it still make a mention: "pro-Russian separatists" */
            continue;
        }
        /* "former officials", "Arnor former security officials": former office holders (ELI) */
        bool former = first > 0 && tok_is(c, &t[first - 1], "former");
        for (uint32_t j = first; j < last && !former; j++)
            former = tok_is(c, &t[j], "former");
        int32_t head = -1, country = -1, agent = -1, pagent = -1;
        size_t country_unit = 0, head_unit = 0;
        for (size_t k = u; k <= v; k++) {
            unit *un = &c->units[k];
            if (un->actor >= 0) {
                uint8_t kind = d->actors[un->actor].kind;
                if (kind == ACT_COUNTRY) {
                    if (head < 0 || d->actors[head].kind == ACT_COUNTRY)
                        country = un->actor, country_unit = k;
                } else if (dict_actor_code(d, (uint32_t)un->actor, c->date)) {
                    head = un->actor, head_unit = k;
                }
            }
            if (un->agent >= 0 && d->agents[un->agent].prefix) {
                if (pagent < 0)
                    pagent = un->agent;
            } else if (un->agent >= 0 && agent < 0) {
                agent = un->agent;
            } else if (un->agent >= 0 && !strcmp(d->agents[agent].sector, "GOV") &&
                       (!strcmp(d->agents[un->agent].sector, "MIL") || !strcmp(d->agents[un->agent].sector, "COP"))) {
                agent = un->agent; /* "government soldiers", "government forces": the state's armed force */
            }
        }
        /* "Iran's U.N. ambassador": a country's envoy to an international body is the country's */
        if (head >= 0 && country >= 0 && country_unit < head_unit &&
            (agent >= 0 || poss_s(c, &t[c->units[country_unit].last + 1])) &&
            strncmp(dict_actor_code(d, (uint32_t)head, c->date), "IGO", 3) == 0)
            head = -1; /* ... and "Iran's U.N. mission" */
        /* a title's name that the dictionary lacks: "Foreign Minister Abbas Araghchi" */
        if (agent >= 0 && head < 0)
            while (last + 1 < n && (t[last + 1].flags & T_CAP) && !(t[last + 1].flags & T_PUNCT) &&
                   !(t[last + 1].wflags & (W_BARRIER | W_PREP | W_DET)) && !c->tok_mark[last + 1])
                last++;
        /* "protesters in Iran", "the government of Iran": an agent whose country follows */
        /* ... and "the head of the IAEA": a role of an organisation is the organisation */
        /* ... over a description of the place: "the mayor of the northern city of Nablus" */
        if (head < 0 && country < 0 && agent >= 0 && v + 1 < c->nunits && c->units[v + 1].actor >= 0 &&
            (tok_is(c, &t[last + 1], "in") || tok_is(c, &t[last + 1], "of") || tok_is(c, &t[last + 1], "from")) &&
            (last + 2 == c->units[v + 1].first || modifiers_only(c, last + 2, c->units[v + 1].first) ||
             place_description(c, last + 2, c->units[v + 1].first))) {
            v++;
            int32_t a = c->units[v].actor;
            if (d->actors[a].kind == ACT_COUNTRY)
                country = a, country_unit = v;
            else if (dict_actor_code(d, (uint32_t)a, c->date))
                head = a, head_unit = v;
            last = c->units[v].last;
            /* "ministers from the Georgian government": the role word after the country is part of it */
            if (country >= 0 && v + 1 < c->nunits && c->units[v + 1].first == last + 1 &&
                c->units[v + 1].actor < 0 && c->units[v + 1].agent >= 0)
                last = c->units[++v].last;
        }
        /* "the Pakistani side" is Pakistan's government; "rival sides in the Syrian war" is nobody: "side" is a
         * role only with the country or actor before it */
        if (agent >= 0) {
            size_t side = SIZE_MAX, owner = country >= 0 ? country_unit : head >= 0 ? head_unit : SIZE_MAX;
            for (size_t k2 = u; k2 <= v && side == SIZE_MAX; k2++)
                if (c->units[k2].agent == agent && (tok_is(c, &t[c->units[k2].first], "side") ||
                                                     tok_is(c, &t[c->units[k2].first], "sides")))
                    side = k2;
            if (side != SIZE_MAX && (owner == SIZE_MAX || side < owner)) {
                u = v + 1;
                continue;
            }
        }
        mention m = {0};
        const char *hc = head >= 0 ? dict_actor_code(d, (uint32_t)head, c->date) : NULL;
        if (hc && agent >= 0 && d->actors[head].kind == ACT_ACTOR && strlen(hc) == 6 && strcmp(hc + 3, "GOV") == 0 &&
            strncmp(d->agents[agent].sector, "GOV", 3) != 0) {
            /* "protesters in Tehran", "Kyiv residents": a capital that stands for its government, with a
             * role outside it, is the place of the role's country */
            char cc[4];
            memcpy(cc, hc, 3);
            cc[3] = 0;
            set_code(m.code, cc, d->agents[agent].sector);
            head = -1;
        } else if (head >= 0) {
            set_code(m.code, hc, NULL);
            m.kind = d->actors[head].kind;
            /* "a protest in Beijing", "killed five in Kabul": a capital after a preposition of place is the
             * place, its country, not the government it can stand for */
            size_t b = first > 0 && (t[first - 1].wflags & W_DET) ? first - 1 : first;
            static const char *const of_place[] = {"in", "at", "near", "outside", "across", "throughout", NULL};
            if (m.kind == ACT_ACTOR && agent < 0 && strlen(m.code) == 6 && strcmp(m.code + 3, "GOV") == 0 && b > 0 &&
                tok_in(c, &t[b - 1], of_place)) {
                m.code[3] = 0;
                m.kind = ACT_COUNTRY;
            }
        } else if (country >= 0) {
            const char *cc = d->alts[d->actors[country].first_alt].code;
            set_code(m.code, cc, agent >= 0 ? d->agents[agent].sector : NULL);
            m.kind = agent >= 0 ? 0 : ACT_COUNTRY;
        } else {
            /* an agent with no country: "---" and its sector, as the field writes an unknown country */
            if (agent >= 0)
                set_code(m.code, "---", d->agents[agent].sector);
        }
        if (former && agent >= 0 && head < 0 && strlen(m.code) >= 6) {
            m.code[3] = 0;
            set_code(m.code, m.code, "ELI");
        }
        /* a prefix agent goes before the rest: "MSF Arnor" NGOARN, "an MSF Arnor diplomat" NGOARNGOV */
        if (pagent >= 0) {
            char rest[16];
            const char *from = strncmp(m.code, "---", 3) == 0 ? m.code + 3 : m.code;
            size_t rl = strnlen(from, sizeof rest - 1);
            memcpy(rest, from, rl);
            rest[rl] = 0;
            set_code(m.code, d->agents[pagent].sector, rest);
            m.kind = 0;
        }
        /* "an anti-Gondor parade": an actor under "anti-" is a modifier, not a party */
        if (first >= 2 && (t[first - 1].flags & T_HYPHEN) && tok_is(c, &t[first - 2], "anti"))
            m.code[0] = 0;
        /* "Iranian-backed militias", "a government-held town", "Kremlin-linked": backing, holding or ties are
         * not the actor itself ("Saudi-led", "Hamas-run" are: the leader owns what it leads) */
        if (last + 2 < n && (t[last + 1].flags & T_HYPHEN)) {
            static const char *const mods[] = {"backed", "held", "controlled", "linked", "allied", "aligned",
                                               "sponsored", "supported", "funded", "affiliated", "inspired",
                                               "friendly", "occupied", "leaning", "oriented", NULL};
            if (tok_in(c, &t[last + 2], mods))
                m.code[0] = 0;
        }
        if (first > 0 && (t[first - 1].wflags & W_DET))
            first--;
        mention *mm = add_mention(c, first, last);
        if (!mm)
            return false;
        memcpy(mm->code, m.code, sizeof m.code);
        mm->kind = m.kind;
        if (agent >= 0 && head < 0) {
            snprintf(mm->sector, sizeof mm->sector, "%s", d->agents[agent].sector);
            mm->agent_before = c->units[u].agent >= 0 && c->units[u].actor < 0;
        }
        /* an entry for several actors ("the two Koreas" PRK/KOR): one mention each, as a compound */
        char *slash = strchr(mm->code, '/');
        if (slash) {
            char rest[16];
            snprintf(rest, sizeof rest, "%s", slash + 1);
            *slash = 0;
            size_t prev = c->nments - 1;
            c->ments[prev].multi = 1;
            for (char *part = rest; part && *part;) {
                char *next = strchr(part, '/');
                if (next)
                    *next++ = 0;
                mention *pm = add_mention(c, first, last);
                if (!pm)
                    return false;
                set_code(pm->code, part, NULL);
                pm->kind = c->ments[prev].kind;
                pm->multi = 1;
                pm->group = c->ments[prev].group;
                c->ments[prev].gnext = (uint32_t)(c->nments - 1);
                prev = c->nments - 1;
                part = next;
            }
        }
        u = v + 1;
    }
    return true;
}

/* When token I comes right after a reporting verb (and "that"): "officials say (that) they", "Mogadishu
 * announced it", the token after the reporter's last word, that is the first of the reporting verb and its
 * auxiliaries; 0 when I follows no reporting verb or nothing stands before it. */
static size_t reporter_end(const dyad_coder *c, size_t i)
{
    const token *t = c->toks;
    size_t r = i;
    if (r > 0 && tok_is(c, &t[r - 1], "that"))
        r--;
    if (r == 0 || !(c->tok_mark[r - 1] & MK_REPORT))
        return 0;
    size_t v = r - 1;
    while (v > 0 && !(c->tok_mark[v] & MK_REPORT_START))
        v--;
    while (v > 0 && (t[v - 1].wflags & (W_AUX | W_FILLER)))
        v--;
    return v;
}

/* Whether "it"/"they" at token I is the reporter of the verb before it, resolved below: not when the reporter
 * is itself a pronoun ("They said they..."). */
static bool reporter_before(const dyad_coder *c, size_t i)
{
    size_t v = reporter_end(c, i);
    return v > 0 && !(c->toks[v - 1].wflags & (W_PRON | W_PRON_PL));
}

/* Pronouns and descriptions: make mentions for them, resolved from the discourse state. */

static bool add_references(dyad_coder *c, size_t n)
{
    token *t = c->toks;
    size_t base = c->nments;
    for (size_t i = 0; i < n; i++) {
        /* references start with a few words; and never inside an existing mention, except one of an agent
         * with no country, which "the two leaders" replaces */
        if (!(t[i].wflags & W_REF))
            continue;
        bool inside = false;
        for (size_t k = 0; k < base && !inside; k++)
            inside = i >= c->ments[k].first && i <= c->ments[k].last && c->ments[k].code[0] != '-';
        if (inside)
            continue;
        size_t len = 0;
        int what = 0; /* 1 pair, 2 latter, 3 former, 4 he/she, 5 they, 6 the country, 7 Congress */
        if ((tok_is(c, &t[i], "both") || (tok_is(c, &t[i], "the") && i + 1 < n && tok_is(c, &t[i + 1], "two"))) &&
            i + 1 < n) {
            size_t j = tok_is(c, &t[i], "both") ? i + 1 : i + 2;
            if (j < n && (tok_is(c, &t[j], "sides") || tok_is(c, &t[j], "leaders") || tok_is(c, &t[j], "countries") ||
                          tok_is(c, &t[j], "presidents") || tok_is(c, &t[j], "parties") || tok_is(c, &t[j], "governments") ||
                          tok_is(c, &t[j], "nations") || tok_is(c, &t[j], "men") || tok_is(c, &t[j], "ministers"))) {
                len = j - i + 1;
                what = 1;
            }
        } else if (tok_is(c, &t[i], "the") && i + 1 < n && tok_is(c, &t[i + 1], "latter")) {
            len = 2, what = 2;
        } else if (tok_is(c, &t[i], "the") && i + 1 < n && tok_is(c, &t[i + 1], "former") &&
                   (i + 2 >= n || !(t[i + 2].flags & T_CAP))) {
            len = 2, what = 3;
        } else if (t[i].wflags & W_PRON && !(t[i].wflags & W_POSS)) {
            len = 1, what = 4;
        } else if (tok_is(c, &t[i], "her") && i + 1 < n && (t[i + 1].flags & T_PUNCT)) {
            len = 1, what = 4;
        } else if ((t[i].wflags & W_PRON_PL) && !reporter_before(c, i)) {
            len = 1, what = 5;
        } else if (tok_is(c, &t[i], "the") && i + 1 < n && tok_is(c, &t[i + 1], "country")) {
            len = 2, what = 6;
        } else if (tok_is(c, &t[i], "congress") && (t[i].flags & T_CAP)) {
            len = 1, what = 7;
        } else if (tok_is(c, &t[i], "we") || (tok_len(&t[i]) == 1 && tok_text(c, &t[i])[0] == 'I')) {
            /* "We urge Pakistan to...", the spokesperson said: whoever the sentence's attribution names */
            mention *m = add_mention(c, (uint32_t)i, (uint32_t)i);
            if (!m)
                return false;
            m->ref = 1;
            m->speaker = 1;
            continue;
        } else if ((tok_is(c, &t[i], "it") || tok_is(c, &t[i], "they")) && i > 0) {
            /* "the United States said (that) it ...": the reporter */
            size_t v = reporter_end(c, i);
            for (size_t k = 0; k < base && v > 0; k++)
                if (c->ments[k].code[0] && c->ments[k].last == v - 1) {
                    mention *m = add_mention(c, (uint32_t)i, (uint32_t)i);
                    if (!m)
                        return false;
                    m->ref = 1;
                    memcpy(m->code, c->ments[k].code, 16);
                    m->kind = c->ments[k].kind;
                    break;
                }
            continue;
        }
        if (!what)
            continue;
        if (what == 1) {
            for (size_t k = 0; k < base; k++) /* "leaders" of "the two leaders" is no actor of its own */
                if (c->ments[k].first <= i + len - 1 && c->ments[k].last >= i)
                    c->ments[k].code[0] = 0;
            if (!c->have_pair)
                continue;
            for (int k = 0; k < 2; k++) {
                mention *m = add_mention(c, (uint32_t)i, (uint32_t)(i + len - 1));
                if (!m)
                    return false;
                m->ref = 1;
                memcpy(m->code, c->pair[k], 16);
                m->kind = ACT_ACTOR;
            }
            /* the second points to the first as a compound */
            c->ments[c->nments - 1].group = (int32_t)(c->nments - 2);
            c->ments[c->nments - 2].gnext = (uint32_t)(c->nments - 1);
        } else {
            mention *m = add_mention(c, (uint32_t)i, (uint32_t)(i + len - 1));
            if (!m)
                return false;
            m->ref = (uint8_t)(what + 1); /* resolved in order, below */
        }
        i += len - 1;
    }
    return true;
}

/* Whether token I is a capitalised name that no mention covers: someone the dictionaries do not know. */
static bool unknown_name(const dyad_coder *c, size_t i)
{
    const token *t = &c->toks[i];
    if (!(t->flags & T_CAP) || (t->flags & (T_PUNCT | T_NUM)) || (t->wflags & W_ROLE))
        return false; /* a name has no grammatical role of its own ("It", "This", "However") */
    for (size_t k = 0; k < c->nments; k++)
        if (c->ments[k].first <= i && c->ments[k].last >= i && c->ments[k].code[0])
            return false;
    return true;
}

/* Whether "he"/"she" at token I stands for a person named in its own sentence whom the dictionaries do not
 * know: the subject of the reporting verb before it ("Wine says he"), or a name with a relative clause
 * ("Maimane, who headed the party until he resigned"). */
static bool unknown_person_before(const dyad_coder *c, size_t i)
{
    const token *t = c->toks;
    size_t v = reporter_end(c, i);
    if (v > 0)
        return unknown_name(c, v - 1);
    for (size_t w = i; w-- > 2;) {
        for (size_t k = 0; k < c->nments; k++)
            if (c->ments[k].last == w && c->ments[k].code[0] && c->ments[k].kind == ACT_PERSON)
                return false; /* a person we know is nearer */
        if (tok_is(c, &t[w], "who") && (t[w - 1].wflags & W_COMMA))
            return unknown_name(c, w - 2);
    }
    return false;
}

static int cmp_ment(const void *a, const void *b)
{
    const mention *x = a, *y = b;
    if (x->first != y->first)
        return x->first < y->first ? -1 : 1;
    return 0;
}

/* Resolve references in text order, pushing actors to the recent list as they are seen. */
static void resolve_in_order(dyad_coder *c, size_t n)
{
    token *t = c->toks;
    /* into text order: the dictionary's mentions are in order already and references were appended,
     * so a stable insertion sort is cheap and keeps the two halves of "both sides" in their order */
    for (size_t k = 1; k < c->nments; k++) {
        mention m = c->ments[k];
        size_t j = k;
        while (j > 0 && cmp_ment(&c->ments[j - 1], &m) > 0) {
            c->ments[j] = c->ments[j - 1];
            j--;
        }
        c->ments[j] = m;
    }
    for (size_t k = 0; k < c->nments; k++) {
        mention *m = &c->ments[k];
        m->group = (int32_t)k;
        m->gnext = UINT32_MAX;
        if (k > 0 && c->ments[k - 1].first == m->first &&
            ((c->ments[k - 1].ref == 1 && m->ref == 1) || (c->ments[k - 1].multi && m->multi))) {
            m->group = c->ments[k - 1].group;
            c->ments[k - 1].gnext = (uint32_t)k;
        }
    }
    for (size_t k = 0; k < c->nments; k++) {
        mention *m = &c->ments[k];
        dyad_span sp = {t[m->first].start, t[m->last].end};
        if (m->ref >= 3) {
            int what = m->ref - 1;
            m->ref = 1;
            if (what == 2 || what == 3) { /* the latter / the former */
                int want = what == 2 ? 1 : 2, seen = 0;
                const char *prev = NULL;
                for (size_t r = c->nrecent; r-- > 0;) {
                    if (prev && strcmp(prev, c->recent[r].code) == 0)
                        continue;
                    prev = c->recent[r].code;
                    if (++seen == want) {
                        memcpy(m->code, c->recent[r].code, 16);
                        m->kind = c->recent[r].kind;
                        break;
                    }
                }
            } else if (what == 4) { /* he, she */
                if (unknown_person_before(c, m->first))
                    continue; /* "Wine says he...", "Maimane, who ... until he resigned": someone we do not know */
                for (size_t r = c->nrecent; r-- > 0;)
                    if (c->recent[r].kind == ACT_PERSON) {
                        memcpy(m->code, c->recent[r].code, 16);
                        m->kind = ACT_PERSON;
                        break;
                    }
            } else if (what == 5) { /* they: a compound named in this or the last sentence */
                if (c->have_pair && c->pair_compound && c->cur_sent - c->pair_sent <= 1) {
                    memcpy(m->code, c->pair[0], 16);
                    mention *m2 = add_mention(c, m->first, m->last);
                    if (m2) {
                        m = &c->ments[k]; /* add_mention may move the array */
                        memcpy(m2->code, c->pair[1], 16);
                        m2->ref = 1;
                        m2->group = (int32_t)k;
                        m->gnext = (uint32_t)(c->nments - 1);
                    }
                }
            } else if (what == 6) { /* the country */
                if (c->last_country[0]) {
                    memcpy(m->code, c->last_country, 4);
                    m->kind = ACT_COUNTRY;
                }
            } else if (what == 7) { /* "Congress": the US Congress in a story about the US and no other country
                                     * with a congress (India's party, the Philippines, Latin America...) */
                static const char *const other[] = {"IND", "PHL", "MEX", "GTM", "PER", "COL", "ARG", "BRA", "CHL",
                                                    "ESP", "HND", "SLV", "NIC", "PRY", "URY", "BOL", "ECU", "VEN",
                                                    "DOM", "CRI", "PAN", "FSM", "NGA", "ZAF", NULL};
                bool usa = false, another = false;
                for (size_t q = 0; q < c->nstory_countries; q++) {
                    usa |= memcmp(c->story_countries[q], "USA", 3) == 0;
                    for (int o = 0; other[o]; o++)
                        another |= memcmp(c->story_countries[q], other[o], 3) == 0;
                }
                if (usa && !another) {
                    memcpy(m->code, "USALEG", 7);
                    m->kind = ACT_ACTOR;
                }
            }
        } else if (!m->ref && m->kind == ACT_COUNTRY && strlen(m->code) == 3 && m->last + 1 < n &&
                   (tok_is(c, &t[m->last + 1], "counterpart") || tok_is(c, &t[m->last + 1], "counterparts"))) {
            /* "his Russian counterpart": the last actor of that country */
            m->last++;
            sp.end = t[m->last].end;
            char cc[4];
            memcpy(cc, m->code, 4);
            set_code(m->code, cc, "GOV");
            for (size_t r = c->nrecent; r-- > 0;)
                if (strncmp(c->recent[r].code, cc, 3) == 0 && strlen(c->recent[r].code) > 3) {
                    memcpy(m->code, c->recent[r].code, 16);
                    m->kind = c->recent[r].kind;
                    break;
                }
            m->ref = 1;
        }
        if (m->code[0] && !(m->ref && m->kind == 0))
            recent_push(c, m->code, m->kind ? m->kind : ACT_ACTOR, sp);
        if (strlen(m->code) >= 3 && m->code[0] != '-' && strncmp(m->code, "IGO", 3) && strncmp(m->code, "NGO", 3) &&
            strncmp(m->code, "IMG", 3) && strncmp(m->code, "MNC", 3) && strncmp(m->code, "EUR", 3)) {
            bool have = false;
            for (size_t q = 0; q < c->nstory_countries && !have; q++)
                have = memcmp(c->story_countries[q], m->code, 3) == 0;
            if (!have && c->nstory_countries < 32) {
                memcpy(c->story_countries[c->nstory_countries], m->code, 3);
                c->story_countries[c->nstory_countries++][3] = 0;
            }
        }
        if ((m->kind == ACT_COUNTRY || (m->code[0] && strlen(m->code) >= 3 && !m->ref)) && m->code[0] != '-') {
            if (m->kind == ACT_COUNTRY || m->kind == 0) /* (not "---COP": a role with no country) */
                memcpy(c->last_country, m->code, 3), c->last_country[3] = 0;
        }
    }
}

/* Appositions: "The US commander in Iraq, General David Petraeus, held talks": a role with no country of
 * its own, set off by commas right after an actor, is that actor. */
static void resolve_appositions(dyad_coder *c, size_t n)
{
    token *t = c->toks;
    for (size_t k = 1; k < c->nments; k++) {
        mention *a = &c->ments[k - 1], *b = &c->ments[k];
        if (!a->code[0] || b->code[0] != '-' || b->ref || a->code[0] == '-')
            continue;
        /* ", a former human rights lawyer,": over an article and modifiers */
        if (b->first < a->last + 2 || !(t[a->last + 1].wflags & W_COMMA) ||
            (b->first > a->last + 2 && !modifiers_only(c, a->last + 2, b->first)))
            continue;
        if (b->last + 1 < n && !(t[b->last + 1].wflags & W_COMMA) && !(t[b->last + 1].flags & T_PUNCT))
            continue;
        /* "The US commander in Iraq, General Petraeus": the apposition names the head, not the place */
        for (size_t q = k - 1; q > 0; q--) {
            uint32_t pf = a->first > 0 && (t[a->first - 1].wflags & W_DET) ? a->first - 1 : a->first;
            const mention *h = &c->ments[q - 1];
            if (pf < 2 || !(t[pf - 1].wflags & W_PREP) || h->last != pf - 2 || !h->code[0] || h->code[0] == '-')
                break;
            a = &c->ments[q - 1];
        }
        char cc[4];
        memcpy(cc, a->code, 3);
        cc[3] = 0;
        if (strlen(a->code) > 3)
            memcpy(b->code, a->code, sizeof b->code); /* the same person or body */
        else
            set_code(b->code, cc, b->code + 3);       /* "Iran, its foreign minister" */
        b->kind = a->kind;
    }
}

static int32_t possessor(const dyad_coder *c, uint32_t i);

/* "Russia said its troops attacked": a role with no country after a possessive pronoun has the country of
 * the actor the pronoun stands for. */
static void resolve_possessed_agents(dyad_coder *c)
{
    token *t = c->toks;
    for (size_t k = 0; k < c->nments; k++) {
        mention *m = &c->ments[k];
        if (m->code[0] != '-' || !m->sector[0] || m->ref || m->first == 0)
            continue;
        uint32_t p = m->first - 1;
        /* "the country's security forces": the country named last before it */
        if (poss_s(c, &t[p]) && p >= 2 && tok_is(c, &t[p - 1], "country") && tok_is(c, &t[p - 2], "the")) {
            const char *cc = c->country_before;
            for (size_t q = 0; q < c->nments; q++)
                if (c->ments[q].last + 2 < p && c->ments[q].code[0] && c->ments[q].code[0] != '-' && !c->ments[q].ref &&
                    (c->ments[q].kind == ACT_COUNTRY || c->ments[q].kind == 0))
                    cc = c->ments[q].code;
            if (!cc[0])
                continue;
            char sec[12], land[4];
            snprintf(sec, sizeof sec, "%s", m->code + 3);
            memcpy(land, cc, 3);
            land[3] = 0;
            set_code(m->code, land, sec);
            m->kind = 0;
            for (size_t q = 0; q < c->nments; q++) /* "the country" is no actor of its own here */
                if (c->ments[q].ref && c->ments[q].first == p - 2)
                    c->ments[q].code[0] = 0;
            continue;
        }
        if (!(t[p].wflags & W_POSS) || (t[p].wflags & W_DET))
            continue;
        int32_t o = possessor(c, p);
        if (o < 0 || c->ments[o].code[0] == '-' || !c->ments[o].code[0])
            continue;
        char cc[4], sec[12];
        memcpy(cc, c->ments[o].code, 3);
        cc[3] = 0;
        snprintf(sec, sizeof sec, "%s", m->code + 3);
        set_code(m->code, cc, sec);
        m->kind = 0;
    }
}

/* Whether mention K follows a comma that follows mention K-1, over modifiers ("Evil Mordor, the awful
 * Fornost"): K is inside a list. */
static bool list_before(const dyad_coder *c, uint32_t k)
{
    const token *t = c->toks;
    uint32_t af = c->ments[k].first;
    for (int q = 0; q < 3 && af > 0; q++) {
        const token *w = &t[af - 1];
        if (is_filler(c, w) || (!w->id && !(w->flags & (T_PUNCT | T_CAP | T_NUM))))
            af--;
        else
            break;
    }
    return af >= 2 && (t[af - 1].wflags & W_COMMA) && c->ments[k - 1].last + 2 == af;
}

/* A compound of roles and countries with the preposition in the middle, "lawmakers and officials in Fornost
 * and Gondor": roles with no country, then a role with its country ("officials in Fornost"), then countries.
 * Every role goes with every country; the members are rewritten and the missing ones appended to the
 * compound. False only when out of memory. */
static bool cross_roles_and_countries(dyad_coder *c)
{
    size_t nm = c->nments;
    for (size_t k = 0; k < nm; k++) {
        if (c->ments[k].group != (int32_t)k || c->ments[k].gnext == UINT32_MAX || c->ments[k].ref)
            continue;
        char roles[8][12], lands[8][4];
        size_t nr = 0, nl = 0, nmem = 0;
        uint32_t mem[16];
        bool ok = true, hinge = false;
        for (uint32_t q = (uint32_t)k; q != UINT32_MAX && ok; q = c->ments[q].gnext) {
            const mention *m = &c->ments[q];
            ok = nmem < 16 && nr < 8 && nl < 8 && !m->ref && m->code[0];
            if (!ok)
                break;
            mem[nmem++] = q;
            if (!hinge && m->code[0] == '-' && m->sector[0]) { /* a role with no country, before the hinge */
                snprintf(roles[nr++], sizeof roles[0], "%s", m->sector);
            } else if (!hinge && m->kind == 0 && m->agent_before && m->sector[0] && m->code[0] != '-') {
                snprintf(roles[nr++], sizeof roles[0], "%s", m->sector); /* the hinge */
                memcpy(lands[nl], m->code, 3);
                lands[nl++][3] = 0;
                hinge = true;
            } else if (hinge && m->kind == ACT_COUNTRY && strlen(m->code) == 3) {
                memcpy(lands[nl++], m->code, 4);
            } else {
                ok = false;
            }
        }
        if (!ok || !hinge || nr < 2 || nl < 2)
            continue;
        uint32_t last = mem[nmem - 1];
        for (size_t i = 0; i < nr * nl; i++) {
            uint32_t q;
            if (i < nmem) {
                q = mem[i];
            } else {
                mention *add = add_mention(c, c->ments[last].first, c->ments[last].last);
                if (!add)
                    return false;
                q = (uint32_t)(c->nments - 1);
                c->ments[q].group = (int32_t)k;
                c->ments[last].gnext = q;
                last = q;
            }
            set_code(c->ments[q].code, lands[i % nl], roles[i / nl]);
            memcpy(c->ments[q].sector, roles[i / nl], sizeof c->ments[q].sector);
            c->ments[q].kind = 0;
        }
        c->ments[last].gnext = UINT32_MAX;
    }
    return true;
}

/* Compounds: "A and B", "A, B and C", "both A and B". A comma links two actors only in a list that ends
 * with "and" ("Trentino, Firefly praised..." is no compound). */
static void link_compounds(dyad_coder *c)
{
    token *t = c->toks;
    /* link[k]: 0 none, 1 comma, 2 and, between mention k and k+1; decided right to left */
    uint8_t next_link = 0;
    for (size_t k = c->nments - 1; c->nments >= 2 && k-- > 0;) {
        mention *a = &c->ments[k], *b = &c->ments[k + 1];
        uint8_t link = 0;
        if (a->multi && b->multi && a->first == b->first)
            continue; /* the actors of one entry: already a compound, and a list goes on through them */
        if (a->gnext == UINT32_MAX && b->group == (int32_t)(k + 1) && a->code[0] && b->code[0] &&
            a->first != b->first) {
            uint32_t g = a->last + 1;
            /* words that may stand between the link and the next actor: "and the evil Gondor" */
            uint32_t bf = b->first;
            for (int k2 = 0; k2 < 3 && bf > g + 1; k2++) {
                const token *w = &t[bf - 1];
                if (is_filler(c, w) || (!w->id && !(w->flags & (T_PUNCT | T_CAP | T_NUM))) ||
                    tok_is(c, w, "other")) /* ("the U.S. and other Western nations") */
                    bf--;
                else
                    break;
            }
            if (bf == g + 1 && (t[g].wflags & W_AND))
                link = 2;
            else if (bf == g + 2 && (t[g].wflags & W_COMMA) && (t[g + 1].wflags & W_AND) && k > 0 &&
                     list_before(c, (uint32_t)k))
                link = 2; /* "A, B, and C"; but "honoured Modi, and the prime ministers signed": two clauses */
            else if (bf == g + 1 && (t[g].wflags & W_COMMA) && next_link)
                link = 1;
        }
        if (link) {
            a->gnext = (uint32_t)(k + 1);
        }
        next_link = link;
    }
    /* groups point at their first member */
    for (size_t k = 0; k < c->nments; k++)
        if (c->ments[k].gnext != UINT32_MAX && c->ments[k].gnext == k + 1 && c->ments[k + 1].ref == 0)
            c->ments[k + 1].group = c->ments[k].group;
    /* "lawmakers and officials in Fornost and Gondor": every role in every country */
    if (!cross_roles_and_countries(c))
        return;
    /* one agent for a compound of countries: "US and British activists" (the agent after the last),
     * "lawmakers in Fornost and Gondor" (the agent before the first) */
    for (size_t k = 0; k < c->nments; k++) {
        mention *g = &c->ments[k];
        if (g->group != (int32_t)k || g->gnext == UINT32_MAX || g->ref)
            continue;
        const mention *with = NULL;
        if (g->sector[0] && g->agent_before) {
            with = g;
        } else {
            uint32_t last = (uint32_t)k;
            while (c->ments[last].gnext != UINT32_MAX)
                last = c->ments[last].gnext;
            if (c->ments[last].sector[0] && !c->ments[last].agent_before)
                with = &c->ments[last];
        }
        if (!with)
            continue;
        for (uint32_t q = (uint32_t)k; q != UINT32_MAX; q = c->ments[q].gnext) {
            mention *m = &c->ments[q];
            if (m->kind == ACT_COUNTRY && strlen(m->code) == 3) {
                char cc[4];
                memcpy(cc, m->code, 4);
                set_code(m->code, cc, with->sector);
                m->kind = 0;
            }
        }
    }
    /* one country for a compound of agents: "Iranian media and officials" (the country before the first),
     * "officials and lawmakers in Iran" (the country after the last) */
    for (size_t k = 0; k < c->nments; k++) {
        mention *g = &c->ments[k];
        if (g->group != (int32_t)k || g->gnext == UINT32_MAX || g->ref)
            continue;
        const mention *before = NULL;
        for (uint32_t q = (uint32_t)k; q != UINT32_MAX; q = c->ments[q].gnext) {
            mention *m = &c->ments[q];
            bool has_country = m->code[0] && m->code[0] != '-' && m->kind == 0 && m->sector[0] && !m->ref;
            if (has_country && !m->agent_before) {
                before = m;
                continue;
            }
            if (m->code[0] != '-' || !m->sector[0] || m->ref)
                continue;
            const mention *donor = before;
            if (!donor) /* the next member with a country after its agent */
                for (uint32_t r = m->gnext; r != UINT32_MAX && !donor; r = c->ments[r].gnext)
                    if (c->ments[r].code[0] && c->ments[r].code[0] != '-' && c->ments[r].kind == 0 &&
                        c->ments[r].agent_before && !c->ments[r].ref)
                        donor = &c->ments[r];
            if (donor) {
                char cc[4], sec[12];
                memcpy(cc, donor->code, 3);
                cc[3] = 0;
                snprintf(sec, sizeof sec, "%s", m->code + 3);
                set_code(m->code, cc, sec);
            }
        }
    }
    /* "Obama and Putin said they will attack": "they" after a compound of its own sentence is that compound
     * (before the pair of the last sentence, which resolve_in_order gave it) */
    size_t nm = c->nments;
    for (size_t k = 0; k < nm; k++) {
        if (c->ments[k].ref != 1 || c->ments[k].group != (int32_t)k || c->ments[k].first != c->ments[k].last ||
            !(c->toks[c->ments[k].first].wflags & W_PRON_PL))
            continue;
        int32_t g = -1;
        for (size_t q = 0; q < nm; q++) {
            const mention *h = &c->ments[q];
            if (h->group == (int32_t)q && h->gnext != UINT32_MAX && !h->ref && h->code[0] &&
                c->ments[h->gnext].code[0] && c->ments[h->gnext].last < c->ments[k].first)
                g = (int32_t)q;
        }
        if (g < 0)
            continue;
        uint32_t second = c->ments[g].gnext;
        memcpy(c->ments[k].code, c->ments[g].code, 16);
        c->ments[k].kind = c->ments[g].kind;
        if (c->ments[k].gnext == UINT32_MAX) {
            mention *m2 = add_mention(c, c->ments[k].first, c->ments[k].last);
            if (!m2)
                return;
            m2->ref = 1;
            m2->group = (int32_t)k;
            c->ments[k].gnext = (uint32_t)(c->nments - 1);
        }
        mention *m2 = &c->ments[c->ments[k].gnext];
        memcpy(m2->code, c->ments[second].code, 16);
        m2->kind = c->ments[second].kind;
    }
}

/* "the Islamic Revolutionary Guard Corps (IRGC)", "the European Union (EU)": an acronym in parentheses right
 * after an actor belongs to it, and its parentheses cut no clause. */
static void absorb_acronyms(dyad_coder *c, size_t n)
{
    token *t = c->toks;
    for (size_t k = 0; k < c->nments; k++) {
        uint32_t l = c->ments[k].last;
        if (l + 3 < n && tok_is(c, &t[l + 1], "(") && tok_is(c, &t[l + 3], ")") && (t[l + 2].flags & T_CAP) &&
            !(t[l + 2].flags & T_PUNCT)) {
            for (size_t q = 0; q < c->nments; q++) /* the acronym may be a mention too: the same actor */
                if (q != k && c->ments[q].first == l + 2 && c->ments[q].last == l + 2)
                    c->ments[q].code[0] = 0;
            c->ments[k].last = l + 3;
            t[l + 1].wflags &= ~(uint32_t)W_BARRIER;
            t[l + 3].wflags &= ~(uint32_t)W_BARRIER;
        }
    }
}

/* ---- stage 3: clauses, prepositions, attribution ------------------------------------------------------ */

static bool passive_form(const dyad_coder *c, size_t i);
static void mark_clauses(dyad_coder *c, size_t n)
{
    token *t = c->toks;
    uint32_t cl = 0;
    for (size_t i = 0; i < n; i++) {
        bool report = (c->tok_mark[i] & MK_REPORT_START) != 0;
        /* "since last month", "during Monday's talks": a barrier word before a time is a preposition */
        bool before_time = false;
        for (size_t k = 0; k < c->ntimes && !before_time; k++)
            before_time = c->times[k].first == i + 1;
        /* "have since banned": "since" between an auxiliary and its verb is an adverb */
        if (tok_is(c, &t[i], "since") && i > 0 && (t[i - 1].wflags & W_AUX) && i + 1 < n && passive_form(c, i + 1))
            before_time = true;
        if (((t[i].wflags & W_BARRIER) && !before_time) || report)
            cl++;
        t[i].clause = cl;
        if (report) { /* the reporting words are their own clause */
            while (i + 1 < n && (c->tok_mark[i + 1] & MK_REPORT) && !(c->tok_mark[i + 1] & MK_REPORT_START))
                t[++i].clause = cl;
            cl++;
        }
    }
    for (size_t k = 0; k < c->nments; k++) {
        mention *m = &c->ments[k];
        size_t j = m->first;
        while (j > 0 && is_filler(c, &t[j - 1]))
            j--;
        m->pp = j > 0 && (t[j - 1].wflags & W_PREP) && !(t[j - 1].wflags & W_BARRIER);
        /* "thousands of protesters", "a group of soldiers", "some of the rebels": the head of a quantity */
        static const char *const amount[] = {"thousands", "hundreds", "dozens", "scores", "millions", "tens",
                                             "group", "crowd", "crowds", "number", "some", "many", "most",
                                             "several", "all", "hundred", "thousand", "dozen", "million", NULL};
        if (m->pp && j >= 2 && tok_is(c, &t[j - 1], "of") && ((t[j - 2].flags & T_NUM) || tok_in(c, &t[j - 2], amount)))
            m->pp = 0;
        /* a mention that is the second member of a compound shares the first's role */
        if (m->group != (int32_t)k)
            m->pp = c->ments[m->group].pp;
    }
}

static int32_t mention_in(const dyad_coder *c, uint32_t from, uint32_t to)
{
    for (size_t k = 0; k < c->nments; k++)
        if (c->ments[k].first >= from && c->ments[k].last <= to && c->ments[k].code[0])
            return (int32_t)k;
    return -1;
}

static int32_t subject_of(const dyad_coder *c, uint32_t first);

/* Reported speech: the attribution of a sentence's events. */
static void find_attribution(dyad_coder *c, size_t n, dyad_span *attr, char *attr_code)
{
    token *t = c->toks;
    attr->start = attr->end = 0;
    attr_code[0] = 0;
    c->attr_date = 0;
    c->attr_verb = UINT32_MAX;
    c->attr_date_precision = 0;
    for (size_t i = 0; i < n; i++) {
        if (!(c->tok_mark[i] & MK_REPORT_START))
            continue;
        size_t j = i;
        while (j + 1 < n && (c->tok_mark[j + 1] & MK_REPORT) && !(c->tok_mark[j + 1] & MK_REPORT_START))
            j++;
        uint32_t a = 0, b = 0;
        bool found = false;
        static const char *const told[] = {"tell", "told", "tells", "telling", NULL};
        if (c->tok_mark[i] & MK_ACCORDING) {
            /* according to X: up to punctuation or a preposition */
            size_t k = j + 1;
            while (k < n && k < j + 9 && !(t[k].flags & T_PUNCT) && !((t[k].wflags & W_PREP) && k > j + 1))
                k++;
            if (k > j + 1)
                a = (uint32_t)(j + 1), b = (uint32_t)(k - 1), found = true;
        } else {
            /* X said: the phrase right before the verb, over auxiliaries */
            size_t k = i;
            while (k > 0 && (t[k - 1].wflags & (W_AUX | W_FILLER | W_BE)))
                k--;
            size_t e = k;
            while (k > 0 && e - k < 8 && (!(t[k - 1].flags & T_PUNCT) || (t[k - 1].flags & T_HYPHEN)) &&
                   !(t[k - 1].wflags & (W_BARRIER | W_PREP | W_AND)) &&
                   !(c->tok_mark[k - 1] & MK_REPORT))
                k--;
            if (e > k) {
                a = (uint32_t)k, b = (uint32_t)(e - 1), found = true;
            } else if (k > 0 && (t[k - 1].wflags & W_AND)) {
                /* "Moscow denied the claims and said": the reporter is the clause's subject */
                int32_t sm = subject_of(c, (uint32_t)(k - 1));
                if (sm >= 0)
                    a = c->ments[sm].first, b = c->ments[sm].last, found = true;
            } else if (j + 1 < n && !tok_in(c, &t[i], told)) { /* "..., said the statement"; not "..., told
                                                                 * reporters": the addressee */
                size_t q = j + 1;
                while (q < n && q < j + 9 && !(t[q].flags & T_PUNCT) && !(t[q].wflags & (W_PREP | W_BARRIER)))
                    q++;
                if (q > j + 1)
                    a = (uint32_t)(j + 1), b = (uint32_t)(q - 1), found = true;
            }
        }
        if (!found)
            continue;
        c->attr_verb = (uint32_t)i;
        attr->start = t[a].start;
        attr->end = t[b].end;
        int32_t m = mention_in(c, a, b);
        if (m >= 0) {
            snprintf(attr_code, 16, "%s", c->ments[m].code);
        } else {
            /* "the statement said", "it added": the same source as the last attribution */
            snprintf(attr_code, 16, "%s", c->last_attr_code);
        }
        if (b == a && tok_is(c, &t[a], "it") && c->last_attr.end > c->last_attr.start)
            *attr = c->last_attr; /* "It said": the statement named before */
        c->last_attr = *attr;
        memcpy(c->last_attr_code, attr_code, 16);
        /* when it was said: "a Kremlin statement on Friday", "officials said on Saturday" */
        size_t lo = a < i ? a : i, hi = (b > j ? b : j) + 2;
        for (size_t k = 0; k < c->ntimes; k++)
            if (c->times[k].first >= lo && c->times[k].first <= hi) {
                c->attr_date = c->times[k].date;
                c->attr_date_precision = c->times[k].precision;
                break;
            }
        return;
    }
}

/* ---- places -------------------------------------------------------------------------------------------- */

/* "in Tehran", "near Kharkiv", "outside Khartoum", "in Iran": a preposition of place and a capitalised name.
 * A country named so is a country-level place; a city comes from the gazetteer, resolved with the countries
 * the story has named. */
static void find_places(dyad_coder *c, size_t n)
{
    token *t = c->toks;
    c->nplaces = 0;
    for (size_t i = 0; i + 1 < n && c->nplaces < 8; i++) {
        if (!(tok_is(c, &t[i], "in") || tok_is(c, &t[i], "near") || tok_is(c, &t[i], "outside") ||
              tok_is(c, &t[i], "at") || tok_is(c, &t[i], "across") || tok_is(c, &t[i], "around") ||
              tok_is(c, &t[i], "into") || tok_is(c, &t[i], "inside")))
            continue;
        size_t j = i + 1;
        if (j < n && tok_is(c, &t[j], "the"))
            j++;
        if (j >= n || !(t[j].flags & T_CAP) || (t[j].flags & T_PUNCT) || (t[j].wflags & W_TIME))
            continue; /* "in August" is a time */
        dyad_place pl;
        memset(&pl, 0, sizeof pl);
        int32_t m = c->tok_ment[j];
        if (m >= 0 && c->ments[m].kind == ACT_COUNTRY && strlen(c->ments[m].code) == 3) {
            pl.level = DYAD_PLACE_COUNTRY;
            memcpy(pl.country, c->ments[m].code, 4);
            pl.name = (dyad_span){t[j].start, t[c->ments[m].last].end};
        } else {
            /* a capital is an actor too ("Tehran" for Iran's government), but after "in" it is a place;
             * an actor the gazetteer does not know ("in Putin's view") is not */
            size_t e = j;
            if (m >= 0 && c->ments[m].code[0])
                e = c->ments[m].last;
            while (m < 0 && e + 1 < n && e < j + 2 && (t[e + 1].flags & T_CAP) && !(t[e + 1].flags & T_PUNCT))
                e++;
            /* the longest run of capitalised words that the gazetteer knows */
            place_hit hit;
            bool found = false;
            for (size_t last = e + 1; last-- > j && !found;) {
                const char *name = c->story->text + t[j].start;
                size_t len = t[last].end - t[j].start;
                if (place_resolve(name, len, (const char(*)[4])c->story_countries, c->nstory_countries, &hit) == 1) {
                    found = true;
                    e = last;
                }
            }
            if (!found)
                continue;
            pl.level = DYAD_PLACE_CITY;
            memcpy(pl.country, hit.country, 4);
            memcpy(pl.admin1, hit.admin1, sizeof pl.admin1);
            pl.lat = hit.lat;
            pl.lon = hit.lon;
            pl.geonameid = hit.geonameid;
            pl.name = (dyad_span){t[j].start, t[e].end};
        }
        pl.text = (dyad_span){t[i].start, pl.name.end};
        c->place_tok[c->nplaces] = (uint32_t)i;
        c->places[c->nplaces++] = pl;
    }
}

/* ---- stage 4: patterns -------------------------------------------------------------------------------- */

static int32_t mention_at(const dyad_coder *c, uint32_t i)
{
    int32_t m = c->tok_ment[i];
    return m >= 0 && c->ments[m].code[0] ? m : -1;
}

/* The last token of a compound starting at mention M. */
static uint32_t group_last(const dyad_coder *c, int32_t m)
{
    uint32_t last = c->ments[m].last;
    for (uint32_t k = c->ments[m].gnext; k != UINT32_MAX; k = c->ments[k].gnext)
        if (c->ments[k].last > last)
            last = c->ments[k].last;
    return last;
}

static bool el_matches(const dyad_dict *d, const pat_el *el, uint32_t id)
{
    if (!id)
        return false;
    if (el->type == PE_WORD)
        return el->val == id;
    uint32_t one;
    return u64map_get(&d->syn_member, (((uint64_t)(el->val + 1) << 32) | id) + 1, &one);
}

/* Match elements [k, end) of pattern P from token position POS; fills M. */
/* Tokens of the quantity starting at token i ("at least 30"), remembered for the sentence. */
static size_t quantity_at(dyad_coder *c, size_t i, size_t n)
{
    if (!c->qty[i]) {
        size_t l = quantity_len(c->story->text, c->toks, n, i);
        c->qty[i] = (uint8_t)(1 + (l < 250 ? l : 0));
    }
    return c->qty[i] - 1u;
}

/* The actor of "a rebel-held part of X", "the northern outskirts of X", "several villages in X" starting at
 * token q: a few modifiers, a word for a part of a territory, "of"/"in", then the actor; -1 if none. */
static bool passive_form(const dyad_coder *c, size_t i);
static int32_t part_of(const dyad_coder *c, size_t q, size_t n)
{
    static const char *const parts[] = {"part", "parts", "area", "areas", "region", "regions", "outskirts",
                                        "district", "districts", "town", "towns", "village", "villages", "city",
                                        "cities", "province", "provinces", "territory", "territories", "border",
                                        "north", "south", "east", "west", "centre", "center", "capital", NULL};
    const token *t = c->toks;
    for (size_t j = q; j < n && j <= q + 5; j++) {
        if (t[j].flags & T_PUNCT && !(t[j].flags & T_HYPHEN))
            return -1;
        if (tok_in(c, &t[j], parts) && j + 2 < n && (tok_is(c, &t[j + 1], "of") || tok_is(c, &t[j + 1], "in"))) {
            size_t a = j + 2 + ((t[j + 2].wflags & W_DET) ? 1 : 0);
            return a < n ? mention_at(c, (uint32_t)a) : -1;
        }
        if (c->tok_ment[j] >= 0 && j > q)
            return -1;
    }
    return -1;
}

static bool plain_word(const dyad_coder *c, size_t i);

/* When the actor ending at token LAST is followed by "'s" and a word for others related to it ("America's
 * allies", "Iran's neighbours"), over up to two modifiers, the phrase names those others: the token of that
 * word; else 0. */
static uint32_t relation_of(const dyad_coder *c, uint32_t last, size_t n)
{
    static const char *const others[] = {"ally", "allies", "partner", "partners", "neighbour", "neighbours",
                                         "neighbor", "neighbors", "enemy", "enemies", "rival", "rivals", "friend",
                                         "friends", "critic", "critics", "opponent", "opponents", "adversary",
                                         "adversaries", "foe", "foes", NULL};
    const token *t = c->toks;
    if (last + 2 >= n || !poss_s(c, &t[last + 1]))
        return 0;
    for (size_t q = last + 2; q < n && q <= last + 4; q++) {
        if (tok_in(c, &t[q], others))
            return (uint32_t)q;
        if (!plain_word(c, q))
            return 0;
    }
    return 0;
}
static bool ing_form(const dyad_coder *c, size_t i);

static bool match_rest(dyad_coder *c, const pattern *p, uint32_t k, size_t pos, size_t n, uint32_t clause,
                       match *m)
{
    const dyad_dict *d = c->d;
    token *t = c->toks;
    if (k == p->n_el)
        return true;
    const pat_el *el = &d->els[p->first_el + k];
    switch (el->type) {
    case PE_GAP: /* up to GAP_MAX words, over a comma only inside a list (below); a list's commas and its ", and"
                  * do not count as words ("fired tear gas, rubber bullets, and stun grenades at") */
        for (size_t q = pos, used = 0; q < n && used <= GAP_MAX && t[q].clause == clause; q++) {
            if (!(t[q].wflags & W_COMMA) && !(q > 0 && (t[q].wflags & W_AND) && (t[q - 1].wflags & W_COMMA)))
                used++;
            if (match_rest(c, p, k + 1, q, n, clause, m))
                return true;
            /* ... except one inside a list of plain words: "restore complete, full diplomatic ties", "fired tear
             * gas, rubber bullets, and stun grenades at" */
            if (t[q].wflags & W_COMMA) {
                size_t w = q + 1 < n && ((t[q + 1].wflags & W_AND) || tok_is(c, &t[q + 1], "or")) ? q + 2 : q + 1;
                if (!(q > 0 && w < n && plain_word(c, q - 1) && plain_word(c, w) && !ing_form(c, w) &&
                      c->tok_ment[q - 1] < 0))
                    break;
            }
        }
        return false;
    case PE_WORD:
    case PE_SYN:
        for (size_t q = pos, skipped = 0; q < n && skipped <= FILLER_MAX; q++, skipped++) {
            if (el_matches(d, el, t[q].id)) {
                uint32_t save = m->last;
                m->last = (uint32_t)q;
                if (match_rest(c, p, k + 1, q + 1, n, clause, m))
                    return true;
                m->last = save;
            }
            if (!is_filler(c, &t[q]))
                break;
        }
        return false;
    case PE_TARGET:
    case PE_SOURCE: {
        size_t q = pos;
        for (size_t skipped = 0; q < n && skipped < FILLER_MAX && mention_at(c, (uint32_t)q) < 0 &&
                                 is_filler(c, &t[q]);
             q++, skipped++)
            ;
        int32_t mi = q < n ? mention_at(c, (uint32_t)q) : -1;
        size_t ql = mi < 0 && q < n ? quantity_at(c, q, n) : 0;
        if (ql && q + ql < n) /* "arrested 20 protesters", "killed at least 30 civilians" */
            mi = mention_at(c, (uint32_t)(q + ql));
        /* "blamed archrival India", "met senior Chinese officials", "arrested seven additional IS members": up
         * to two modifiers before the actor */
        for (size_t r = q + ql, k2 = 0; mi < 0 && k2 < 2 && r < n && plain_word(c, r) && !ing_form(c, r); k2++) {
            r++;
            while (r < n && (t[r].flags & T_HYPHEN) && r + 1 < n) /* "war-torn" */
                r += 2;
            if (r < n && mention_at(c, (uint32_t)r) >= 0)
                mi = mention_at(c, (uint32_t)r);
        }
        if (mi < 0 && el->type == PE_TARGET && q < n) { /* "shelled a government-held part of Aleppo" */
            if (c->part[q] == -2)
                c->part[q] = part_of(c, q, n);
            mi = c->part[q];
        }
        if (mi < 0) {
            if (el->type == PE_TARGET && m->passive && !m->virtual_target) {
                m->virtual_target = true;
                if (match_rest(c, p, k + 1, pos, n, clause, m))
                    return true;
                m->virtual_target = false;
            }
            /* "Houthi rebels attacked a cargo ship", "the army shelled the village": force against a thing
             * is an event with no target actor (kept only for an armed source or a specific physical code:
             * events_from_matches) */
            const char *code = d->cameo[p->code].code;
            if (el->type == PE_TARGET && k + 1 == p->n_el && d->els[p->first_el + k - 1].type != PE_GAP && !m->passive &&
                !m->object_noun && m->first == m->last &&
                passive_form(c, m->first) && !(m->first > 0 && (t[m->first - 1].wflags & (W_DET | W_POSS))) &&
                ((code[0] == '1' && code[1] >= '7') || code[0] == '2') && q < n &&
                ((t[q].wflags & W_DET) || plain_word(c, q) || ((t[q].flags & (T_CAP | T_NUM)) && !(t[q].flags & T_PUNCT))) &&
                !(t[q].wflags & (W_PRON | W_PRON_PL | W_PREP | W_FILLER)) &&
                !tok_is(c, &t[q], "very") && !tok_is(c, &t[q], "back") && !tok_is(c, &t[q], "themselves") &&
                !tok_is(c, &t[q], "itself") && !tok_is(c, &t[q], "himself") && !tok_is(c, &t[q], "herself")) {
                /* ... when the verb's subject stands right before it ("the two exiled dissidents": an adjective) */
                size_t b = m->first;
                while (b > 0 && (is_filler(c, &t[b - 1]) || (t[b - 1].wflags & (W_AUX | W_NEG))))
                    b--;
                if (b > 0 && (actor_ending_at(c, b - 1) >= 0 || tok_is(c, &t[b - 1], "who") ||
                              tok_is(c, &t[b - 1], "which") || tok_is(c, &t[b - 1], "that"))) {
                    m->object_noun = true;
                    return true;
                }
            }
            return false;
        }
        /* "threats against America's allies": the allies are the target, not America; "Turkey's rival
         * Greece": the one named after them */
        uint32_t rel = el->type == PE_TARGET ? relation_of(c, group_last(c, mi), n) : 0;
        if (rel) {
            mi = rel + 1 < n ? mention_at(c, rel + 1) : -1;
            if (mi < 0)
                return false;
        }
        int32_t save = el->type == PE_TARGET ? m->tgt : m->src;
        if (el->type == PE_TARGET)
            m->tgt = mi;
        else
            m->src = mi;
        if (match_rest(c, p, k + 1, group_last(c, mi) + 1, n, clause, m))
            return true;
        /* "between $ and +": the slot takes the compound's first member, "and" comes after it */
        if (c->ments[mi].gnext != UINT32_MAX && k + 1 < p->n_el && d->els[p->first_el + k + 1].type == PE_WORD &&
            match_rest(c, p, k + 1, c->ments[mi].last + 1, n, clause, m))
            return true;
        if (el->type == PE_TARGET)
            m->tgt = save;
        else
            m->src = save;
        return false;
    }
    }
    return false;
}

/* Whether token i has the form of a past participle ("attacked", "taken", "held"). */
static bool passive_form(const dyad_coder *c, size_t i)
{
    token *t = c->toks;
    size_t n = tok_len(&t[i]);
    const char *s = tok_text(c, &t[i]);
    bool participle = (n > 3 && s[n - 2] == 'e' && s[n - 1] == 'd') || (n > 3 && s[n - 1] == 'n');
    if (!participle && n < 32 && t[i].id) {
        /* an irregular participle: the key differs from the word itself */
        const char *key = strtab_str(&c->d->vocab, t[i].id);
        size_t kl = strlen(key);
        participle = !(kl == n && strncmp(key, s, n) == 0) && !(n > 1 && s[n - 1] == 's') && !(n > 3 && s[n - 1] == 'g');
    }
    return participle;
}

/* Is the verb at token I in the passive voice? 1: a passive ("was attacked"); 2: a reduced relative, a participle right after an actor and before a
 * preposition or the end of the clause ("schoolgirls kidnapped in Zamfara", "protesters arrested by police"),
 * or after a comma ("..., killed in a raid"),
 * which is taken as a passive only for coercion and violence (CAMEO 17-20: "leaders met in Geneva" is
 * active); 0: neither. */
static int passive_at(dyad_coder *c, size_t i, size_t n)
{
    token *t = c->toks;
    if (!passive_form(c, i))
        return 0;
    for (size_t j = i, k = 0; j > 0 && k < 3; j--, k++) {
        const token *p = &t[j - 1];
        if (p->wflags & W_BE)
            return 1;
        if (!(is_filler(c, p) || (p->wflags & W_NEG)))
            break;
    }
    /* right after an actor, or set off by a comma ("the leader is dead, killed in a raid") */
    bool after_actor = i > 0 && ((t[i - 1].wflags & W_COMMA) || actor_ending_at(c, i - 1) >= 0);
    /* ... but a preposition that names the act's own target makes the verb active: "Russia fought against
     * Ukraine", "Iran retaliated against Israel", "troops pushed into the town", "advanced on Kyiv" */
    static const char *const aimed[] = {"against", "at", "into", "toward", "towards", "onto", "upon", NULL};
    bool aimed_at = i + 1 < n && (tok_in(c, &t[i + 1], aimed) ||
                                  (tok_is(c, &t[i + 1], "on") && !(i + 2 < n && (t[i + 2].wflags & W_TIME))));
    if (after_actor && !aimed_at &&
        (i + 1 >= n || (t[i + 1].wflags & (W_PREP | W_COMMA)) || (t[i + 1].flags & T_PUNCT)) &&
        !(i + 1 < n && (tok_is(c, &t[i + 1], "to") || tok_is(c, &t[i + 1], "with"))) &&
        !(i + 1 < n && quantity_at(c, i + 1, n))) /* "arrested at least 30 protesters" */
        return 2;
    return 0;
}

/* Whether some pattern has the word ID as a verb with its object right after it ("kidnap +"): a verb that
 * has none ("clash", "skirmish") is never a reduced relative ("Israel and Hamas clashed" is active). */
static bool takes_object(const dyad_dict *d, uint32_t id)
{
    if (!id)
        return true;
    for (uint32_t a = d->anchor_off[id]; a < d->anchor_off[id + 1]; a++) {
        const pattern *p = &d->patterns[d->anchor_pat[a]];
        uint32_t k = 0;
        while (k < p->n_el && d->els[p->first_el + k].type != PE_WORD && d->els[p->first_el + k].type != PE_SYN)
            k++;
        if (k + 1 < p->n_el && d->els[p->first_el + k + 1].type == PE_TARGET)
            return true;
    }
    return false;
}

/* The passive of a verb-and-object pattern whose object is the subject: "impose .. sanction on +" matches
 * "new sanctions were imposed on Iran (by the US)", "sign .. agreement" matches "the agreement was signed by
 * A and B". The pattern's words after the verb (over a gap) are looked for right before the verb's auxiliaries,
 * in order, over up to two modifiers; the rest of the pattern follows the verb. M's first token becomes the
 * object's; the agent after "by" is the source (events_from_matches). */
static bool noun_passive(dyad_coder *c, const pattern *p, uint32_t k, size_t i, size_t n, int passive, match *m)
{
    const dyad_dict *d = c->d;
    const token *t = c->toks;
    if (passive != 1 || k != 0)
        return false;
    uint32_t q = k + 1;
    if (q < p->n_el && d->els[p->first_el + q].type == PE_GAP)
        q++;
    uint32_t r = q;
    while (r < p->n_el && (d->els[p->first_el + r].type == PE_SYN ||
                           (d->els[p->first_el + r].type == PE_WORD && !(d->wflags[d->els[p->first_el + r].val] & W_PREP))))
        r++; /* (up to a preposition: "on +" follows the verb) */
    if (r == q || r - q > 3)
        return false;
    /* the auxiliaries before the verb: "were", "have been", "has not been" */
    size_t b = i;
    while (b > 0 && ((t[b - 1].wflags & (W_AUX | W_BE | W_NEG)) || is_filler(c, &t[b - 1])))
        b--;
    if (b == i || b == 0)
        return false;
    /* the object words in order, the last right before the auxiliaries */
    size_t pos = b;
    for (uint32_t e = r; e-- > q;) {
        size_t w = pos, tries = 0;
        while (w > 0 && tries < (e + 1 == r ? 1u : 3u) && !el_matches(d, &d->els[p->first_el + e], t[w - 1].id) &&
               !(t[w - 1].flags & T_PUNCT) && c->tok_ment[w - 1] < 0)
            w--, tries++;
        if (w == 0 || !el_matches(d, &d->els[p->first_el + e], t[w - 1].id))
            return false;
        pos = w - 1;
    }
    if (pos > 0 && c->tok_ment[pos - 1] >= 0 && !(t[pos - 1].wflags & W_DET))
        return false; /* "Iranian sanctions were imposed": an actor before the noun is the object's owner */
    match save = *m;
    m->passive = true;
    m->noun_passive = true;
    if (r < p->n_el && !match_rest(c, p, r, i + 1, n, t[i].clause, m)) {
        *m = save;
        return false;
    }
    if (r == p->n_el)
        m->last = (uint32_t)i;
    m->first = (uint32_t)pos;
    return true;
}

/* Whether an actor starts at token I, over an article: the agent after "by" ("by the U.S. military"), not
 * the means ("by phone"). */
static bool by_actor(const dyad_coder *c, size_t i, size_t n)
{
    while (i < n && is_filler(c, &c->toks[i]) && mention_at(c, (uint32_t)i) < 0)
        i++;
    return i < n && mention_at(c, (uint32_t)i) >= 0;
}

/* Try pattern PI anchored at token I; appends a match. False only when out of memory. */
static bool try_pattern(dyad_coder *c, uint32_t pi, size_t i, size_t n, int passive)
{
    const dyad_dict *d = c->d;
    token *t = c->toks;
    const pattern *p = &d->patterns[pi];
    if (p->sig & ~c->sent_sig)
        return true; /* a word of the pattern is not in the sentence */
    /* leading slots before the anchor word: a mention right before it */
    uint32_t k = 0;
    match m = {pi, (uint32_t)i, (uint32_t)i, 0, 0, -1, -1, false, false, false, false, false, p->code};
    size_t back = i;
    while (k < p->n_el && (d->els[p->first_el + k].type == PE_SOURCE || d->els[p->first_el + k].type == PE_TARGET))
        k++;
    for (uint32_t s = k; s-- > 0;) {
        size_t j = back;
        /* over fillers, and over auxiliaries and "not" before the verb ("Iran has faced pressure from") */
        while (j > 0 && (is_filler(c, &t[j - 1]) || (s + 1 == k && (t[j - 1].wflags & (W_AUX | W_NEG)))) &&
               c->tok_ment[j - 1] < 0)
            j--;
        int32_t mi = -1;
        for (size_t q = 0; q < c->nments; q++)
            if (c->ments[q].code[0] && j > 0 && c->ments[q].last == j - 1 && c->ments[q].group == (int32_t)q)
                mi = (int32_t)q;
        if (mi < 0)
            return true;
        if (d->els[p->first_el + s].type == PE_SOURCE)
            m.src = mi;
        else
            m.tgt = mi;
        back = c->ments[mi].first;
    }
    if (!el_matches(d, &d->els[p->first_el + k], t[i].id))
        return true;
    /* "Iranian-backed", "cease-fire": the second half of a hyphenated word is no verb, unless the first
     * half is a prefix ("co-sign", "re-elect", "counter-attack") */
    if (k == 0 && i > 1 && (t[i - 1].flags & T_HYPHEN) && t[i - 1].start == t[i - 2].end &&
        !(tok_len(&t[i - 2]) <= 3 && !(t[i - 2].flags & T_CAP)) && !tok_is(c, &t[i - 2], "counter") &&
        !tok_is(c, &t[i - 2], "inter") && !tok_is(c, &t[i - 2], "over") && !tok_is(c, &t[i - 2], "under"))
        return true;
    /* "a charge Ankara denies": a verb pattern ("charge +") after an article is a noun, not the verb */
    if (k + 1 < p->n_el && (d->els[p->first_el + k + 1].type == PE_TARGET || d->els[p->first_el + k + 1].type == PE_GAP) &&
        i > 0 && (t[i - 1].wflags & W_DET))
        return true;
    if (passive == 2) { /* a reduced relative needs a verb with an object */
        bool slot = false;
        for (uint32_t q = 0; q < p->n_el && !slot; q++)
            slot = d->els[p->first_el + q].type == PE_TARGET;
        if (!slot && !takes_object(d, t[i].id))
            passive = 0;
    }
    m.passive = passive == 1 || (passive == 2 && d->cameo[p->code].code[0] == '1' && d->cameo[p->code].code[1] >= '7') ||
                (passive == 2 && d->cameo[p->code].code[0] == '2') ||
                (passive == 2 && i + 2 < n && tok_is(c, &t[i + 1], "by") && by_actor(c, i + 2, n)); /* "soldiers,
                                                                        * supported by militias," */
    if (!match_rest(c, p, k + 1, i + 1, n, t[i].clause, &m) && !noun_passive(c, p, k, i, n, passive, &m))
        return true;
    /* "Rebels attacked Israel" is no "rebel attack": a noun pattern that starts inside an actor's phrase does
     * not run on into the verb after it */
    for (size_t q = 0; k == 0 && q < c->nments; q++)
        if (c->ments[q].first <= i && c->ments[q].last >= i) {
            uint32_t after = c->ments[q].last + 1;
            size_t al = after <= m.last ? tok_len(&t[after]) : 0;
            if (al > 3 && !memcmp(tok_text(c, &t[after]) + al - 2, "ed", 2))
                return true;
        }
    m.span_first = m.first;
    m.span_last = m.last;
    int32_t slots[2] = {m.src, m.tgt};
    for (int q = 0; q < 2; q++)
        if (slots[q] >= 0) {
            uint32_t gl = group_last(c, slots[q]);
            if (gl > m.span_last)
                m.span_last = gl;
            if (c->ments[slots[q]].first < m.span_first)
                m.span_first = c->ments[slots[q]].first;
        }
    if (!GROW(c->matches, c->matches_cap, c->nmatches + 1))
        return false;
    c->matches[c->nmatches++] = m;
    return true;
}

static bool find_matches(dyad_coder *c, size_t n)
{
    const dyad_dict *d = c->d;
    token *t = c->toks;
    c->nmatches = 0;
    c->sent_sig = 0;
    for (size_t i = 0; i < n; i++)
        c->sent_sig |= 1ULL << (t[i].id & 63);
    for (size_t i = 0; i < n; i++) {
        uint32_t id = t[i].id;
        if (!id || !(t[i].wflags & W_ANCHOR))
            continue;
        int passive = -1; /* worked out once a pattern needs it */
        for (uint32_t a = d->anchor_off[id]; a < d->anchor_off[id + 1]; a++) {
            if (passive < 0)
                passive = passive_at(c, i, n);
            if (!try_pattern(c, d->anchor_pat[a], i, n, passive))
                return false;
        }
        if (!d->ngroups)
            continue;
        /* patterns whose second (and third) word follow, over fillers as the matcher allows */
        for (size_t q = i + 1, skipped = 0; q < n && skipped <= FILLER_MAX; q++, skipped++) {
            if (!t[q].id)
                goto next_q;
            for (size_t r = q; r < n; r++) { /* r == q: the pair itself; then the third word */
                uint32_t g;
                uint64_t key = r == q ? key2(id, t[q].id) : key3(id, t[q].id, t[r].id);
                if (t[r].id && u64map_get(&d->pair_map, key, &g))
                    for (uint32_t a = 0; a < d->pair_n[g - 1]; a++) {
                        if (passive < 0)
                            passive = passive_at(c, i, n);
                        if (!try_pattern(c, d->pair_pat[d->pair_first[g - 1] + a], i, n, passive))
                            return false;
                    }
                if (r > q && (r - q > FILLER_MAX || !is_filler(c, &t[r])))
                    break;
            }
        next_q:
            if (!is_filler(c, &t[q]))
                break;
        }
    }
    /* the longer of overlapping matches wins */
    for (size_t a = 0; a < c->nmatches; a++) {
        match *x = &c->matches[a];
        for (size_t b = 0; b < c->nmatches && !x->dropped; b++) {
            if (a == b)
                continue;
            match *y = &c->matches[b];
            if (y->dropped)
                continue;
            /* matches that share words compete: the one covering more (with its actors) wins, then
             * the one with more elements, then the earlier */
            if (y->last < x->first || x->last < y->first)
                continue;
            uint32_t lx = x->span_last - x->span_first, ly = y->span_last - y->span_first;
            const pattern *px = &d->patterns[x->pat], *py = &d->patterns[y->pat];
            if (ly > lx || (ly == lx && (py->n_el > px->n_el || (py->n_el == px->n_el && b < a))))
                x->dropped = true;
        }
    }
    /* a match that lost to a longer one with a code it refines ("allowed IAEA inspectors into": 086 won over
     * "allow .. inspector", 0862) lends the winner its code */
    for (size_t a = 0; a < c->nmatches; a++) {
        const match *x = &c->matches[a];
        const char *xc = d->cameo[d->patterns[x->pat].code].code;
        if (!x->dropped)
            continue;
        for (size_t b = 0; b < c->nmatches; b++) {
            match *y = &c->matches[b];
            const char *yc = d->cameo[y->code].code;
            /* (086 -> 0862; a root's general code: 190 -> 194 "launched a missile strike on") */
            bool refines = strlen(yc) == 3 && ((strlen(xc) == 4 && !strncmp(xc, yc, 3)) ||
                                               (yc[2] == '0' && !strncmp(xc, yc, 2) && strcmp(xc, yc) != 0));
            if (!y->dropped && refines && !(y->last < x->first || x->last < y->first))
                y->code = d->patterns[x->pat].code;
        }
    }
    /* ... but the act an appeal, an intent, a demand, an accusation, a refusal or a threat is about is an event
     * of its own when it is a verb of its own, after "to" or "of" ("urged Putin to meet Zelenskyy",
     * "pledged to provide aid to Ukraine", "threatened to impose sanctions on Iran"): the longer pattern
     * keeps the 02x/03x/10x/11x/12x/13x event, and the act is coded too, with its own modality */
    for (size_t a = 0; a < c->nmatches; a++) {
        match *x = &c->matches[a];
        if (!x->dropped || x->first == 0 || x->src >= 0 ||
            !(tok_is(c, &t[x->first - 1], "to") || (tok_is(c, &t[x->first - 1], "of") && ing_form(c, x->first))))
            continue;
        bool best = true; /* of the act's own readings ("meet +", "meet"), the longest */
        for (size_t b = 0; b < c->nmatches && best; b++) {
            const match *z = &c->matches[b];
            uint32_t lz = z->span_last - z->span_first, lx = x->span_last - x->span_first;
            if (b != a && z->first == x->first &&
                (lz > lx || (lz == lx && (d->patterns[z->pat].n_el > d->patterns[x->pat].n_el ||
                                          (d->patterns[z->pat].n_el == d->patterns[x->pat].n_el && b < a)))))
                best = false;
        }
        if (!best)
            continue;
        for (size_t b = 0; b < c->nmatches; b++) {
            match *y = &c->matches[b];
            const char *yc = d->cameo[d->patterns[y->pat].code].code;
            int root = (yc[0] - '0') * 10 + (yc[1] - '0');
            if (!y->dropped && y->first < x->first && x->first <= y->last && x->last >= y->last &&
                (root == 2 || root == 3 || root == 10 || root == 11 || root == 12 || root == 13)) {
                x->dropped = false;
                /* the one urged, asked or accused does the act ("calling on the government to allow") */
                if (y->tgt >= 0 && c->ments[y->tgt].last < x->first && (root == 2 || root == 10 || root == 11))
                    x->src = y->tgt;
                /* ... and an intent, refusal or threat is towards the act's target when it names none
                 * ("rejected a proposal to meet Zelenskyy") */
                if (y->tgt < 0 && x->tgt >= 0 && !y->passive && (root == 3 || root == 12 || root == 13))
                    y->tgt = x->tgt;
                break;
            }
        }
    }
    return true;
}

/* ---- events ------------------------------------------------------------------------------------------ */

static int32_t subject_of(const dyad_coder *c, uint32_t first)
{
    token *t = c->toks;
    uint32_t clause = t[first].clause;
    /* a second verb phrase ("X met Y in Tehran and signed a deal with Z"): the subject of the first */
    size_t a = first;
    while (a > 0 && t[a - 1].clause == clause && !(t[a - 1].wflags & (W_DET | W_POSS)) &&
           ((t[a - 1].wflags & (W_AUX | W_BE | W_NEG)) || is_filler(c, &t[a - 1])))
        a--;
    /* ... and a participle phrase after a comma ("X shelled Y, killing eight people"): the subject of the
     * verb before it */
    size_t fl = tok_len(&t[first]);
    const char *ft = tok_text(c, &t[first]);
    bool gerund = a == first && fl > 4 && memcmp(ft + fl - 3, "ing", 3) == 0;
    bool after_and = a > 0 && (t[a - 1].wflags & W_AND) && t[a - 1].clause == clause;
    bool after_comma = gerund && a > 0 && (t[a - 1].wflags & W_COMMA);
    /* ... and after a conjunction of time or manner ("visited India after meeting with Biden") */
    static const char *const conj[] = {"after", "before", "while", "since", "without", "by", "upon", "when",
                                       "despite", NULL};
    if (gerund && a > 0 && tok_in(c, &t[a - 1], conj))
        after_comma = true;
    if ((after_and || after_comma) && c->tok_ment[a - 1] < 0) {
        const match *prev = NULL;
        for (size_t k = 0; k < c->nmatches; k++) {
            const match *m = &c->matches[k];
            if (!m->dropped && m->last < a - 1 && (after_comma || t[m->first].clause == clause) &&
                (!prev || m->first > prev->first))
                prev = m;
        }
        int32_t s = prev ? subject_of(c, prev->first) : -1;
        if (s >= 0)
            return s;
        if (after_and && !after_comma) {
            /* "the military removed Bashir and jailed him": the subject of the clause's first verb, at its
             * head, not the first verb's object */
            for (size_t k = 0; k < c->nments; k++) {
                const mention *m = &c->ments[k];
                if (m->first >= a - 1 || !m->code[0] || m->pp || m->group != (int32_t)k || t[m->first].clause != clause)
                    continue;
                size_t b = m->first;
                while (b > 0 && is_filler(c, &t[b - 1]))
                    b--;
                if (b == 0 || t[b - 1].clause != clause || (t[b - 1].flags & T_PUNCT) || (t[b - 1].wflags & W_COMMA))
                    return m->group;
                break; /* the clause's first actor is not its subject: leave it to the rules below */
            }
        }
        if (after_comma && a > 0 && (t[a - 1].wflags & W_COMMA)) {
            /* "A storm hit the Philippines, killing 20 people": the participle's subject is the sentence's
             * first actor that stands where a subject stands (at the start, after a comma or a fronted
             * phrase), never an object after a verb */
            for (size_t k = 0; k < c->nments; k++) {
                const mention *m = &c->ments[k];
                if (m->first >= a - 1 || !m->code[0] || m->pp || m->group != (int32_t)k)
                    continue;
                size_t b = m->first;
                while (b > 0 && is_filler(c, &t[b - 1]))
                    b--;
                if (b == 0 || (t[b - 1].flags & T_PUNCT) || (t[b - 1].wflags & W_COMMA))
                    return m->group;
            }
            return -1;
        }
    }
    /* after a relative clause set off by commas ("China, which has been North Korea's ally, expressed"):
     * the actor before it */
    if (a > 0 && (t[a - 1].wflags & W_COMMA)) {
        for (size_t w = a - 1; w-- > 0 && w + 16 > a;) {
            if (t[w].wflags & W_COMMA)
                break;
            /* ... or a participle phrase ("Somali soldiers, supported by clan militias, are conducting") */
            size_t wl = tok_len(&t[w]);
            bool participle = wl > 4 && memcmp(tok_text(c, &t[w]) + wl - 2, "ed", 2) == 0 &&
                              !(t[w].flags & (T_CAP | T_PUNCT));
            if ((tok_is(c, &t[w], "who") || tok_is(c, &t[w], "which") || participle) && w >= 2 &&
                (t[w - 1].wflags & W_COMMA)) {
                int32_t h = actor_ending_at(c, w - 2);
                if (h >= 0)
                    return c->ments[h].group;
                break;
            }
        }
    }
    for (size_t k = c->nments; k-- > 0;) {
        const mention *m = &c->ments[k];
        if (m->last >= first || !m->code[0])
            continue;
        if (t[m->last].clause != clause)
            continue;
        if (m->pp)
            continue;
        return m->group;
    }
    /* a relative clause: "Macron, who pledged aid" - the subject is the actor before "who" */
    size_t j = first;
    while (j > 0 && t[j - 1].clause == clause)
        j--;
    /* a clause right after a reporting verb with no subject of its own ("Putin said in a phone call
     * with X that..."): the reporter; but not when the clause has a subject that is no actor ("a spokesman
     * said attackers detonated a bomb", "the UN says fighting has forced...") */
    size_t cs = j < first && tok_is(c, &t[j], "that") ? j + 1 : j;
    while (cs < first && is_filler(c, &t[cs]) && !(t[cs].wflags & (W_DET | W_POSS)))
        cs++;
    bool own_subject = cs < first && !(t[cs].wflags & W_PREP) && !(t[cs].wflags & W_COMMA);
    if (j > 0 && (c->tok_mark[j - 1] & MK_REPORT) && !(c->tok_mark[j - 1] & MK_ACCORDING) && !own_subject) {
        size_t v = j - 1;
        while (v > 0 && !(c->tok_mark[v] & MK_REPORT_START))
            v--;
        while (v > 0 && (t[v - 1].wflags & (W_AUX | W_FILLER)))
            v--;
        for (size_t k = 0; k < c->nments; k++)
            if (c->ments[k].code[0] && v > 0 && c->ments[k].last == v - 1 && !c->ments[k].pp)
                return c->ments[k].group;
    }
    if (j < first && (tok_is(c, &t[j], "who") || tok_is(c, &t[j], "which") || tok_is(c, &t[j], "that"))) {
        size_t q = j;
        if (q > 0 && (t[q - 1].wflags & W_COMMA))
            q--;
        int32_t h = q > 0 ? actor_ending_at(c, q - 1) : -1;
        if (h >= 0)
            return c->ments[h].group;
    }
    return -1;
}

/* Whether token i is a verb in its base form after "to" (its key is the word itself: "protect", not
 * "talks"), so that "to protect civilians" is an infinitive. */
/* Whether token I is a word in -ing ("attacking"), not a short one ("king", "sing"). */
static bool ing_form(const dyad_coder *c, size_t i)
{
    size_t n = tok_len(&c->toks[i]);
    return n > 4 && memcmp(tok_text(c, &c->toks[i]) + n - 3, "ing", 3) == 0;
}

/* Whether token I is a lower-case word with no grammatical role ("complete", "full"): no article,
 * preposition, conjunction or clause word, and not a verb form in -ed. */
static bool plain_word(const dyad_coder *c, size_t i)
{
    const token *t = &c->toks[i];
    size_t n = tok_len(t);
    return !(t->flags & (T_CAP | T_PUNCT | T_NUM)) && !(t->wflags & W_ROLE) && c->tok_mark[i] == 0 &&
           !(n > 3 && memcmp(tok_text(c, t) + n - 2, "ed", 2) == 0);
}

static bool infinitive(const dyad_coder *c, size_t i)
{
    const token *t = &c->toks[i];
    if (!t->id || (t->flags & (T_CAP | T_NUM | T_PUNCT)))
        return false;
    const char *key = strtab_str(&c->d->vocab, t->id);
    return strlen(key) == tok_len(t) && ascii_ieq(tok_text(c, t), tok_len(t), key, tok_len(t));
}

/* The modality of an event starting at `first`, from the markers before it in its clause. *intent_at is
 * the earliest marker when every marker that made the event non-factual states an intent of the subject
 * ("Iran plans to attack"), else -1; *threat is set when a marker states it as a threat. */
static dyad_modality modality_of(const dyad_coder *c, uint32_t first, int32_t *intent_at, bool *threat)
{
    token *t = c->toks;
    uint32_t clause = t[first].clause;
    dyad_modality mod = DYAD_FACTUAL;
    bool other = false;
    *intent_at = -1;
    for (size_t j = first, k = 0; j > 0 && k < 8; j--, k++) {
        const token *p = &t[j - 1];
        if (p->clause != clause) {
            /* "the US alleged (on Monday) that ISIL attacked Iraq": what is alleged is not established;
             * "officials said that": what is said is */
            if (tok_is(c, &t[j], "that"))
                for (size_t q = j; q-- > 0 && q + 7 > j && !(t[q].flags & T_PUNCT);)
                    if (c->tok_mark[q] & (MK_REPORT | MK_HYPO)) {
                        if (c->tok_mark[q] & MK_HYPO) {
                            mod = DYAD_HYPOTHETICAL;
                            other = true;
                        }
                        break;
                    }
            break;
        }
        /* a preposition that is not part of a marker ("in a phone call with") closes the scope, and so
         * does "and" between two verb phrases ("called for a ceasefire and urged...") */
        /* "to" of an infinitive does not ("wants Putin to attack"), nor a preposition before a gerund
         * ("accused Sylvania of attacking") */
        bool gerund = ing_form(c, j);
        /* "is threatening to conduct a provocation, refusing to meet": a participle after a comma is a
         * phrase of its own */
        if (k == 0 && (p->wflags & W_COMMA) && gerund)
            break;
        /* "accused of targeting and killing civilians": a second gerund shares the first's scope */
        if (k == 0 && (p->wflags & W_AND) && gerund && j >= 2 && ing_form(c, j - 2))
            continue;
        /* "Trump may overreach and start threatening": a second verb shares the first's modal verb */
        if ((p->wflags & W_AND) && j >= 3 && !(t[j - 2].flags & (T_CAP | T_PUNCT | T_NUM)) && !(t[j - 2].wflags & W_ROLE) &&
            (c->tok_mark[j - 3] & MK_MODAL))
            continue;
        /* "jailed a student for helping militants", "arrested for attacking police": what one is punished
         * for is alleged */
        static const char *const punish[] = {"jail", "jailed", "sentence", "sentenced", "convict", "convicted",
                                             "arrest", "arrested", "detain", "detained", "charge", "charged",
                                             "fine", "fined", "indict", "indicted", "prosecute", "prosecuted",
                                             "punish", "punished", "execute", "executed", "sought", "wanted",
                                             "blame", "blamed", "try", "tried", NULL};
        if (k == 0 && gerund && (tok_is(c, p, "for") || tok_is(c, p, "over")))
            for (size_t q = j - 1; q-- > 0 && q + 10 > j && t[q].clause == clause;)
                if (tok_in(c, &t[q], punish)) {
                    mod = DYAD_HYPOTHETICAL;
                    other = true;
                    break;
                }
        /* "prevented lawyers from contacting the detainees": what is prevented does not happen */
        static const char *const prevent[] = {"prevent", "prevented", "prevents", "bar", "barred", "bars",
                                              "ban", "banned", "bans", "block", "blocked", "blocks", "stop",
                                              "stopped", "stops", "prohibit", "prohibited", "keep", "kept", NULL};
        if (k == 0 && gerund && tok_is(c, p, "from"))
            for (size_t q = j - 1; q-- > 0 && q + 8 > j && t[q].clause == clause;)
                if (tok_in(c, &t[q], prevent)) {
                    *intent_at = -1;
                    return DYAD_NEGATED;
                }
        if (((p->wflags & W_PREP) || (p->wflags & W_AND)) && !(c->tok_mark[j - 1] & MK_MODAL) &&
            !tok_is(c, p, "to") && !gerund) {
            /* "to push back the rebels and protect civilians": the second infinitive shares the first's
             * purpose */
            if (k == 0 && (p->wflags & W_AND) && infinitive(c, first))
                for (size_t q = j - 1; q-- > 0 && q + 10 > j && t[q].clause == clause;)
                    if (tok_is(c, &t[q], "to") && !c->tok_mark[q] && infinitive(c, q + 1)) {
                        mod = DYAD_HYPOTHETICAL;
                        other = true;
                        break;
                    }
            break;
        }
        /* "are not only angry with": "not only ... but also" negates nothing */
        bool not_only = (p->wflags & W_NEG) && tok_is(c, &t[j], "only");
        if ((((p->wflags & W_NEG) && k < 4) || (c->tok_mark[j - 1] & MK_NEG)) && !not_only) {
            /* "would not provide support": a refusal the subject states, with the marker's place */
            *intent_at = (c->tok_mark[j - 1] & MK_REFUSE) && !other ? (int32_t)(j - 1) : -1;
            return DYAD_NEGATED;
        }
        uint16_t m = c->tok_mark[j - 1];
        /* a purpose or complement infinitive ("deployed troops to protect civilians", "called on X to
         * resume talks"): what is aimed at, not what happened; "began to withdraw" did happen, and "is
         * about to restore ties" is an imminent act, coded as the field codes it */
        static const char *const done[] = {"begin", "began", "begun", "start", "started", "continue", "continued",
                                           "managed", "proceeded", "about", "claim", "claimed", "claims",
                                           "claiming", NULL};
        /* (over an adverb: "to jointly combat") */
        if (k == 1 && !m && tok_is(c, p, "to") && tok_len(&t[j]) > 3 && !(t[j].flags & T_CAP) &&
            !memcmp(tok_text(c, &t[j]) + tok_len(&t[j]) - 2, "ly", 2) &&
            infinitive(c, first) && !(j >= 2 && tok_in(c, &t[j - 2], done))) {
            mod = DYAD_HYPOTHETICAL;
            other = true;
        }
        if (k == 0 && !m && tok_is(c, p, "to") && infinitive(c, first) && !(j >= 2 && tok_in(c, &t[j - 2], done))) {
            mod = DYAD_HYPOTHETICAL;
            other = true;
        }
        if (m & (MK_HYPO | MK_FUTURE)) {
            if (m & MK_INTENT)
                *intent_at = (int32_t)(j - 1);
            else
                other = true;
        }
        if (m & MK_THREAT)
            *threat = true;
        if (m & MK_HYPO)
            mod = DYAD_HYPOTHETICAL;
        else if ((m & MK_FUTURE) && mod == DYAD_FACTUAL)
            mod = DYAD_FUTURE;
    }
    if (other || mod == DYAD_FACTUAL)
        *intent_at = -1;
    return mod;
}

static void fill_actor(const dyad_coder *c, dyad_actor *a, const mention *m)
{
    memset(a, 0, sizeof *a);
    if (!m)
        return;
    memcpy(a->code, m->code, sizeof a->code);
    a->text.start = c->toks[m->first].start;
    a->text.end = c->toks[m->last].end;
    a->resolved = m->ref != 0;
}

/* A code of the news media: "USAMED", "---MED". */
static bool is_media(const char *code)
{
    return strlen(code) >= 6 && strncmp(code + 3, "MED", 3) == 0;
}

/* An event's code and what follows from it: Goldstein score, quad class, PLOVER type. */
static void set_event_code(dyad_event *e, const cameo_entry *ce)
{
    memcpy(e->cameo, ce->code, sizeof e->cameo);
    e->goldstein = ce->goldstein;
    int root = (ce->code[0] - '0') * 10 + (ce->code[1] - '0');
    e->quad = (uint8_t)(root <= 5 ? 1 : root <= 9 ? 2 : root <= 14 ? 3 : 4);
    e->plover = ce->plover[0] && strcmp(ce->plover, "-") ? ce->plover : NULL;
    e->plover_mode = ce->mode[0] ? ce->mode : NULL;
    e->plover_context = ce->context[0] ? ce->context : NULL;
}

/* Take event K of the sentence being coded out of the list. */
static void drop_event(dyad_coder *c, size_t k)
{
    memmove(&c->events[k], &c->events[k + 1], (c->nevents - k - 1) * sizeof c->events[0]);
    c->nevents--;
}

/* Whether the three letters at S are one of the sectors of LIST ("MIL", "REB"...). */
static bool sector_in(const char *s, const char *const *list)
{
    for (; *list; list++)
        if (!strncmp(s, *list, 3))
            return true;
    return false;
}

/* Whether mention M is "the government", "the police", "the army"...: a state body named with "the" and no
 * country. */
static bool bare_state_body(const dyad_coder *c, const mention *m)
{
    static const char *const body[] = {"GOV", "MIL", "COP", "JUD", "LEG", NULL};
    return !strncmp(m->code, "---", 3) && strlen(m->code) == 6 && tok_is(c, &c->toks[m->first], "the") &&
           sector_in(m->code + 3, body);
}

/* Whether mention M is a country's people or groups ("Serbian protesters", "Bangladeshi students", "Sudanese
 * rebels"), whose government, police or army is their own country's. */
static bool domestic_group(const mention *m)
{
    static const char *const groups[] = {"OPP", "CVL", "EDU", "LAB", "REL", "MED", "BUS", "REB", "AGR", "HLH", NULL};
    static const char *const not_state[] = {"---", "IGO", "NGO", "IMG", NULL};
    return strlen(m->code) == 6 && !sector_in(m->code, not_state) && sector_in(m->code + 3, groups);
}

static bool emit(dyad_coder *c, const match *mt, uint32_t sent_idx, const sentence *se, const mention *src,
                 const mention *tgt, uint16_t code, dyad_modality mod, dyad_span attr, const char *attr_code)
{
    const dyad_dict *d = c->d;
    /* "Serbian protesters rallied against the government", "the police arrested Georgian protesters": the
     * government, police or army of a country's own people */
    mention own;
    if (src && tgt && bare_state_body(c, tgt) && domestic_group(src)) {
        own = *tgt;
        memcpy(own.code, src->code, 3);
        tgt = &own;
    } else if (src && tgt && bare_state_body(c, src) && domestic_group(tgt)) {
        own = *src;
        memcpy(own.code, tgt->code, 3);
        src = &own;
    }
    if (!src || !src->code[0] || strcmp(src->code, "---") == 0) /* "---": no country, no role: nobody */
        return true;
    if (tgt && strcmp(tgt->code, "---") == 0)
        tgt = NULL;
    /* "Sheinbaum sent troops to Mexico's northern border": a force's own country is no target */
    if (tgt && d->cameo[code].code[0] == '1' && d->cameo[code].code[1] == '5' && strlen(tgt->code) == 3 &&
        strncmp(src->code, tgt->code, 3) == 0)
        tgt = NULL;
    if (tgt && (!tgt->code[0] || strcmp(src->code, tgt->code) == 0))
        return true;
    const cameo_entry *ce = &d->cameo[code];
    /* "spoke with VOA", "VOA spoke with experts": an interview is how the news was gathered, not a
     * consultation between the two */
    if (ce->code[0] == '0' && ce->code[1] == '4' && (is_media(src->code) || (tgt && is_media(tgt->code))))
        return true;
    /* the same (source, target, code) once per sentence */
    for (size_t k = c->nevents; k-- > 0;) {
        dyad_event *e = &c->events[k];
        if (e->sentence != sent_idx)
            break;
        if (strcmp(e->cameo, ce->code) == 0 && strcmp(e->source.code, src->code) == 0 &&
            strcmp(e->target.code, tgt ? tgt->code : "") == 0) {
            if (mod < e->modality)
                e->modality = mod; /* keep the more factual reading of a repeated event */
            return true;
        }
    }
    if (!GROW(c->events, c->events_cap, c->nevents + 1))
        return false;
    dyad_event *e = &c->events[c->nevents++];
    memset(e, 0, sizeof *e);
    e->sentence = sent_idx;
    e->evidence.start = se->start;
    e->evidence.end = se->end;
    e->trigger.start = c->toks[mt->first].start;
    e->trigger.end = c->toks[mt->last].end;
    fill_actor(c, &e->source, src);
    fill_actor(c, &e->target, tgt);
    set_event_code(e, ce);
    int root = (ce->code[0] - '0') * 10 + (ce->code[1] - '0');
    for (uint8_t q = 0; q < c->nissues; q++)
        e->issues[q] = strtab_str(&d->issues, c->issues[q]);
    e->nissues = c->nissues;
    e->modality = mod;
    e->attribution = attr;
    memcpy(e->attribution_code, attr_code, sizeof e->attribution_code);
    e->attribution_date = c->attr_date;
    e->attribution_date_precision = (dyad_precision)c->attr_date_precision;
    e->pattern = mt->pat;
    if (root >= 18)
        for (size_t k = c->sent_cas; k < c->ncas && e->ncasualties < 2; k++)
            e->casualties[e->ncasualties++] = c->cas[k];
    /* the place of the trigger's clause, the nearest one */
    uint32_t pbest = UINT32_MAX;
    for (size_t k = 0; k < c->nplaces; k++) {
        /* right after the event and its actors ("clashes in Khartoum", "talks with X in Ankara"), or fronted
         * at the head of its clause ("In Khartoum, the army..."); not a region named as a topic elsewhere */
        uint32_t pt = c->place_tok[k];
        if (c->toks[pt].clause != c->toks[mt->first].clause)
            continue;
        uint32_t after = mt->span_last > mt->last ? mt->span_last : mt->last;
        bool fronted = pt == 0 || c->toks[pt - 1].clause != c->toks[pt].clause;
        if (!(pt > after && pt - after <= 6) && !(fronted && pt < mt->first))
            continue;
        uint32_t dist = pt > mt->last ? pt - mt->last : mt->first - pt;
        if (dist < pbest) {
            pbest = dist;
            e->place = c->places[k];
        }
    }
    /* force with no named target ("conducted air strikes in Aleppo", "exercises near Kharkiv") is aimed at
     * the country of its place; not a country's own forces at home ("Russian drills in Kaliningrad") */
    if (!tgt && ((root >= 15 && root != 16) || root == 7 || root == 9 || !strcmp(ce->code, "0863")) && e->place.country[0] && strcmp(e->place.country, "---") &&
        strncmp(src->code, e->place.country, 3) != 0) {
        for (size_t k = c->nevents - 1; k-- > 0 && c->events[k].sentence == sent_idx;)
            if (strcmp(c->events[k].cameo, ce->code) == 0 && strcmp(c->events[k].source.code, src->code) == 0 &&
                strcmp(c->events[k].target.code, e->place.country) == 0) {
                c->nevents--;
                return true;
            }
        memcpy(e->target.code, e->place.country, 4);
        e->target.text = e->place.name;
        e->target.resolved = 1;
    }
    /* the time expression of the trigger's clause, the nearest one */
    const token *t = c->toks;
    uint32_t best = UINT32_MAX;
    size_t best_k = 0;
    for (size_t k = 0; k < c->ntimes; k++) {
        const time_expr *x = &c->times[k];
        if (t[x->first].clause != t[mt->first].clause && t[x->last].clause != t[mt->first].clause)
            continue;
        uint32_t dist = x->first > mt->last ? x->first - mt->last : mt->first > x->last ? mt->first - x->last : 0;
        if (dist < best) {
            best = dist;
            best_k = k;
            e->event_date = x->date;
            e->event_date_precision = (dyad_precision)x->precision;
            e->event_date_text = (dyad_span){t[x->first].start, t[x->last].end};
        }
    }
    /* "Trump met Kim at the Singapore summit in June 2018", in a story of 2020: a historical reference, not an
     * event of the story (it would count in the dyad's history again each time a story recalls it). More than
     * a year before the story's date; "last year" is recent. */
    /* (only a date no other verb stands before: in "accused X of violating the agreement signed two years
     * ago" the date is the signing's) */
    bool own_date = best != UINT32_MAX;
    uint32_t from = own_date && c->times[best_k].first > mt->span_last ? mt->span_last + 1
                    : own_date ? c->times[best_k].last + 1 : 0;
    uint32_t to = own_date && c->times[best_k].first > mt->span_last ? c->times[best_k].first : mt->span_first;
    for (uint32_t q = from; own_date && q < to; q++)
        own_date = (t[q].flags & (T_CAP | T_PUNCT | T_NUM)) || c->tok_ment[q] >= 0 ||
                   (t[q].wflags & (W_AUX | W_BE | W_NEG | W_DET | W_PREP)) ||
                   (!(t[q].wflags & W_ANCHOR) && !ing_form(c, q) && !passive_form(c, q));
    if (e->event_date && own_date &&
        (e->event_date_precision == DYAD_YEAR ? e->event_date / 10000 < c->date / 10000 - 1
                                              : e->event_date < c->date - 10000)) {
        c->nevents--;
        c->stats.historical++;
    }
    return true;
}

/* A protest with no named protesters: the people of the place, against its government when the text
 * says "anti-government". */
static bool protest_default(dyad_coder *c, const match *mt, mention *src, mention *tgt, bool *has_tgt)
{
    token *t = c->toks;
    char cc[4] = "";
    for (size_t k = c->nments; k-- > 0;)
        if (c->ments[k].last < mt->first && strlen(c->ments[k].code) >= 3 && c->ments[k].code[0] != '-' &&
            strncmp(c->ments[k].code, "IGO", 3) && strncmp(c->ments[k].code, "NGO", 3) &&
            strncmp(c->ments[k].code, "IMG", 3) && strncmp(c->ments[k].code, "MNC", 3)) {
            memcpy(cc, c->ments[k].code, 3);
            break;
        }
    if (!cc[0] && c->last_country[0])
        memcpy(cc, c->last_country, 4);
    if (!cc[0])
        return false;
    cc[3] = 0;
    memset(src, 0, sizeof *src);
    set_code(src->code, cc, "OPP");
    src->first = mt->first;
    src->last = mt->last;
    src->ref = 1;
    *has_tgt = false;
    /* "anti-government" in or just before the pattern */
    for (size_t j = mt->last + 1, k = 0; j > 0 && k < 8; j--, k++)
        if (tok_is(c, &t[j - 1], "government") && j >= 3 && (t[j - 2].flags & T_HYPHEN) &&
            tok_is(c, &t[j - 3], "anti")) {
            memset(tgt, 0, sizeof *tgt);
            set_code(tgt->code, cc, "GOV");
            tgt->first = (uint32_t)(j - 3);
            tgt->last = (uint32_t)(j - 1);
            tgt->ref = 1;
            *has_tgt = true;
            break;
        }
    return true;
}

/* Casualty counts of the sentence into the story's list (only sentences with a number can have one). */
static bool collect_casualties(dyad_coder *c, size_t n, uint32_t sent_idx, dyad_span attr, const char *attr_code)
{
    const token *t = c->toks;
    c->sent_cas = c->ncas;
    bool number = false;
    for (size_t i = 0; i < n && !number; i++)
        number = (t[i].flags & T_NUM) || (t[i].wflags & W_NUMBER);
    if (!number)
        return true;
    casualty found[8];
    size_t k = casualties_find(c->story->text, t, n, found, 8);
    for (size_t i = 0; i < k; i++) {
        if (!GROW(c->cas, c->cas_cap, c->ncas + 1))
            return false;
        dyad_casualty *d = &c->cas[c->ncas++];
        memset(d, 0, sizeof *d);
        d->sentence = sent_idx;
        d->kind = (dyad_casualty_kind)found[i].kind;
        d->count = found[i].count;
        memcpy(d->qualifier, found[i].qualifier, sizeof d->qualifier);
        d->text = (dyad_span){t[found[i].first].start, t[found[i].last].end};
        if (found[i].who_first <= found[i].who_last)
            d->who = (dyad_span){t[found[i].who_first].start, t[found[i].who_last].end};
        d->reported_by = attr;
        memcpy(d->reported_by_code, attr_code, sizeof d->reported_by_code);
    }
    return true;
}

/* The actor a possessive pronoun at token i stands for, from the actors before it in its sentence: "his",
 * "her" a person or a role; "its" a country or an organisation; "their" the last actor or compound. -1 when
 * there is none: the event is then nobody's we know. */
static int32_t possessor(const dyad_coder *c, uint32_t i)
{
    bool person = tok_is(c, &c->toks[i], "his") || tok_is(c, &c->toks[i], "her");
    bool thing = tok_is(c, &c->toks[i], "its");
    bool plural = tok_is(c, &c->toks[i], "their"); /* a compound, a group or a body ("the rebels", "the
                                                     * Taliban"), not the one country or person named last */
    for (size_t k = c->nments; k-- > 0;) {
        const mention *m = &c->ments[k];
        if (m->last >= i || !m->code[0])
            continue;
        if (person && m->kind != ACT_PERSON && m->kind != 0)
            continue;
        if (thing && m->kind != ACT_COUNTRY && m->kind != ACT_ACTOR && !(m->kind == 0 && m->code[0] != '-'))
            continue; /* (a country's body: "the Russian side ... its commitment") */
        if (plural && (m->kind == ACT_COUNTRY || m->kind == ACT_PERSON) &&
            !(m->first >= 2 && (c->toks[m->first - 1].wflags & W_AND) && actor_ending_at(c, m->first - 2) >= 0))
            continue; /* (compounds are linked later: "A and B ... their" is seen from the "and") */
        return m->group;
    }
    return -1;
}

/* Whether two actors doing this together do it to each other: consulting (04), cooperating (03, 05, 06),
 * reducing relations (16), fighting (19). Statements, denials, rejections, threats, protests and
 * demands of a compound subject are each member's own. */
static bool mutual_code(const char *code)
{
    int root = (code[0] - '0') * 10 + (code[1] - '0');
    return root == 3 || root == 4 || root == 5 || root == 6 || root == 16 || root == 19;
}

/* "exchanged prisoners", "swapped detainees": an act done by each side to the other */
static bool exchange_word(const dyad_coder *c, uint32_t i)
{
    static const char *const ex[] = {"exchange", "exchanged", "exchanges", "exchanging", "swap", "swapped", "swaps",
                                     "swapping", "trade", "traded", "trades", "trading", NULL};
    return tok_in(c, &c->toks[i], ex);
}

/* The events of member s of the source group src: towards every member of the target group, with the
 * mirror event when the pattern has one; with no target, a compound subject's members towards each other. */
static bool emit_member(dyad_coder *c, const match *mt, uint32_t sent_idx, const sentence *se, int32_t s, int32_t src,
                        int32_t tgt, uint16_t code, uint16_t mirror, dyad_modality mod, dyad_span attr,
                        const char *attr_code)
{
    const mention *sm = &c->ments[s];
    if (tgt >= 0) {
        for (uint32_t g = (uint32_t)tgt; g != UINT32_MAX; g = c->ments[g].gnext) {
            if (!emit(c, mt, sent_idx, se, sm, &c->ments[g], code, mod, attr, attr_code))
                return false;
            if (mirror != 0xffff && !emit(c, mt, sent_idx, se, &c->ments[g], sm, mirror, mod, attr, attr_code))
                return false;
        }
    } else if (c->ments[src].gnext != UINT32_MAX &&
               (mutual_code(c->d->cameo[code].code) || !strcmp(c->d->cameo[code].code, "019") ||
                exchange_word(c, mt->first))) {
        /* a compound subject with no target, of a mutual act ("Iran and Iraq met", "clashed", "cut ties"):
         * each member towards each other member; of a one-sided one ("Pakistan and China reject the
         * claims"), each on its own, below */
        for (uint32_t g = (uint32_t)src; g != UINT32_MAX; g = c->ments[g].gnext)
            if ((int32_t)g != s && !emit(c, mt, sent_idx, se, sm, &c->ments[g], code, mod, attr, attr_code))
                return false;
    } else if (!emit(c, mt, sent_idx, se, sm, NULL, code, mod, attr, attr_code)) {
        return false;
    }
    return true;
}

/* Whether what `reporter` says is the source's own statement: the same actor, or a state's government or
 * armed forces speaking for it ("Putin said Russia will..."), or a part speaking for its whole. */
static bool own_voice(const char *reporter, const char *source)
{
    size_t r = strlen(reporter), s = strlen(source);
    if (!r || strncmp(reporter, source, 3) != 0)
        return false;
    if (s == 3)
        return r == 3 || strncmp(reporter + 3, "GOV", 3) == 0 || strncmp(reporter + 3, "MIL", 3) == 0;
    return r >= s ? strncmp(reporter, source, s) == 0 : strncmp(reporter, source, r) == 0;
}

/* 1 + the codebook index of stating an intent (or a refusal) to do `code` ("will attack" -> 138, "will not
 * meet" -> 125), from the most specific of the code, its three-digit parent and its root's general code that
 * has an `intent` (`refusal`) line; 0 when none. */
static uint16_t stated_code(const dyad_dict *d, uint16_t code, bool refusal)
{
#define STATED(e) (refusal ? (e).refusal : (e).intent)
    const char *k = d->cameo[code].code;
    if (STATED(d->cameo[code]))
        return STATED(d->cameo[code]);
    char up[8];
    size_t n = strlen(k);
    for (int cut = 3; cut >= 2; cut--) {
        if (n <= (size_t)cut && cut == 3)
            continue;
        memcpy(up, k, (size_t)cut);
        up[cut] = 0;
        if (cut == 2)
            up[2] = '0', up[3] = 0;
        int i = dict_cameo_find(d, up);
        if (i >= 0 && STATED(d->cameo[i]))
            return STATED(d->cameo[i]);
    }
    return 0;
#undef STATED
}

static uint16_t intent_code(const dyad_dict *d, uint16_t code) { return stated_code(d, code, false); }

static uint16_t refusal_code(const dyad_dict *d, uint16_t code) { return stated_code(d, code, true); }

/* Whether the -ed word at token I stands before a noun as its adjective: after an article, a possessive, a
 * preposition, a number or a verb in -ing ("transporting injured civilians"), and followed by a word. */
static bool adjective_participle(const dyad_coder *c, uint32_t i, size_t ntok)
{
    const token *t = c->toks;
    size_t n = tok_len(&t[i]);
    const char *w = tok_text(c, &t[i]);
    if (n < 5 || w[n - 2] != 'e' || w[n - 1] != 'd' || i == 0 || i + 1 >= ntok || (t[i + 1].flags & T_PUNCT))
        return false;
    const token *p = &t[i - 1];
    if (p->wflags & (W_DET | W_POSS))
        return !(p->wflags & W_PRON) || tok_is(c, p, "its") || tok_is(c, p, "their") || tok_is(c, p, "his") ||
               tok_is(c, p, "her");
    if ((p->flags & T_NUM) || ((p->wflags & W_PREP) && !tok_is(c, p, "to") && !tok_is(c, p, "by")))
        return true;
    size_t pn = tok_len(p);
    const char *pw = tok_text(c, p);
    return pn > 4 && memcmp(pw + pn - 3, "ing", 3) == 0 && !(p->wflags & (W_AUX | W_BE)) && c->tok_ment[i - 1] < 0 &&
           !tok_is(c, p, "having") && !tok_is(c, p, "being") && !tok_is(c, p, "during");
}

/* Whether mention K is the object of a preposition after another mention: "the UN" in "the ambassador to
 * the UN", "Tehran" in "protesters in Tehran". */
static bool pp_of_mention(const dyad_coder *c, uint32_t k)
{
    const token *t = c->toks;
    if (!c->ments[k].pp)
        return false;
    uint32_t b = c->ments[k].first;
    while (b > 0 && is_filler(c, &t[b - 1]))
        b--;
    /* "after", "before", "since" open a clause of their own ("before Russia invaded Ukraine") */
    static const char *const attach[] = {"of", "to", "in", "at", "for", "from", "with", "near", "on", "inside", NULL};
    if (b < 2 || !tok_in(c, &t[b - 1], attach))
        return false;
    if (actor_ending_at(c, b - 2) >= 0)
        return true;
    /* ... or after a noun: "the attack on Israel killed", "clashes in Syria killed", "troops loyal to Assad
     * killed": the phrase's head did it, not the actor of its prepositional phrase */
    const token *w = &t[b - 2];
    return !(w->flags & (T_PUNCT | T_NUM)) && !(w->wflags & (W_AUX | W_BE | W_NEG | W_PREP | W_DET | W_COMMA | W_AND)) &&
           c->tok_mark[b - 2] == 0;
}

/* Whether an actor code is a state as a whole or an armed body: "RUS", "RUSMIL", "YEMREB", "---UAF", "IMGMUSREB". */
static bool armed_code(const char *code)
{
    size_t n = strlen(code);
    if (n == 3)
        return strcmp(code, "---") != 0 && strncmp(code, "IGO", 3) != 0 && strncmp(code, "NGO", 3) != 0;
    static const char *const armed[] = {"MIL", "REB", "UAF", "COP", "SPY", "INS", "CRM", "SEP", NULL};
    for (size_t i = 3; i + 3 <= n; i += 3)
        if (sector_in(code + i, armed))
            return true;
    return false;
}

static bool events_from_matches(dyad_coder *c, size_t n, uint32_t sent_idx, const sentence *se)
{
    const dyad_dict *d = c->d;
    token *t = c->toks;
    dyad_span attr;
    char attr_code[16];
    find_attribution(c, n, &attr, attr_code);
    size_t first_event = c->nevents;
    /* "we" and "I" are the speaker the attribution names, when it names one */
    for (size_t k = 0; k < c->nments; k++)
        if (c->ments[k].speaker && attr.end > attr.start && attr_code[0] && strcmp(attr_code, "---") != 0)
            snprintf(c->ments[k].code, sizeof c->ments[k].code, "%s", attr_code);
    if (!collect_casualties(c, n, sent_idx, attr, attr_code))
        return false;
    size_t question_at = 0; /* a '?' ends a question: what comes before it in the sentence is asked */
    for (size_t q = n; q-- > 0 && !question_at;)
        if (tok_is(c, &t[q], "?"))
            question_at = q;
    for (size_t a = 0; a < c->nmatches; a++) {
        match *mt = &c->matches[a];
        if (mt->dropped)
            continue;
        pattern pcopy = d->patterns[mt->pat];
        pcopy.code = mt->code; /* (a more specific code lent by an overlapping match) */
        const pattern *p = &pcopy;
        int32_t src = mt->src, tgt = mt->tgt;
        uint32_t mod_from = mt->first;
        if (mt->passive && src < 0) {
            /* the agent of a passive: "by X" after the verb */
            /* not an actor that only names an accident: "killed by the Malaysia Airlines flight MH17 crash" */
            static const char *const accident[] = {"crash", "accident", "collision", "derailment", "explosion",
                                                   "collapse", "fire", "blaze", "sinking", "capsizing", NULL};
            for (size_t j = mt->last + 1; j + 1 < n && j <= mt->last + 4; j++)
                if (tok_is(c, &t[j], "by") && mention_at(c, (uint32_t)(j + 1)) >= 0) {
                    int32_t by = mention_at(c, (uint32_t)(j + 1));
                    bool mishap = false;
                    for (size_t q = c->ments[by].last + 1; q < n && q <= c->ments[by].last + 3 && !mishap; q++)
                        mishap = tok_in(c, &t[q], accident);
                    if (!mishap)
                        src = by;
                    break;
                }
            if ((mt->virtual_target || tgt < 0) && !mt->noun_passive)
                tgt = subject_of(c, mt->first);
            if (src < 0)
                continue; /* "2,600 people have been killed": no agent, no event */
        }
        bool has_slot = false;
        int literals = 0;
        for (uint32_t k = 0; k < p->n_el; k++) {
            uint8_t ty = d->els[p->first_el + k].type;
            has_slot |= ty == PE_TARGET || ty == PE_SOURCE;
            literals += ty == PE_WORD || ty == PE_SYN;
        }
        /* "welcomed the U.S. proposal", "criticized Iran's decision": with no target slot, an actor inside
         * the pattern's gap that qualifies the thing after it is the target */
        if (tgt < 0 && !has_slot && literals >= 2 && mt->last > mt->first + 1)
            for (uint32_t q = mt->first + 1; q < mt->last && tgt < 0; q++) {
                int32_t im = mention_at(c, q);
                if (im < 0 || c->ments[im].last > mt->last || c->ments[im].pp ||
                    (c->ments[im].code[0] == '-' &&
                     (!(t[c->ments[im].first].wflags & W_DET) || c->ments[im].last != mt->last)))
                    continue; /* ("military actions": a role with no country is an adjective; "the hostages" is not) */
                /* "released 90 Palestinian prisoners", "expelled two British diplomats": the pattern's own
                 * word is the role of a country's phrase, which is the target */
                if (c->ments[im].last == mt->last) {
                    if (c->ments[im].first > mt->first) /* ("expelled UN peacekeepers") */
                        tgt = im;
                    continue;
                }
                place_hit ph; /* "the Copenhagen Charter", "the Doha agreement": a city names the thing */
                uint32_t f0 = c->ments[im].first + ((t[c->ments[im].first].wflags & W_DET) ? 1 : 0);
                if (c->ments[im].kind == ACT_ACTOR && f0 <= c->ments[im].last &&
                    place_resolve(c->story->text + t[f0].start, t[c->ments[im].last].end - t[f0].start,
                                  (const char(*)[4])c->story_countries, c->nstory_countries, &ph) == 1)
                    continue;
                uint32_t nx = c->ments[im].last + 1;
                if (nx < n && poss_s(c, &t[nx]))
                    nx++;
                if (nx == mt->last || (nx < mt->last && plain_word(c, nx) && nx + 1 == mt->last))
                    tgt = im;
                /* ... or the verb's direct object, right after it and before a preposition: "praised Qatar
                 * for its efforts", "praised Sylvania in an effort to" */
                uint32_t v = mt->first + 1;
                while (v < c->ments[im].first && is_filler(c, &t[v]))
                    v++;
                if (v == c->ments[im].first && nx == c->ments[im].last + 1 && (t[nx].wflags & W_PREP) &&
                    strncmp(d->cameo[p->code].code, "04", 2) != 0) /* ("discussed Ukraine by phone": a topic) */
                    tgt = im;
            }
        /* one bare word ("riots", "discussed") is too weak to reach for a distant subject: its source
         * must stand right before it */
        bool bare = !has_slot && literals == 1;
        /* "transporting injured civilians", "the detained activists", "for wounded soldiers": a participle
         * before a noun describes it */
        if (mt->first > 0 && adjective_participle(c, mt->first, n))
            continue;
        /* "..., charges Pakistan's election commission denied": a word in -s right after a comma is a noun in
         * apposition; a verb there would have no subject */
        if (mt->first > 1 && (t[mt->first - 1].wflags & W_COMMA) && !(t[mt->first].flags & T_CAP) &&
            !(t[mt->first - 2].flags & (T_CAP | T_PUNCT)) && c->tok_ment[mt->first - 2] < 0 &&
            actor_ending_at(c, mt->first - 2) < 0) { /* (", Mohamud Ahmed Nur, accuses Kenya": a verb) */
            size_t fl2 = tok_len(&t[mt->first]);
            const char *fw = tok_text(c, &t[mt->first]);
            if (fl2 > 3 && fw[fl2 - 1] == 's' && fw[fl2 - 2] != 's' && fw[fl2 - 2] != '\'')
                continue;
        }
        /* "marched very close to the border": after a degree adverb a verb that is also an adjective is the
         * adjective ("very critical of" stays an event) */
        static const char *const degree[] = {"very", "so", "too", "quite", "extremely", "increasingly", "fairly",
                                             "rather", "relatively", NULL};
        static const char *const adjective_verb[] = {"close", "clear", "open", "free", "secure", "calm", NULL};
        if (mt->first > 0 && tok_in(c, &t[mt->first - 1], degree) && tok_in(c, &t[mt->first], adjective_verb))
            continue;
        /* "linking attack on a passenger train with Afghanistan", "condemning attacks on civilians": an event
         * noun after a gerund of comment is that gerund's object, not an act of the clause's subject */
        static const char *const comment[] = {"linking", "condemning", "denouncing", "criticizing", "criticising",
                                              "blaming", "investigating", "denying", "reporting", "mourning",
                                              "commemorating", "justifying", "documenting", "describing", "citing",
                                              "protesting", "opposing", "recalling", "marking", "witnessing",
                                              "ignoring", "downplaying", "praising", "welcoming", NULL};
        if (mt->src < 0 && mt->first > 0) {
            size_t g = mt->first;
            while (g > 0 && is_filler(c, &t[g - 1]))
                g--;
            if (g > 0 && tok_in(c, &t[g - 1], comment))
                continue;
        }
        /* "protest leaders signed": a bare word inside an actor's phrase names the actor, not an event */
        /* ... or right before a role ("U.N. sanctions experts", "peace envoy") */
        bool inside = false;
        for (size_t k = 0; bare && k < c->nments && !inside; k++)
            inside = c->ments[k].code[0] && ((c->ments[k].first <= mt->first && c->ments[k].last > mt->last) ||
                                             (c->ments[k].first == mt->last + 1 && c->ments[k].sector[0]));
        if (inside)
            continue;
        /* a bare noun inside a prepositional phrase ("in the protests") names an event told elsewhere */
        size_t before = mt->first;
        /* over articles and adjectives the dictionaries do not know ("of this reprehensible act") */
        for (int adj = 0; before > 0; before--)
            if (!is_filler(c, &t[before - 1]) &&
                ((t[before - 1].id && !ing_form(c, before - 1)) || (t[before - 1].flags & (T_PUNCT | T_CAP | T_NUM)) ||
                 ++adj > 2))
                break; /* (and "amid growing concerns": an -ing word there is an adjective) */
        for (size_t k = 0; k < c->nments && before > 0; k++) /* over an actor before it: "the Freedonian protest" */
            if (c->ments[k].last == before - 1) {
                before = c->ments[k].first;
                while (before > 0 && is_filler(c, &t[before - 1]))
                    before--;
                break;
            }
        bool in_pp = !has_slot && before > 0 && (t[before - 1].wflags & W_PREP) && !(c->tok_mark[before - 1] & MK_MODAL);
        /* "expressed sorrow for the horrific shootings in...", "angry over the attacks on...": an event noun
         * with its article after a preposition of cause names an event told elsewhere, even with a target slot
         * (not after one of time: "the vote comes after a probe into China's subsidies" is the EU's probe) */
        static const char *const cause[] = {"for", "about", "over", "despite", "amid", NULL};
        if (!in_pp && has_slot && before > 0 && before < mt->first && (t[before].wflags & W_DET) &&
            tok_in(c, &t[before - 1], cause) && mt->src < 0)
            in_pp = true;
        /* "claimed to be holding hostages", "vowed to hold talks": "to" before a verb is no preposition */
        if (in_pp && tok_is(c, &t[before - 1], "to") && before == mt->first &&
            ((t[mt->first].wflags & (W_BE | W_AUX)) || infinitive(c, mt->first)))
            in_pp = false;
        /* ... also the second of two nouns there: "killed in suicide attacks and car bombs" */
        size_t fl = tok_len(&t[mt->first]);
        bool verb_form = fl > 3 && memcmp(tok_text(c, &t[mt->first]) + fl - 2, "ed", 2) == 0;
        if (!has_slot && !in_pp && !verb_form && before > 2 && (t[before - 1].wflags & W_AND))
            for (size_t q = before - 1; q-- > 0 && q + 5 > before;) {
                if ((t[q].flags & T_PUNCT) || c->tok_ment[q] >= 0 || (t[q].wflags & (W_AUX | W_BE | W_BARRIER)))
                    break;
                if ((t[q].wflags & W_PREP) && !tok_is(c, &t[q], "to")) {
                    in_pp = !(c->tok_mark[q] & MK_MODAL);
                    break;
                }
            }
        /* "killed senior commanders in an air strike", "killed five civilians in a missile strike on Kyiv": the
         * means names the killing's specific code, and is no event of its own */
        const char *hc = d->cameo[p->code].code;
        if (src < 0 && before > 0 && (in_pp || (before < mt->first && (t[before].wflags & W_DET))) &&
            (tok_is(c, &t[before - 1], "in") || tok_is(c, &t[before - 1], "with")) &&
            ((hc[0] == '1' && hc[1] >= '8') || hc[0] == '2') && strcmp(hc, "190") != 0) {
            bool merged = false;
            for (size_t k = c->nevents; k-- > first_event && !merged;)
                if (!strcmp(c->events[k].cameo, "190") && c->events[k].trigger.end <= t[mt->first].start) {
                    set_event_code(&c->events[k], &d->cameo[p->code]);
                    merged = true;
                }
            if (merged || in_pp)
                continue;
        }
        if (in_pp && src < 0)
            continue;
        /* "during a visit to X": the occasion of what the clause tells, not an event of its own */
        bool during = false;
        for (size_t j = mt->first, k = 0; j > 0 && k < 4 && !during; j--, k++) {
            during = tok_is(c, &t[j - 1], "during");
            if ((t[j - 1].wflags & (W_PREP | W_COMMA | W_BARRIER)) || c->tok_ment[j - 1] >= 0)
                break;
        }
        if (during)
            continue; /* "on a Ukraine ceasefire deal": a noun in a prepositional phrase, not a new event */
        /* "a wave of kidnappings of school children by criminal gangs": an event noun's agent after "by" */
        if (src < 0 && !verb_form && tgt >= 0 && mt->first > 0 &&
            ((t[mt->first - 1].wflags & W_DET) || tok_is(c, &t[mt->first - 1], "of"))) {
            uint32_t after = group_last(c, tgt) + 1;
            if (after + 1 < n && tok_is(c, &t[after], "by") && mention_at(c, after + 1) >= 0)
                src = mention_at(c, after + 1);
        }
        /* ... also with no target: "Shelling by Russian forces killed five civilians" */
        if (src < 0 && !verb_form && tgt < 0 && !has_slot && mt->last + 2 < n && tok_is(c, &t[mt->last + 1], "by") &&
            mention_at(c, mt->last + 2) >= 0 && (mt->first == 0 || (t[mt->first - 1].wflags & W_DET) ||
                                                 (t[mt->first - 1].flags & T_PUNCT)))
            src = mention_at(c, mt->last + 2);
        /* "the Russia-Ukraine war", "U.S.-Ukraine talks": two actors joined by a hyphen before an event noun
         * are its two sides */
        bool pair_noun = false;
        if (src < 0 && tgt < 0 && !has_slot && mt->first >= 3) {
            int32_t b = actor_ending_at(c, mt->first - 1);
            uint32_t bf = b >= 0 ? c->ments[b].first : 0;
            int32_t a2 = b >= 0 && bf >= 2 && (t[bf - 1].flags & T_HYPHEN) ? actor_ending_at(c, bf - 2) : -1;
            if (a2 >= 0 && c->ments[a2].code[0] && c->ments[b].code[0]) {
                src = a2;
                tgt = b;
                pair_noun = true;
            }
        }
        if (src < 0) {
            /* an actor right before the pattern ("US strike"), else the subject */
            size_t j = mt->first;
            bool owner = false; /* "his trip to Taiwan": a possessive pronoun says whose event it is */
            while (j > 0 && (is_filler(c, &t[j - 1]) || (t[j - 1].wflags & (W_AUX | W_BE | W_NEG)))) {
                if ((t[j - 1].wflags & W_POSS) && !(t[j - 1].wflags & W_DET) && c->tok_ment[j - 1] < 0 && !owner) {
                    owner = true;
                    src = possessor(c, (uint32_t)(j - 1));
                }
                j--;
            }
            for (size_t k = 0; k < c->nments && j > 0; k++)
                if (c->ments[k].last == j - 1 && c->ments[k].code[0] && t[j - 1].clause == t[mt->first].clause &&
                    !pp_of_mention(c, (uint32_t)k)) { /* not "the UN" of "the ambassador to the UN criticized" */
                    src = c->ments[k].group;
                    mod_from = c->ments[k].first;
                }
            /* "a Russian missile strike", "Israeli tank shelling": the pattern starts inside an actor (a
             * country with a weapon) that is its source */
            for (size_t k = 0; k < c->nments && src < 0 && j == mt->first; k++)
                if (c->ments[k].first < mt->first && c->ments[k].last >= mt->first && c->ments[k].last <= mt->last &&
                    c->ments[k].kind == 0 && c->ments[k].sector[0] && c->ments[k].code[0] &&
                    c->ments[k].code[0] != '-' && !c->ments[k].ref && !c->ments[k].agent_before) {
                    src = c->ments[k].group;
                    mod_from = c->ments[k].first;
                }
            if (src < 0 && !in_pp && !bare && !owner)
                src = subject_of(c, mt->first);
            /* "In a phone call with X, Putin said...": a fronted phrase's subject follows it */
            if (src < 0 && !owner && has_slot && mt->span_last + 2 < n && (t[mt->span_last + 1].wflags & W_COMMA)) {
                int32_t after = c->tok_ment[mt->span_last + 2];
                if (after < 0 && mt->span_last + 3 < n && (t[mt->span_last + 2].wflags & W_DET))
                    after = c->tok_ment[mt->span_last + 3];
                if (after >= 0 && c->ments[after].code[0])
                    src = c->ments[after].group;
            }
        }
        /* force against a thing ("attacked a cargo ship"): only an armed actor's, or a country's; "the minister
         * attacked the plan" is talk */
        if (mt->object_noun && (src < 0 || !armed_code(c->ments[src].code)))
            continue;
        int32_t i1, i2 = -1;
        bool threat = false;
        dyad_modality mod = modality_of(c, mod_from, &i1, &threat), m1 = mod, m2 = DYAD_FACTUAL;
        if (mod_from != mt->first) {
            m2 = modality_of(c, mt->first, &i2, &threat);
            if (m2 > mod)
                mod = m2;
        }
        /* an event noun that is the subject of a modal verb: "a nuclear test or ICBM launch could bring" */
        if (mod == DYAD_FACTUAL && !has_slot && !verb_form)
            for (size_t q = mt->last + 1; q < n && q <= mt->last + 8; q++) {
                if (c->tok_mark[q] & (MK_HYPO | MK_FUTURE)) {
                    if (t[q].wflags & W_AUX)
                        mod = c->tok_mark[q] & MK_HYPO ? DYAD_HYPOTHETICAL : DYAD_FUTURE, i1 = i2 = -1;
                    break;
                }
                if (!(t[q].wflags & W_COMMA) && !(t[q].wflags & W_AND) && !tok_is(c, &t[q], "or") &&
                    ((t[q].flags & T_PUNCT) || (t[q].wflags & W_ROLE) || c->tok_mark[q]))
                    break;
            }
        /* "left for Minas Tirith for meetings with Arnor", "flew to Riyadh for talks with": an event noun after
         * "for" that a journey is made for is still to come */
        if (mod == DYAD_FACTUAL && !verb_form && before > 0 && tok_is(c, &t[before - 1], "for")) {
            static const char *const journey[] = {"leave", "left", "leaves", "leaving", "go", "went", "goes", "going",
                                                  "head", "headed", "heads", "heading", "travel", "traveled",
                                                  "travelled", "travels", "traveling", "travelling", "fly", "flew",
                                                  "flies", "flying", "arrive", "arrived", "arrives", "arriving",
                                                  "come", "came", "comes", "coming", "depart", "departed", NULL};
            for (size_t q = before - 1; q-- > 0 && q + 10 > before && t[q].clause == t[mt->first].clause;)
                if (tok_in(c, &t[q], journey)) {
                    mod = DYAD_FUTURE, i1 = i2 = -1;
                    break;
                }
        }
        /* "'... violated the agreement,' Akhundzada alleged": what the speaker alleges is alleged */
        if ((mod == DYAD_FACTUAL || mod == DYAD_FUTURE) && c->attr_verb != UINT32_MAX && mt->last < c->attr_verb &&
            (c->tok_mark[c->attr_verb] & MK_HYPO)) {
            bool quoted = false; /* a closing quote between the event and the verb: the event is the quote's */
            for (uint32_t q = mt->last + 1; q < c->attr_verb && !quoted; q++)
                quoted = (t[q].flags & T_QUOTE) != 0;
            if (quoted)
                mod = DYAD_HYPOTHETICAL, i1 = i2 = -1;
        }
        /* a question asserts nothing: "what does it mean for the U.S. in defending Taiwan?" */
        if (mt->last < question_at && mod != DYAD_NEGATED)
            mod = m1 = m2 = DYAD_HYPOTHETICAL, i1 = i2 = -1;
        /* the statement of an intent ("Iran plans to attack"): every marker that makes the event non-factual
         * states an intent of the subject, and nothing negates it */
        int32_t intent_at = -1;
        if ((mod == DYAD_FUTURE || mod == DYAD_HYPOTHETICAL) && (m1 == DYAD_FACTUAL || i1 >= 0) &&
            (m2 == DYAD_FACTUAL || i2 >= 0))
            intent_at = i1 < 0 ? i2 : i2 < 0 ? i1 : i1 < i2 ? i1 : i2;
        /* ... and of a refusal ("Obama said he would not provide support to Israel": 12x, factual) */
        bool refusal = mod == DYAD_NEGATED && (m1 == DYAD_NEGATED ? i1 >= 0 : i2 >= 0);
        if (refusal)
            intent_at = m1 == DYAD_NEGATED ? i1 : i2;
        const char *code = d->cameo[p->code].code;
        mention dsrc, dtgt;
        bool dflt = false, has_dtgt = false;
        bool clause_opens = true; /* nothing but fillers and modifiers before it in its clause */
        for (size_t k = 0; k < c->nments; k++)
            if (c->ments[k].last < mt->first && t[c->ments[k].last].clause == t[mt->first].clause)
                clause_opens = false;
        /* "stocks rallied in Tokyo": a rally with no one named may be a market's */
        static const char *const rally[] = {"rally", "rallied", "rallies", "rallying", NULL};
        if (src < 0 && !in_pp && clause_opens && code[0] == '1' && code[1] == '4' && !tok_in(c, &t[mt->first], rally))
            dflt = protest_default(c, mt, &dsrc, &dtgt, &has_dtgt);
        if (src < 0 && !dflt)
            continue;
        /* every member of the source compound, towards every member of the target compound */
        for (int32_t s = dflt ? -2 : src; s != (int32_t)UINT32_MAX && s != -1;
             s = s == -2 ? -1 : (int32_t)c->ments[s].gnext) {
            const mention *sm = s == -2 ? &dsrc : &c->ments[s];
            if (dflt) {
                if (!emit(c, mt, sent_idx, se, sm, has_dtgt ? &dtgt : NULL, p->code, mod, attr, attr_code))
                    return false;
                break;
            }
            if (!emit_member(c, mt, sent_idx, se, s, src, tgt, p->code, p->mirror, mod, attr, attr_code))
                return false;
        }
        /* "fighting between Russia and Ukraine", "talks between A and B": a mutual act between two sides goes
         * both ways */
        if (!dflt && src >= 0 && tgt >= 0 && (mt->src == src || pair_noun) && p->mirror == 0xffff &&
            mutual_code(d->cameo[p->code].code)) {
            uint32_t b = c->ments[src].first;
            while (b > 0 && is_filler(c, &t[b - 1]))
                b--;
            if (((b > 0 && tok_is(c, &t[b - 1], "between")) || pair_noun) &&
                !emit(c, mt, sent_idx, se, &c->ments[tgt], &c->ments[src], p->code, mod, attr, attr_code))
                return false;
        }
        /* a conditional sentence ("if X rigs the vote, the people will rise up") states no intent, nor does the
         * writer's account of a purpose ("Sarkozy heads to Beijing, seeking to mend ties") */
        for (size_t j = 0; intent_at >= 0 && j < mt->first; j++)
            if (tok_is(c, &t[j], "if") || tok_is(c, &t[j], "unless"))
                intent_at = -1;
        if (intent_at > 0 && ing_form(c, (size_t)intent_at) && (t[intent_at - 1].wflags & W_COMMA))
            intent_at = -1;
        uint16_t icode = dflt || intent_at < 0 ? 0 : refusal ? refusal_code(d, p->code) : intent_code(d, p->code);
        if (icode && threat && d->cameo[icode - 1].code[0] == '0')
            icode = 0; /* "threatened to suspend operations": a threat is hostile, not an intent to cooperate */
        /* the statement already coded by a longer pattern ("threatened to attack": 1384) is not coded twice */
        for (size_t k = first_event; icode && k < c->nevents; k++) {
            const dyad_event *e = &c->events[k];
            if (e->modality == DYAD_FACTUAL && e->cameo[0] == d->cameo[icode - 1].code[0] &&
                e->cameo[1] == d->cameo[icode - 1].code[1] && !strcmp(e->source.code, c->ments[src].code) &&
                !strcmp(e->target.code, tgt >= 0 ? c->ments[tgt].code : ""))
                icode = 0;
        }
        if (icode && c->ments[src].first < (uint32_t)intent_at &&
            (attr.start == attr.end || own_voice(attr_code, c->ments[src].code)))
            for (int32_t s = src; s != (int32_t)UINT32_MAX && s != -1; s = (int32_t)c->ments[s].gnext)
                if (!emit_member(c, mt, sent_idx, se, s, src, tgt, (uint16_t)(icode - 1), 0xffff, DYAD_FACTUAL, attr,
                                 attr_code))
                    return false;
    }
    /* "Putin warned NATO that Russia would respond with force": a warning (130) of a hostile act it names is
     * the threat of that act (138) */
    for (size_t k = first_event; k < c->nevents; k++) {
        dyad_event *g = &c->events[k];
        if (strcmp(g->cameo, "130") != 0 || g->modality != DYAD_FACTUAL)
            continue;
        for (size_t j = first_event; j < c->nevents; j++) {
            const dyad_event *a = &c->events[j];
            int ai = dict_cameo_find(d, a->cameo);
            uint16_t ic = ai >= 0 && a->modality != DYAD_FACTUAL && a->trigger.start > g->trigger.start &&
                                  (a->cameo[0] == '1' ? a->cameo[1] >= '5' : a->cameo[0] == '2')
                              ? intent_code(d, (uint16_t)ai)
                              : 0;
            if (ic && d->cameo[ic - 1].code[0] == '1' && d->cameo[ic - 1].code[1] == '3') {
                set_event_code(g, &d->cameo[ic - 1]);
                break;
            }
        }
    }
    /* "Shelling by Russian forces killed five civilians", "a suicide bombing that killed ten soldiers": the
     * killing is the shelling's, which says how it was done: one event, with the specific code and the
     * killing's target */
    for (size_t k = first_event; k < c->nevents; k++) {
        dyad_event *kill = &c->events[k];
        if (strcmp(kill->cameo, "190") != 0 || !kill->target.code[0])
            continue;
        for (size_t j = first_event; j < c->nevents; j++) {
            const dyad_event *how = &c->events[j];
            if (j == k || (how->target.code[0] && strncmp(how->target.code, kill->target.code, 3) != 0) ||
                how->trigger.end > kill->trigger.start ||
                how->modality != kill->modality || strcmp(how->source.code, kill->source.code) != 0 ||
                !((how->cameo[0] == '1' && how->cameo[1] >= '8') || how->cameo[0] == '2') ||
                !strcmp(how->cameo, "190"))
                continue;
            int hi = dict_cameo_find(d, how->cameo);
            if (hi < 0)
                continue;
            set_event_code(kill, &d->cameo[hi]);
            drop_event(c, j);
            if (j < k)
                k--;
            break;
        }
    }
    /* "urged Iran to release the prisoners", "demanded that Ottawa drop its tariff": a generic appeal or demand
     * (020, 100) takes the kind of the act it asks for, as the codebook's 02x and 10x mirror the 03x of intent
     * (0353 release -> 0253 / 1053, 0354 ease sanctions -> 0254 / 1054, 036 meet -> 026 / 106) */
    for (size_t k = first_event; k < c->nevents; k++) {
        dyad_event *g = &c->events[k];
        bool appeal = !strcmp(g->cameo, "020"), demand = !strcmp(g->cameo, "100");
        if ((!appeal && !demand) || g->modality != DYAD_FACTUAL)
            continue;
        for (size_t j = k + 1; j < c->nevents; j++) {
            const dyad_event *a = &c->events[j];
            if (a->modality == DYAD_FACTUAL || a->trigger.start <= g->trigger.start ||
                (g->target.code[0] && strcmp(a->source.code, g->target.code) != 0))
                continue;
            int ai = dict_cameo_find(d, a->cameo);
            uint16_t ic = ai >= 0 ? intent_code(d, (uint16_t)ai) : 0;
            const char *icc = ic ? d->cameo[ic - 1].code : "";
            if (icc[0] != '0' || icc[1] != '3')
                break; /* (the first act asked for decides) */
            char want[8];
            snprintf(want, sizeof want, "%s%s", appeal ? "02" : "10", icc + 2);
            int wi = dict_cameo_find(d, want);
            if (wi >= 0)
                set_event_code(g, &d->cameo[wi]);
            break;
        }
    }
    /* "issued a statement saying...", "said in a statement posted on X": a statement that carries reported
     * speech is how the speech was made, the attribution of what it says, not an event of its own (010) */
    bool looked = false, reports = false; /* (the words are looked at only when there is a statement) */
    for (size_t k = first_event; k < c->nevents;) {
        if (!strcmp(c->events[k].cameo, "010") && c->events[k].modality == DYAD_FACTUAL) {
            for (size_t q = 0; !looked && q < n && !reports; q++)
                reports = (c->tok_mark[q] & MK_REPORT) != 0;
            looked = true;
            if (reports) {
                drop_event(c, k);
                continue;
            }
        }
        k++;
    }
    /* "refused to hold talks with the US": the generic reject (120) of the refusing verb says less than the
     * specific one the refusal gives (125) from the same source; so for threats (130) */
    for (size_t k = first_event; k < c->nevents;) {
        const dyad_event *g = &c->events[k];
        bool generic = (!strcmp(g->cameo, "120") || !strcmp(g->cameo, "130")) && g->modality == DYAD_FACTUAL;
        bool more = false;
        for (size_t j = first_event; generic && j < c->nevents && !more; j++)
            more = j != k && c->events[j].cameo[0] == g->cameo[0] && c->events[j].cameo[1] == g->cameo[1] &&
                   (strcmp(c->events[j].cameo, g->cameo) != 0 || (!g->target.code[0] && c->events[j].target.code[0])) &&
                   c->events[j].modality == DYAD_FACTUAL &&
                   !strcmp(c->events[j].source.code, g->source.code);
        if (more)
            drop_event(c, k);
        else
            k++;
    }
    /* the pair the next "both sides" refers to: the sentence's last dyadic event, or a compound */
    for (size_t k = 0; k < c->nments; k++)
        if (c->ments[k].gnext != UINT32_MAX && c->ments[c->ments[k].gnext].code[0] && c->ments[k].code[0] &&
            !c->ments[k].ref) {
            memcpy(c->pair[0], c->ments[k].code, 16);
            memcpy(c->pair[1], c->ments[c->ments[k].gnext].code, 16);
            c->have_pair = true;
            c->pair_compound = true;
            c->pair_sent = sent_idx;
        }
    for (size_t k = c->nevents; k-- > first_event;)
        if (c->events[k].target.code[0] && !c->events[k].source.resolved) {
            const char *a = c->events[k].source.code, *b = c->events[k].target.code;
            /* "Israel and Hamas met": the event between the compound's members keeps it a compound, which
             * "they" of the next sentence may refer to */
            bool same = c->have_pair && c->pair_compound && c->pair_sent == sent_idx &&
                        ((!strcmp(a, c->pair[0]) && !strcmp(b, c->pair[1])) ||
                         (!strcmp(a, c->pair[1]) && !strcmp(b, c->pair[0])));
            memcpy(c->pair[0], a, 16);
            memcpy(c->pair[1], b, 16);
            c->have_pair = true;
            c->pair_compound = same;
            c->pair_sent = sent_idx;
            break;
        }
    return true;
}

/* ---- a sentence, a story ------------------------------------------------------------------------------ */

static bool code_tokens(dyad_coder *c, size_t n, uint32_t sent_idx, const sentence *se)
{
    if (!GROW(c->tok_ment, c->tokarr_cap, n + 1)) /* tok_mark shares the capacity */
        return false;
    uint16_t *nm = realloc(c->tok_mark, c->tokarr_cap * sizeof *nm);
    if (!nm)
        return false;
    c->tok_mark = nm;
    memset(c->tok_mark, 0, n * sizeof *nm);
    uint8_t *nq = realloc(c->qty, c->tokarr_cap);
    if (!nq)
        return false;
    c->qty = nq;
    memset(c->qty, 0, n);
    int32_t *np = realloc(c->part, c->tokarr_cap * sizeof *np);
    if (!np)
        return false;
    c->part = np;
    for (size_t i = 0; i < n; i++)
        c->part[i] = -2;
    if (!find_units(c, n))
        return false;
    for (size_t i = 0; i < n; i++)
        if (c->tok_mark[i] & MK_DISCARD) {
            c->stats.discarded_sentences++;
            return true;
        }
    if (!build_mentions(c, n))
        return false;
    absorb_acronyms(c, n);
    if (!add_references(c, n))
        return false;
    memcpy(c->country_before, c->last_country, 4);
    resolve_in_order(c, n);
    resolve_appositions(c, n);
    resolve_possessed_agents(c);
    link_compounds(c);
    for (size_t i = 0; i < n; i++)
        c->tok_ment[i] = -1;
    for (size_t k = 0; k < c->nments; k++) {
        /* a mention is found at its first word and at its first non-article word */
        uint32_t f = c->ments[k].first;
        if (c->tok_ment[f] < 0)
            c->tok_ment[f] = (int32_t)k;
        if ((c->toks[f].wflags & W_DET) && f + 1 <= c->ments[k].last && c->tok_ment[f + 1] < 0)
            c->tok_ment[f + 1] = (int32_t)k;
    }
    c->ntimes = when_find(c->story->text, c->toks, n, c->date, c->times, 16);
    mark_clauses(c, n);
    find_places(c, n);
    if (!find_matches(c, n))
        return false;
    return events_from_matches(c, n, sent_idx, se);
}

static uint32_t cached_key(dyad_coder *c, const char *w, size_t n)
{
    if (n > KEY_CACHE_LEN)
        return dict_key(c->d, w, n, c->scratch);
    key_slot *k = &c->key_cache[hash_bytes(w, n) & (KEY_CACHE_SLOTS - 1)];
    if (k->len == n && memcmp(k->s, w, n) == 0)
        return k->id;
    uint32_t id = dict_key(c->d, w, n, c->scratch);
    k->id = id;
    k->len = (uint8_t)n;
    memcpy(k->s, w, n);
    return id;
}

dyad_status dyad_code(dyad_coder *c, const dyad_story *s, const dyad_event **events, size_t *n)
{
    if (!c || !s || !events || !n)
        return DYAD_ERR_ARG;
    *events = NULL;
    *n = 0;
    memset(&c->stats, 0, sizeof c->stats);
    c->err[0] = 0;
    const char *id = s->id ? s->id : "(no id)";
    if (!s->date || !(c->date = date_parse(s->date, strlen(s->date)))) {
        snprintf(c->err, sizeof c->err, "story %s: bad date '%s' (want YYYY-MM-DD)", id, s->date ? s->date : "");
        return DYAD_ERR_DATE;
    }
    if (!s->text && s->text_len) {
        snprintf(c->err, sizeof c->err, "story %s: no text", id);
        return DYAD_ERR_ARG;
    }
    if (s->text_len > c->max_bytes) {
        snprintf(c->err, sizeof c->err, "story %s: text of %zu bytes is over the limit of %zu", id, s->text_len,
                 c->max_bytes);
        return DYAD_ERR_INPUT;
    }
    size_t bad;
    if (!dyad_utf8_check(s->text, s->text_len, &bad)) {
        snprintf(c->err, sizeof c->err, "story %s: %s at byte %zu", id,
                 s->text[bad] ? "invalid UTF-8" : "NUL byte", bad);
        return DYAD_ERR_INPUT;
    }
    size_t i;
    for (i = 0; i < s->text_len; i++)
        if (s->text[i] != ' ' && s->text[i] != '\n' && s->text[i] != '\t' && s->text[i] != '\r')
            break;
    if (i == s->text_len) {
        snprintf(c->err, sizeof c->err, "story %s: empty text", id);
        return DYAD_ERR_INPUT;
    }
    c->story = s;
    c->nevents = 0;
    c->nsents = 0;
    c->nrecent = 0;
    c->have_pair = false;
    c->last_country[0] = 0;
    c->last_attr = (dyad_span){0, 0};
    c->last_attr_code[0] = 0;
    c->story_discard = false;
    c->ncas = 0;
    c->sent_cas = 0;
    c->nstory_countries = 0;
    if (!text_sentences(s->text, s->text_len, &c->sents, &c->nsents, &c->sents_cap))
        goto nomem;
    for (size_t si = 0; si < c->nsents; si++) {
        sentence se = c->sents[si];
        c->cur_sent = (uint32_t)si;
        c->ntoks = 0;
        if (!text_tokens(s->text, se.start, se.end, &c->toks, &c->ntoks, &c->toks_cap))
            goto nomem;
        for (size_t k = 0; k < c->ntoks; k++) {
            token *t = &c->toks[k];
            t->id = cached_key(c, s->text + t->start, t->end - t->start);
            t->wflags = t->id ? c->d->wflags[t->id] : 0;
        }
        c->stats.sentences++;
        c->stats.tokens += c->ntoks;
        /* very long sentences are coded in pieces; the count is reported, nothing is dropped */
        size_t remaining = c->ntoks;
        for (bool first = true; remaining; first = false) {
            size_t len = remaining < MAX_SENT_TOKENS ? remaining : MAX_SENT_TOKENS;
            if (!first)
                c->stats.long_sentences_split++;
            if (!code_tokens(c, len, (uint32_t)si, &se))
                goto nomem;
            remaining -= len;
            if (remaining)
                memmove(c->toks, c->toks + len, remaining * sizeof *c->toks);
        }
    }
    if (c->story_discard)
        c->nevents = 0;
    *events = c->events;
    *n = c->nevents;
    return DYAD_OK;
nomem:
    snprintf(c->err, sizeof c->err, "story %s: out of memory", id);
    return DYAD_ERR_NOMEM;
}

/* ---- explanations (dyad dict lookup) ------------------------------------------------------------------- */

size_t dyad_dict_explain(const dyad_dict *d, const char *phrase, const char *date, char *out, size_t cap)
{
    sbuf b = {0};
    dyad_coder *c = dyad_coder_new(d);
    int32_t dt = date ? date_parse(date, strlen(date)) : 0;
    if (!c || !phrase) {
        dyad_coder_free(c);
        return 0;
    }
    dyad_story s = {"lookup", date ? date : "2026-01-01", phrase, strlen(phrase), NULL, NULL, NULL};
    c->story = &s;
    c->date = dt ? dt : 20260101;
    sbuf_addf(&b, "\"%s\"%s%s\n", phrase, date ? " on " : "", date ? date : " (any date: codes as of 2026-01-01)");
    c->ntoks = 0;
    bool ok = text_tokens(phrase, 0, (uint32_t)s.text_len, &c->toks, &c->ntoks, &c->toks_cap);
    size_t n = c->ntoks;
    for (size_t k = 0; ok && k < n; k++) {
        token *t = &c->toks[k];
        t->id = dict_key(d, phrase + t->start, t->end - t->start, c->scratch);
        t->wflags = t->id ? d->wflags[t->id] : 0;
    }
    ok = ok && GROW(c->tok_ment, c->tokarr_cap, n + 1);
    if (ok) {
        free(c->tok_mark);
        c->tok_mark = calloc(c->tokarr_cap, sizeof *c->tok_mark);
        ok = c->tok_mark != NULL;
    }
    ok = ok && find_units(c, n) && build_mentions(c, n);
    for (size_t k = 0; ok && k < n; k++) {
        token *t = &c->toks[k];
        sbuf_addf(&b, "  token %-20.*s key %s\n", (int)(t->end - t->start), phrase + t->start,
                  t->id ? strtab_str(&d->vocab, t->id) : "(not in the dictionaries)");
    }
    for (size_t u = 0; ok && u < c->nunits; u++) {
        unit *un = &c->units[u];
        int w = (int)(c->toks[un->last].end - c->toks[un->first].start);
        const char *txt = phrase + c->toks[un->first].start;
        if (un->actor >= 0) {
            const actor_entry *a = &d->actors[un->actor];
            static const char *const kinds[] = {"?", "country", "person", "actor"};
            const char *code = dict_actor_code(d, (uint32_t)un->actor, c->date);
            sbuf_addf(&b, "  %-28.*s %s, %s:%u: %s on this date; codes:", w, txt, kinds[a->kind],
                      d->files[a->file], a->line, code ? code : "no code");
            for (uint32_t k = 0; k < a->n_alts; k++) {
                const code_alt *ca = &d->alts[a->first_alt + k];
                sbuf_addf(&b, " %s", ca->code);
                if (ca->from || ca->to) {
                    sbuf_addc(&b, '@');
                    if (ca->from) sbuf_addf(&b, "%04d-%02d-%02d", ca->from / 10000, ca->from / 100 % 100, ca->from % 100);
                    sbuf_add(&b, "..", 2);
                    if (ca->to) sbuf_addf(&b, "%04d-%02d-%02d", ca->to / 10000, ca->to / 100 % 100, ca->to % 100);
                }
            }
            sbuf_addc(&b, '\n');
        }
        if (un->agent >= 0) {
            const agent_entry *ag = &d->agents[un->agent];
            sbuf_addf(&b, "  %-28.*s agent ~%s, %s:%u\n", w, txt, ag->sector, d->files[ag->file], ag->line);
        }
    }
    for (size_t k = 0; ok && k < c->nments; k++) {
        mention *m = &c->ments[k];
        int w = (int)(c->toks[m->last].end - c->toks[m->first].start);
        sbuf_addf(&b, "resolves to: %s  \"%.*s\"\n", m->code[0] ? m->code : "(no actor: an agent needs a country)",
                  w, phrase + c->toks[m->first].start);
    }
    if (ok && !c->nments)
        sbuf_addf(&b, "resolves to: nothing (no actor or agent entry matches)\n");
    dyad_coder_free(c);
    size_t need = b.len;
    if (out && cap) {
        size_t k = need < cap - 1 ? need : cap - 1;
        memcpy(out, b.s ? b.s : "", k);
        out[k] = 0;
    }
    free(b.s);
    return need;
}
