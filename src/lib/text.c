/*
 * text.c - the first stage of the flow: a story's bytes into sentences, a sentence into tokens.
 *
 * Both keep byte offsets into the story so that every event can point at its evidence. Nothing is copied
 * or allocated per token: tokens are (start, end) pairs appended to the coder's reusable array.
 */
#include "internal.h"

#include <string.h>
#include <utf8proc.h>

/* Words after which a period does not end a sentence (titles, months, common abbreviations). A tiny
 * closed list, so it lives here rather than in dicts/. */
static const char *const abbrevs[] = {
    "Mr", "Mrs", "Ms", "Dr", "Gen", "Lt", "Col", "Maj", "Capt", "Sgt", "Sen", "Rep", "Gov", "Prof",
    "St", "Jr", "Sr", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov",
    "Dec", "No", "Inc", "Corp", "Ltd", "Co", "vs", "etc", "Adm", "Brig", "Cmdr", "Rev", "Hon", "Pres",
    "Amb", "Gov", "Mt", "Ft", "approx", "Dept", "Univ", "Messrs", "Mme", "Mlle", NULL};

static inline bool is_space_cp(int32_t cp)
{
    if (cp < 0x80) /* '_' joins words in text made for PETRARCH ("Dol_Amroth"): a space between words */
        return cp == ' ' || (cp >= '\t' && cp <= '\r') || cp == '_';
    utf8proc_category_t c = utf8proc_category(cp);
    return c == UTF8PROC_CATEGORY_ZS || c == UTF8PROC_CATEGORY_ZL || c == UTF8PROC_CATEGORY_ZP ||
           cp == 0x200b || cp == 0xfeff;
}

