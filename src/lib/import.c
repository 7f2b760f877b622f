/*
 * import.c - reading the field's dictionary formats unchanged: PETRARCH2 / TABARI verbs, actors, agents,
 * discards and issues. Each file's format is told from its content, never from its name alone.
 *
 * Every entry is translated into one or more lines of dyad's own format (docs/dictionaries.md) and handed
 * to dict_native_line(), so there is one parser of entries. What has no dyad equivalent is reported with
 * dict_problem() against the original file and line.
 *
 * Translation rules, in short:
 *  - names: '_' joins words; a trailing '_' (exact match) or '=' is dropped; words are lower-cased, since
 *    dyad reduces text words itself, except a one-word name of 2-4 capitals that is also a common English
 *    word (US, WHO, IT), which stays an acronym so that "us" the pronoun is not the United States; a longer
 *    name with such a word gets a second spelling with it in capitals (US_STATE_DEPARTMENT).
 *  - actor codes: [CODE], [CODE <YYMMDD], [CODE >YYMMDD], [CODE YYMMDD-YYMMDD] (or 8-digit years) become
 *    CODE@FROM..TO alternatives; an unrestricted code is the undated fallback; a dated null code [---]
 *    cuts its range out of the fallback.
 *  - verb blocks: every verb of a block shares the block's patterns, so the single-word verbs of a block
 *    become one synset and each pattern one dyad pattern with that synset where '*' is; multi-word verbs
 *    (+CORDON_OFF, WIRE_+TAP) get patterns of their own. Words joined by '_' or inside {...} must be
 *    adjacent; words separated by blanks may have other words between them ('..'). A pattern written twice
 *    in a PETRARCH2 block keeps the code of the last one, as PETRARCH2 does. '^' (skip a phrase) after the
 *    verb is a throwaway slot that the next slot overrides, and also a gap (pattern_out()).
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

/* ---- small helpers -------------------------------------------------------------------------------- */

static bool is_sp(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

static const char *skip_sp(const char *p, const char *e)
{
    while (p < e && is_sp(*p))
        p++;
    return p;
}

static const char *trim_sp(const char *p, const char *e)
{
    while (e > p && is_sp(e[-1]))
        e--;
    return e;
}

/* memchr over [p, e) */
static const char *mchr(const char *p, const char *e, char c)
{
    return e > p ? memchr(p, c, (size_t)(e - p)) : NULL;
}

static char upc(char c) { return c >= 'a' && c <= 'z' ? (char)(c - 32) : c; }
static char lowc(char c) { return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c; }
static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }

static bool starts(const char *p, const char *e, const char *s)
{
    size_t n = strlen(s);
    return (size_t)(e - p) >= n && memcmp(p, s, n) == 0;
}

/* Common short English words: a one-word actor name spelled like one of these is an acronym (US, WHO). */
static const char *const common_short[] = {
    "a", "am", "an", "as", "at", "be", "by", "do", "go", "he", "hi", "if", "in", "is", "it", "me", "my",
    "no", "of", "oh", "ok", "on", "or", "so", "to", "up", "us", "we", "act", "add", "age", "ago", "aid",
    "aim", "air", "all", "and", "any", "are", "arm", "art", "ask", "bad", "ban", "bar", "bay", "bed", "big",
    "bit", "box", "boy", "bus", "but", "buy", "can", "car", "cut", "day", "did", "die", "dog", "due", "end",
    "era", "eye", "far", "fed", "few", "fit", "fly", "for", "fun", "gap", "gas", "get", "god", "got", "gun",
    "guy", "had", "has", "her", "hid", "him", "his", "hit", "hot", "how", "ice", "ill", "its", "job", "key",
    "kid", "law", "lay", "led", "leg", "let", "lie", "lot", "low", "man", "map", "may", "men", "met", "mid",
    "mix", "net", "new", "nor", "not", "now", "odd", "off", "oil", "old", "one", "our", "out", "own", "pay",
    "per", "pro", "put", "ran", "raw", "red", "rid", "row", "run", "sad", "saw", "say", "sea", "see", "set",
    "she", "shy", "six", "sky", "son", "sum", "sun", "tax", "tea", "ten", "the", "tie", "tip", "too", "top",
    "try", "two", "use", "via", "war", "was", "way", "web", "who", "why", "win", "won", "yes", "yet", "you",
    "also", "arms", "army", "away", "back", "bank", "base", "been", "best", "body", "bomb", "book", "both",
    "call", "came", "camp", "care", "case", "city", "club", "come", "cost", "crew", "data", "date", "deal",
    "does", "done", "down", "drug", "each", "east", "easy", "even", "ever", "face", "fact", "fair", "fall",
    "fear", "feel", "file", "fire", "firm", "five", "flag", "food", "form", "four", "free", "from", "full",
    "fund", "gave", "give", "goal", "gold", "good", "half", "hall", "hand", "have", "head", "hear", "held",
    "help", "here", "high", "hold", "home", "hope", "idea", "into", "just", "keep", "kill", "kind", "king",
    "know", "land", "last", "late", "lead", "left", "less", "life", "like", "line", "list", "live", "long",
    "look", "loss", "made", "main", "make", "many", "mass", "meet", "more", "most", "move", "much", "must",
    "name", "near", "need", "news", "next", "nine", "none", "note", "once", "only", "open", "over", "pact",
    "part", "past", "plan", "play", "poll", "port", "post", "race", "rate", "real", "rest", "rise", "risk",
    "road", "role", "rule", "safe", "said", "same", "save", "seat", "seek", "seen", "sent", "ship", "shot",
    "show", "side", "sign", "site", "some", "soon", "stay", "step", "stop", "such", "sure", "take", "talk",
    "team", "tell", "term", "than", "that", "them", "then", "they", "this", "time", "told", "took", "town",
    "true", "turn", "unit", "upon", "very", "vote", "wait", "want", "warn", "week", "well", "went", "were",
    "west", "what", "when", "will", "with", "word", "work", "year", "your", "zone",
};

static bool common_word(const char *w, size_t n)
{
    char low[8];
    if (n == 0 || n > 4)
        return false;
    for (size_t i = 0; i < n; i++)
        low[i] = lowc(w[i]);
    for (size_t i = 0; i < sizeof common_short / sizeof common_short[0]; i++)
        if (strlen(common_short[i]) == n && memcmp(common_short[i], low, n) == 0)
            return true;
    return false;
}

/* Append a word, lower-cased (ASCII; other bytes as they are). */
static bool add_lower(sbuf *b, const char *w, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!sbuf_addc(b, lowc(w[i])))
            return false;
    return true;
}

/* The next word of a raw PETRARCH name from *Q up to E ('_' and blanks separate words, a trailing '=' is
 * dropped): [*S, *T), and *Q past it; false when there is none. */
static bool name_word(const char **q, const char *e, const char **s, const char **t)
{
    for (;;) {
        const char *r = *q;
        while (r < e && (*r == '_' || is_sp(*r)))
            r++;
        if (r == e) {
            *q = r;
            return false;
        }
        const char *w = r;
        while (r < e && *r != '_' && !is_sp(*r))
            r++;
        const char *x = r;
        while (x > w && x[-1] == '=')
            x--;
        *q = r;
        if (x > w) {
            *s = w, *t = x;
            return true;
        }
    }
}

/* 2-4 capitals spelling a common word (US, WHO, IT): written alone as a name, such a word keeps its case,
 * so that the pronoun "us" is not the United States. */
static bool acronym_form(const char *w, size_t n)
{
    if (n < 2 || n > 4)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!is_upper(w[i]))
            return false;
    return common_word(w, n);
}

/* A raw phrase (PETRARCH name, '_' between words) as dyad text: words lower-cased and separated by one
 * blank; a trailing '_' or '=' dropped. KEEP_ACRONYM: a one-word name of 2-4 capitals that is a common
 * word keeps its case. KEEP (may be NULL): words of a longer name that keep their case when KEEP says so;
 * *KEPT tells whether one did. Returns false on allocation failure; *EMPTY when nothing is left. */
static bool add_name_keep(sbuf *b, const char *p, const char *e, bool keep_acronym,
                          bool (*keep)(const char *w, size_t n, void *ctx), void *ctx, bool *kept, bool *empty)
{
    size_t nwords = 0;
    const char *w0 = NULL, *w1 = NULL, *s, *t;
    for (const char *q = p; name_word(&q, e, &s, &t);)
        if (!nwords++)
            w0 = s, w1 = t;
    *empty = nwords == 0;
    if (kept)
        *kept = false;
    if (nwords == 1 && keep_acronym && acronym_form(w0, (size_t)(w1 - w0)))
        return sbuf_add(b, w0, (size_t)(w1 - w0));
    bool first = true;
    for (const char *q = p; name_word(&q, e, &s, &t);) {
        if (!first && !sbuf_addc(b, ' '))
            return false;
        size_t n = (size_t)(t - s);
        if (nwords > 1 && keep && keep(s, n, ctx)) {
            if (!sbuf_add(b, s, n))
                return false;
            *kept = true;
        } else if (!add_lower(b, s, n)) {
            return false;
        }
        first = false;
    }
    return true;
}

static bool add_name(sbuf *b, const char *p, const char *e, bool keep_acronym, bool *empty)
{
    return add_name_keep(b, p, e, keep_acronym, NULL, NULL, NULL, empty);
}

/* Characters that would break a native line inside a name. */
static bool name_ok(const char *p, const char *e)
{
    for (; p < e; p++)
        if (*p == ';' || *p == '=' || *p == '#' || *p == '[' || *p == ']')
            return false;
    return true;
}

/* ---- reading lines: comments, blank lines ------------------------------------------------------------ */

typedef struct lines {
    const char *p, *end;
    size_t line;
    bool in_comment; /* inside a <!-- ... --> block */
} lines;

/* The next line with content: [*S, *E) without comments and trailing blanks; *INDENT when the raw line
 * starts with a blank. False at the end. Lines with invalid UTF-8 are reported and skipped. */
