/*
 * image.c - a finished dictionary as one binary image, used in place: every array of the finished form
 * (vocabulary, trie, patterns and their indexes, codebook) is written back to back, and loading is pointing
 * the arrays into the image. The built-in dictionaries are compiled to an image at build time and linked
 * into the binary, so `dyad` starts without parsing a line; `dyad dict compile` does the same for any
 * dictionaries, and `--dicts FILE.img` maps such a file.
 *
 * An image is only valid for the dyad that wrote it (same version and struct layout: both are checked).
 */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define IMG_MAGIC "DYADIMG1"
#define IMG_MAX_SEC 64

typedef struct img_header {
    char magic[8];
    uint32_t layout; /* struct sizes and the format version, mixed: a mismatch refuses the image */
    uint32_t nsec;
    uint64_t total;
    uint64_t counts[48];
    struct {
        uint64_t off, len;
    } sec[IMG_MAX_SEC];
} img_header;

static uint32_t layout_id(void)
{
    uint32_t v = 3; /* bump when the finished form changes */
    const size_t sizes[] = {sizeof(payload),   sizeof(actor_entry), sizeof(code_alt), sizeof(agent_entry),
                            sizeof(pat_el),    sizeof(pattern),     sizeof(cameo_entry), sizeof(img_header)};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
        v = v * 31 + (uint32_t)sizes[i];
    return v;
}

/* The arrays, in order. Each entry: where the pointer lives and how many bytes it holds. */
typedef struct sec_ref {
    void **ptr;
    size_t bytes;
} sec_ref;

/* The counts, in order (all size_t fields of the finished form that the arrays' sizes depend on). */
static size_t *const *counts_of(dyad_dict *d, size_t *n)
{
    static size_t *refs[48];
    size_t k = 0;
    refs[k++] = &d->vocab.n;
    refs[k++] = &d->vocab.nslots;
    refs[k++] = &d->vocab.pool_len;
    refs[k++] = &d->forms.n;
    refs[k++] = &d->forms.nslots;
    refs[k++] = &d->forms.pool_len;
    refs[k++] = &d->edges.nslots;
    refs[k++] = &d->edges.n;
    refs[k++] = &d->nnodes;
    refs[k++] = &d->npayloads;
    refs[k++] = &d->nactors;
    refs[k++] = &d->nalts;
    refs[k++] = &d->nagents;
    refs[k++] = &d->issues.n;
    refs[k++] = &d->issues.nslots;
    refs[k++] = &d->issues.pool_len;
    refs[k++] = &d->synset_names.n;
    refs[k++] = &d->synset_names.nslots;
    refs[k++] = &d->synset_names.pool_len;
    refs[k++] = &d->nsyn_words;
    refs[k++] = &d->nels;
    refs[k++] = &d->npatterns;
    refs[k++] = &d->nanchor;
    refs[k++] = &d->pair_map.nslots;
    refs[k++] = &d->pair_map.n;
    refs[k++] = &d->syn_member.nslots;
    refs[k++] = &d->syn_member.n;
    refs[k++] = &d->npairs;
    refs[k++] = &d->ngroups;
    refs[k++] = &d->ncameo;
    refs[k++] = &d->cameo_index.nslots;
    refs[k++] = &d->cameo_index.n;
    refs[k++] = &d->nfiles;
    refs[k++] = &d->ndiscards;
    refs[k++] = &d->nlemmas;
    *n = k;
    return refs;
}

static void strtab_secs(strtab *t, sec_ref *s, size_t *k)
{
    s[(*k)++] = (sec_ref){(void **)&t->slots, t->nslots * sizeof *t->slots};
    s[(*k)++] = (sec_ref){(void **)&t->pool, t->pool_len};
    s[(*k)++] = (sec_ref){(void **)&t->off, t->n ? (t->n + 1) * sizeof *t->off : 0};
    s[(*k)++] = (sec_ref){(void **)&t->len, t->n ? (t->n + 1) * sizeof *t->len : 0};
}

static void map_secs(u64map *m, sec_ref *s, size_t *k)
{
    s[(*k)++] = (sec_ref){(void **)&m->keys, m->nslots * sizeof *m->keys};
    s[(*k)++] = (sec_ref){(void **)&m->vals, m->nslots * sizeof *m->vals};
}

