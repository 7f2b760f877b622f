/*
 * output.c - the sink stage: one event as a JSONL line or a TSV row. The only event writer in dyad;
 * every command and format goes through it.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

static const char tsv_header[] =
    "story_id\tsentence\tdate\tevent_date\tsource\tsource_text\ttarget\ttarget_text\tcameo\troot\tquad\tgoldstein\t"
    "plover\tmodality\tattribution\tevidence_start\tevidence_end\tevidence\n";

const char *dyad_tsv_header(void) { return tsv_header; }

static bool span_json(sbuf *b, const char *text, dyad_span sp)
{
    return sbuf_json_str(b, text + sp.start, sp.end - sp.start);
}

static bool actor_json(sbuf *b, const char *text, const dyad_actor *a)
{
    if (!a->code[0])
        return sbuf_add(b, "null", 4);
    bool ok = sbuf_add(b, "{\"code\":", 8) && sbuf_json_str(b, a->code, strlen(a->code)) &&
              sbuf_add(b, ",\"text\":", 8) && span_json(b, text, a->text);
    size_t n = strlen(a->code);
    if (ok && n >= 3) {
        ok = sbuf_add(b, ",\"country\":", 11) && sbuf_json_str(b, a->code, 3);
        if (ok && n > 3)
            ok = sbuf_add(b, ",\"sector\":", 10) && sbuf_json_str(b, a->code + 3, n - 3);
    }
    if (ok && a->resolved)
        ok = sbuf_add(b, ",\"resolved\":true", 16);
    return ok && sbuf_addc(b, '}');
}

/* An event's own date as YYYY-MM-DD (a month's as YYYY-MM, a year's as YYYY); nothing when it has none. */
static bool date_field(sbuf *b, const dyad_event *e)
{
    int32_t d = e->event_date;
    if (!d)
        return true;
    switch (e->event_date_precision) {
    case DYAD_MONTH: return sbuf_addf(b, "%04d-%02d", d / 10000, d / 100 % 100);
    case DYAD_YEAR: return sbuf_addf(b, "%04d", d / 10000);
    default: return sbuf_addf(b, "%04d-%02d-%02d", d / 10000, d / 100 % 100, d % 100);
    }
}

/* TSV fields cannot hold tabs or newlines: they become spaces. */
static bool tsv_field(sbuf *b, const char *s, size_t n)
{
    if (!GROW(b->s, b->cap, b->len + n + 1))
        return false;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        b->s[b->len++] = (ch == '\t' || ch == '\n' || ch == '\r') ? ' ' : ch;
    }
    b->s[b->len] = 0;
    return true;
}

dyad_status dyad_event_write(const dyad_event *e, const dyad_story *s, dyad_format fmt, char **buf, size_t *len,
                             size_t *cap)
{
    if (!e || !s || !buf || !len || !cap)
        return DYAD_ERR_ARG;
    sbuf b = {*buf, *len, *cap};
    const char *t = s->text;
    bool ok;
    char num[32];
    snprintf(num, sizeof num, "%.1f", e->goldstein);
    if (fmt == DYAD_FMT_TSV) {
        ok = tsv_field(&b, s->id, strlen(s->id)) && sbuf_addf(&b, "\t%u\t", e->sentence) &&
             tsv_field(&b, s->date, strlen(s->date)) && sbuf_addc(&b, '\t') && date_field(&b, e) &&
             sbuf_addc(&b, '\t') && tsv_field(&b, e->source.code, strlen(e->source.code)) && sbuf_addc(&b, '\t') &&
             tsv_field(&b, t + e->source.text.start, e->source.text.end - e->source.text.start) &&
             sbuf_addc(&b, '\t') && tsv_field(&b, e->target.code, strlen(e->target.code)) && sbuf_addc(&b, '\t') &&
             tsv_field(&b, t + e->target.text.start, e->target.text.end - e->target.text.start) &&
             sbuf_addf(&b, "\t%s\t%.2s\t%u\t%s\t%s\t%s\t", e->cameo, e->cameo, e->quad, num,
                       e->plover ? e->plover : "", dyad_modality_name(e->modality)) &&
             tsv_field(&b, t + e->attribution.start, e->attribution.end - e->attribution.start) &&
             sbuf_addf(&b, "\t%u\t%u\t", e->evidence.start, e->evidence.end) &&
             tsv_field(&b, t + e->evidence.start, e->evidence.end - e->evidence.start) && sbuf_addc(&b, '\n');
    } else {
        ok = sbuf_add(&b, "{\"story_id\":", 12) && sbuf_json_str(&b, s->id, strlen(s->id)) &&
             sbuf_addf(&b, ",\"sentence\":%u,\"date\":", e->sentence) && sbuf_json_str(&b, s->date, strlen(s->date)) &&
             sbuf_add(&b, ",\"source\":", 10) && actor_json(&b, t, &e->source) && sbuf_add(&b, ",\"target\":", 10) &&
             actor_json(&b, t, &e->target) &&
             sbuf_addf(&b, ",\"cameo\":\"%s\",\"root\":\"%.2s\",\"quad\":%u,\"goldstein\":%s,\"plover\":", e->cameo,
                       e->cameo, e->quad, num);
        if (ok && e->plover)
            ok = sbuf_json_str(&b, e->plover, strlen(e->plover));
        else if (ok)
            ok = sbuf_add(&b, "null", 4);
        if (ok && e->plover_mode)
            ok = sbuf_add(&b, ",\"plover_mode\":", 15) && sbuf_json_str(&b, e->plover_mode, strlen(e->plover_mode));
        ok = ok && sbuf_addf(&b, ",\"modality\":\"%s\",\"attribution\":", dyad_modality_name(e->modality));
        if (ok && e->attribution.end > e->attribution.start) {
            ok = sbuf_add(&b, "{\"text\":", 8) && span_json(&b, t, e->attribution) && sbuf_add(&b, ",\"code\":", 8);
            if (ok && e->attribution_code[0])
                ok = sbuf_json_str(&b, e->attribution_code, strlen(e->attribution_code));
            else if (ok)
                ok = sbuf_add(&b, "null", 4);
            ok = ok && sbuf_addc(&b, '}');
        } else if (ok) {
            ok = sbuf_add(&b, "null", 4);
        }
        if (ok && e->event_date)
            ok = sbuf_add(&b, ",\"event_date\":{\"date\":\"", 23) && date_field(&b, e) &&
                 sbuf_addf(&b, "\",\"precision\":\"%s\",\"text\":", dyad_precision_name(e->event_date_precision)) &&
                 span_json(&b, t, e->event_date_text) && sbuf_addc(&b, '}');
        ok = ok && sbuf_addf(&b, ",\"trigger\":{\"start\":%u,\"end\":%u,\"text\":", e->trigger.start, e->trigger.end) &&
             span_json(&b, t, e->trigger) &&
             sbuf_addf(&b, "},\"evidence\":{\"start\":%u,\"end\":%u,\"text\":", e->evidence.start, e->evidence.end) &&
             span_json(&b, t, e->evidence) && sbuf_add(&b, "}}\n", 3);
    }
    *buf = b.s;
    *len = b.len;
    *cap = b.cap;
    return ok ? DYAD_OK : DYAD_ERR_NOMEM;
}