static bool next_line(dyad_dict *d, const char *name, lines *it, const char **s, const char **e, bool *indent)
{
    while (it->p < it->end) {
        const char *p = it->p;
        const char *nl = memchr(p, '\n', (size_t)(it->end - p));
        const char *le = nl ? nl : it->end;
        it->p = nl ? nl + 1 : it->end;
        it->line++;
        size_t bad;
        if (!dyad_utf8_check(p, (size_t)(le - p), &bad)) {
            dict_problem(d, name, it->line, "invalid UTF-8 or NUL byte at column %zu", bad + 1);
            continue;
        }
        if (it->in_comment) {
            const char *q = p;
            for (; q + 2 < le; q++)
                if (q[0] == '-' && q[1] == '-' && q[2] == '>')
                    break;
            if (q + 2 >= le)
                continue;
            it->in_comment = false;
            p = q + 3;
        }
        /* an XML comment: "<!--" (or "<!") up to "-->", perhaps lines later */
        const char *c0 = NULL;
        for (const char *q = p; q + 1 < le; q++)
            if (q[0] == '<' && q[1] == '!') {
                c0 = q;
                break;
            }
        const char *rest = NULL; /* text after a comment closed on this line */
        if (c0) {
            const char *q = c0 + 2;
            for (; q + 2 < le; q++)
                if (q[0] == '-' && q[1] == '-' && q[2] == '>')
                    break;
            if (q + 2 < le)
                rest = q + 3;
            else
                it->in_comment = true;
            le = c0;
        }
        (void)rest; /* text after a closed comment on the same line is ignored, as PETRARCH does */
        const char *hash = memchr(p, '#', (size_t)(le - p));
        if (hash)
            le = hash;
        *indent = p < le && is_sp(*p);
        const char *a = skip_sp(p, le), *b = trim_sp(a, le);
        if (a == b)
            continue;
        *s = a;
        *e = b;
        return true;
    }
    return false;
}

static bool native(dyad_dict *d, const char *name, uint16_t fid, size_t line, const sbuf *b)
{
    const char *s = b->s ? b->s : "";
    return dict_native_line(d, name, fid, line, s, s + b->len);
}

/* A first look at a file before it is read: FN on each line with content (comments stripped), until it
 * returns false. Problems are left for the real reading to report. */
static void prescan(const char *name, const char *buf, size_t len,
                    bool (*fn)(const char *s, const char *e, void *ctx), void *ctx)
{
    lines it = {buf, buf + len, 0, false};
    const char *s, *e;
    bool indent;
    dyad_dict quiet; /* next_line reports into a throwaway dictionary here */
    memset(&quiet, 0, sizeof quiet);
    while (next_line(&quiet, name, &it, &s, &e, &indent) && fn(s, e, ctx))
        ;
    for (size_t i = 0; i < quiet.nproblems; i++)
        free(quiet.problems[i]);
    free(quiet.problems);
}

/* ---- detection ------------------------------------------------------------------------------------- */

dict_format import_detect(const char *name, const char *buf, size_t len)
{
    (void)name;
    static const char magic[] = "# dyad-dict 1";
    size_t m = sizeof magic - 1;
    if (len >= m && memcmp(buf, magic, m) == 0 && (len == m || buf[m] == '\n' || buf[m] == '\r'))
        return FMT_DYAD;
    size_t verbs = 0, agents = 0, actors = 0, issues = 0, plain = 0, prose = 0, subst = 0, content = 0;
    bool in_comment = false;
    const char *p = buf, *end = buf + len;
    for (size_t n = 0; p < end && n < 20000; n++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        const char *s = p;
        p = nl ? nl + 1 : end;
        if (memchr(s, 0, (size_t)(le - s)))
            return FMT_UNKNOWN;
        if (in_comment) {
            const char *q = s;
            for (; q + 2 < le; q++)
                if (q[0] == '-' && q[1] == '-' && q[2] == '>')
                    break;
            if (q + 2 >= le)
                continue;
            in_comment = false;
            s = q + 3;
        }
        const char *a = skip_sp(s, le);
        if (starts(a, le, "<!")) {
            bool closed = false;
            for (const char *q = a; q + 2 < le; q++)
                if (q[0] == '-' && q[1] == '-' && q[2] == '>')
                    closed = true;
            in_comment = !closed;
            continue;
        }
        const char *hash = memchr(a, '#', (size_t)(le - a));
        const char *b = trim_sp(a, hash ? hash : le);
        if (a == b)
            continue;
        content++;
        if (starts(a, b, "<ISSUE") || starts(a, b, "</ISSUE")) {
            issues++;
            continue;
        }
        if (*a == '<' || *a == '~' || *a == '{')
            continue; /* tags, ~FINISH, transformations, verb forms */
        const char *lb = memchr(a, '[', (size_t)(b - a));
        const char *rb = lb ? memchr(lb, ']', (size_t)(b - lb)) : NULL;
        if (starts(a, b, "---") && b - a > 6 && b[-1] == '-' && b[-2] == '-' && b[-3] == '-') {
            verbs += 5;
            continue;
        }
        if (*a == '-' && memchr(a, '*', (size_t)(b - a)) && lb) {
            verbs++;
            continue;
        }
        if (*a == '!' && memchr(a + 1, '!', (size_t)(b - a - 1)) && memchr(a, '=', (size_t)(b - a))) {
            subst++;
            continue;
        }
        if (lb && rb) {
            const char *c = skip_sp(lb + 1, rb), *ce = trim_sp(c, rb);
            if (ce > c && (*c == '~' || ce[-1] == '~'))
                agents++;
            else
                actors++;
            continue;
        }
        if (lb) {
            prose++;
            continue;
        }
        /* a line without a code: an alias (+NAME), a verb, or a discard phrase */
        size_t words = 1;
        bool sentish = false;
        for (const char *q = a; q < b; q++) {
            if (is_sp(*q) && q + 1 < b && !is_sp(q[1]))
                words++;
            if (*q == ',' || *q == '"' || *q == '?' || (*q == '.' && q + 1 == b) || *q == ':')
                sentish = true;
        }
        if (words <= 8 && !sentish)
            plain++;
        else
            prose++;
    }
    if (issues)
        return FMT_PETR_ISSUES;
    if (verbs >= 2)
        return FMT_PETR_VERBS;
    if (agents + subst > actors && agents + subst > 0)
        return FMT_PETR_AGENTS;
    if (actors > 0 && actors * 10 >= content)
        return FMT_PETR_ACTORS;
    if (actors == 0 && plain > 0 && prose * 10 <= plain)
        return FMT_PETR_DISCARDS;
    return FMT_UNKNOWN;
}

/* ---- dates and actor codes ------------------------------------------------------------------------- */

static int days_in_month(int y, int m)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return dm[m - 1];
}

static int32_t date_add(int32_t d, int delta)
{
    int y = d / 10000, m = d / 100 % 100, day = d % 100;
    day += delta;
    if (day < 1) {
        if (--m < 1)
            m = 12, y--;
        day = days_in_month(y, m);
    } else if (day > days_in_month(y, m)) {
        day = 1;
        if (++m > 12)
            m = 1, y++;
    }
    return y * 10000 + m * 100 + day;
}

/* YYMMDD (years 00-30 are 20xx) or YYYYMMDD; 0 when not a real day. */
static int32_t petr_date(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_digit(s[i]))
            return 0;
    char iso[11];
    if (n == 6) {
        int yy = (s[0] - '0') * 10 + (s[1] - '0');
        snprintf(iso, sizeof iso, "%04d-%.2s-%.2s", yy <= 30 ? 2000 + yy : 1900 + yy, s + 2, s + 4);
    } else if (n == 8) {
        snprintf(iso, sizeof iso, "%.4s-%.2s-%.2s", s, s + 4, s + 6);
    } else {
        return 0;
    }
    return date_parse(iso, 10);
}

typedef struct alt {
    char code[16];
    int32_t from, to; /* 0 = open */
    bool dated, null;
} alt;

typedef struct alts {
    alt *v;
    size_t n, cap;
} alts;

/* One [...] block of an actor entry (the text between the brackets): 1 done, 0 a malformed block
 * (reported), -1 out of memory. */
static int parse_code_block(dyad_dict *d, const char *name, size_t line, const char *p, const char *e, alts *out)
{
    p = skip_sp(p, e);
    e = trim_sp(p, e);
    const char *c0 = p;
    while (p < e && !is_sp(*p) && *p != '<' && *p != '>' && !(is_digit(*p) && p > c0 && p[-1] == ' '))
        p++;
    const char *c1 = p;
    /* a code glued to a date restriction: "HOB<950601" */
    char rest[64];
    size_t rn = 0;
    for (const char *q = c1; q < e; q++)
        if (!is_sp(*q)) {
            if (rn + 1 >= sizeof rest) {
                dict_problem(d, name, line, "date restriction '%.*s' is too long", (int)(e - c1), c1);
                return 0;
            }
            rest[rn++] = *q;
        }
    rest[rn] = 0;
    alt a;
    memset(&a, 0, sizeof a);
    size_t cn = (size_t)(c1 - c0);
    if (cn == 3 && memcmp(c0, "---", 3) == 0) {
        a.null = true;
    } else if (cn == 3 && (memcmp(c0, "+++", 3) == 0 || memcmp(c0, "###", 3) == 0)) {
        dict_problem(d, name, line, "special code [%.3s] (complex/discard) has no dyad equivalent; entry skipped",
                     c0);
        return 0;
    } else {
        const char *slash = memchr(c0, '/', cn);
        if (slash && cn > 15) {
            dict_problem(d, name, line, "coded compound actor [%.*s] is longer than 15 characters; using %.*s",
                         (int)cn, c0, (int)(slash - c0), c0);
            cn = (size_t)(slash - c0);
        }
        if (cn == 0 || cn > 15) {
            dict_problem(d, name, line, "bad actor code '%.*s'", (int)(c1 - c0), c0);
            return 0;
        }
        for (size_t i = 0; i < cn; i++) {
            char c = upc(c0[i]);
            if (c == '/' && i > 0 && i + 1 < cn && c0[i - 1] != '/') { /* [ELR/GAL]: several actors */
                a.code[i] = c;
                continue;
            }
            if (!is_upper(c) && !is_digit(c)) {
                dict_problem(d, name, line, "bad actor code '%.*s' (letters and digits)", (int)(c1 - c0), c0);
                return 0;
            }
            a.code[i] = c;
        }
    }
    if (rn) {
        a.dated = true;
        if (rest[0] == '<' || rest[0] == '>') {
            int32_t dt = petr_date(rest + 1, rn - 1);
            if (!dt) {
                dict_problem(d, name, line, "bad date '%s' (want YYMMDD or YYYYMMDD)", rest + 1);
                return 0;
            }
            if (rest[0] == '<')
                a.to = dt;
            else
                a.from = dt;
        } else {
            const char *dash = strchr(rest, '-');
            int32_t f = dash ? petr_date(rest, (size_t)(dash - rest)) : 0;
            int32_t t = dash ? petr_date(dash + 1, strlen(dash + 1)) : 0;
            if (!dash || !f || !t) {
                dict_problem(d, name, line, "bad date restriction '%s' (want <DATE, >DATE or DATE-DATE, dates "
                             "YYMMDD or YYYYMMDD)", rest);
                return 0;
            }
            if (f > t) {
                dict_problem(d, name, line, "date range '%s' ends before it starts", rest);
                return 0;
            }
            a.from = f;
            a.to = t;
        }
    }
    if (!GROW(out->v, out->cap, out->n + 1))
        return -1;
    out->v[out->n++] = a;
    return 1;
}