/* Sections of a dictionary whose counts are set (after finish, or after reading the counts). */
static size_t sections_of(dyad_dict *d, sec_ref *s)
{
    size_t k = 0;
    strtab_secs(&d->vocab, s, &k);
    s[k++] = (sec_ref){(void **)&d->wflags, (d->vocab.n + 1) * sizeof *d->wflags};
    strtab_secs(&d->forms, s, &k);
    s[k++] = (sec_ref){(void **)&d->lemma_base, d->forms.n ? (d->forms.n + 1) * sizeof *d->lemma_base : 0};
    map_secs(&d->edges, s, &k);
    s[k++] = (sec_ref){(void **)&d->node_payload, d->nnodes * sizeof *d->node_payload};
    s[k++] = (sec_ref){(void **)&d->payloads, d->npayloads * sizeof *d->payloads};
    s[k++] = (sec_ref){(void **)&d->actors, d->nactors * sizeof *d->actors};
    s[k++] = (sec_ref){(void **)&d->alts, d->nalts * sizeof *d->alts};
    s[k++] = (sec_ref){(void **)&d->agents, d->nagents * sizeof *d->agents};
    strtab_secs(&d->issues, s, &k);
    strtab_secs(&d->synset_names, s, &k);
    s[k++] = (sec_ref){(void **)&d->syn_first, d->synset_names.n * sizeof *d->syn_first};
    s[k++] = (sec_ref){(void **)&d->syn_n, d->synset_names.n * sizeof *d->syn_n};
    s[k++] = (sec_ref){(void **)&d->syn_words, d->nsyn_words * sizeof *d->syn_words};
    s[k++] = (sec_ref){(void **)&d->els, d->nels * sizeof *d->els};
    s[k++] = (sec_ref){(void **)&d->patterns, d->npatterns * sizeof *d->patterns};
    s[k++] = (sec_ref){(void **)&d->anchor_off, (d->vocab.n + 3) * sizeof *d->anchor_off};
    s[k++] = (sec_ref){(void **)&d->anchor_pat, d->nanchor * sizeof *d->anchor_pat};
    map_secs(&d->pair_map, s, &k);
    map_secs(&d->syn_member, s, &k);
    s[k++] = (sec_ref){(void **)&d->pair_first, d->ngroups * sizeof *d->pair_first};
    s[k++] = (sec_ref){(void **)&d->pair_n, d->ngroups * sizeof *d->pair_n};
    s[k++] = (sec_ref){(void **)&d->pair_pat, d->npairs * sizeof *d->pair_pat};
    s[k++] = (sec_ref){(void **)&d->cameo, d->ncameo * sizeof *d->cameo};
    map_secs(&d->cameo_index, s, &k);
    return k;
}

dyad_status dyad_dict_save_image(const dyad_dict *cd, const char *path)
{
    dyad_dict *d = (dyad_dict *)cd; /* only read: the section table holds pointers to the fields */
    if (!d || !path || !d->finished)
        return DYAD_ERR_ARG;
    img_header h;
    memset(&h, 0, sizeof h);
    memcpy(h.magic, IMG_MAGIC, 8);
    h.layout = layout_id();
    size_t nc;
    size_t *const *cnt = counts_of(d, &nc);
    for (size_t i = 0; i < nc; i++)
        h.counts[i] = *cnt[i];
    sec_ref s[IMG_MAX_SEC];
    size_t ns = sections_of(d, s);
    /* file names, NUL-separated, as the last section */
    sbuf names = {0};
    for (size_t i = 0; i < d->nfiles; i++)
        if (!sbuf_add(&names, d->files[i], strlen(d->files[i]) + 1))
            return DYAD_ERR_NOMEM;
    void *np = names.s;
    s[ns++] = (sec_ref){&np, names.len};
    h.nsec = (uint32_t)ns;
    uint64_t off = (sizeof h + 7) & ~(uint64_t)7;
    for (size_t i = 0; i < ns; i++) {
        h.sec[i].off = off;
        h.sec[i].len = s[i].bytes;
        off = (off + s[i].bytes + 7) & ~(uint64_t)7;
    }
    h.total = off;
    FILE *f = fopen(path, "wb");
    if (!f) {
        snprintf(d->err, sizeof d->err, "%s: %s", path, strerror(errno));
        free(names.s);
        return DYAD_ERR_IO;
    }
    static const char zero[8] = {0};
    bool ok = fwrite(&h, sizeof h, 1, f) == 1;
    uint64_t at = sizeof h;
    for (size_t i = 0; ok && i < ns; i++) {
        ok = fwrite(zero, 1, h.sec[i].off - at, f) == h.sec[i].off - at;
        if (ok && s[i].bytes)
            ok = fwrite(*s[i].ptr, 1, s[i].bytes, f) == s[i].bytes;
        at = h.sec[i].off + s[i].bytes;
    }
    ok = ok && fwrite(zero, 1, h.total - at, f) == h.total - at;
    ok = (fclose(f) == 0) && ok;
    free(names.s);
    if (!ok) {
        snprintf(d->err, sizeof d->err, "%s: write error", path);
        return DYAD_ERR_IO;
    }
    return DYAD_OK;
}

