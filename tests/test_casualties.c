/*
 * test_casualties.c - casualty counts of a sentence (casualties.c): the forms it reads, the numbers it
 * understands, who the count names, and the numbers that are not casualty counts.
 */
#include "helpers.h"
#include "internal.h"

static const char *const kind_names[] = {"?", "killed", "wounded", "arrested", "displaced", "missing", "abducted"};

static dyad_dict *D;

/* Each casualty as "kind:count[:qualifier]|expression|who", joined by "; " (static buffer). Tokens as the
 * coder gives them: with the word classes of the dictionary's words (number words are flagged). */
static const char *find_cap(const char *text, size_t cap)
{
    static char out[1024];
    token *t = NULL;
    size_t n = 0, tcap = 0;
    char scratch[1024];
    if (!D)
        D = mini_dict();
    assert_true(text_tokens(text, 0, (uint32_t)strlen(text), &t, &n, &tcap));
    for (size_t i = 0; i < n; i++) {
        t[i].id = dict_key(D, text + t[i].start, t[i].end - t[i].start, scratch);
        t[i].wflags = t[i].id ? D->wflags[t[i].id] : 0;
    }
    casualty c[8];
    assert_true(cap <= 8);
    size_t k = casualties_find(text, t, n, c, cap);
    assert_true(k <= cap);
    size_t len = 0;
    out[0] = 0;
    for (size_t i = 0; i < k; i++) {
        assert_true(c[i].first <= c[i].last && c[i].last < n);
        assert_true(c[i].kind >= CAS_KILLED && c[i].kind <= CAS_ABDUCTED);
        len += (size_t)snprintf(out + len, sizeof out - len, "%s%s:%lld%s%s|%.*s|", i ? "; " : "",
                                kind_names[c[i].kind], (long long)c[i].count, c[i].qualifier[0] ? ":" : "",
                                c[i].qualifier, (int)(t[c[i].last].end - t[c[i].first].start),
                                text + t[c[i].first].start);
        if (c[i].who_first <= c[i].who_last) {
            assert_true(c[i].who_last < n);
            len += (size_t)snprintf(out + len, sizeof out - len, "%.*s",
                                    (int)(t[c[i].who_last].end - t[c[i].who_first].start),
                                    text + t[c[i].who_first].start);
        }
    }
    free(t);
    return out;
}

static const char *find(const char *text) { return find_cap(text, 8); }

static void count_then_passive_verb(void **s)
{
    (void)s;
    assert_string_equal(find("A rights group estimates that more than 2,600 people have been killed, including "
                             "protesters and security personnel."),
                        "killed:2600:more than|more than 2,600 people have been killed|"
                        "protesters and security personnel");
    assert_string_equal(find("Three soldiers were wounded on the bridge."),
                        "wounded:3|Three soldiers were wounded|soldiers");
    assert_string_equal(find("Twenty-five students have been arrested in the capital."),
                        "arrested:25|Twenty-five students have been arrested|students");
    assert_string_equal(find("Two reporters were kidnapped near the border crossing."),
                        "abducted:2|Two reporters were kidnapped|reporters");
    assert_string_equal(find("Officials said 12 fighters are believed to have been killed."),
                        "killed:12|12 fighters are believed to have been killed|fighters");
    assert_string_equal(find("Four people died when the roof fell."), "killed:4|Four people died|");
    assert_string_equal(find("Seven villagers were shot dead at dawn."),
                        "killed:7|Seven villagers were shot dead|villagers");
    assert_string_equal(find("Officials confirmed that 23 migrants had drowned."),
                        "killed:23|23 migrants had drowned|migrants");
    /* the people, then who they were, then the verb */
    assert_string_equal(find("At least 15 people, including four children, were killed in the strike."),
                        "killed:15:at least|At least 15 people, including four children, were killed|children");
    assert_string_equal(find("Five people, mostly students, were detained."),
                        "arrested:5|Five people, mostly students, were detained|students");
    assert_string_equal(find("Nine residents remain missing."), "missing:9|Nine residents remain missing|residents");
    assert_string_equal(find("Eleven were hurt."), "wounded:11|Eleven were hurt|");
}

