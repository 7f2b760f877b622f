/*
 * test_text.c - sentence splitting and tokenization: abbreviations, quotes, numbers, offsets.
 */
#include "helpers.h"
#include "internal.h"

static size_t split(const char *text, sentence **s)
{
    size_t n = 0, cap = 0;
    *s = NULL;
    assert_true(text_sentences(text, strlen(text), s, &n, &cap));
    return n;
}

static void assert_sent(const char *text, const sentence *s, const char *want)
{
    assert_int_equal(s->end - s->start, strlen(want));
    assert_memory_equal(text + s->start, want, strlen(want));
}

static void sentences_respect_abbreviations(void **st)
{
    (void)st;
    const char *t = "Gen. Smith met Mr. Jones in the U.S. on Jan. 5. Then Donald J. Trump spoke. \"It is over.\" "
                    "He left!\nHeadline without a period\nLast one?";
    sentence *s;
    size_t n = split(t, &s);
    assert_int_equal(n, 6);
    assert_sent(t, &s[0], "Gen. Smith met Mr. Jones in the U.S. on Jan. 5.");
    assert_sent(t, &s[1], "Then Donald J. Trump spoke.");
    assert_sent(t, &s[2], "\"It is over.\"");
    assert_sent(t, &s[3], "He left!");
    assert_sent(t, &s[4], "Headline without a period");
    assert_sent(t, &s[5], "Last one?");
    free(s);
}

static void sentences_with_curly_quotes(void **st)
{
    (void)st;
    const char *t = "\xe2\x80\x9cWe agree,\xe2\x80\x9d the statement said. Next sentence.";
    sentence *s;
    size_t n = split(t, &s);
    assert_int_equal(n, 2);
    assert_sent(t, &s[1], "Next sentence.");
    free(s);
}

static void headings_glued_to_a_sentence(void **st)
{
    (void)st;
    /* section headings of web pages whose markup is gone */
    const char *t = "It ended. BLA surges Since last August, BLA has claimed attacks. International reaction A U.S. "
                    "spokesperson spoke. Trump also attacked The Wall Street Journal. The case went before The Hague.";
    sentence *s;
    size_t n = split(t, &s);
    assert_int_equal(n, 7);
    assert_sent(t, &s[1], "BLA surges");
    assert_sent(t, &s[2], "Since last August, BLA has claimed attacks.");
    assert_sent(t, &s[3], "International reaction");
    assert_sent(t, &s[4], "A U.S. spokesperson spoke.");
    assert_sent(t, &s[5], "Trump also attacked The Wall Street Journal.");
    assert_sent(t, &s[6], "The case went before The Hague.");
    free(s);
}

static size_t toks(const char *text, token **t)
{
    size_t n = 0, cap = 0;
    *t = NULL;
    assert_true(text_tokens(text, 0, (uint32_t)strlen(text), t, &n, &cap));
    return n;
}

static void tokens_keep_offsets(void **st)
{
    (void)st;
    const char *t = "The U.S.-based group's 2,600 people didn't go; Tehran\xe2\x80\x99s \xe2\x80\x9criots\xe2\x80\x9d at 3.5% "
                    "in Dol_Amroth.";
    token *k;
    size_t n = toks(t, &k);
    /* '_' joins words in text made for PETRARCH: two words */
    const char *want[] = {"The", "U.S.", "-", "based", "group", "'s", "2,600", "people", "did", "n't", "go", ";",
                          "Tehran", "\xe2\x80\x99s", "\xe2\x80\x9c", "riots", "\xe2\x80\x9d", "at", "3.5", "%", "in",
                          "Dol", "Amroth", "."};
    assert_int_equal(n, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(k[i].end - k[i].start, strlen(want[i]));
        assert_memory_equal(t + k[i].start, want[i], strlen(want[i]));
    }
    assert_true(k[0].flags & T_CAP);
    assert_true(k[6].flags & T_NUM);
    assert_true(k[2].flags & T_HYPHEN);
    assert_true(k[14].flags & T_QUOTE);
    free(k);
}

static void utf8_check_finds_the_byte(void **st)
{
    (void)st;
    size_t bad = 0;
    assert_true(dyad_utf8_check("caf\xc3\xa9", 5, &bad));
    assert_false(dyad_utf8_check("ab\xc3", 3, &bad));
    assert_int_equal(bad, 2);
    assert_false(dyad_utf8_check("ab\xed\xa0\x80", 5, &bad)); /* a surrogate */
    assert_int_equal(bad, 2);
    assert_false(dyad_utf8_check("a\0b", 3, &bad));
    assert_int_equal(bad, 1);
}

static void dates_are_real_days(void **st)
{
    (void)st;
    assert_true(dyad_date_valid("2024-02-29"));
    assert_false(dyad_date_valid("2023-02-29"));
    assert_false(dyad_date_valid("2026-13-01"));
    assert_false(dyad_date_valid("20260116"));
    assert_false(dyad_date_valid("yesterday"));
    assert_int_equal(date_parse("2026-01-16", 10), 20260116);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sentences_respect_abbreviations),
        cmocka_unit_test(sentences_with_curly_quotes),
        cmocka_unit_test(headings_glued_to_a_sentence),
        cmocka_unit_test(tokens_keep_offsets),
        cmocka_unit_test(utf8_check_finds_the_byte),
        cmocka_unit_test(dates_are_real_days),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
