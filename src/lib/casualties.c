/*
 * casualties.c - casualty counts of a sentence: "more than 2,600 people have been killed, including
 * protesters and security personnel", "the strike killed 12 civilians", "left 30 dead", "the death toll
 * rose to 50", "1.2 million people displaced". Part of the enrich stage: the coder hands it a sentence's
 * tokens (from text.c) and attaches what it finds to the sentence's events.
 *
 * Every expression is anchored at a count (digits, number words, "a dozen", "dozens", "hundreds of
 * thousands"), then read in one of two ways:
 *   after:  COUNT [of] [people|civilians|...] [have been|were|...] killed|dead|wounded|arrested|missing|...
 *   before: killing|wounded|the arrest of|left|the death toll rose to ... COUNT [people|...]
 * A range ("10-12", "between 10 and 20") counts its lower bound. Numbers that are dates, years, ages,
 * money, percentages, times or scores are skipped, and a count of things ("two ships") is never a
 * casualty count because the noun after it must name people. Nothing is allocated: the results go to
 * the caller's array.
 */
#include "internal.h"

#include <string.h>

typedef struct sent {
    const char *text;
    const token *t;
    size_t n;
} sent;

static bool is(const sent *s, size_t i, const char *w)
{
    if (i >= s->n)
        return false;
    const char *p = s->text + s->t[i].start;
    /* the first letter first: most words differ there */
    return ((unsigned char)p[0] | 32) == (unsigned char)w[0] && ascii_ieq(p, s->t[i].end - s->t[i].start, w, strlen(w));
}

static int in_list(const sent *s, size_t i, const char *const *list)
{
    for (int k = 0; list[k]; k++)
        if (is(s, i, list[k]))
            return k;
    return -1;
}

static bool punct(const sent *s, size_t i) { return i >= s->n || (s->t[i].flags & T_PUNCT); }

/* ---- counts -------------------------------------------------------------------------------------------- */

static const char *const units[] = {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                                    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
                                    "eighteen", "nineteen", NULL};
static const char *const tens[] = {"twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety", NULL};
static const char *const months[] = {"january", "february", "march", "april", "may", "june", "july", "august",
                                     "september", "october", "november", "december", "jan", "feb", "mar", "apr",
                                     "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", NULL};

/* "7", "twenty-five", "forty two": 1..99 as words; tokens used, 0 if none. */
static size_t small_at(const sent *s, size_t i, int64_t *v)
{
    int u = in_list(s, i, units), t = in_list(s, i, tens);
    if (u >= 0) {
        *v = u + 1;
        return 1;
    }
    if (t < 0)
        return 0;
    *v = (t + 2) * 10;
    bool hy = i + 1 < s->n && (s->t[i + 1].flags & T_HYPHEN);
    if ((u = in_list(s, i + 1 + hy, units)) >= 0 && u < 9) {
        *v += u + 1;
        return 2 + hy;
    }
    return 1;
}

/* Digits with thousands commas and at most one decimal point; false for "25th", "3.5.1". */
static bool digits(const char *p, size_t len, double *v, bool *dec)
{
    double x = 0, scale = 0;
    *dec = false;
    if (len > 18)
        return false;
    for (size_t k = 0; k < len; k++) {
        if (p[k] >= '0' && p[k] <= '9') {
            if (scale)
                x += (p[k] - '0') * scale, scale /= 10;
            else
                x = x * 10 + (p[k] - '0');
        } else if (p[k] == '.' && !*dec) {
            *dec = true, scale = 0.1;
        } else if (p[k] != ',' || *dec) {
            return false;
        }
    }
    *v = x;
    return true;
}