static void add_iso(sbuf *b, int32_t dt)
{
    if (dt)
        sbuf_addf(b, "%04d-%02d-%02d", dt / 10000, dt / 100 % 100, dt % 100);
}

static void add_alt(sbuf *b, const char *code, int32_t from, int32_t to)
{
    sbuf_addf(b, " %s", code);
    if (from || to) {
        sbuf_addc(b, '@');
        add_iso(b, from);
        sbuf_add(b, "..", 2);
        add_iso(b, to);
    }
}

static int cmp_range(const void *x, const void *y)
{
    const alt *a = x, *b = y;
    return a->from < b->from ? -1 : a->from > b->from;
}

/* The next form of a {FORM FORM} or {FORM, FORM} list (Phoenix writes both) from *q up to cb: its start,
 * with *end after it and *q past it; NULL when the list is done. */
static const char *brace_item(const char **q, const char *cb, const char **end)
{
    const char *p = *q;
    while (p < cb && (is_sp(*p) || *p == ','))
        p++;
    const char *w = p;
    while (p < cb && !is_sp(*p) && *p != ',')
        p++;
    *q = p, *end = p;
    return p > w ? w : NULL;
}

/* ---- actors ---------------------------------------------------------------------------------------- */

typedef struct actor_acc {
    sbuf names;       /* "name ; name ; ..." */
    size_t nnames;
    alts codes;
    size_t line;      /* of the first name */
    bool bad;         /* a malformed code block: the entry is skipped */
    bool open;
    dyad_dict *d;
    sbuf acronyms;    /* " US WHO ": the file's one-word names kept as acronyms */
} actor_acc;

static bool actor_flush(dyad_dict *d, const char *name, uint16_t fid, actor_acc *a)
{
    bool ok = true;
    if (!a->open)
        return true;
    a->open = false;
    if (a->bad || !a->nnames)
        goto done;
    if (!a->codes.n) {
        dict_problem(d, name, a->line, "actor '%.60s' has no code", a->names.s);
        goto done;
    }
    /* null ranges, the first undated real code */
    alt nulls[64];
    size_t nn = 0;
    bool all_null = true, any_dated = false, dflt = false;
    size_t nreal = 0;
    for (size_t i = 0; i < a->codes.n; i++) {
        alt *c = &a->codes.v[i];
        if (c->null) {
            if (c->dated && nn < 64)
                nulls[nn++] = *c;
            continue;
        }
        all_null = false;
        nreal++;
        any_dated |= c->dated;
    }
    if (all_null)
        goto done; /* a null-coded name: not an actor */
    sbuf line = {0};
    /* a state: its code now (the unrestricted one, else the latest open-ended one) has three letters.
     * dyad's countries have one code, so earlier codes of a state are left out. */
    const alt *now = NULL;
    for (size_t i = 0; i < a->codes.n; i++) {
        const alt *c = &a->codes.v[i];
        if (c->null)
            continue;
        if (!c->dated) {
            now = c;
            break;
        }
        if (!c->to && (!now || c->from > now->from))
            now = c;
    }
    (void)nreal;
    (void)any_dated;
    if (now && strlen(now->code) == 3 && !nn) {
        /* the state, and (added after it, so looked at first) its other dated codes as an entry with no
         * fallback: on a date none of them holds, the name is the state */
        ok = sbuf_addf(&line, "country %s = %s", a->names.s, now->code) && native(d, name, fid, a->line, &line);
        bool others = false, longer = false;
        for (size_t i = 0; i < a->codes.n; i++) {
            const alt *c = &a->codes.v[i];
            if (c != now && !c->null && c->dated) {
                others = true;
                longer |= strlen(c->code) > 3;
            }
        }
        if (ok && others) {
            line.len = 0;
            ok = sbuf_addf(&line, "%s %s =", longer ? "person" : "actor", a->names.s);
            for (size_t i = 0; ok && i < a->codes.n; i++) {
                const alt *c = &a->codes.v[i];
                if (c != now && !c->null && c->dated)
                    add_alt(&line, c->code, c->from, c->to);
            }
            ok = ok && native(d, name, fid, a->line, &line);
        }
        free(line.s);
        goto done;
    }
    bool country = false;
    bool person = false;
    for (size_t i = 0; i < a->codes.n; i++)
        if (!a->codes.v[i].null && a->codes.v[i].dated && strlen(a->codes.v[i].code) > 3)
            person = true;
    sbuf_addf(&line, "%s %s =", country ? "country" : person ? "person" : "actor", a->names.s);
    for (size_t i = 0; i < a->codes.n; i++) {
        alt *c = &a->codes.v[i];
        if (c->null)
            continue;
        if (c->dated) {
            add_alt(&line, c->code, c->from, c->to);
        } else if (!dflt) {
            dflt = true;
            if (!nn) {
                add_alt(&line, c->code, 0, 0);
                continue;
            }
            /* the fallback holds outside the null ranges */
            qsort(nulls, nn, sizeof nulls[0], cmp_range);
            int32_t start = 0; /* 0: open */
            bool done = false;
            for (size_t k = 0; k < nn; k++) {
                int32_t f = nulls[k].from, t = nulls[k].to;
                if (f) {
                    int32_t g = date_add(f, -1);
                    if (!start || g >= start)
                        add_alt(&line, c->code, start, g);
                }
                if (!t) {
                    done = true;
                    break;
                }
                if (!start || date_add(t, 1) > start)
                    start = date_add(t, 1);
            }
            if (!done)
                add_alt(&line, c->code, start, 0);
        }
    }
    if (!line.s) {
        ok = false;
    } else {
        ok = native(d, name, fid, a->line, &line);
    }
    free(line.s);
done:
    a->names.len = 0;
    a->nnames = 0;
    a->codes.n = 0;
    a->bad = false;
    return ok;
}

/* All [...] blocks in [p, e), appended to A. */
static bool actor_codes(dyad_dict *d, const char *name, size_t line, const char *p, const char *e, actor_acc *a)
{
    while (p < e) {
        const char *lb = memchr(p, '[', (size_t)(e - p));
        if (!lb)
            break;
        const char *rb = memchr(lb, ']', (size_t)(e - lb));
        if (!rb) {
            dict_problem(d, name, line, "'[' without ']'");
            a->bad = true;
            return true;
        }
        /* a malformed block is reported and left out; the entry keeps its other codes */
        if (parse_code_block(d, name, line, lb + 1, rb, &a->codes) < 0)
            return false;
        p = rb + 1;
    }
    return true;
}

/* prescan(): the one-word names a file keeps as acronyms ("US" [USA]), into the actor_acc's list */
static bool find_acronym(const char *s, const char *e, void *ctx)
{
    sbuf *acr = ctx;
    if (*s == '+')
        s++;
    const char *ne = s;
    while (ne < e && *ne != '[' && *ne != '{')
        ne++;
    const char *w, *t, *q = s, *w2, *t2;
    if (*s != '[' && *s != '<' && *s != '~' && name_word(&q, ne, &w, &t) && !name_word(&q, ne, &w2, &t2) &&
        acronym_form(w, (size_t)(t - w)))
        return (acr->len || sbuf_addc(acr, ' ')) && sbuf_add(acr, w, (size_t)(t - w)) && sbuf_addc(acr, ' ');
    return true;
}

/* add_name_keep(): in a longer name, a word that is an acronym elsewhere ("US" alone, in this file or one
 * read before) keeps its case too, since text "US" is then keyed to the acronym: "US_STATE_DEPARTMENT" is
 * "US state department" as well as "us state department" */
static bool known_acronym(const char *w, size_t n, void *ctx)
{
    const actor_acc *a = ctx;
    if (!acronym_form(w, n))
        return false;
    if (strtab_find(&a->d->vocab, w, n))
        return true;
    char needle[8] = " ";
    memcpy(needle + 1, w, n);
    needle[n + 1] = ' ';
    needle[n + 2] = 0;
    return a->acronyms.s && strstr(a->acronyms.s, needle);
}

static bool actor_add_name(dyad_dict *d, const char *name, size_t line, const char *p, const char *e,
                           actor_acc *a)
{
    if (!name_ok(p, e)) {
        dict_problem(d, name, line, "name '%.*s' has a character dyad names cannot hold (; = # [ ])", (int)(e - p),
                     p);
        return true;
    }
    size_t mark = a->names.len;
    if (a->nnames && !sbuf_add(&a->names, " ; ", 3))
        return false;
    bool empty;
    if (!add_name(&a->names, p, e, true, &empty))
        return false;
    if (empty)
        a->names.len = mark;
    else
        a->nnames++;
    if (!empty) { /* the same with its acronyms in capitals, when it has one */
        size_t mark2 = a->names.len;
        bool kept;
        if (!sbuf_add(&a->names, " ; ", 3) || !add_name_keep(&a->names, p, e, true, known_acronym, a, &kept, &empty))
            return false;
        if (kept)
            a->nnames++;
        else
            a->names.len = mark2;
    }
    if (!sbuf_addc(&a->names, 0))
        return false;
    a->names.len--;
    return true;
}