/* Point a pristine dictionary's arrays into the image at BASE (LEN bytes). OWNED: munmap on free. */
dyad_status dict_adopt_image(dyad_dict *d, const void *base, size_t len, bool owned, const char *name)
{
    const img_header *h = base;
    if (len < sizeof *h || memcmp(h->magic, IMG_MAGIC, 8) != 0) {
        snprintf(d->err, sizeof d->err, "%s: not a dyad dictionary image", name);
        return DYAD_ERR_PARSE;
    }
    if (h->layout != layout_id()) {
        snprintf(d->err, sizeof d->err, "%s: written by another version of dyad; compile it again", name);
        return DYAD_ERR_PARSE;
    }
    if (h->total > len || h->nsec > IMG_MAX_SEC) {
        snprintf(d->err, sizeof d->err, "%s: truncated image (%zu of %llu bytes)", name, len,
                 (unsigned long long)h->total);
        return DYAD_ERR_PARSE;
    }
    dict_release(d);
    size_t nc;
    size_t *const *cnt = counts_of(d, &nc);
    for (size_t i = 0; i < nc; i++)
        *cnt[i] = (size_t)h->counts[i];
    sec_ref s[IMG_MAX_SEC];
    size_t ns = sections_of(d, s);
    if (ns + 1 != h->nsec)
        goto bad;
    for (size_t i = 0; i < ns; i++) {
        if (h->sec[i].len != s[i].bytes || h->sec[i].off + h->sec[i].len > h->total)
            goto bad;
        *s[i].ptr = (char *)base + h->sec[i].off;
    }
    /* file names */
    const char *names = (const char *)base + h->sec[ns].off;
    size_t nl = h->sec[ns].len;
    d->files = calloc(d->nfiles + 1, sizeof *d->files);
    if (!d->files)
        return DYAD_ERR_NOMEM;
    d->files_cap = d->nfiles + 1;
    size_t at = 0;
    for (size_t i = 0; i < d->nfiles; i++) {
        if (at >= nl)
            goto bad;
        d->files[i] = strdup(names + at);
        at += strlen(names + at) + 1;
    }
    d->mapped = true;
    d->map_base = owned ? (void *)base : NULL;
    d->map_len = len;
    d->finished = true;
    return DYAD_OK;
bad:
    snprintf(d->err, sizeof d->err, "%s: corrupt image (section sizes do not match)", name);
    /* leave a consistent, empty dictionary behind */
    memset(&d->vocab, 0, sizeof d->vocab);
    d->mapped = true; /* nothing of the image may be freed */
    return DYAD_ERR_PARSE;
}

dyad_status dyad_dict_load_image(dyad_dict *d, const char *path)
{
    if (!d || !path)
        return DYAD_ERR_ARG;
    if (d->finished || d->loaded) {
        snprintf(d->err, sizeof d->err, "%s: an image replaces the whole dictionary: load it into a new one", path);
        return DYAD_ERR_ARG;
    }
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        snprintf(d->err, sizeof d->err, "%s: %s", path, strerror(errno));
        return DYAD_ERR_IO;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || st.st_size <= 0) {
        close(fd);
        snprintf(d->err, sizeof d->err, "%s: empty or unreadable", path);
        return DYAD_ERR_IO;
    }
    void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (p == MAP_FAILED) {
        snprintf(d->err, sizeof d->err, "%s: %s", path, strerror(errno));
        return DYAD_ERR_IO;
    }
    dyad_status rc = dict_adopt_image(d, p, (size_t)st.st_size, true, path);
    if (rc != DYAD_OK && !d->map_base)
        munmap(p, (size_t)st.st_size);
    return rc;
}

int dyad_dict_is_image(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    char m[8];
    int yes = fread(m, 1, 8, f) == 8 && memcmp(m, IMG_MAGIC, 8) == 0;
    fclose(f);
    return yes;
}