/* The count at token I: its value (vague words give their lower bound) and the tokens it uses, 0 if none. */
static size_t count_at(const sent *s, size_t i, int64_t *val)
{
    static const char *const vague[] = {"dozens", "scores", "hundreds", "thousands", "millions", NULL};
    static const int64_t vague_val[] = {24, 40, 200, 2000, 2000000};
    size_t j = i + 1;
    double v;
    bool dec = false;
    int k;
    int64_t sv;
    if (i >= s->n)
        return 0;
    if (s->t[i].flags & T_NUM) {
        if (!digits(s->text + s->t[i].start, s->t[i].end - s->t[i].start, &v, &dec))
            return 0;
    } else if ((is(s, i, "a") || is(s, i, "an")) &&
               (is(s, j, "dozen") || is(s, j, "hundred") || is(s, j, "thousand") || is(s, j, "million"))) {
        v = 1;
    } else if ((k = small_at(s, i, &sv)) > 0) {
        v = (double)sv, j = i + (size_t)k;
    } else if ((k = in_list(s, i, vague)) >= 0 || is(s, i, "tens")) {
        /* "hundreds of thousands", "tens of thousands" */
        if ((k == 2 || k < 0) && is(s, j, "of") && (is(s, j + 1, "thousands") || is(s, j + 1, "millions"))) {
            *val = (k < 0 ? 20 : 200) * (is(s, j + 1, "thousands") ? 1000 : 1000000);
            return 3;
        }
        if (k < 0 || (k == 1 && i > 0 && is(s, i - 1, "the")))
            return 0; /* "tens" alone; "the scores" */
        *val = vague_val[k];
        return 1;
    } else {
        return 0;
    }
    bool word = !(s->t[i].flags & T_NUM);
    if (word && is(s, j, "dozen"))
        v *= 12, j++;
    if (word && is(s, j, "hundred")) {
        v *= 100, j++;
        size_t a = is(s, j, "and");
        if ((k = small_at(s, j + a, &sv)) > 0)
            v += (double)sv, j += a + (size_t)k;
    }
    if (is(s, j, "thousand"))
        v *= 1e3, j++, dec = false;
    else if (is(s, j, "million"))
        v *= 1e6, j++, dec = false;
    else if (is(s, j, "billion"))
        v *= 1e9, j++, dec = false;
    if (dec || v < 1 || v > 1e10)
        return 0; /* "1.5 people"; zero */
    *val = (int64_t)(v + 0.5);
    return j - i;
}

/* Is the count at [I, J) a date, year, age, sum of money, percentage, time or part of a range? */
static bool not_a_count(const sent *s, size_t i, size_t j, int64_t v)
{
    static const char *const year_preps[] = {"in", "since", "of", "by", "until", "from", "before", "after",
                                             "during", "between", "early", "late", NULL};
    if (i > 0) {
        const char *p = s->text + s->t[i - 1].start;
        if ((s->t[i - 1].flags & T_HYPHEN) || *p == '$' || !strncmp(p, "\xe2\x82\xac", 3) ||
            !strncmp(p, "\xc2\xa3", 2) || is(s, i - 1, "no") || is(s, i - 1, "aged") || is(s, i - 1, "age") ||
            in_list(s, i - 1, months) >= 0)
            return true;
        size_t len = s->t[i].end - s->t[i].start;
        if ((s->t[i].flags & T_NUM) && len == 4 && v >= 1800 && v <= 2100 &&
            in_list(s, i - 1, year_preps) >= 0)
            return true;
    }
    if (j < s->n) {
        const char *p = s->text + s->t[j].start;
        if ((s->t[j].flags & T_HYPHEN) || *p == '%' || *p == ':' || is(s, j, "percent") || is(s, j, "per") ||
            in_list(s, j, months) >= 0 || is(s, j, "to") || is(s, j, "or"))
            return true; /* "25-year-old", "40%", "3:00", "7 October", "10 to 12" */
    }
    return false;
}

static const char *const qualifiers[] = {"more than", "at least", "up to", "fewer than", "less than", "as many as",
                                         "close to", "an estimated", "upwards of", "nearly", "almost", "about",
                                         "some", "over", "roughly", "around", "approximately", NULL};

/* Tokens of qualifier K if it starts at token AT, else 0. */
static size_t qualifier_len(const sent *s, size_t at, int k)
{
    char w[16];
    size_t m = 0;
    for (const char *c = qualifiers[k]; *c; m++) {
        size_t l = strcspn(c, " ");
        memcpy(w, c, l), w[l] = 0;
        if (!is(s, at + m, w))
            return 0;
        c += l + (c[l] == ' ');
    }
    return m;
}

/* The qualifier ending just before token I: copied to Q, returns its first token (I when none). */
static size_t qualifier_before(const sent *s, size_t i, char q[16])
{
    for (int k = 0; qualifiers[k]; k++) {
        size_t words = 1;
        for (const char *c = qualifiers[k]; *c; c++)
            words += *c == ' ';
        if (words <= i && qualifier_len(s, i - words, k) == words) {
            snprintf(q, 16, "%s", qualifiers[k]);
            return i - words;
        }
    }
    q[0] = 0;
    return i;
}

/* ---- who ----------------------------------------------------------------------------------------------- */