static bool import_actors(dyad_dict *d, const char *name, uint16_t fid, const char *buf, size_t len)
{
    lines it = {buf, buf + len, 0, false};
    const char *s, *e;
    bool indent;
    actor_acc a;
    memset(&a, 0, sizeof a);
    a.d = d;
    prescan(name, buf, len, find_acronym, &a.acronyms);
    bool ok = true, in_section = false;
    while (ok && next_line(d, name, &it, &s, &e, &indent)) {
        if (*s == '<') { /* TABARI <NOUN>, <ADJECTIVE> ... sections hold no actors */
            ok = actor_flush(d, name, fid, &a);
            in_section = s[1] != '/';
            continue;
        }
        if (in_section)
            continue;
        if (starts(s, e, "~FINISH"))
            break;
        if (*s == '[') { /* a code line of the current entry */
            if (!a.open) {
                dict_problem(d, name, it.line, "code line without an actor name before it");
                continue;
            }
            ok = actor_codes(d, name, it.line, s, e, &a);
            continue;
        }
        if (*s == '+') { /* a synonym of the current entry */
            if (!a.open) {
                dict_problem(d, name, it.line, "synonym '+' line without an actor name before it");
                continue;
            }
            const char *lb = memchr(s, '[', (size_t)(e - s));
            ok = actor_add_name(d, name, it.line, s + 1, lb ? trim_sp(s, lb) : e, &a);
            if (ok && lb)
                ok = actor_codes(d, name, it.line, lb, e, &a);
            continue;
        }
        (void)indent;
        /* consecutive names before one set of codes are one entry (a name, then its variants) */
        if (!(a.open && a.nnames && !a.codes.n)) {
            ok = actor_flush(d, name, fid, &a);
            if (!ok)
                break;
            a.open = true;
            a.line = it.line;
        }
        const char *lb = memchr(s, '[', (size_t)(e - s));
        const char *ne = lb ? lb : e;
        const char *brace = memchr(s, '{', (size_t)(ne - s));
        ok = actor_add_name(d, name, it.line, s, trim_sp(s, brace ? brace : ne), &a);
        if (ok && brace) { /* {PLURAL FORMS} */
            const char *cb = memchr(brace, '}', (size_t)(e - brace));
            if (!cb) {
                dict_problem(d, name, it.line, "'{' without '}'");
            } else {
                const char *q = brace + 1, *w, *we;
                while (ok && (w = brace_item(&q, cb, &we)))
                    ok = actor_add_name(d, name, it.line, w, we, &a);
            }
        }
        if (ok && lb)
            ok = actor_codes(d, name, it.line, lb, e, &a);
    }
    if (ok)
        ok = actor_flush(d, name, fid, &a);
    free(a.names.s);
    free(a.codes.v);
    free(a.acronyms.s);
    return ok;
}

/* ---- agents ---------------------------------------------------------------------------------------- */

typedef struct subst {
    char key[32];   /* "!PERSON!" */
    char **vals;
    size_t n;
} subst;

/* Expand !X! substitutions in [p, e) into the name list B (" ; " separated). */
static bool agent_expand(dyad_dict *d, const subst *subs, size_t nsubs, const char *p, const char *e, sbuf *b,
                         size_t *count, int depth)
{
    const char *x = memchr(p, '!', (size_t)(e - p));
    const char *y = x ? memchr(x + 1, '!', (size_t)(e - x - 1)) : NULL;
    if (x && y && depth < 4) {
        for (size_t i = 0; i < nsubs; i++) {
            if (strlen(subs[i].key) != (size_t)(y - x + 1) || memcmp(subs[i].key, x, (size_t)(y - x + 1)) != 0)
                continue;
            for (size_t k = 0; k < subs[i].n; k++) {
                sbuf t = {0};
                bool ok = sbuf_add(&t, p, (size_t)(x - p)) && sbuf_add(&t, subs[i].vals[k], strlen(subs[i].vals[k])) &&
                          sbuf_add(&t, y + 1, (size_t)(e - y - 1));
                ok = ok && agent_expand(d, subs, nsubs, t.s, t.s + t.len, b, count, depth + 1);
                free(t.s);
                if (!ok)
                    return false;
            }
            return true;
        }
        return true; /* unknown substitution: reported by the caller */
    }
    if (*count && !sbuf_add(b, " ; ", 3))
        return false;
    size_t mark = b->len;
    bool empty;
    if (!add_name(b, p, e, false, &empty))
        return false;
    if (empty) {
        if (*count)
            b->len = mark - 3;
        else
            b->len = mark;
    } else {
        (*count)++;
    }
    return true;
}

static bool import_agents(dyad_dict *d, const char *name, uint16_t fid, const char *buf, size_t len)
{
    lines it = {buf, buf + len, 0, false};
    const char *s, *e;
    bool indent, ok = true;
    subst *subs = NULL;
    size_t nsubs = 0, subs_cap = 0;
    while (ok && next_line(d, name, &it, &s, &e, &indent)) {
        if (*s == '<' || starts(s, e, "~FINISH"))
            continue;
        const char *y0 = *s == '!' ? mchr(s + 1, e, '!') : NULL;
        if (y0 && skip_sp(y0 + 1, e) < e && *skip_sp(y0 + 1, e) == '=') { /* !NAME! = A, B, C */
            const char *y = y0;
            const char *eq = skip_sp(y0 + 1, e);
            if ((size_t)(y - s + 1) >= sizeof subs[0].key) {
                dict_problem(d, name, it.line, "want '!NAME! = WORD, WORD'");
                continue;
            }
            if (!GROW(subs, subs_cap, nsubs + 1)) {
                ok = false;
                break;
            }
            subst *sb = &subs[nsubs++];
            memset(sb, 0, sizeof *sb);
            memcpy(sb->key, s, (size_t)(y - s + 1));
            for (const char *q = eq + 1; q < e;) {
                const char *c = memchr(q, ',', (size_t)(e - q));
                if (!c)
                    c = e;
                const char *a = skip_sp(q, c), *b = trim_sp(a, c);
                if (b > a) {
                    char **nv = realloc(sb->vals, (sb->n + 1) * sizeof *nv);
                    char *v = malloc((size_t)(b - a) + 1);
                    if (!nv || !v) {
                        free(v);
                        if (nv)
                            sb->vals = nv;
                        ok = false;
                        break;
                    }
                    sb->vals = nv;
                    memcpy(v, a, (size_t)(b - a));
                    v[b - a] = 0;
                    sb->vals[sb->n++] = v;
                }
                q = c + 1;
            }
            continue;
        }
        const char *lb = memchr(s, '[', (size_t)(e - s));
        const char *rb = lb ? memchr(lb, ']', (size_t)(e - lb)) : NULL;
        if (!lb || !rb) {
            dict_problem(d, name, it.line, "agent without a [~CODE] block");
            continue;
        }
        const char *c0 = skip_sp(lb + 1, rb), *c1 = trim_sp(c0, rb);
        char sec[16];
        size_t sn = 0;
        /* [~GOV] follows the actor's code; [NGO~] goes before it ("MSF Arnor": NGOARN) */
        bool prefix = c1 - c0 >= 2 && *c0 != '~' && c1[-1] == '~';
        if (prefix)
            c1--, c0--;
        bool good = c1 - c0 >= 2 && (prefix || *c0 == '~');
        for (const char *q = c0 + 1; good && q < c1; q++) {
            char c = upc(*q);
            if ((!is_upper(c) && !is_digit(c)) || sn >= 11)
                good = false;
            else
                sec[sn++] = c;
        }
        sec[sn] = 0;
        if (!good) {
            dict_problem(d, name, it.line, "bad agent code [%.*s] (want [~CODE] or [CODE~])",
                         (int)(trim_sp(skip_sp(lb + 1, rb), rb) - skip_sp(lb + 1, rb)), skip_sp(lb + 1, rb));
            continue;
        }
        const char *ne = trim_sp(s, lb);
        const char *brace = mchr(s, ne, '{');
        const char *nend = trim_sp(s, brace ? brace : ne);
        if (!name_ok(s, nend)) {
            dict_problem(d, name, it.line, "agent name has a character dyad names cannot hold (; = # [ ])");
            continue;
        }
        /* unknown substitutions */
        const char *x = memchr(s, '!', (size_t)(nend - s));
        if (x) {
            const char *y = memchr(x + 1, '!', (size_t)(nend - x - 1));
            bool known = false;
            for (size_t i = 0; y && i < nsubs; i++)
                known |= strlen(subs[i].key) == (size_t)(y - x + 1) && memcmp(subs[i].key, x, (size_t)(y - x + 1)) == 0;
            if (!known) {
                dict_problem(d, name, it.line, "unknown substitution '%.*s'", y ? (int)(y - x + 1) : (int)(nend - x), x);
                continue;
            }
        }
        sbuf line = {0};
        size_t count = 0;
        ok = sbuf_add(&line, "agent ", 6) && agent_expand(d, subs, nsubs, s, nend, &line, &count, 0);
        if (ok && brace) {
            const char *cb = memchr(brace, '}', (size_t)(ne - brace));
            if (!cb)
                cb = ne;
            const char *q = brace + 1, *w, *we;
            while (ok && (w = brace_item(&q, cb, &we)))
                ok = agent_expand(d, subs, nsubs, w, we, &line, &count, 0);
        }
        if (ok && count) {
            ok = sbuf_addf(&line, prefix ? " = %s~" : " = ~%s", sec) && native(d, name, fid, it.line, &line);
        } else if (ok) {
            dict_problem(d, name, it.line, "agent without a name");
        }
        free(line.s);
    }
    for (size_t i = 0; i < nsubs; i++) {
        for (size_t k = 0; k < subs[i].n; k++)
            free(subs[i].vals[k]);
        free(subs[i].vals);
    }
    free(subs);
    return ok;
}

/* ---- discards -------------------------------------------------------------------------------------- */

static bool import_discards(dyad_dict *d, const char *name, uint16_t fid, const char *buf, size_t len)
{
    lines it = {buf, buf + len, 0, false};
    const char *s, *e;
    bool indent, ok = true;
    while (ok && next_line(d, name, &it, &s, &e, &indent)) {
        bool story = *s == '+';
        const char *p = story ? s + 1 : s;
        if (!name_ok(p, e)) {
            dict_problem(d, name, it.line, "discard phrase has a character dyad phrases cannot hold (; = # [ ])");
            continue;
        }
        sbuf line = {0};
        bool empty;
        ok = sbuf_add(&line, story ? "discard story " : "discard ", story ? 14 : 8) &&
             add_name(&line, p, e, false, &empty);
        if (ok && empty)
            dict_problem(d, name, it.line, "empty discard phrase");
        else if (ok)
            ok = native(d, name, fid, it.line, &line);
        free(line.s);
    }
    return ok;
}

