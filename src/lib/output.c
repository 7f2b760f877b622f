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

/* A date as YYYY-MM-DD (a month's as YYYY-MM, a year's as YYYY); nothing when there is none. */
static bool ymd_field(sbuf *b, int32_t d, dyad_precision p)
{
    if (!d)
        return true;
    switch (p) {
    case DYAD_MONTH: return sbuf_addf(b, "%04d-%02d", d / 10000, d / 100 % 100);
    case DYAD_YEAR: return sbuf_addf(b, "%04d", d / 10000);
    default: return sbuf_addf(b, "%04d-%02d-%02d", d / 10000, d / 100 % 100, d % 100);
    }
}

static bool date_field(sbuf *b, const dyad_event *e) { return ymd_field(b, e->event_date, e->event_date_precision); }

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

/* The fields of a casualty count, without braces. */
static bool casualty_fields(sbuf *b, const char *t, const dyad_casualty *k)
{
    bool ok = sbuf_addf(b, "\"kind\":\"%s\",\"count\":%lld,\"qualifier\":", dyad_casualty_kind_name(k->kind),
                        (long long)k->count) &&
              sbuf_json_str(b, k->qualifier, strlen(k->qualifier)) && sbuf_add(b, ",\"who\":", 7);
    ok = ok && (k->who.end > k->who.start ? span_json(b, t, k->who) : sbuf_add(b, "null", 4));
    ok = ok && sbuf_add(b, ",\"reported_by\":", 15);
    ok = ok && (k->reported_by.end > k->reported_by.start ? span_json(b, t, k->reported_by) : sbuf_add(b, "null", 4));
    return ok && sbuf_add(b, ",\"text\":", 8) && span_json(b, t, k->text);
}

dyad_status dyad_casualty_write(const dyad_casualty *k, const dyad_story *s, char **buf, size_t *len, size_t *cap)
{
    if (!k || !s || !buf || !len || !cap)
        return DYAD_ERR_ARG;
    sbuf b = {*buf, *len, *cap};
    bool ok = sbuf_add(&b, "{\"story_id\":", 12) && sbuf_json_str(&b, s->id, strlen(s->id)) &&
              sbuf_addf(&b, ",\"type\":\"casualties\",\"sentence\":%u,\"date\":", k->sentence) &&
              sbuf_json_str(&b, s->date, strlen(s->date)) && sbuf_addc(&b, ',') && casualty_fields(&b, s->text, k) &&
              sbuf_add(&b, "}\n", 2);
    *buf = b.s;
    *len = b.len;
    *cap = b.cap;
    return ok ? DYAD_OK : DYAD_ERR_NOMEM;
}

/* A PLOVER entity block: raw text, country and sector split from the CAMEO-style code. */
static bool plover_entity(sbuf *b, const char *text, const dyad_actor *a)
{
    size_t n = strlen(a->code);
    bool ok = sbuf_add(b, "[{\"raw_text\":", 13) && span_json(b, text, a->text) && sbuf_add(b, ",\"code\":", 8) &&
              sbuf_json_str(b, a->code, n) && sbuf_add(b, ",\"country\":", 11) &&
              sbuf_json_str(b, a->code, n < 3 ? n : 3) && sbuf_add(b, ",\"sector_code\":", 15) &&
              sbuf_json_str(b, n > 3 ? a->code + 3 : "", n > 6 ? 3 : n > 3 ? n - 3 : 0) &&
              sbuf_add(b, ",\"other_sector_codes\":", 22) && sbuf_json_str(b, n > 6 ? a->code + 6 : "", n > 6 ? n - 6 : 0);
    return ok && sbuf_add(b, "}]", 2);
}