static const char *const persons[] = {
    "people", "person", "persons", "individuals", "others", "them", "civilians", "civilian", "soldiers", "soldier",
    "troops", "servicemen", "marines", "sailors", "protesters", "protestors", "protester", "demonstrators",
    "demonstrator", "police", "policemen", "policeman", "officers", "officer", "personnel", "guards", "children",
    "child", "women", "woman", "men", "man", "boys", "girls", "teenagers", "babies", "militants", "militant",
    "fighters", "fighter", "rebels", "insurgents", "gunmen", "attackers", "students", "journalists", "journalist",
    "reporters", "activists", "activist", "opponents", "migrants", "refugees", "residents", "villagers",
    "workers", "worker", "members", "staff", "crew", "passengers", "pilgrims", "worshippers", "bystanders",
    "detainees", "prisoners", "inmates", "suspects", "hostages", "tourists", "foreigners", "nationals", "citizens",
    "patients", "doctors", "medics", "farmers", "fishermen", "miners", "peacekeepers", "commanders", "leaders",
    "relatives", "supporters", "fans", "youths", "teachers", "lawyers", "officials", "politicians", "diplomats",
    "clerics", "priests", "settlers", "guerrillas", "jihadists", "extremists", "combatants", "conscripts",
    "contractors", "engineers", "volunteers", "rescuers", "firefighters", "paramedics", "pedestrians", "drivers",
    "traders", "herders", "victims", NULL};
static const char *const generic[] = {"people", "person", "persons", "individuals", "others", "them", NULL};

/* Words that end a noun group or a "who" phrase. */
static const char *const stops[] = {"in", "on", "at", "who", "which", "that", "after", "when", "while", "during",
                                    "according", "as", "near", "by", "from", "since", "with", "and", "or", "to",
                                    NULL};

static bool person_at(const sent *s, size_t i)
{
    if (i >= s->n)
        return false;
    if (in_list(s, i, persons) >= 0)
        return true;
    /* "Palestinians", "Kurds": a capitalised plural */
    size_t len = s->t[i].end - s->t[i].start;
    return (s->t[i].flags & T_CAP) && !(s->t[i].flags & T_ALLCAPS) && len >= 4 && s->text[s->t[i].end - 1] == 's';
}

/* ---- what happened ------------------------------------------------------------------------------------- */

static const struct {
    const char *w;
    uint8_t kind;
} kinds[] = {
    {"killed", CAS_KILLED},        {"dead", CAS_KILLED},          {"died", CAS_KILLED},
    {"slain", CAS_KILLED},         {"executed", CAS_KILLED},      {"deaths", CAS_KILLED},
    {"drowned", CAS_KILLED},
    {"fatalities", CAS_KILLED},    {"wounded", CAS_WOUNDED},      {"injured", CAS_WOUNDED},
    {"hurt", CAS_WOUNDED},         {"injuries", CAS_WOUNDED},     {"arrested", CAS_ARRESTED},
    {"detained", CAS_ARRESTED},    {"jailed", CAS_ARRESTED},      {"arrests", CAS_ARRESTED},
    {"displaced", CAS_DISPLACED},  {"fled", CAS_DISPLACED},       {"homeless", CAS_DISPLACED},
    {"missing", CAS_MISSING},      {"disappeared", CAS_MISSING},  {"abducted", CAS_ABDUCTED},
    {"kidnapped", CAS_ABDUCTED},   {NULL, 0}};

/* The casualty word(s) at token I ("killed", "shot dead", "lost their lives", "taken hostage"); the
 * kind, with *LAST set to its last token; 0 if none. */
static uint8_t kind_at(const sent *s, size_t i, size_t *last)
{
    *last = i;
    for (int k = 0; kinds[k].w; k++)
        if (is(s, i, kinds[k].w))
            return kinds[k].kind;
    if (is(s, i, "shot") && is(s, i + 1, "dead"))
        return *last = i + 1, CAS_KILLED;
    if (is(s, i, "lost") && is(s, i + 1, "their") && is(s, i + 2, "lives"))
        return *last = i + 2, CAS_KILLED;
    if ((is(s, i, "taken") || is(s, i, "held")) && (is(s, i + 1, "hostage") || is(s, i + 1, "captive")))
        return *last = i + 1, CAS_ABDUCTED;
    return 0;
}

/* Words allowed between a count (or its people) and the casualty word: "have reportedly been". */
static const char *const fillers[] = {"have", "has", "had", "been", "were", "was", "are", "is", "be", "being",
                                      "who", "reportedly", "also", "allegedly", "now", "already", "still",
                                      "reported", "believed", "feared", "thought", "said", "confirmed", "presumed",
                                      "to", "so", "far", "remain", "remained", "remains", "officially", "later",
                                      "went", NULL};