/* ---- issues ---------------------------------------------------------------------------------------- */

/* Expand "a+b" (blank and hyphen) and strip "n:" / "v:" markers; the variants go to B. */
static bool issue_variants(const char *p, const char *e, sbuf *b, size_t *count, int depth)
{
    const char *plus = memchr(p, '+', (size_t)(e - p));
    if (plus && depth < 6) {
        for (int k = 0; k < 2; k++) {
            sbuf t = {0};
            bool ok = sbuf_add(&t, p, (size_t)(plus - p)) && sbuf_add(&t, k ? " - " : " ", k ? 3 : 1) &&
                      sbuf_add(&t, plus + 1, (size_t)(e - plus - 1));
            ok = ok && issue_variants(t.s, t.s + t.len, b, count, depth + 1);
            free(t.s);
            if (!ok)
                return false;
        }
        return true;
    }
    if (*count && !sbuf_add(b, " ; ", 3))
        return false;
    size_t mark = b->len;
    bool first = true;
    for (const char *q = p; q < e;) {
        q = skip_sp(q, e);
        const char *w = q;
        while (q < e && !is_sp(*q))
            q++;
        if (q == w)
            continue;
        if (q - w > 2 && (w[0] == 'n' || w[0] == 'N' || w[0] == 'v' || w[0] == 'V') && w[1] == ':')
            w += 2;
        if (!first && !sbuf_addc(b, ' '))
            return false;
        if (!add_lower(b, w, (size_t)(q - w)))
            return false;
        first = false;
    }
    if (first) {
        b->len = *count ? mark - 3 : mark;
        return true;
    }
    (*count)++;
    return true;
}

static bool import_issues(dyad_dict *d, const char *name, uint16_t fid, const char *buf, size_t len)
{
    lines it = {buf, buf + len, 0, false};
    const char *s, *e;
    bool indent, ok = true;
    while (ok && next_line(d, name, &it, &s, &e, &indent)) {
        if (*s == '<')
            continue; /* <ISSUE CATEGORY=...> </ISSUE> */
        if (*s == '~') {
            dict_problem(d, name, it.line, "exclusion phrase '%.*s' (~) has no dyad equivalent; skipped",
                         (int)(e - s), s);
            continue;
        }
        const char *lb = memchr(s, '[', (size_t)(e - s));
        const char *rb = lb ? memchr(lb, ']', (size_t)(e - lb)) : NULL;
        if (!lb || !rb) {
            dict_problem(d, name, it.line, "issue phrase without a [CODE]");
            continue;
        }
        const char *c0 = skip_sp(lb + 1, rb), *c1 = trim_sp(c0, rb);
        bool good = c1 > c0;
        for (const char *q = c0; q < c1; q++)
            good = good && !is_sp(*q) && *q != ':' && *q != ';' && *q != '#';
        if (!good || !name_ok(s, lb)) {
            dict_problem(d, name, it.line, "bad issue line (want 'PHRASE [CODE]', CODE one word)");
            continue;
        }
        sbuf line = {0};
        size_t count = 0;
        ok = sbuf_addf(&line, "issue %.*s : ", (int)(c1 - c0), c0) && issue_variants(s, trim_sp(s, lb), &line, &count, 0);
        if (ok && count)
            ok = native(d, name, fid, it.line, &line);
        else if (ok)
            dict_problem(d, name, it.line, "issue line without a phrase");
        free(line.s);
    }
    return ok;
}

/* ---- verbs ----------------------------------------------------------------------------------------- */

typedef struct wseq { /* a sequence of words (one synset member, one verb phrase) */
    char *w;          /* words separated by single blanks, dyad spelling */
} wseq;

typedef struct vsyn {
    char name[64];    /* PETRARCH name, without '&' and trailing '_' */
    char dname[80];   /* the dyad synset holding the single-word members ("" when none) */
    wseq *multi;      /* multi-word members */
    size_t nmulti;
    size_t line;
} vsyn;

typedef struct vverb {
    char *front, *verb, *back; /* words before the verb, the verb, after (dyad spelling, may be empty) */
    char code[16];             /* own code, "" to use the block's */
    size_t line;
} vverb;

typedef struct vpat {
    char *body; /* raw pattern text, without the leading '-' and the code */
    char code[16];
    size_t line;
} vpat;

typedef struct vhead {
    char verb[32], code[16];
} vhead;

typedef struct vstate {
    dyad_dict *d;
    const char *name;
    uint16_t fid;
    vsyn *syns;
    size_t nsyns, syns_cap;
    /* the synset being read */
    int cur_syn;
    sbuf syn_single; /* "w ; w ; ..." */
    size_t syn_nsingle;
    /* the verb block being read */
    char block_code[16];
    size_t block_line;
    vverb *verbs;
    size_t nverbs, verbs_cap;
    vpat *pats;
    size_t npats, pats_cap;
    size_t nblocks;
    bool headers;  /* a PETRARCH2 file ("--- NAME [CODE] ---" blocks), not TABARI */
    vhead *heads; /* every one-word verb with its code, for keep_own_forms() */
    size_t nheads, heads_cap;
} vstate;

static char *dupn(const char *s, size_t n)
{
    char *r = malloc(n + 1);
    if (r) {
        memcpy(r, s, n);
        r[n] = 0;
    }
    return r;
}

/* Words of [p, e) split at '_', blanks and hyphens (kept as words), lower-cased, into B. */
static bool words_to(sbuf *b, const char *p, const char *e)
{
    bool first = b->len == 0;
    for (const char *q = p; q < e;) {
        while (q < e && (*q == '_' || is_sp(*q)))
            q++;
        const char *w = q;
        while (q < e && *q != '_' && !is_sp(*q))
            q++;
        const char *t = q;
        while (t > w && (t[-1] == '=' || t[-1] == '~'))
            t--;
        if (t == w)
            continue;
        /* split hyphens off: "sit-in" is three tokens in text */
        for (const char *r = w; r < t;) {
            const char *h = memchr(r, '-', (size_t)(t - r));
            const char *pe = h ? h : t;
            if (pe > r) {
                if (!first && !sbuf_addc(b, ' '))
                    return false;
                if (!add_lower(b, r, (size_t)(pe - r)))
                    return false;
                first = false;
            }
            if (h) {
                if (!first && !sbuf_addc(b, ' '))
                    return false;
                if (!sbuf_addc(b, '-'))
                    return false;
                first = false;
                r = h + 1;
            } else {
                r = t;
            }
        }
    }
    return true;
}

static int find_syn(const vstate *v, const char *s, size_t n)
{
    while (n && s[n - 1] == '_')
        n--;
    for (size_t i = 0; i < v->nsyns; i++)
        if (strlen(v->syns[i].name) == n && memcmp(v->syns[i].name, s, n) == 0)
            return (int)i;
    return -1;
}

/* End the synset being read: define the dyad synset of its single-word members. */
static bool syn_finish(vstate *v)
{
    if (v->cur_syn < 0)
        return true;
    vsyn *sy = &v->syns[v->cur_syn];
    v->cur_syn = -1;
    if (v->syn_nsingle) {
        snprintf(sy->dname, sizeof sy->dname, "f%u_%s", (unsigned)v->fid, sy->name);
        sbuf line = {0};
        bool ok = sbuf_addf(&line, "synset &%s = %s", sy->dname, v->syn_single.s) &&
                  native(v->d, v->name, v->fid, sy->line, &line);
        free(line.s);
        if (!ok)
            return false;
    } else if (!sy->nmulti) {
        dict_problem(v->d, v->name, sy->line, "synset '&%s' is empty", sy->name);
    }
    v->syn_single.len = 0;
    v->syn_nsingle = 0;
    return true;
}

static bool syn_add_single(vstate *v, const char *w)
{
    /* no duplicates */
    size_t n = strlen(w);
    if (v->syn_single.s)
        for (const char *q = v->syn_single.s; q && *q;) {
            const char *sc = strstr(q, " ; ");
            size_t l = sc ? (size_t)(sc - q) : strlen(q);
            if (l == n && memcmp(q, w, n) == 0)
                return true;
            q = sc ? sc + 3 : NULL;
        }
    if (v->syn_nsingle && !sbuf_add(&v->syn_single, " ; ", 3))
        return false;
    if (!sbuf_add(&v->syn_single, w, n) || !GROW(v->syn_single.s, v->syn_single.cap, v->syn_single.len + 1))
        return false;
    v->syn_single.s[v->syn_single.len] = 0;
    v->syn_nsingle++;
    return true;
}

static bool syn_add_multi(vsyn *sy, const char *w)
{
    wseq *nm = realloc(sy->multi, (sy->nmulti + 1) * sizeof *nm);
    if (!nm)
        return false;
    sy->multi = nm;
    sy->multi[sy->nmulti].w = dupn(w, strlen(w));
    if (!sy->multi[sy->nmulti].w)
        return false;
    sy->nmulti++;
    return true;
}

/* One "+MEMBER" of the synset being read. A member naming another synset takes its members. */
static bool syn_member(vstate *v, const char *p, const char *e, size_t line)
{
    vsyn *sy = &v->syns[v->cur_syn];
    if (*p == '&') {
        const char *q = p + 1;
        while (q < e && *q != '_' && !is_sp(*q))
            q++;
        int o = find_syn(v, p + 1, (size_t)(q - p - 1));
        if (o < 0) {
            dict_problem(v->d, v->name, line, "unknown synset '%.*s' in a synset", (int)(q - p), p);
            return true;
        }
        if (skip_sp(q, e) < e && !(q < e && *q == '_' && q + 1 == e)) {
            dict_problem(v->d, v->name, line, "a synset inside a longer synset member is not supported; skipped");
            return true;
        }
        vsyn *os = &v->syns[o];
        if (os->dname[0]) {
            /* copy the other synset's single words from its definition */
            uint32_t id = strtab_find(&v->d->synset_names, os->dname, strlen(os->dname));
            if (id) {
                for (uint32_t k = 0; k < v->d->syn_n[id - 1]; k++) {
                    uint32_t w = v->d->syn_words[v->d->syn_first[id - 1] + k];
                    if (!syn_add_single(v, strtab_str(&v->d->vocab, w)))
                        return false;
                }
            }
        }
        sy = &v->syns[v->cur_syn];
        for (size_t k = 0; k < os->nmulti; k++)
            if (!syn_add_multi(sy, os->multi[k].w))
                return false;
        return true;
    }
    sbuf b = {0};
    if (!words_to(&b, p, e) || !sbuf_addc(&b, 0)) {
        free(b.s);
        return false;
    }
    bool ok = true;
    if (b.len <= 1) {
        dict_problem(v->d, v->name, line, "empty synset member");
    } else if (strchr(b.s, ' ') || strchr(b.s, '&')) {
        ok = syn_add_multi(sy, b.s);
    } else {
        /* a word the tokenizer would split ("u.s.", "n't") stays a phrase */
        token *toks = NULL;
        size_t nt = 0, cap = 0;
        ok = text_tokens(b.s, 0, (uint32_t)(b.len - 1), &toks, &nt, &cap);
        free(toks);
        if (ok)
            ok = nt == 1 ? syn_add_single(v, b.s) : syn_add_multi(sy, b.s);
    }
    free(b.s);
    return ok;
}