/* One event as a PLOVER-style record: event_type, mode, context, actor and recipient lists. */
static bool plover_json(sbuf *b, const dyad_event *e, const dyad_story *s)
{
    const char *t = s->text;
    bool ok = sbuf_add(b, "{\"id\":", 6) && sbuf_addc(b, '"') && sbuf_add(b, s->id, strlen(s->id)) &&
              sbuf_addf(b, "-%u-%u\",\"story_id\":", e->sentence, e->trigger.start) && sbuf_json_str(b, s->id, strlen(s->id)) &&
              sbuf_add(b, ",\"date\":\"", 9);
    if (ok && e->event_date)
        ok = date_field(b, e);
    else if (ok)
        ok = sbuf_add(b, s->date, strlen(s->date));
    ok = ok && sbuf_add(b, "\",\"event_type\":", 15);
    ok = ok && (e->plover ? sbuf_json_str(b, e->plover, strlen(e->plover)) : sbuf_add(b, "null", 4));
    ok = ok && sbuf_add(b, ",\"mode\":", 8);
    ok = ok && (e->plover_mode ? sbuf_json_str(b, e->plover_mode, strlen(e->plover_mode)) : sbuf_add(b, "null", 4));
    ok = ok && sbuf_add(b, ",\"context\":[", 12);
    bool first = true;
    if (ok && e->plover_context) {
        ok = sbuf_json_str(b, e->plover_context, strlen(e->plover_context));
        first = false;
    }
    for (uint8_t q = 0; ok && q < e->nissues; q++, first = false)
        ok = (first || sbuf_addc(b, ',')) && sbuf_json_str(b, e->issues[q], strlen(e->issues[q]));
    ok = ok && sbuf_add(b, "],\"actor\":", 10) && plover_entity(b, t, &e->source) && sbuf_add(b, ",\"recipient\":", 13);
    ok = ok && (e->target.code[0] ? plover_entity(b, t, &e->target) : sbuf_add(b, "[]", 2));
    ok = ok && sbuf_addf(b, ",\"cameo\":\"%s\",\"modality\":\"%s\",\"source\":", e->cameo, dyad_modality_name(e->modality));
    ok = ok && (s->source ? sbuf_json_str(b, s->source, strlen(s->source)) : sbuf_add(b, "null", 4));
    ok = ok && sbuf_add(b, ",\"text\":", 8) && span_json(b, t, e->evidence) && sbuf_add(b, "}\n", 2);
    return ok;
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
    } else if (fmt == DYAD_FMT_PLOVER) {
        ok = plover_json(&b, e, s);
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
        if (ok && e->plover_context)
            ok = sbuf_add(&b, ",\"plover_context\":", sizeof ",\"plover_context\":" - 1) && sbuf_json_str(&b, e->plover_context, strlen(e->plover_context));
        if (ok && e->nissues) {
            ok = sbuf_add(&b, ",\"issues\":[", 11);
            for (uint8_t q = 0; ok && q < e->nissues; q++)
                ok = (!q || sbuf_addc(&b, ',')) && sbuf_json_str(&b, e->issues[q], strlen(e->issues[q]));
            ok = ok && sbuf_addc(&b, ']');
        }
        ok = ok && sbuf_addf(&b, ",\"modality\":\"%s\",\"attribution\":", dyad_modality_name(e->modality));
        if (ok && e->attribution.end > e->attribution.start) {
            ok = sbuf_add(&b, "{\"text\":", 8) && span_json(&b, t, e->attribution) && sbuf_add(&b, ",\"code\":", 8);
            if (ok && e->attribution_code[0])
                ok = sbuf_json_str(&b, e->attribution_code, strlen(e->attribution_code));
            else if (ok)
                ok = sbuf_add(&b, "null", 4);
            if (ok && e->attribution_date)
                ok = sbuf_add(&b, ",\"date\":\"", 9) &&
                     ymd_field(&b, e->attribution_date, e->attribution_date_precision) && sbuf_addc(&b, '"');
            ok = ok && sbuf_addc(&b, '}');
        } else if (ok) {
            ok = sbuf_add(&b, "null", 4);
        }
        if (ok && e->event_date)
            ok = sbuf_add(&b, ",\"event_date\":{\"date\":\"", 23) && date_field(&b, e) &&
                 sbuf_addf(&b, "\",\"precision\":\"%s\",\"text\":", dyad_precision_name(e->event_date_precision)) &&
                 span_json(&b, t, e->event_date_text) && sbuf_addc(&b, '}');
        if (ok && e->place.level) {
            ok = sbuf_addf(&b, ",\"place\":{\"level\":\"%s\",\"country\":\"%s\",\"name\":",
                           e->place.level == DYAD_PLACE_CITY ? "city" : "country", e->place.country) &&
                 span_json(&b, t, e->place.name);
            if (ok && e->place.level == DYAD_PLACE_CITY)
                ok = sbuf_addf(&b, ",\"admin1\":\"%s\",\"lat\":%.4f,\"lon\":%.4f,\"geonameid\":%u", e->place.admin1,
                               e->place.lat, e->place.lon, e->place.geonameid);
            ok = ok && sbuf_add(&b, ",\"text\":", 8) && span_json(&b, t, e->place.text) && sbuf_addc(&b, '}');
        }
        if (ok && e->ncasualties) {
            ok = sbuf_add(&b, ",\"casualties\":[", 15);
            for (uint8_t q = 0; ok && q < e->ncasualties; q++)
                ok = (!q || sbuf_addc(&b, ',')) && sbuf_addc(&b, '{') && casualty_fields(&b, t, &e->casualties[q]) &&
                     sbuf_addc(&b, '}');
            ok = ok && sbuf_addc(&b, ']');
        }
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