static void count_then_participle_or_noun(void **s)
{
    (void)s;
    assert_string_equal(find("The clashes left 14 dead and 30 injured."),
                        "killed:14|left 14 dead|; wounded:30|30 injured|");
    assert_string_equal(find("The war has caused 300 deaths in the province."), "killed:300|300 deaths|");
    assert_string_equal(find("The agency counts 1.2 million people displaced by the fighting."),
                        "displaced:1200000|1.2 million people displaced|");
    assert_string_equal(find("Medics reported 9 killed, 22 wounded and 4 missing."),
                        "killed:9|9 killed|; wounded:22|22 wounded|; missing:4|4 missing|");
    /* CAP limits what is written */
    assert_string_equal(find_cap("Medics reported 9 killed, 22 wounded and 4 missing.", 2),
                        "killed:9|9 killed|; wounded:22|22 wounded|");
    assert_string_equal(find_cap("Medics reported 9 killed.", 0), "");
}

static void verb_then_count(void **s)
{
    (void)s;
    assert_string_equal(find("The airstrike killed at least 12 civilians and wounded 30 others."),
                        "killed:12:at least|killed at least 12 civilians|civilians; wounded:30|wounded 30 others|");
    assert_string_equal(find("Gunmen opened fire on the market, killing 5 people, mostly women and children."),
                        "killed:5|killing 5 people|women and children");
    assert_string_equal(find("Riot police arrested more than 200 demonstrators on Friday."),
                        "arrested:200:more than|arrested more than 200 demonstrators|demonstrators");
    assert_string_equal(find("The group condemned the arrest of 30 activists."),
                        "arrested:30|arrest of 30 activists|activists");
    assert_string_equal(find("The militia abducted two aid workers."),
                        "abducted:2|abducted two aid workers|aid workers");
    assert_string_equal(find("A car bomb exploded, wounding 17."), "wounded:17|wounding 17|");
    assert_string_equal(find("Security forces killed 3 protesters and arrested dozens more on Tuesday."),
                        "killed:3|killed 3 protesters|protesters; arrested:24|arrested dozens more|");
    assert_string_equal(find("The regime executed 2 men at dawn."), "killed:2|executed 2 men|men");
    assert_string_equal(find("The strike on the convoy killed 3, the army said, and 12 were injured."),
                        "killed:3|killed 3|; wounded:12|12 were injured|");
}

static void death_toll(void **s)
{
    (void)s;
    assert_string_equal(find("The death toll rose to 52."), "killed:52|The death toll rose to 52|");
    assert_string_equal(find("The death toll from Sunday's bombing climbed to at least 80, most of them pilgrims."),
                        "killed:80:at least|The death toll from Sunday's bombing climbed to at least 80|pilgrims");
    assert_string_equal(find("By evening the toll stood at nearly 1,000."),
                        "killed:1000:nearly|the toll stood at nearly 1,000|");
    /* the toll's new figure, not its old one */
    assert_string_equal(find("The death toll rose from 40 to 52 overnight."),
                        "killed:52|The death toll rose from 40 to 52|");
}

static void qualifiers(void **s)
{
    (void)s;
    assert_string_equal(find("Up to 300 people are missing."), "missing:300:up to|Up to 300 people are missing|");
    assert_string_equal(find("Roughly 40 were hurt."), "wounded:40:roughly|Roughly 40 were hurt|");
    assert_string_equal(find("Some 5,000 residents have fled."),
                        "displaced:5000:some|Some 5,000 residents have fled|residents");
    assert_string_equal(find("Almost 90 were detained."), "arrested:90:almost|Almost 90 were detained|");
    assert_string_equal(find("Over 1,000 people have been displaced."),
                        "displaced:1000:over|Over 1,000 people have been displaced|");
    assert_string_equal(find("About 60 soldiers were killed."),
                        "killed:60:about|About 60 soldiers were killed|soldiers");
    assert_string_equal(find("Nearly 70 people were injured."), "wounded:70:nearly|Nearly 70 people were injured|");
    /* case does not matter, the qualifier is given in lower case */
    assert_string_equal(find("MORE THAN 50 PEOPLE WERE KILLED"),
                        "killed:50:more than|MORE THAN 50 PEOPLE WERE KILLED|");
}

