/*
 * when.c - time expressions of a sentence resolved against the story's date: "on Friday", "late
 * Wednesday", "yesterday", "two days ago", "last week", "last month", "on March 3", "March 3, 2025",
 * "in March". Part of the enrich stage: the coder gives each event the expression of its clause.
 *
 * News convention: a weekday named without "next" is the most recent such day up to the story's date
 * (a Friday story's "on Friday" is that day); a month and day with no year that would fall after the
 * story's date is last year's.
 */
#include "internal.h"

#include <string.h>

/* Back from days since 1970-01-01 to yyyymmdd (H. Hinnant's civil calendar algorithms; the way there is
 * date_days() in util.c). */
static int32_t ymd_of(int64_t z)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1;
    int64_t m = mp + (mp < 10 ? 3 : -9);
    y += m <= 2;
    return (int32_t)(y * 10000 + m * 100 + d);
}

int32_t when_add_days(int32_t ymd, int days) { return ymd_of(date_days(ymd) + days); }

/* 0 = Monday ... 6 = Sunday */
static int weekday_of(int32_t ymd) { return (int)(((date_days(ymd) % 7) + 10) % 7); }

static bool word_is(const char *s, size_t n, const char *w) { return ascii_ieq(s, n, w, strlen(w)); }

static const char *const weekdays[] = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};
static const char *const months[] = {"january", "february", "march", "april", "may", "june", "july",
                                     "august", "september", "october", "november", "december"};
static const char *const month_abbr[] = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
static const char *const numbers[] = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"};

typedef struct tk {
    const char *s;
    size_t n;
} tk;

static int find_in(const tk *w, const char *const *list, int count)
{
    for (int i = 0; i < count; i++)
        if (word_is(w->s, w->n, list[i]))
            return i;
    return -1;
}

static int month_at(const tk *w)
{
    int m = find_in(w, months, 12);
    if (m >= 0)
        return m;
    if (word_is(w->s, w->n, "sept"))
        return 8;
    return find_in(w, month_abbr, 12);
}

static int number_at(const tk *w)
{
    if (w->n >= 1 && w->n <= 4 && w->s[0] >= '0' && w->s[0] <= '9') {
        int v = 0;
        for (size_t i = 0; i < w->n; i++) {
            if (w->s[i] < '0' || w->s[i] > '9')
                return -1;
            v = v * 10 + (w->s[i] - '0');
        }
        return v;
    }
    return find_in(w, numbers, 11);
}

static int32_t make_date(int y, int m, int d) { return y * 10000 + m * 100 + d; }

