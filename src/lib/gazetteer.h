/*
 * gazetteer.h - the gazetteer index's format and the keys of place names, shared by place.c (which reads the
 * index in place) and tools/gazetteer.c (which writes it at build time), so that both normalise names alike.
 * See docs/places.md.
 *
 * The index: a header, then four arrays, each 8-byte aligned:
 *   cities   gaz_city[ncities], most populous first (so a city's index orders it by population)
 *   keys     gaz_key[nkeys + 1], sorted by their bytes; the last is a sentinel. Key i is the string
 *            pool[keys[i].str .. keys[i+1].str) and its cities are post[keys[i].post .. keys[i+1].post)
 *   post     uint32_t city indexes, ascending within a key (most populous first)
 *   pool     the key strings, back to back
 * Every name (and alias) has a plain key; a name whose folded key differs from its plain key has both.
 * Integers are in the byte order of the machine that built it (the index is built with the library).
 */
#ifndef DYAD_GAZETTEER_H
#define DYAD_GAZETTEER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <utf8proc.h>

#define GAZ_MAGIC "DYADGAZ1"
#define GAZ_VERSION 1u

enum { GAZ_OTHER = 0, GAZ_CAPITAL = 1, GAZ_ADMIN1 = 2, GAZ_ADMIN = 3 }; /* PPLC; PPLA; PPLA2..5 */

typedef struct gaz_header {
    char magic[8];
    uint32_t version; /* GAZ_VERSION */
    uint32_t sizes;   /* sizeof(gaz_header) << 16 | sizeof(gaz_city) << 8 | sizeof(gaz_key) */
    uint32_t ncities, nkeys, npost, pool_len;
    uint64_t off_cities, off_keys, off_post, off_pool, total;
} gaz_header;

typedef struct gaz_city {
    uint32_t geonameid;
    int32_t lat, lon;    /* degrees * 1e5 (the source's precision) */
    uint32_t population; /* 0 when GeoNames has none */
    char country[3];     /* ISO 3166-1 alpha-3 (XKX for Kosovo), no NUL */
    uint8_t kind;        /* GAZ_* */
    char admin1[8];      /* GeoNames admin1 code, NUL-padded; codes of 8 bytes or more are left empty */
} gaz_city;

typedef struct gaz_key {
    uint32_t str, post;
} gaz_key;

#define GAZ_SIZES ((uint32_t)(sizeof(gaz_header) << 16 | sizeof(gaz_city) << 8 | sizeof(gaz_key)))

enum { GAZ_KEY_MAX = 512 }; /* bytes of a key; longer names have none */

static inline bool gaz_apostrophe(int32_t c)
{
    return c == '\'' || c == '`' || c == 0xB4 || c == 0x2BB || c == 0x2BC || c == 0x2BE || c == 0x2BF ||
           c == 0x2018 || c == 0x2019 || c == 0x2032;
}

static inline bool gaz_space(int32_t c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0xA0 || c == 0x202F ||
           (c >= 0x2000 && c <= 0x200A) || c == 0x3000;
}

static inline bool gaz_dash(int32_t c)
{
    return c == '-' || (c >= 0x2010 && c <= 0x2015) || c == 0x2212;
}

/* Letters that do not decompose into a base letter and a mark, spelled in ASCII for the plain key. */
static inline const char *gaz_ascii(int32_t c)
{
    switch (c) {
    case 0xF8: return "o";  /* ø */
    case 0x142: return "l"; /* ł */
    case 0x111: return "d"; /* đ */
    case 0xF0: return "d";  /* ð */
    case 0x131: return "i"; /* dotless ı */
    case 0x127: return "h"; /* ħ */
    case 0x167: return "t"; /* ŧ */
    case 0xE6: return "ae"; /* æ */
    case 0x153: return "oe";
    case 0xFE: return "th"; /* þ */
    default: return NULL;
    }
}

/* The key of a place name S (N bytes of UTF-8) in OUT (CAP bytes); returns its length, 0 when there is none
 * (empty, invalid UTF-8, or longer than CAP).
 * Folded (PLAIN false), dyad's key rule (docs/dictionaries.md): every code point lower-cased, accents kept,
 *   the typographic apostrophe written '.
 * Plain (PLAIN true): compatibility-decomposed, case-folded, accents and other marks stripped, apostrophes
 *   and ayn/hamza signs dropped, hyphens and dashes as spaces, and ø ł đ ð ı ħ ŧ æ œ þ in ASCII:
 *   "Kramators'k", "Kramatorsk" and "KRAMATORSK" have the same plain key, and so have "Dar'a" and "Dara".
 * Both: runs of white space are one space, none at either end. */
static inline size_t gaz_key_of(const char *s, size_t n, bool plain, char *out, size_t cap)
{
    size_t o = 0;
    bool space = false;
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    for (size_t i = 0; i < n;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t l = utf8proc_iterate(p + i, (utf8proc_ssize_t)(n - i), &cp);
        if (l <= 0)
            return 0;
        i += (size_t)l;
        utf8proc_int32_t parts[16];
        utf8proc_ssize_t np = 1;
        parts[0] = cp;
        if (plain && !gaz_space(cp) && !gaz_apostrophe(cp) && !gaz_dash(cp)) {
            int bound = 0;
            np = utf8proc_decompose_char(cp, parts, 16,
                                         UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD |
                                             UTF8PROC_STRIPMARK,
                                         &bound);
            if (np < 0 || np > 16)
                return 0;
        }
        for (utf8proc_ssize_t k = 0; k < np; k++) {
            utf8proc_int32_t c = parts[k];
            if (gaz_space(c) || (plain && gaz_dash(c))) {
                space = o > 0;
                continue;
            }
            if (plain && gaz_apostrophe(c))
                continue;
            if (o + 8 > cap)
                return 0;
            if (space) {
                out[o++] = ' ';
                space = false;
            }
            const char *a = plain ? gaz_ascii(c) : NULL;
            if (a) {
                while (*a)
                    out[o++] = *a++;
            } else if (!plain && c == 0x2019) {
                out[o++] = '\'';
            } else {
                if (!plain)
                    c = utf8proc_tolower(c);
                o += (size_t)utf8proc_encode_char(c, (utf8proc_uint8_t *)out + o);
            }
        }
    }
    return o;
}

#endif