/* A code in [...] of a pattern or verb: "" for the null code, otherwise digits or A:B pairs. Returns false
 * (after a report) when it is not usable. */
static bool verb_code(vstate *v, size_t line, const char *p, const char *e, char *out)
{
    p = skip_sp(p, e);
    e = trim_sp(p, e);
    out[0] = 0;
    size_t n = (size_t)(e - p);
    char tmp[32];
    size_t k = 0;
    for (const char *q = p; q < e && k + 1 < sizeof tmp; q++)
        if (!is_sp(*q))
            tmp[k++] = *q;
    tmp[k] = 0;
    if (strcmp(tmp, "---") == 0 || n == 0)
        return true;
    const char *colon = strchr(tmp, ':');
    bool good = k >= 2 && k <= 9;
    size_t a = colon ? (size_t)(colon - tmp) : k, b = colon ? k - a - 1 : 0;
    for (size_t i = 0; good && i < k; i++)
        good = is_digit(tmp[i]) || (colon && tmp + i == colon);
    good = good && a >= 2 && a <= 4 && (!colon || (b >= 2 && b <= 4));
    if (!good) {
        dict_problem(v->d, v->name, line, "event code [%.*s] is not a CAMEO code (digits, or A:B)", (int)n, p);
        return false;
    }
    memcpy(out, tmp, k + 1);
    /* a code the codebook lacks is the imported dictionary's own: define it, neutral */
    for (int part = 0; part < (colon ? 2 : 1); part++) {
        char one[8];
        size_t l = part ? b : a;
        memcpy(one, part ? colon + 1 : tmp, l);
        one[l] = 0;
        int ci = dict_cameo_find(v->d, one);
        if (ci < 0 || !v->d->cameo[ci].defined) {
            sbuf line2 = {0};
            bool ok = sbuf_addf(&line2, "cameo %s 0 - - - \"code outside the CAMEO codebook\"", one) &&
                      native(v->d, v->name, v->fid, line, &line2);
            free(line2.s);
            if (!ok)
                return false;
        }
    }
    return true;
}

static void block_clear(vstate *v)
{
    for (size_t i = 0; i < v->nverbs; i++) {
        free(v->verbs[i].front);
        free(v->verbs[i].verb);
        free(v->verbs[i].back);
    }
    for (size_t i = 0; i < v->npats; i++)
        free(v->pats[i].body);
    v->nverbs = v->npats = 0;
    v->block_code[0] = 0;
}

/* Pattern elements, after splitting the raw pattern. */
enum { EL_WORD, EL_VERB, EL_TARGET, EL_SOURCE, EL_SKIP, EL_COMPOUND, EL_SYN };

typedef struct pel {
    uint8_t type;
    bool joined; /* adjacent to the previous element ('_' or inside {...}) */
    char *w;     /* EL_WORD: dyad words; EL_SYN: the synset index as text */
    int syn;
} pel;

#define MAX_VARIANTS 4096
#ifndef TGT_GAP
#define TGT_GAP " .. .. +"
#endif
#ifndef TGT_MID
#define TGT_MID 0
#endif

/* Translate one pattern into dyad patterns: the verb variants times the multi-word synset members. */
static bool pattern_out(vstate *v, const vpat *pt, const char *verb_alts[], size_t nverb_alts, sbuf *out,
                        size_t *nout)
{
    pel els[64];
    size_t nel = 0;
    bool ok = true, bad = false, brace = false, seen_verb = false;
    const char *p = pt->body, *e = pt->body + strlen(pt->body);
    while (ok && !bad && (p = skip_sp(p, e)) < e) {
        const char *q = p;
        while (q < e && !is_sp(*q))
            q++;
        /* one blank-separated token; '_' (TABARI '~' too) joins its pieces */
        bool first_piece = true;
        for (const char *r = p; r < q && !bad;) {
            const char *s = r;
            while (r < q && *r != '_' && *r != '~')
                r++;
            const char *t = r;
            if (r < q)
                r++;
            bool open_b = false, close_b = false;
            while (s < t && (*s == '{' || *s == '(')) {
                if (*s == '{')
                    open_b = true;
                s++;
            }
            while (t > s && (t[-1] == '}' || t[-1] == ')')) {
                if (t[-1] == '}')
                    close_b = true;
                t--;
            }
            if (s == t && !open_b && !close_b) {
                continue;
            }
            if (s == t) {
                brace = open_b ? true : close_b ? false : brace;
                continue;
            }
            if (nel >= 64) {
                dict_problem(v->d, v->name, pt->line, "pattern too long");
                bad = true;
                break;
            }
            bool joined = (!first_piece || (brace && !open_b)) && nel > 0;
            first_piece = false;
            if (open_b)
                brace = true;
            pel *el = &els[nel];
            memset(el, 0, sizeof *el);
            el->joined = joined;
            size_t l = (size_t)(t - s);
            if (l == 1 && *s == '*') {
                el->type = EL_VERB;
                if (seen_verb) {
                    dict_problem(v->d, v->name, pt->line, "pattern has two '*'");
                    bad = true;
                }
                seen_verb = true;
            } else if (l == 1 && *s == '+') {
                el->type = EL_TARGET;
            } else if (l == 1 && *s == '$') {
                el->type = EL_SOURCE;
            } else if (l == 1 && *s == '^') {
                el->type = EL_SKIP;
            } else if (l == 1 && *s == '%') {
                el->type = EL_COMPOUND;
            } else if (*s == '&') {
                el->type = EL_SYN;
                el->syn = find_syn(v, s + 1, l - 1);
                if (el->syn < 0) {
                    dict_problem(v->d, v->name, pt->line, "unknown synset '%.*s' (define it before use)", (int)l, s);
                    bad = true;
                }
            } else if (l == 1 && *s == '|') {
                dict_problem(v->d, v->name, pt->line, "alternatives { A | B } in patterns are not supported");
                bad = true;
            } else {
                el->type = EL_WORD;
                sbuf b = {0};
                ok = words_to(&b, s, t) && sbuf_addc(&b, 0);
                el->w = b.s;
                if (ok && b.len <= 1) {
                    free(el->w);
                    continue;
                }
            }
            nel++;
            if (close_b)
                brace = false;
        }
        p = q;
    }
    if (ok && !bad && !seen_verb) {
        dict_problem(v->d, v->name, pt->line, "pattern without the verb marker '*'");
        bad = true;
    }
    /* variants: verb alternatives x multi-word synset members */
    size_t choice_n[64];
    size_t total = nverb_alts ? nverb_alts : 1;
    for (size_t i = 0; ok && !bad && i < nel; i++) {
        choice_n[i] = 1;
        if (els[i].type == EL_SYN) {
            vsyn *sy = &v->syns[els[i].syn];
            choice_n[i] = sy->nmulti + (sy->dname[0] ? 1 : 0);
            total *= choice_n[i] ? choice_n[i] : 1;
            if (total > MAX_VARIANTS) {
                dict_problem(v->d, v->name, pt->line, "pattern expands to more than %d dyad patterns; skipped",
                             MAX_VARIANTS);
                bad = true;
            }
        }
    }
    /* '^' skips a noun phrase. After the verb it becomes a slot of the kind that comes next ('* AT ^ +' is
     * "at + .. +"): the matcher fills it with the skipped actor, then with the next one, which stays. The
     * pattern is also written with a gap there, for a phrase that is no actor ('warned their populations
     * about +'); where both match, the one reaching further wins. Before the verb, or with no slot after
     * it to take over, '^' is only a gap. */
    char skip_as[64] = {0};
    bool any_skip = false;
    bool any_tgt = false;
    for (size_t i = 0; i < nel; i++)
        any_tgt |= els[i].type == EL_TARGET || els[i].type == EL_COMPOUND;
    for (size_t i = 0, verb_seen = 0; ok && !bad && i < nel; i++) {
        verb_seen |= els[i].type == EL_VERB;
        if (els[i].type != EL_SKIP || !verb_seen)
            continue;
        for (size_t k = i + 1; k < nel && !skip_as[i]; k++)
            skip_as[i] = els[k].type == EL_TARGET || els[k].type == EL_COMPOUND ? '+' : els[k].type == EL_SOURCE ? '$' : 0;
        if (!skip_as[i] && !any_tgt)
            skip_as[i] = '+'; /* the default target, added at the end */
        any_skip |= skip_as[i] != 0;
    }
    for (size_t var = 0; ok && !bad && var < total * (any_skip ? 2 : 1); var++) {
        bool skip_gap = var >= total; /* the second round: '^' as a gap */
        size_t rest = var % total;
        size_t vi = nverb_alts ? rest % nverb_alts : 0;
        rest /= nverb_alts ? nverb_alts : 1;
        sbuf b = {0};
        bool gap = false, any = false, only_slots = true;
        size_t verb_end = 0;
        for (size_t i = 0; ok && i < nel; i++) {
            pel *el = &els[i];
            const char *txt = NULL;
            char slot[2] = {0, 0};
            if ((el->type == EL_SKIP && (!skip_as[i] || skip_gap)) || (el->type == EL_COMPOUND && !seen_verb)) {
                gap = true;
                continue;
            }
            switch (el->type) {
            case EL_SKIP: slot[0] = skip_as[i]; txt = slot; break;
            case EL_VERB: txt = verb_alts[vi]; break;
            case EL_TARGET: slot[0] = '+'; txt = slot; break;
            case EL_SOURCE: slot[0] = '$'; txt = slot; break;
            case EL_COMPOUND: {
                /* after the verb: the other party; before it the compound subject is the default */
                bool before = true;
                for (size_t k = 0; k < i; k++)
                    before = before && els[k].type != EL_VERB;
                if (before) {
                    gap = true;
                    continue;
                }
                slot[0] = '+';
                txt = slot;
                break;
            }
            case EL_WORD: txt = el->w; break;
            case EL_SYN: {
                vsyn *sy = &v->syns[el->syn];
                size_t c = rest % choice_n[i];
                rest /= choice_n[i];
                char synref[96];
                if (sy->dname[0] && c == 0) {
                    snprintf(synref, sizeof synref, "&%s", sy->dname);
                    if (any && (gap || !el->joined) && !only_slots)
                        ok = sbuf_add(&b, " .. ", 4);
                    else if (any)
                        ok = sbuf_addc(&b, ' ');
                    ok = ok && sbuf_add(&b, synref, strlen(synref));
                    any = true;
                    only_slots = false;
                    gap = false;
                    continue;
                }
                txt = sy->multi[c - (sy->dname[0] ? 1 : 0)].w;
                break;
            }
            }
            bool is_slot = el->type == EL_TARGET || el->type == EL_SOURCE || el->type == EL_COMPOUND || el->type == EL_SKIP;
            if (any && (gap || !el->joined) && !only_slots)
                ok = sbuf_add(&b, " .. ", 4);
            else if (any)
                ok = sbuf_addc(&b, ' ');
            ok = ok && sbuf_add(&b, txt, strlen(txt));
            any = true;
            if (!is_slot)
                only_slots = false;
            gap = false;
            if (el->type == EL_VERB)
                verb_end = b.len;
        }
        if (ok && any) {
            /* PETRARCH and TABARI take the first actor after the verb as the default target: a pattern
             * without '+' gets one at its end */
            bool has_tgt = false, after_verb = false;
            for (size_t i = 0; i < nel; i++) {
                has_tgt |= els[i].type == EL_TARGET || els[i].type == EL_COMPOUND;
                after_verb |= els[i].type == EL_VERB;
            }
            if (*nout && !sbuf_add(out, " ; ", 3))
                ok = false;
            ok = ok && sbuf_add(out, b.s, b.len);
            if (!has_tgt)
                ok = ok && sbuf_add(out, TGT_GAP, strlen(TGT_GAP));
            /* ... but a public statement (CAMEO 01: claim responsibility, comment, deny) is often addressed to
             * no one: "Al-Shabab claimed responsibility for the attack" is 015 without a target. Other acts
             * keep the target they need (without one, "restore ties with Gxndor" would be a 064 from Arnor
             * to no one). */
            if (!has_tgt && strncmp(pt->code, "01", 2) == 0 && !strchr(pt->code, ':'))
                ok = ok && sbuf_add(out, " ; ", 3) && sbuf_add(out, b.s, b.len);
            /* the target may also come between the verb and the words after it */
            if (ok && !has_tgt && TGT_MID && verb_end + 4 < b.len && memcmp(b.s + verb_end, " .. ", 4) == 0)
                ok = sbuf_add(out, " ; ", 3) && sbuf_add(out, b.s, verb_end) && sbuf_add(out, " .. + ", 6) &&
                     sbuf_add(out, b.s + verb_end, b.len - verb_end);
            (*nout)++;
        }
        free(b.s);
    }
    for (size_t i = 0; i < nel; i++)
        free(els[i].w);
    return ok;
}