size_t when_find(const char *text, const token *t, size_t n, int32_t story, time_expr *out, size_t cap)
{
    size_t found = 0;
    int sy = story / 10000, sm = story / 100 % 100;
    for (size_t i = 0; i < n && found < cap; i++) {
        /* only time words and numbers can start an expression (flags from the dictionary's word list) */
        if (!(t[i].wflags & W_TIME) && !(t[i].flags & T_NUM))
            continue;
        tk w = {text + t[i].start, t[i].end - t[i].start};
        tk prev = i > 0 ? (tk){text + t[i - 1].start, t[i - 1].end - t[i - 1].start} : (tk){"", 0};
        tk next = i + 1 < n ? (tk){text + t[i + 1].start, t[i + 1].end - t[i + 1].start} : (tk){"", 0};
        time_expr e = {(uint32_t)i, (uint32_t)i, 0, 0};
        int wd, m, num;
        if ((wd = find_in(&w, weekdays, 7)) >= 0) {
            int back = (weekday_of(story) - wd + 7) % 7;
            bool last = word_is(prev.s, prev.n, "last"), nxt = word_is(prev.s, prev.n, "next");
            if (nxt) {
                back = -((wd - weekday_of(story) + 7) % 7);
                if (back == 0)
                    back = -7;
            } else if (last && back == 0) {
                back = 7;
            }
            e.date = when_add_days(story, -back);
            e.precision = 1;
            if (i > 0 && (last || nxt || word_is(prev.s, prev.n, "late") || word_is(prev.s, prev.n, "early") ||
                          word_is(prev.s, prev.n, "on")))
                e.first = (uint32_t)(i - 1);
            if (i > 1 && word_is(prev.s, prev.n, "late") &&
                word_is(text + t[i - 2].start, t[i - 2].end - t[i - 2].start, "on"))
                e.first = (uint32_t)(i - 2);
            if (next.n && (word_is(next.s, next.n, "night") || word_is(next.s, next.n, "morning") ||
                           word_is(next.s, next.n, "afternoon") || word_is(next.s, next.n, "evening")))
                e.last = (uint32_t)(i + 1);
        } else if (word_is(w.s, w.n, "yesterday")) {
            e.date = when_add_days(story, -1), e.precision = 1;
        } else if (word_is(w.s, w.n, "today") || word_is(w.s, w.n, "tonight")) {
            e.date = story, e.precision = 1;
        } else if (word_is(w.s, w.n, "tomorrow")) {
            e.date = when_add_days(story, 1), e.precision = 1;
        } else if ((word_is(w.s, w.n, "last") || word_is(w.s, w.n, "this") || word_is(w.s, w.n, "next")) && next.n) {
            int dir = word_is(w.s, w.n, "last") ? -1 : word_is(w.s, w.n, "next") ? 1 : 0;
            e.last = (uint32_t)(i + 1);
            if (word_is(next.s, next.n, "week")) {
                e.date = when_add_days(story, 7 * dir), e.precision = 2;
            } else if (word_is(next.s, next.n, "month")) {
                int mm = sm + dir, yy = sy;
                if (mm < 1) mm = 12, yy--;
                if (mm > 12) mm = 1, yy++;
                e.date = make_date(yy, mm, 1), e.precision = 3;
            } else if (word_is(next.s, next.n, "year")) {
                e.date = make_date(sy + dir, 1, 1), e.precision = 4;
            } else if (word_is(next.s, next.n, "night") && dir < 0) {
                e.date = when_add_days(story, -1), e.precision = 1;
            } else {
                continue;
            }
        } else if ((num = number_at(&w)) > 0 && num < 1000 && i + 2 < n &&
                   word_is(text + t[i + 2].start, t[i + 2].end - t[i + 2].start, "ago")) {
            e.last = (uint32_t)(i + 2);
            if (word_is(next.s, next.n, "days") || word_is(next.s, next.n, "day"))
                e.date = when_add_days(story, -num), e.precision = 1;
            else if (word_is(next.s, next.n, "weeks") || word_is(next.s, next.n, "week"))
                e.date = when_add_days(story, -7 * num), e.precision = 2;
            else if (word_is(next.s, next.n, "years") || word_is(next.s, next.n, "year"))
                e.date = make_date(sy - num, 1, 1), e.precision = 4;
            else
                continue;
        } else if ((num = number_at(&w)) >= 1900 && num <= 2099 && w.n == 4 &&
                   (word_is(prev.s, prev.n, "in") ||
                    (next.n && next.s[0] >= 'a' && next.s[0] <= 'z' && !word_is(next.s, next.n, "and") &&
                     !word_is(next.s, next.n, "to")))) {
            /* "in 2014", "the 2014 abduction": a year ("since 2014" goes on, and is no date of an event) */
            e.date = make_date(num, 1, 1), e.precision = 4;
            if (word_is(prev.s, prev.n, "in"))
                e.first = (uint32_t)(i - 1);
        } else if ((m = month_at(&w)) >= 0 && (t[i].flags & T_CAP)) {
            /* "March 3", "March 3, 2025", "Jan. 5", "March 2025", "in March" */
            size_t j = i + 1;
            if (j < n && text[t[j].start] == '.')
                j++;
            tk dn = j < n ? (tk){text + t[j].start, t[j].end - t[j].start} : (tk){"", 0};
            int day = number_at(&dn);
            int year = 0;
            if (day >= 1 && day <= 31 && dn.n <= 2) {
                e.last = (uint32_t)j;
                size_t k = j + 1;
                if (k + 1 < n && text[t[k].start] == ',')
                    k++;
                tk yn = k < n ? (tk){text + t[k].start, t[k].end - t[k].start} : (tk){"", 0};
                int y = yn.n == 4 ? number_at(&yn) : -1;
                if (y >= 1900 && y <= 2100)
                    year = y, e.last = (uint32_t)k;
                e.precision = 1;
            } else if (day >= 1900 && day <= 2100) {
                year = day, day = 1, e.last = (uint32_t)j, e.precision = 3;
            } else if (word_is(prev.s, prev.n, "in") || word_is(prev.s, prev.n, "since") ||
                       word_is(prev.s, prev.n, "early") || word_is(prev.s, prev.n, "late")) {
                if (m == 4 && !(t[i].flags & T_CAP))
                    continue; /* "may" */
                day = 1, e.precision = 3;
            } else {
                continue;
            }
            if (!year) {
                year = sy;
                int32_t cand = make_date(year, m + 1, e.precision == 3 ? 1 : day);
                if (cand > when_add_days(story, 1) && !(e.precision == 3 && m + 1 == sm))
                    year--;
            }
            e.date = make_date(year, m + 1, day);
            if (e.precision == 1 && !date_parse((char[]){(char)('0' + year / 1000), (char)('0' + year / 100 % 10),
                                                          (char)('0' + year / 10 % 10), (char)('0' + year % 10), '-',
                                                          (char)('0' + (m + 1) / 10), (char)('0' + (m + 1) % 10), '-',
                                                          (char)('0' + day / 10), (char)('0' + day % 10)},
                                                10))
                continue; /* "February 30" */
            if (i > 0 && word_is(prev.s, prev.n, "on"))
                e.first = (uint32_t)(i - 1);
        } else {
            continue;
        }
        out[found++] = e;
        i = e.last;
    }
    return found;
}