static void number_words(void **s)
{
    (void)s;
    assert_string_equal(find("A dozen guards were injured."), "wounded:12|A dozen guards were injured|guards");
    assert_string_equal(find("Two hundred and fifty prisoners were detained."),
                        "arrested:250|Two hundred and fifty prisoners were detained|prisoners");
    assert_string_equal(find("Dozens of students were detained."),
                        "arrested:24|Dozens of students were detained|students");
    assert_string_equal(find("Scores were wounded."), "wounded:40|Scores were wounded|");
    assert_string_equal(find("Hundreds have been arrested."), "arrested:200|Hundreds have been arrested|");
    assert_string_equal(find("Thousands were displaced."), "displaced:2000|Thousands were displaced|");
    assert_string_equal(find("Tens of thousands of people have fled."),
                        "displaced:20000|Tens of thousands of people have fled|");
    assert_string_equal(find("Hundreds of thousands of people were displaced."),
                        "displaced:200000|Hundreds of thousands of people were displaced|");
    assert_string_equal(find("Ninety-nine were killed."), "killed:99|Ninety-nine were killed|");
    assert_string_equal(find("Forty two people were hurt."), "wounded:42|Forty two people were hurt|");
    assert_string_equal(find("Three thousand people were arrested."),
                        "arrested:3000|Three thousand people were arrested|");
    assert_string_equal(find("The floods displaced 2 million people."),
                        "displaced:2000000|displaced 2 million people|");
}

static void ranges_count_their_lower_bound(void **s)
{
    (void)s;
    assert_string_equal(find("The bombing killed 10-12 people."), "killed:10|killed 10-12 people|");
    assert_string_equal(find("Two or three soldiers were wounded."),
                        "wounded:2|Two or three soldiers were wounded|soldiers");
    assert_string_equal(find("Between 10 and 20 people were hurt."), "wounded:10|Between 10 and 20 people were hurt|");
    assert_string_equal(find("Some 30 to 40 fishermen are missing."),
                        "missing:30:some|Some 30 to 40 fishermen are missing|fishermen");
}

static void who_is_named(void **s)
{
    (void)s;
    assert_string_equal(find("Eight Israeli soldiers were killed."),
                        "killed:8|Eight Israeli soldiers were killed|Israeli soldiers");
    assert_string_equal(find("Six Palestinians were wounded."), "wounded:6|Six Palestinians were wounded|Palestinians");
    assert_string_equal(find("Ten soldiers and police were injured."),
                        "wounded:10|Ten soldiers and police were injured|soldiers and police");
    assert_string_equal(find("Twenty people were abducted, all of them women."),
                        "abducted:20|Twenty people were abducted|women");
    assert_string_equal(find("Forty people were killed, including at least 12 children."),
                        "killed:40|Forty people were killed|children");
    assert_string_equal(find("Three of the protesters were detained."),
                        "arrested:3|Three of the protesters were detained|protesters");
}

static void not_casualty_counts(void **s)
{
    (void)s;
    /* no number */
    assert_string_equal(find("Protesters were killed in the capital."), "");
    /* ages */
    assert_string_equal(find("A 25-year-old man was arrested."), "");
    assert_string_equal(find("A man aged 40 was detained."), "");
    /* years and dates */
    assert_string_equal(find("Since 2011, the war has killed civilians."), "");
    assert_string_equal(find("The attack on 7 October killed no one."), "");
    assert_string_equal(find("On March 3 police arrested the mayor."), "");
    assert_string_equal(find("The 2011 uprising killed thousands."), "killed:2000|killed thousands|");
    /* things, not people */
    assert_string_equal(find("The navy seized two ships and three tankers were reported missing."), "");
    assert_string_equal(find("The strike killed 40 cattle."), "");
    assert_string_equal(find("Nine boats remain missing."), "");
    /* scores and votes */
    assert_string_equal(find("The motion passed 52 to 48."), "");
    assert_string_equal(find("The match ended 3-1 and 2 fans were arrested."), "arrested:2|2 fans were arrested|fans");
    assert_string_equal(find("Between 2010 and 2015 the army killed rebels."), "");
    /* money and percentages */
    assert_string_equal(find("Some $300 million were missing from the accounts."), "");
    assert_string_equal(find("About 40% were injured."), "");
    assert_string_equal(find("The blight killed 30 percent of the crop."), "");
    /* times and durations */
    assert_string_equal(find("He was arrested 3 times."), "");
    assert_string_equal(find("He was detained for 5 years."), "");
    assert_string_equal(find("Two people were killed 10 kilometres away."), "killed:2|Two people were killed|");
    assert_string_equal(find(""), "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(count_then_passive_verb),
        cmocka_unit_test(count_then_participle_or_noun),
        cmocka_unit_test(verb_then_count),
        cmocka_unit_test(death_toll),
        cmocka_unit_test(qualifiers),
        cmocka_unit_test(number_words),
        cmocka_unit_test(ranges_count_their_lower_bound),
        cmocka_unit_test(who_is_named),
        cmocka_unit_test(not_casualty_counts),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    dyad_dict_free(D);
    return rc;
}