/* Whether two raw pattern bodies are the same pattern: the same words, whatever the blanks and case. */
static bool same_body(const char *a, const char *b)
{
    for (;;) {
        while (is_sp(*a))
            a++;
        while (is_sp(*b))
            b++;
        if (!*a || !*b)
            return !*a && !*b;
        while (*a && !is_sp(*a) && *b && !is_sp(*b) && upc(*a) == upc(*b))
            a++, b++;
        if ((*a && !is_sp(*a)) || (*b && !is_sp(*b)))
            return false;
    }
}

static bool block_finish(vstate *v)
{
    bool ok = true;
    if (!v->nverbs) {
        if (v->npats)
            dict_problem(v->d, v->name, v->pats[0].line, "patterns without a verb before them");
        block_clear(v);
        return true;
    }
    v->nblocks++;
    /* the verbs alone */
    for (size_t i = 0; ok && i < v->nverbs; i++) {
        vverb *vb = &v->verbs[i];
        const char *code = vb->code[0] ? vb->code : v->block_code;
        if (!code[0] || strcmp(code, "-") == 0)
            continue;
        sbuf line = {0};
        ok = sbuf_addf(&line, "verb %s : %s%s%s%s%s" TGT_GAP, code, vb->front, vb->front[0] ? " " : "", vb->verb,
                       vb->back[0] ? " " : "", vb->back);
        ok = ok && native(v->d, v->name, v->fid, vb->line, &line);
        free(line.s);
    }
    /* the alternatives for '*': one synset of the single-word verbs, and each multi-word verb */
    const char *valts[256];
    char *owned[256];
    size_t nalts = 0, nowned = 0, nsingle = 0;
    char synname[64];
    snprintf(synname, sizeof synname, "f%u_verbs%zu", (unsigned)v->fid, v->block_line);
    sbuf syn = {0};
    for (size_t i = 0; ok && i < v->nverbs; i++) {
        vverb *vb = &v->verbs[i];
        if (!vb->front[0] && !vb->back[0]) {
            bool dup = false;
            for (size_t k = 0; k < i; k++)
                dup |= !v->verbs[k].front[0] && !v->verbs[k].back[0] && strcmp(v->verbs[k].verb, vb->verb) == 0;
            if (dup)
                continue;
            ok = (nsingle ? sbuf_add(&syn, " ; ", 3) : true) && sbuf_add(&syn, vb->verb, strlen(vb->verb));
            nsingle++;
            continue;
        }
        if (nalts + 1 >= 256 || nowned >= 256)
            continue;
        sbuf w = {0};
        ok = sbuf_addf(&w, "%s%s%s%s%s", vb->front, vb->front[0] ? " " : "", vb->verb, vb->back[0] ? " " : "",
                       vb->back);
        if (ok) {
            owned[nowned++] = w.s;
            valts[nalts++] = w.s;
        } else {
            free(w.s);
        }
    }
    char synref[80] = "";
    if (ok && nsingle == 1) {
        for (size_t i = 0; i < v->nverbs; i++)
            if (!v->verbs[i].front[0] && !v->verbs[i].back[0]) {
                valts[nalts++] = v->verbs[i].verb;
                break;
            }
    } else if (ok && nsingle > 1 && v->npats) {
        sbuf line = {0};
        ok = sbuf_addf(&line, "synset &%s = %.*s", synname, (int)syn.len, syn.s) &&
             native(v->d, v->name, v->fid, v->block_line, &line);
        free(line.s);
        snprintf(synref, sizeof synref, "&%s", synname);
        valts[nalts++] = synref;
    }
    free(syn.s);
    for (size_t i = 0; ok && i < v->npats; i++) {
        vpat *pt = &v->pats[i];
        if (!pt->code[0])
            continue;
        /* PETRARCH2 keeps one code per pattern of a block, the last one read: "- * &TREATY [031:031]" then
         * "- * &TREATY [057]" is 057 (a later [---] takes the code away). TABARI tries them in order. */
        bool later = false;
        for (size_t k = i + 1; v->headers && !later && k < v->npats; k++)
            later = same_body(pt->body, v->pats[k].body);
        if (later)
            continue;
        sbuf pats = {0};
        size_t n = 0;
        ok = pattern_out(v, pt, valts, nalts, &pats, &n);
        if (ok && n) {
            sbuf line = {0};
            ok = sbuf_addf(&line, "verb %s : %.*s", pt->code, (int)pats.len, pats.s) &&
                 native(v->d, v->name, v->fid, pt->line, &line);
            free(line.s);
        }
        free(pats.s);
    }
    for (size_t i = 0; i < nowned; i++)
        free(owned[i]);
    block_clear(v);
    return ok;
}

static bool regular_form(const char *base, const char *form)
{
    size_t b = strlen(base), f = strlen(form);
    if (f <= b)
        return f == b && strcmp(base, form) == 0;
    if (strncmp(form, base, b) == 0) {
        const char *suf = form + b;
        if (!strcmp(suf, "s") || !strcmp(suf, "es") || !strcmp(suf, "ed") || !strcmp(suf, "d") ||
            !strcmp(suf, "ing"))
            return true;
        if (strlen(suf) >= 3 && suf[0] == base[b - 1] && (!strcmp(suf + 1, "ed") || !strcmp(suf + 1, "ing")))
            return true;
    }
    if (b >= 2 && strncmp(form, base, b - 1) == 0) {
        const char *suf = form + b - 1;
        if (base[b - 1] == 'e' && !strcmp(suf, "ing"))
            return true;
        if (base[b - 1] == 'y' && (!strcmp(suf, "ies") || !strcmp(suf, "ied")))
            return true;
    }
    return false;
}

/* "WORD", "+CORDON_OFF", "WIRE_+TAP": split at the '+' into words before, the verb and words after. */
static bool split_verb(const char *p, const char *e, sbuf *front, sbuf *verb, sbuf *back)
{
    const char *plus = memchr(p, '+', (size_t)(e - p));
    if (!plus) {
        /* a plain verb; further '_' words follow it ("LASH_OUT") */
        const char *u = p;
        while (u < e && *u != '_' && !is_sp(*u))
            u++;
        return words_to(verb, p, u) && words_to(back, u, e);
    }
    const char *u = plus + 1;
    while (u < e && *u != '_' && !is_sp(*u))
        u++;
    return words_to(front, p, plus) && words_to(verb, plus + 1, u) && words_to(back, u, e);
}