static bool is_punct_cp(int32_t cp)
{
    if (cp < 0x80)
        return !((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') ||
                 cp == '_' || cp == '\'' || cp == '.' || cp == ',' || cp == '-');
    utf8proc_category_t c = utf8proc_category(cp);
    return (c >= UTF8PROC_CATEGORY_PC && c <= UTF8PROC_CATEGORY_PO) ||
           (c >= UTF8PROC_CATEGORY_SM && c <= UTF8PROC_CATEGORY_SO);
}

static inline bool is_upper_cp(int32_t cp)
{
    if (cp < 0x80)
        return cp >= 'A' && cp <= 'Z';
    return utf8proc_isupper(cp);
}

static bool is_apostrophe(int32_t cp) { return cp == '\'' || cp == 0x2019; }
static bool is_quote_cp(int32_t cp)
{
    return cp == '"' || cp == 0x201c || cp == 0x201d || cp == 0x2018 || cp == 0x2019 || cp == 0xab ||
           cp == 0xbb || cp == '\'';
}

static inline int32_t cp_at(const char *t, size_t len, size_t i, size_t *l)
{
    if ((unsigned char)t[i] < 0x80) {
        *l = 1;
        return (unsigned char)t[i];
    }
    int32_t cp;
    *l = utf8_decode((const unsigned char *)t + i, len - i, &cp);
    if (!*l) { /* callers validate UTF-8 first; be safe anyway */
        *l = 1;
        return 0xfffd;
    }
    return cp;
}

static bool is_letter(int32_t cp)
{
    if (cp < 0x80)
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
    utf8proc_category_t c = utf8proc_category(cp);
    return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_MC;
}

/* Is text[ws,we) (the word before a period) an abbreviation or an initial? */
static bool abbrev_before(const char *text, size_t ws, size_t we)
{
    size_t n = we - ws;
    if (n == 0)
        return false;
    if (n == 1 && text[ws] >= 'A' && text[ws] <= 'Z')
        return true; /* an initial: "Donald J. Trump" */
    /* letter-period sequences: "U.S", "U.N" (the final period is the one being looked at) */
    if (n >= 3 && text[ws + 1] == '.')
        return true;
    for (int k = 0; abbrevs[k]; k++)
        if (strlen(abbrevs[k]) == n && memcmp(abbrevs[k], text + ws, n) == 0)
            return true;
    return false;
}

/* A section heading glued to the sentence after it, as in text taken from web pages with the markup gone:
 * "BLA surges Since last August, BLA has claimed...", "International reaction A U.S. spokesperson said...".
 * Up to four words with no punctuation and no function word, the first capitalised, then a capitalised word
 * that opens sentences. Returns where the sentence proper starts, or START when there is no heading. */
static size_t heading_end(const char *text, size_t start, size_t end)
{
    static const char *const openers[] = {"The", "A", "An", "Since", "In", "On", "At", "After", "Before", "During",
                                          "But", "However", "Last", "Earlier", "This", "It", "He", "She", "They",
                                          "We", "As", "While", "When", "According", NULL};
    static const char *const function[] = {"the", "a", "an", "of", "to", "in", "on", "for", "by", "with", "and",
                                           "at", "from", "is", "are", "was", "were", "has", "have", "said", "says",
                                           "before", "after", "against", "into", "over", "about", "also", "went",
                                           NULL};
    if (!(text[start] >= 'A' && text[start] <= 'Z'))
        return start;
    size_t i = start;
    for (int w = 0; w <= 4 && i < end; w++) {
        size_t ws = i;
        while (i < end && text[i] != ' ')
            i++;
        size_t wl = i - ws;
        if (w > 0) {
            const char *const *list = text[ws] >= 'A' && text[ws] <= 'Z' ? openers : function;
            for (int k = 0; list[k]; k++)
                if (list[k][0] == text[ws] && strlen(list[k]) == wl && memcmp(text + ws, list[k], wl) == 0)
                    return list == function ? start : i < end ? ws : start; /* a heading, then a sentence */
            if (wl > 3 && text[i - 2] == 'e' && text[i - 1] == 'd')
                return start; /* a verb in -ed: "Trump also attacked The New York Times" */
        }
        for (size_t q = ws; q < i; q++) {
            unsigned char ch = (unsigned char)text[q];
            if (!(ch >= 'a' && ch <= 'z') && !(ch >= 'A' && ch <= 'Z') && ch != '-' && ch < 0x80)
                return start; /* punctuation or digits: a sentence, not a heading */
        }
        while (i < end && text[i] == ' ')
            i++;
    }
    return start;
}

bool text_sentences(const char *text, size_t len, sentence **sents, size_t *n, size_t *cap)
{
    size_t i = 0;
    while (i < len) {
        /* skip leading space */
        size_t l;
        while (i < len && is_space_cp(cp_at(text, len, i, &l)))
            i += l;
        if (i >= len)
            break;
        size_t start = i, end = len;
        size_t ws = i; /* start of the current word */
        while (i < len) {
            int32_t cp = cp_at(text, len, i, &l);
            if (cp == '\n') {
                end = i;
                i += l;
                break;
            }
            if (cp == '.' || cp == '!' || cp == '?') {
                size_t j = i + l, l2;
                /* closing quotes and brackets belong to the sentence */
                while (j < len) {
                    int32_t c2 = cp_at(text, len, j, &l2);
                    if (is_quote_cp(c2) || c2 == ')' || c2 == ']' || c2 == '.' || c2 == '!' || c2 == '?')
                        j += l2;
                    else
                        break;
                }
                if (j >= len) {
                    end = j;
                    i = j;
                    break;
                }
                int32_t c2 = cp_at(text, len, j, &l2);
                if (is_space_cp(c2) && !(cp == '.' && abbrev_before(text, ws, i))) {
                    /* the next non-space must look like a sentence start */
                    size_t k = j, l3;
                    int32_t c3 = 0;
                    while (k < len && is_space_cp(c3 = cp_at(text, len, k, &l3)) && c3 != '\n')
                        k += l3;
                    if (k >= len || c3 == '\n' || is_upper_cp(c3) || is_quote_cp(c3) ||
                        (c3 >= '0' && c3 <= '9') || c3 == '(' || c3 == '[') {
                        end = j;
                        i = j;
                        break;
                    }
                }
                i = j;
                ws = i;
                continue;
            }
            if (is_space_cp(cp) || (is_punct_cp(cp) && cp != '.'))
                ws = i + l;
            i += l;
        }
        /* trim trailing space */
        while (end > start && (text[end - 1] == ' ' || text[end - 1] == '\t' || text[end - 1] == '\r'))
            end--;
        if (end > start) {
            size_t body = heading_end(text, start, end);
            if (body > start) { /* a heading glued to the sentence is a sentence of its own */
                size_t he = body;
                while (he > start && text[he - 1] == ' ')
                    he--;
                if (!GROW(*sents, *cap, *n + 1))
                    return false;
                (*sents)[(*n)++] = (sentence){(uint32_t)start, (uint32_t)he};
                start = body;
            }
            if (!GROW(*sents, *cap, *n + 1))
                return false;
            (*sents)[(*n)++] = (sentence){(uint32_t)start, (uint32_t)end};
        }
    }
    return true;
}

static bool push_tok(token **toks, size_t *n, size_t *cap, size_t s, size_t e, uint16_t flags)
{
    if (!GROW(*toks, *cap, *n + 1))
        return false;
    (*toks)[(*n)++] = (token){(uint32_t)s, (uint32_t)e, 0, flags, 0, 0};
    return true;
}

static uint16_t word_flags(const char *t, size_t s, size_t e)
{
    /* ASCII words, nearly all of them, without decoding */
    size_t i = s;
    int up = 0, letters = 0;
    for (; i < e && (unsigned char)t[i] < 0x80; i++) {
        char ch = t[i];
        bool u = ch >= 'A' && ch <= 'Z';
        up += u;
        letters += u || (ch >= 'a' && ch <= 'z');
    }
    if (i == e) {
        char c0 = t[s];
        if (c0 >= '0' && c0 <= '9')
            return T_NUM;
        return (uint16_t)((c0 >= 'A' && c0 <= 'Z' ? T_CAP : 0) | (letters >= 2 && up == letters ? T_ALLCAPS : 0));
    }
    uint16_t f = 0;
    size_t l;
    int32_t cp = cp_at(t, e, s, &l);
    if (cp >= '0' && cp <= '9')
        return T_NUM;
    if (is_upper_cp(cp))
        f |= T_CAP;
    int upper = 0;
    letters = 0;
    for (size_t k = s; k < e; k += l) {
        cp = cp_at(t, e, k, &l);
        if (is_letter(cp)) {
            letters++;
            upper += is_upper_cp(cp);
        }
    }
    if (letters >= 2 && upper == letters)
        f |= T_ALLCAPS;
    return f;
}

bool text_tokens(const char *text, uint32_t start, uint32_t end, token **toks, size_t *n, size_t *cap)
{
    size_t i = start, l;
    size_t first = *n;
    while (i < end) {
        int32_t cp = cp_at(text, end, i, &l);
        if (is_space_cp(cp)) {
            i += l;
            continue;
        }
        if (cp == '-' || cp == 0x2010 || cp == 0x2011) {
            if (!push_tok(toks, n, cap, i, i + l, T_PUNCT | T_HYPHEN))
                return false;
            i += l;
            continue;
        }
        bool apo = is_apostrophe(cp);
        if (is_punct_cp(cp) || apo || cp == ',' || cp == '.') {
            uint16_t f = T_PUNCT | (is_quote_cp(cp) ? T_QUOTE : 0);
            /* "..." as one token */
            size_t j = i + l;
            if (cp == '.')
                while (j < end && text[j] == '.')
                    j++;
            /* 's after a closing quote or bracket is rare; an apostrophe here is a quote */
            if (!push_tok(toks, n, cap, i, j, f))
                return false;
            i = j;
            continue;
        }
        /* a word or number: letters, digits, inner apostrophes, inner periods and commas of numbers */
        size_t s = i;
        bool num = cp >= '0' && cp <= '9';
        bool dotted = false;
        while (i < end) {
            cp = cp_at(text, end, i, &l);
            if (is_space_cp(cp) || cp == '-' || cp == 0x2010 || cp == 0x2011)
                break;
            if (cp == '.' || cp == ',' || is_apostrophe(cp)) {
                size_t l2 = 0;
                int32_t nx = i + l < end ? cp_at(text, end, i + l, &l2) : 0;
                if (cp == ',' && !(num && nx >= '0' && nx <= '9'))
                    break;
                if (cp == '.') {
                    if (num && nx >= '0' && nx <= '9') { i += l; continue; }
                    /* U.S. / U.N.: single letters separated by periods keep their periods */
                    size_t wl = i - s;
                    bool single = wl == 1 || (dotted && i >= 2 && text[i - 2] == '.');
                    if (single && (is_letter(nx) || dotted)) {
                        dotted = true;
                        i += l;
                        continue;
                    }
                    break;
                }
                if (is_apostrophe(cp) && !(is_letter(nx)))
                    break;
                if (cp == ',')
                    { i += l; continue; }
            }
            if (is_punct_cp(cp) && !is_apostrophe(cp))
                break;
            i += l;
        }
        size_t e = i;
        /* split off 's and n't */
        size_t split = e;
        if (e - s >= 3 && (text[e - 1] == 's' || text[e - 1] == 'S')) {
            if (text[e - 2] == '\'')
                split = e - 2;
            else if (e - s >= 5 && (unsigned char)text[e - 4] == 0xe2 &&
                     (unsigned char)text[e - 3] == 0x80 && (unsigned char)text[e - 2] == 0x99)
                split = e - 4;
        }
        if (split == e && e - s >= 4 && text[e - 1] == 't') {
            if (text[e - 2] == '\'' && text[e - 3] == 'n')
                split = e - 3;
            else if (e - s >= 6 && (unsigned char)text[e - 2] == 0x99 && (unsigned char)text[e - 4] == 0xe2 &&
                     text[e - 5] == 'n')
                split = e - 5;
        }
        if (split > s && split < e) {
            if (!push_tok(toks, n, cap, s, split, word_flags(text, s, split)) ||
                !push_tok(toks, n, cap, split, e, 0))
                return false;
        } else if (!push_tok(toks, n, cap, s, e, word_flags(text, s, e))) {
            return false;
        }
    }
    if (*n > first)
        (*toks)[first].flags |= T_SENT_START;
    return true;
}