/* COUNT ... killed: the casualty word within a few fillers of token I. */
static uint8_t after_form(const sent *s, size_t i, size_t *last)
{
    for (size_t k = i; k < s->n && k < i + 6; k++) {
        uint8_t kind = kind_at(s, k, last);
        if (kind)
            return kind;
        if (in_list(s, k, fillers) < 0)
            return 0;
    }
    return 0;
}

/* Verbs and nouns that come before a count: "killing 12", "the arrest of 30". */
static const struct {
    const char *w;
    uint8_t kind;
} befores[] = {
    {"killing", CAS_KILLED},       {"killed", CAS_KILLED},       {"kill", CAS_KILLED},
    {"kills", CAS_KILLED},         {"killings", CAS_KILLED},     {"deaths", CAS_KILLED},
    {"executed", CAS_KILLED},      {"executing", CAS_KILLED},
    {"death", CAS_KILLED},         {"wounding", CAS_WOUNDED},    {"wounded", CAS_WOUNDED},
    {"wounds", CAS_WOUNDED},       {"injuring", CAS_WOUNDED},    {"injured", CAS_WOUNDED},
    {"injures", CAS_WOUNDED},      {"arresting", CAS_ARRESTED},  {"arrested", CAS_ARRESTED},
    {"arrest", CAS_ARRESTED},      {"arrests", CAS_ARRESTED},    {"detaining", CAS_ARRESTED},
    {"detained", CAS_ARRESTED},    {"detention", CAS_ARRESTED},  {"displacing", CAS_DISPLACED},
    {"displaced", CAS_DISPLACED},  {"displacement", CAS_DISPLACED}, {"abducting", CAS_ABDUCTED},
    {"abducted", CAS_ABDUCTED},    {"abduction", CAS_ABDUCTED},  {"kidnapping", CAS_ABDUCTED},
    {"kidnapped", CAS_ABDUCTED},   {NULL, 0}};

/* ... COUNT, where Q is the count's first token (with its qualifier) and LO the first token it may reach
 * back to: the kind, with *FIRST set to the expression's first token; 0 if none. */
static uint8_t before_form(const sent *s, size_t q, size_t lo, size_t *first)
{
    if (q <= lo)
        return 0;
    size_t p = q - 1, of = is(s, p, "of");
    if (p >= lo + of) {
        for (int k = 0; befores[k].w; k++)
            if (is(s, p - of, befores[k].w)) {
                *first = p - of;
                return befores[k].kind;
            }
    }
    /* "the death toll (from the attack) rose (from 40) to" */
    for (size_t k = q; k > lo && k + 9 > q; k--) {
        if (punct(s, k - 1))
            break;
        if (is(s, k - 1, "toll")) {
            *first = k - 1;
            if (*first > lo && is(s, *first - 1, "death"))
                --*first;
            if (*first > lo && is(s, *first - 1, "the"))
                --*first;
            return CAS_KILLED;
        }
    }
    return 0;
}

/* Words after which "killing 12" may end: punctuation, the end, a preposition. */
static bool ends_count(const sent *s, size_t i)
{
    static const char *const after[] = {"in", "on", "at", "and", "as", "when", "during", "near", "across",
                                        "including", "since", "after", "while", "with", "overnight", "inside",
                                        "outside", "among", "from", "before", "this", "last", "yesterday",
                                        "today", "mostly", "mainly", NULL};
    return punct(s, i) || in_list(s, i, after) >= 0;
}

/* ", including protesters and security personnel" / ", mostly civilians" after token I. */
static bool who_after(const sent *s, size_t i, uint32_t *wf, uint32_t *wl)
{
    static const char *const leads[] = {"including", "mostly", "mainly", "largely", "primarily", NULL};
    size_t k = i + is(s, i, ",");
    if (in_list(s, k, leads) >= 0)
        k++;
    else if ((is(s, k, "many") || is(s, k, "most") || is(s, k, "all")) && is(s, k + 1, "of") && is(s, k + 2, "them"))
        k += 3;
    else if (is(s, k, "among") && is(s, k + 1, "them"))
        k += 2;
    else
        return false;
    /* skip "at least 12 (of) the" */
    int64_t v;
    for (int q = 0; qualifiers[q]; q++) {
        size_t l = qualifier_len(s, k, q);
        if (l) {
            k += l;
            break;
        }
    }
    k += count_at(s, k, &v);
    k += is(s, k, "of");
    k += is(s, k, "the") || is(s, k, "a") || is(s, k, "an") || is(s, k, "their");
    size_t start = k, last, m;
    for (m = 0; k < s->n && m < 8; k++, m++)
        if (punct(s, k) || (s->t[k].flags & T_NUM) || (in_list(s, k, stops) >= 0 && !is(s, k, "and")) ||
            kind_at(s, k, &last))
            break;
    if (k == start)
        return false;
    *wf = (uint32_t)start, *wl = (uint32_t)(k - 1);
    return true;
}