/* A verb line: VERB {FORMS} [CODE], or a TABARI "{FORMS}" line for the previous verb. */
static bool verb_line(vstate *v, const char *s, const char *e, size_t line)
{
    const char *lb = NULL, *rb = NULL;
    for (const char *q = e; q > s; q--)
        if (q[-1] == '[') {
            lb = q - 1;
            break;
        }
    if (lb)
        rb = memchr(lb, ']', (size_t)(e - lb));
    const char *ve = lb ? trim_sp(s, lb) : e;
    const char *brace = memchr(s, '{', (size_t)(ve - s));
    const char *we = trim_sp(s, brace ? brace : ve);
    char code[16] = "";
    if (lb && rb && !verb_code(v, line, lb + 1, rb, code))
        return true;
    if (lb && rb && !code[0])
        strcpy(code, "-"); /* an own null code */
    sbuf front = {0}, verb = {0}, back = {0};
    bool ok = true;
    if (we > s) {
        ok = split_verb(s, we, &front, &verb, &back) && sbuf_addc(&front, 0) && sbuf_addc(&verb, 0) &&
             sbuf_addc(&back, 0);
        if (ok && verb.len <= 1) {
            dict_problem(v->d, v->name, line, "verb line without a verb");
        } else if (ok) {
            if (!GROW(v->verbs, v->verbs_cap, v->nverbs + 1)) {
                ok = false;
            } else {
                vverb *vb = &v->verbs[v->nverbs++];
                vb->front = front.s;
                vb->verb = verb.s;
                vb->back = back.s;
                front.s = verb.s = back.s = NULL;
                snprintf(vb->code, sizeof vb->code, "%s", code);
                vb->line = line;
                if (!strchr(vb->verb, ' ') && GROW(v->heads, v->heads_cap, v->nheads + 1)) {
                    vhead *h = &v->heads[v->nheads++];
                    snprintf(h->verb, sizeof h->verb, "%s", vb->verb);
                    snprintf(h->code, sizeof h->code, "%s", code[0] ? code : v->block_code);
                }
            }
        }
    }
    /* irregular forms: the ones the regular endings do not give become lemma entries */
    if (ok && brace && v->nverbs) {
        const char *base = v->verbs[v->nverbs - 1].verb;
        const char *cb = memchr(brace, '}', (size_t)(e - brace));
        if (!cb)
            cb = ve;
        const char *q = brace + 1, *w, *wend;
        while (ok && (w = brace_item(&q, cb, &wend))) {
            sbuf f = {0}, fv = {0}, fb = {0};
            ok = split_verb(w, wend, &f, &fv, &fb) && sbuf_addc(&fv, 0);
            if (ok && fv.len > 1 && !strchr(fv.s, ' ') && !regular_form(base, fv.s) && !strchr(base, ' ') &&
                !strtab_find(&v->d->forms, fv.s, fv.len - 1) && strcmp(fv.s, base) != 0) {
                sbuf l = {0};
                ok = sbuf_addf(&l, "lemma %s = %s", fv.s, base) && native(v->d, v->name, v->fid, line, &l);
                free(l.s);
            }
            free(f.s);
            free(fv.s);
            free(fb.s);
        }
    }
    free(front.s);
    free(verb.s);
    free(back.s);
    return ok;
}

/* PETRARCH matches verbs by their written form, so a block of its own for an irregular form (MET [031:032]
 * beside MEET [031:031], LEFT [032:033] beside LEAVE [012]) is a different verb: that form must not be reduced
 * to its base. */
static void keep_own_forms(vstate *v)
{
    char scratch[1024];
    for (size_t i = 0; i < v->nheads; i++) {
        uint32_t base = dict_key(v->d, v->heads[i].verb, strlen(v->heads[i].verb), scratch);
        if (!base)
            continue;
        const char *b = strtab_str(&v->d->vocab, base);
        if (strcmp(b, v->heads[i].verb) == 0)
            continue;
        for (size_t k = 0; k < v->nheads; k++)
            if (strcmp(v->heads[k].verb, b) == 0 && strcmp(v->heads[k].code, v->heads[i].code) != 0) {
                dict_keep_form(v->d, v->heads[i].verb);
                break;
            }
    }
}

/* prescan(): stops at the first "--- NAME [CODE] ---" line */
static bool no_header(const char *s, const char *e, void *ctx)
{
    *(bool *)ctx = starts(s, e, "---") && e - s > 6 && starts(e - 3, e, "---");
    return !*(bool *)ctx;
}

static bool import_verbs(dyad_dict *d, const char *name, uint16_t fid, const char *buf, size_t len)
{
    vstate v;
    memset(&v, 0, sizeof v);
    v.d = d;
    v.name = name;
    v.fid = fid;
    v.cur_syn = -1;
    /* PETRARCH2 files have "--- NAME [CODE] ---" block headers; TABARI files give each verb its own block */
    bool headers = false;
    prescan(name, buf, len, no_header, &headers);
    v.headers = headers;
    lines it = {buf, buf + len, 0, false};
    const char *s, *e;
    bool indent, ok = true;
    bool after_pattern = false, finished = false;
    while (ok && !finished && next_line(d, name, &it, &s, &e, &indent)) {
        if (*s == '<') { /* <SYNSETS>, </SYNSETS> and other tags */
            ok = syn_finish(&v);
            continue;
        }
        if (starts(s, e, "~FINISH")) {
            finished = true;
            break;
        }
        if (*s == '~') {
            dict_problem(d, name, it.line, "verb transformation (~) has no dyad equivalent; skipped");
            continue;
        }
        if (starts(s, e, "---") && e - s > 6 && starts(e - 3, e, "---")) {
            ok = syn_finish(&v) && block_finish(&v);
            v.block_line = it.line;
            const char *lb = memchr(s, '[', (size_t)(e - s));
            const char *rb = lb ? memchr(lb, ']', (size_t)(e - lb)) : NULL;
            if (lb && rb && !verb_code(&v, it.line, lb + 1, rb, v.block_code))
                v.block_code[0] = 0;
            after_pattern = false;
            continue;
        }
        if (*s == '&') { /* a synset name */
            ok = syn_finish(&v);
            if (!headers && v.nverbs)
                ok = ok && block_finish(&v);
            const char *q = s + 1;
            while (q < e && !is_sp(*q))
                q++;
            size_t n = (size_t)(q - s - 1);
            while (n && s[n] == '_')
                n--;
            if (!n || n >= sizeof v.syns[0].name) {
                dict_problem(d, name, it.line, "bad synset name");
                continue;
            }
            if (find_syn(&v, s + 1, n) >= 0) {
                dict_problem(d, name, it.line, "synset '&%.*s' defined twice", (int)n, s + 1);
                continue;
            }
            if (!GROW(v.syns, v.syns_cap, v.nsyns + 1)) {
                ok = false;
                break;
            }
            vsyn *sy = &v.syns[v.nsyns];
            memset(sy, 0, sizeof *sy);
            memcpy(sy->name, s + 1, n);
            sy->line = it.line;
            v.cur_syn = (int)v.nsyns++;
            continue;
        }
        if (*s == '+' && v.cur_syn >= 0) {
            ok = syn_member(&v, s + 1, e, it.line);
            continue;
        }
        ok = syn_finish(&v);
        if (!ok)
            break;
        if (*s == '-' && (e - s == 1 || is_sp(s[1]) || s[1] == '*' || s[1] == '+' || s[1] == '$')) {
            /* a pattern: - WORDS * WORDS [CODE] */
            const char *lb = NULL;
            for (const char *q = e; q > s; q--)
                if (q[-1] == '[') {
                    lb = q - 1;
                    break;
                }
            const char *rb = lb ? memchr(lb, ']', (size_t)(e - lb)) : NULL;
            after_pattern = true;
            if (!lb || !rb) {
                dict_problem(d, name, it.line, "pattern without a [CODE]");
                continue;
            }
            char code[16];
            if (!verb_code(&v, it.line, lb + 1, rb, code))
                continue;
            if (!code[0]) /* kept without a code: a later [---] pattern replaces an earlier one (below) */
                dict_problem(d, name, it.line, "null-coded pattern [---] (it only stops shorter patterns) has no "
                             "dyad equivalent; skipped");
            if (!v.nverbs) {
                dict_problem(d, name, it.line, "pattern without a verb before it");
                continue;
            }
            if (!GROW(v.pats, v.pats_cap, v.npats + 1)) {
                ok = false;
                break;
            }
            vpat *pt = &v.pats[v.npats];
            pt->body = dupn(s + 1, (size_t)(lb - s - 1));
            if (!pt->body) {
                ok = false;
                break;
            }
            memcpy(pt->code, code, sizeof code);
            pt->line = it.line;
            v.npats++;
            continue;
        }
        if (*s == '{') { /* TABARI: the forms of the previous verb on a line of their own */
            if (!v.nverbs) {
                dict_problem(d, name, it.line, "verb forms without a verb before them");
                continue;
            }
            ok = verb_line(&v, s, e, it.line);
            continue;
        }
        /* a verb of the block */
        if (!headers && (after_pattern || v.nverbs)) {
            ok = block_finish(&v);
            v.block_line = it.line;
        }
        if (!headers && !v.nverbs)
            v.block_line = it.line;
        after_pattern = false;
        ok = ok && verb_line(&v, s, e, it.line);
    }
    if (ok)
        ok = syn_finish(&v) && block_finish(&v);
    if (ok)
        keep_own_forms(&v);
    block_clear(&v);
    free(v.heads);
    free(v.verbs);
    free(v.pats);
    for (size_t i = 0; i < v.nsyns; i++) {
        for (size_t k = 0; k < v.syns[i].nmulti; k++)
            free(v.syns[i].multi[k].w);
        free(v.syns[i].multi);
    }
    free(v.syns);
    free(v.syn_single.s);
    return ok;
}

/* ---- entry point ------------------------------------------------------------------------------------- */

bool import_petrarch(dyad_dict *d, dict_format fmt, const char *name, const char *buf, size_t len)
{
    uint16_t fid = dict_file_id(d, name);
    switch (fmt) {
    case FMT_PETR_VERBS: return import_verbs(d, name, fid, buf, len);
    case FMT_PETR_ACTORS: return import_actors(d, name, fid, buf, len);
    case FMT_PETR_AGENTS: return import_agents(d, name, fid, buf, len);
    case FMT_PETR_DISCARDS: return import_discards(d, name, fid, buf, len);
    case FMT_PETR_ISSUES: return import_issues(d, name, fid, buf, len);
    default: break;
    }
    dict_problem(d, name, 1, "this dictionary format is not readable");
    return true;
}
