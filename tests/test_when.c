/*
 * test_when.c - time expressions resolved against the story date (when.c), and the event dates the
 * coder gives from them.
 */
#include "helpers.h"
#include "internal.h"

static dyad_dict *D;

/* Tokens as the coder sees them: with the word-class flags of the dictionary's words. */
static const char *resolve(const char *text, const char *story)
{
    static char out[512];
    token *t = NULL;
    size_t n = 0, cap = 0;
    char scratch[1024];
    if (!D)
        D = mini_dict();
    assert_true(text_tokens(text, 0, (uint32_t)strlen(text), &t, &n, &cap));
    for (size_t i = 0; i < n; i++) {
        t[i].id = dict_key(D, text + t[i].start, t[i].end - t[i].start, scratch);
        t[i].wflags = t[i].id ? D->wflags[t[i].id] : 0;
    }
    time_expr x[8];
    size_t k = when_find(text, t, n, date_parse(story, 10), x, 8);
    size_t len = 0;
    out[0] = 0;
    for (size_t i = 0; i < k; i++)
        len += (size_t)snprintf(out + len, sizeof out - len, "%s%.*s=%d/%s", i ? "; " : "",
                                (int)(t[x[i].last].end - t[x[i].first].start), text + t[x[i].first].start, x[i].date,
                                dyad_precision_name((dyad_precision)x[i].precision));
    free(t);
    return out;
}

static void weekdays_are_the_latest_such_day(void **s)
{
    (void)s;
    /* 2026-01-16 is a Friday */
    assert_string_equal(resolve("He spoke on Friday.", "2026-01-16"), "on Friday=20260116/day");
    assert_string_equal(resolve("remarks late Wednesday", "2026-01-16"), "late Wednesday=20260114/day");
    assert_string_equal(resolve("on Saturday night", "2026-01-16"), "on Saturday night=20260110/day");
    assert_string_equal(resolve("last Friday", "2026-01-16"), "last Friday=20260109/day");
    assert_string_equal(resolve("next Monday", "2026-01-16"), "next Monday=20260119/day");
}

static void relative_days_weeks_months(void **s)
{
    (void)s;
    assert_string_equal(resolve("yesterday and today", "2026-03-01"), "yesterday=20260228/day; today=20260301/day");
    assert_string_equal(resolve("two days ago", "2026-01-01"), "two days ago=20251230/day");
    assert_string_equal(resolve("3 weeks ago", "2026-01-22"), "3 weeks ago=20260101/week");
    assert_string_equal(resolve("since last month", "2026-01-16"), "last month=20251201/month");
    /* years: "in 2014", "the 2014 abduction", "three years ago"; "since 2014" is a span, not a date */
    assert_string_equal(resolve("abducted in 2014", "2021-06-01"), "in 2014=20140101/year");
    assert_string_equal(resolve("the 2014 abduction", "2021-06-01"), "2014=20140101/year");
    assert_string_equal(resolve("three years ago", "2021-06-01"), "three years ago=20180101/year");
    assert_string_equal(resolve("attacks since 2014", "2021-06-01"), "");
    assert_string_equal(resolve("last week", "2026-01-16"), "last week=20260109/week");
    assert_string_equal(resolve("last year", "2026-01-16"), "last year=20250101/year");
}

static void month_and_day(void **s)
{
    (void)s;
    assert_string_equal(resolve("on March 3", "2026-05-10"), "on March 3=20260303/day");
    /* a day after the story's date is last year's */
    assert_string_equal(resolve("on December 30", "2026-01-05"), "on December 30=20251230/day");
    assert_string_equal(resolve("Jan. 5, 2024", "2026-01-05"), "Jan. 5, 2024=20240105/day");
    assert_string_equal(resolve("in March 2025", "2026-01-05"), "March 2025=20250301/month");
    assert_string_equal(resolve("in March", "2026-05-05"), "March=20260301/month");
    /* not dates: the modal verb, an impossible day */
    assert_string_equal(resolve("They may come. February 30 is no day.", "2026-05-05"), "");
}

static void events_get_their_clause_date(void **s)
{
    (void)s;
    dyad_dict *d = mini_dict();
    dyad_coder *c = dyad_coder_new(d);
    const char *text = "Freedonia attacked Sylvania late Wednesday, the Palace said on Friday.";
    dyad_story st = {"t", "2026-01-16", text, strlen(text), NULL, NULL, NULL};
    const dyad_event *ev;
    size_t n;
    assert_int_equal(dyad_code(c, &st, &ev, &n), DYAD_OK);
    assert_int_equal(n, 1);
    assert_int_equal(ev[0].event_date, 20260114);
    assert_int_equal(ev[0].event_date_precision, DYAD_DAY);
    assert_memory_equal(text + ev[0].event_date_text.start, "late Wednesday", 14);
    /* and when it was said */
    assert_string_equal(ev[0].attribution_code, "SYLGOV");
    assert_int_equal(ev[0].attribution_date, 20260116);
    /* "during" before a noun is a preposition: its time belongs to the event */
    const char *t2 = "Rufus Firefly praised Sylvania during remarks at the Palace late Wednesday.";
    dyad_story s2 = {"t2", "2026-01-16", t2, strlen(t2), NULL, NULL, NULL};
    assert_int_equal(dyad_code(c, &s2, &ev, &n), DYAD_OK);
    assert_int_equal(n, 1);
    assert_int_equal(ev[0].event_date, 20260114);
    dyad_coder_free(c);
    dyad_dict_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(weekdays_are_the_latest_such_day),
        cmocka_unit_test(relative_days_weeks_months),
        cmocka_unit_test(month_and_day),
        cmocka_unit_test(events_get_their_clause_date),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    dyad_dict_free(D);
    return rc;
}