size_t casualties_find(const char *text, const token *t, size_t n, casualty *out, size_t cap)
{
    sent s = {text, t, n};
    size_t found = 0, lo = 0;
    for (size_t i = 0; i < n && found < cap; i++) {
        /* a count starts with a number, a number word ("dozens" is flagged as "dozen") or "a dozen" */
        if (!(t[i].flags & T_NUM) && !(t[i].wflags & W_NUMBER) &&
            !(i + 1 < n && (t[i + 1].wflags & W_NUMBER) && is(&s, i, "a")))
            continue;
        int64_t v;
        size_t len = count_at(&s, i, &v);
        if (!len)
            continue;
        size_t b = i + len, len2;
        int64_t v2;
        /* a range ("10-12", "10 to 12", "two or three", "between 10 and 20") counts its lower bound */
        bool between = i > 0 && is(&s, i - 1, "between");
        if (b < n && !(i > 0 && is(&s, i - 1, "from")) &&
            ((t[b].flags & T_HYPHEN) || is(&s, b, "to") || is(&s, b, "or") || (between && is(&s, b, "and"))) &&
            (len2 = count_at(&s, b + 1, &v2)) > 0 && v2 > v)
            b += 1 + len2;
        else
            between = false;
        if (not_a_count(&s, i, b, v)) {
            i = b - 1;
            continue;
        }
        b += is(&s, b, "more"); /* "dozens more" */
        casualty c = {.count = v, .who_first = 1, .who_last = 0};
        size_t q = between ? i - 1 : qualifier_before(&s, i, c.qualifier);
        if (q < lo)
            q = i, c.qualifier[0] = 0;
        /* the people counted: "of the", then a few words ending in one that names people */
        size_t g = b + is(&s, b, "of");
        g += is(&s, g, "the") || is(&s, g, "their") || is(&s, g, "those");
        size_t head = 0, last;
        for (size_t k = g; k < n && k < g + 6; k++) {
            if (is(&s, k, "and") && head == k && person_at(&s, k + 1))
                continue; /* "soldiers and police" */
            if (punct(&s, k) || (t[k].flags & T_NUM) || in_list(&s, k, fillers) >= 0 || in_list(&s, k, stops) >= 0 ||
                kind_at(&s, k, &last))
                break;
            if (person_at(&s, k))
                head = k + 1;
        }
        size_t after = head ? head : b;
        uint32_t wf = 1, wl = 0;
        uint8_t kind = after_form(&s, after, &last);
        /* "15 people, including four children, were killed" */
        if (!kind && head && who_after(&s, head, &wf, &wl) && is(&s, wl + 1, ","))
            kind = after_form(&s, wl + 2, &last);
        if (kind) {
            c.first = (uint32_t)q;
            c.last = (uint32_t)last;
            if (q > lo && (is(&s, q - 1, "left") || is(&s, q - 1, "leaving") || is(&s, q - 1, "leaves")))
                c.first--;
        } else {
            size_t first;
            if ((!head && !ends_count(&s, b)) || !(kind = before_form(&s, q, lo, &first))) {
                i = b - 1;
                continue;
            }
            c.first = (uint32_t)first;
            c.last = (uint32_t)(after - 1);
        }
        c.kind = kind;
        if (head && in_list(&s, head - 1, generic) < 0)
            c.who_first = (uint32_t)g, c.who_last = (uint32_t)(head - 1);
        else if (wf <= wl && wl < c.last)
            c.who_first = wf, c.who_last = wl;
        else
            who_after(&s, c.last + 1, &c.who_first, &c.who_last);
        out[found++] = c;
        i = c.last;
        lo = i + 1;
    }
    return found;
}

size_t quantity_len(const char *text, const token *t, size_t n, size_t i)
{
    sent s = {text, t, n};
    size_t j = i;
    for (int k = 0; qualifiers[k]; k++) {
        size_t l = qualifier_len(&s, j, k);
        if (l) {
            j += l;
            break;
        }
    }
    int64_t v;
    size_t l = count_at(&s, j, &v);
    if (!l || not_a_count(&s, j, j + l, v))
        return 0;
    j += l;
    if (is(&s, j, "of")) /* "dozens of", "hundreds of" */
        j++;
    return j - i;
}
