/*
 * test_coder.c - the coder's rules, each on sentences written for the test and the dictionary in
 * tests/data/mini.txt (made-up countries, so that only the rule under test can give the answer).
 */
#include "helpers.h"
#include "internal.h"

static dyad_dict *D;

static int setup(void **state)
{
    (void)state;
    D = mini_dict();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    dyad_dict_free(D);
    return 0;
}

#define CODES(text, date, want) assert_string_equal(code_str(D, text, date), want)

static void title_and_name_are_one_actor(void **s)
{
    (void)s;
    /* the person's dated code wins over country + title */
    CODES("Freedonian President Rufus Firefly held a phone call with Sylvanian Prime Minister Vera Trentino.",
          "2026-01-16", "FRDGOV>SYLGOV:041:factual");
}

static void country_and_agent_combine(void **s)
{
    (void)s;
    CODES("Freedonian officials accused Sylvania of lying.", "2026-01-16", "FRDGOV>SYL:112:factual");
    CODES("Sylvania's foreign minister praised Freedonia.", "2026-01-16", "SYLGOV>FRD:051:factual");
    CODES("Officials in Vulgaria praised Freedonia.", "2026-01-16", "VULGOV>FRD:051:factual");
}

static void agent_without_country_has_unknown_country(void **s)
{
    (void)s;
    CODES("Officials praised Freedonia.", "2026-01-16", "---GOV>FRD:051:factual");
}

static void codes_follow_the_story_date(void **s)
{
    (void)s;
    CODES("Rufus Firefly praised Sylvania.", "2015-05-01", "FRDBUS>SYL:051:factual");
    CODES("Rufus Firefly praised Sylvania.", "2019-05-01", "FRDGOV>SYL:051:factual");
    CODES("Rufus Firefly praised Sylvania.", "2022-05-01", "FRDELI>SYL:051:factual");
    CODES("Rufus Firefly praised Sylvania.", "2026-01-16", "FRDGOV>SYL:051:factual");
    /* before her first office Trentino has no code at all: no event */
    CODES("Vera Trentino praised Freedonia.", "2005-05-01", "");
}

static void lemmas_match_inflected_forms(void **s)
{
    (void)s;
    CODES("Freedonia accuses Sylvania.", "2026-01-16", "FRD>SYL:112:factual");
    CODES("Freedonia is accusing Sylvania.", "2026-01-16", "FRD>SYL:112:factual");
    CODES("Freedonia holds talks with Sylvania.", "2026-01-16", "FRD>SYL:040:factual");
    CODES("Freedonian protesters protested against Vulgaria.", "2026-01-16", "FRDOPP>VUL:141:factual");
    /* the plural of a noun in -ing reduces as its singular: "meetings" like "meeting" */
    CODES("Freedonia held meetings with Sylvania.", "2026-01-16", "FRD>SYL:040:factual");
}

static void nominal_event_takes_the_clause_subject(void **s)
{
    (void)s;
    /* a place in a prepositional phrase between them is not the subject */
    CODES("Rufus Firefly called for calm in Vulgaria in a phone call with Vera Trentino.", "2026-01-16",
          "FRDGOV>SYLGOV:041:factual");
}

static void paired_codes_give_the_mirror(void **s)
{
    (void)s;
    CODES("Freedonia visited Sylvania.", "2026-01-16", "FRD>SYL:042:factual; SYL>FRD:043:factual");
}

static void compound_actors_give_one_event_each(void **s)
{
    (void)s;
    CODES("Vulgarian officials accused the US and Sylvania of lying.", "2026-01-16",
          "VULGOV>USA:112:factual; VULGOV>SYL:112:factual");
    /* a second verb phrase has the subject of the first, not the first one's object */
    CODES("Freedonia praised Vulgaria on Monday and attacked Sylvania.", "2026-01-16",
          "FRD>VUL:051:factual; FRD>SYL:190:factual");
    /* former office holders */
    CODES("Former Freedonian officials praised the US.", "2026-01-16", "FRDELI>USA:051:factual");
    CODES("Freedonia former officials praised the US.", "2026-01-16", "FRDELI>USA:051:factual");
    /* one country for a compound of agents, before the first or after the last */
    CODES("Freedonian officials and protesters praised the US.", "2026-01-16",
          "FRDGOV>USA:051:factual; FRDOPP>USA:051:factual");
    CODES("Officials and protesters in Freedonia praised the US.", "2026-01-16",
          "FRDGOV>USA:051:factual; FRDOPP>USA:051:factual");
    /* an entry for several actors is a compound of them, also inside a list */
    CODES("The Twin Kingdoms praised Vulgaria.", "2026-01-16", "FRD>VUL:051:factual; SYL>VUL:051:factual");
    CODES("Vulgaria, the Twin Kingdoms and the US praised Bomburst.", "2026-01-16",
          "VUL>VULGOV:051:factual; FRD>VULGOV:051:factual; SYL>VULGOV:051:factual; USA>VULGOV:051:factual");
    /* one agent for the whole compound */
    CODES("Freedonian and Sylvanian protesters praised the US.", "2026-01-16",
          "FRDOPP>USA:051:factual; SYLOPP>USA:051:factual");
    CODES("Protesters in Freedonia and Sylvania praised the US.", "2026-01-16",
          "FRDOPP>USA:051:factual; SYLOPP>USA:051:factual");
    CODES("Freedonia, Sylvania and Vulgaria praised the US.", "2026-01-16",
          "FRD>USA:051:factual; SYL>USA:051:factual; VUL>USA:051:factual");
    /* ... but a one-sided act of a compound subject is each member's own */
    CODES("Freedonia and Sylvania denied the claim.", "2026-01-16", "FRD>-:016:factual; SYL>-:016:factual");
    /* a relative clause between the subject and its verb */
    CODES("Freedonia, which Sylvania praised, attacked Vulgaria.", "2026-01-16", "FRD>VUL:190:factual");
    /* a compound subject with no target: each towards the other */
    CODES("Firefly and Trentino discussed the situation.", "2026-01-16",
          "FRDGOV>SYLGOV:040:factual; SYLGOV>FRDGOV:040:factual");
}

static void passive_voice_swaps_roles(void **s)
{
    (void)s;
    CODES("Sylvania was attacked by Vulgaria.", "2026-01-16", "VUL>SYL:190:factual");
    /* no agent: no event */
    CODES("Many people in Sylvania were attacked.", "2026-01-16", "");
    /* a pattern that starts inside a country's weapon: the country's forces are its source */
    CODES("Sylvanian soldiers were wounded in a Freedonian drone strike against Sylvania.", "2026-01-16",
          "FRDMIL>SYL:195:factual");
    /* a reduced relative of violence: the actor before the participle is its target */
    CODES("Sylvanian soldiers attacked by Vulgaria were praised by Freedonia.", "2026-01-16",
          "VUL>SYLMIL:190:factual; FRD>SYLMIL:051:factual");
    CODES("Sylvanian soldiers attacked in the north were praised by Freedonia.", "2026-01-16",
          "FRD>SYLMIL:051:factual");
    /* ... but not of a meeting: "leaders met in Geneva" is active */
    CODES("Freedonian and Sylvanian leaders discussed in private.", "2026-01-16",
          "FRDGOV>SYLGOV:040:factual; SYLGOV>FRDGOV:040:factual");
    /* a participle phrase after a comma has the subject of the verb before it */
    CODES("Freedonia attacked Vulgaria on Monday, praising Sylvania.", "2026-01-16",
          "FRD>VUL:190:factual; FRD>SYL:051:factual");
    /* protesters in a capital that stands for its government are protesters of its country */
    CODES("Protesters in Capital City praised Sylvania.", "2026-01-16", "FRDOPP>SYL:051:factual");
    CODES("Officials in Capital City praised Sylvania.", "2026-01-16", "FRDGOV>SYL:051:factual");
    /* a capital after a preposition of place is the place, its country */
    CODES("Sylvanian protesters attacked soldiers in Capital City.", "2026-01-16", "SYLOPP>FRDMIL:190:factual");
    CODES("Sylvania attacked Capital City.", "2026-01-16", "SYL>FRDGOV:190:factual");
}

static void negation_and_modality(void **s)
{
    (void)s;
    CODES("Freedonia has not released Sylvanian soldiers.", "2026-01-16", "FRD>SYLMIL:0841:negated");
    CODES("There are fears of a possible Freedonian strike against Sylvania.", "2026-01-16",
          "FRD>SYL:190:hypothetical");
    /* a purpose infinitive is what is aimed at; "began to" did happen */
    CODES("Freedonia sent soldiers to attack Sylvania.", "2026-01-16", "---MIL>SYL:190:hypothetical");
    CODES("Freedonia began to attack Sylvania.", "2026-01-16", "FRD>SYL:190:factual");
    CODES("Freedonia sent soldiers to attack Sylvania and release Vulgarian soldiers.", "2026-01-16",
          "---MIL>SYL:190:hypothetical; ---MIL>VULMIL:0841:hypothetical");
    /* a reported clause whose subject is no actor does not take the reporter */
    CODES("Freedonia said gunmen attacked Sylvania.", "2026-01-16", "");
    /* a stated intent: the act is not factual, the statement of it is (CAMEO 03/13) */
    CODES("Freedonia threatened to attack Sylvania.", "2026-01-16", "FRD>SYL:190:hypothetical; FRD>SYL:138:factual");
    CODES("Freedonia plans to visit Sylvania.", "2026-01-16",
          "FRD>SYL:042:future; SYL>FRD:043:future; FRD>SYL:036:factual");
    CODES("Freedonia threatened a strike against Sylvania.", "2026-01-16",
          "FRD>SYL:190:hypothetical; FRD>SYL:138:factual");
    /* not the source's own statement, mixed with another modality, or negated: no intent */
    CODES("Sylvania said Freedonia plans to attack Sylvania.", "2026-01-16", "FRD>SYL:190:future");
    CODES("Freedonia may plan to attack Sylvania.", "2026-01-16", "FRD>SYL:190:hypothetical");
    CODES("Freedonia will not attack Sylvania.", "2026-01-16", "FRD>SYL:190:negated");
    CODES("Freedonia may attack Sylvania.", "2026-01-16", "FRD>SYL:190:hypothetical");
    /* a modal verb stands between a bare verb and its subject */
    CODES("Freedonia and Sylvania will discuss.", "2026-01-16",
          "FRD>SYL:040:future; SYL>FRD:040:future; FRD>SYL:036:factual; SYL>FRD:036:factual");
    /* the occasion of an event ("during a visit to") is not an event of its own */
    CODES("Freedonia praised Vulgaria during a brief visit to Sylvania.", "2026-01-16", "FRD>VUL:051:factual");
    CODES("Freedonia visited Sylvania.", "2026-01-16", "FRD>SYL:042:factual; SYL>FRD:043:factual");
    /* the month May is not the modal verb */
    CODES("In May Freedonia attacked Sylvania.", "2026-01-16", "FRD>SYL:190:factual");
}

static void reported_speech_is_attribution_not_source(void **s)
{
    (void)s;
    dyad_coder *c = dyad_coder_new(D);
    const char *text = "A Freedonia-based rights group said that Vulgaria attacked Sylvania.";
    dyad_story st = {"t", "2026-01-16", text, strlen(text), NULL, NULL, NULL};
    const dyad_event *ev;
    size_t n;
    assert_int_equal(dyad_code(c, &st, &ev, &n), DYAD_OK);
    assert_int_equal(n, 1);
    assert_string_equal(ev[0].source.code, "VUL");
    assert_string_equal(ev[0].target.code, "SYL");
    assert_string_equal(ev[0].attribution_code, "FRDNGO");
    assert_int_equal(ev[0].attribution.end - ev[0].attribution.start, strlen("A Freedonia-based rights group"));
    dyad_coder_free(c);
    CODES("Sylvania attacked Vulgaria, according to the Palace.", "2026-01-16", "SYL>VUL:190:factual");
}

static void references_resolve(void **s)
{
    (void)s;
    CODES("Firefly held a phone call with Trentino, during which the latter informed his Freedonian "
          "counterpart about the talks.",
          "2026-01-16", "FRDGOV>SYLGOV:041:factual; SYLGOV>FRDGOV:010:factual");
    CODES("Freedonia and Sylvania met on Monday. Both sides reaffirmed their mutual commitment to peace.",
          "2026-01-16", "FRD>SYL:030:factual; SYL>FRD:030:factual");
    CODES("Rufus Firefly arrived on Monday. He praised Sylvania.", "2026-01-16", "FRDGOV>SYL:051:factual");
    /* an apposition names the head, not the place in its prepositional phrase */
    CODES("The Freedonian leader in Sylvania, President Smith, praised Vulgaria.", "2026-01-16",
          "FRDGOV>VUL:051:factual");
    /* a word after a prefix and a hyphen is part of that word: "pro-Freedonian" protesters are not Freedonia's */
    CODES("Pro-Freedonian protesters attacked Sylvania.", "2026-01-16", "---OPP>SYL:190:factual");
    CODES("Freedonia-Sylvania talks ended as Freedonia attacked Vulgaria.", "2026-01-16", "FRD>VUL:190:factual");
    /* backing is not being: "Freedonian-backed protesters" are not Freedonia's */
    CODES("Freedonian-backed protesters attacked Sylvania.", "2026-01-16", "---OPP>SYL:190:factual");
    /* a part of a territory is the territory */
    CODES("Freedonia attacked a northern part of Sylvania.", "2026-01-16", "FRD>SYL:190:factual");
    /* a count between the verb and its target */
    CODES("Freedonia attacked at least 30 Sylvanian soldiers.", "2026-01-16", "FRD>SYLMIL:190:factual");
    CODES("Freedonian soldiers released dozens of protesters.", "2026-01-16", "FRDMIL>---OPP:0841:factual");
    /* a reporting verb that begins a pattern with its object ("declared war on") reports nothing */
    CODES("Freedonia declared war on Sylvania.", "2026-01-16", "FRD>SYL:190:factual");
    /* a possessive pronoun says whose event or role it is: the actor before it, or nobody we know */
    CODES("Vulgaria praised Trentino and his strike against Freedonia.", "2026-01-16",
          "VUL>SYLGOV:051:factual; SYLGOV>FRD:190:factual");
    CODES("Sylvania discussed his strike against Freedonia.", "2026-01-16", "SYL>-:040:factual");
    CODES("Freedonia said its soldiers attacked Sylvania.", "2026-01-16", "FRDMIL>SYL:190:factual");
    /* "their": a compound or a body, not the one country named last */
    CODES("Vulgaria praised Freedonia, and their soldiers attacked Sylvania.", "2026-01-16",
          "VUL>FRD:051:factual; ---MIL>SYL:190:factual");
    CODES("Vulgaria praised the Watch Group and their report.", "2026-01-16", "VUL>NGOHRI:051:factual");
    /* "leaders" is an agent, but "the two leaders" is the pair */
    CODES("Firefly visited Trentino. The two leaders praised Vulgaria.", "2026-01-16",
          "FRDGOV>SYLGOV:042:factual; SYLGOV>FRDGOV:043:factual; SYLGOV>VUL:051:factual; FRDGOV>VUL:051:factual");
}

static void protests_without_named_protesters(void **s)
{
    (void)s;
    CODES("Firefly vowed support for protesters in Sylvania, where anti-government protests continue.",
          "2026-01-16", "SYLOPP>SYLGOV:141:factual");
}

static void sentences_are_evidence(void **s)
{
    (void)s;
    dyad_coder *c = dyad_coder_new(D);
    const char *text = "Mr. Firefly arrived. Freedonia attacked Sylvania.\nSylvania praised the U.S. on Monday.";
    dyad_story st = {"t", "2026-01-16", text, strlen(text), NULL, NULL, NULL};
    const dyad_event *ev;
    size_t n;
    assert_int_equal(dyad_code(c, &st, &ev, &n), DYAD_OK);
    assert_int_equal(n, 2);
    assert_int_equal(ev[0].sentence, 1);
    assert_memory_equal(text + ev[0].evidence.start, "Freedonia attacked Sylvania.", 28);
    assert_int_equal(ev[0].evidence.end - ev[0].evidence.start, 28);
    assert_int_equal(ev[1].sentence, 2);
    assert_string_equal(ev[1].target.code, "USA");
    assert_memory_equal(text + ev[1].target.text.start, "the U.S.", 8);
    dyad_coder_free(c);
}

static void bad_input_is_refused_with_the_place(void **s)
{
    (void)s;
    dyad_coder *c = dyad_coder_new(D);
    const dyad_event *ev;
    size_t n;
    dyad_story st = {"bad", "2026-01-16", "Freedonia \xff attacked", 20, NULL, NULL, NULL};
    assert_int_equal(dyad_code(c, &st, &ev, &n), DYAD_ERR_INPUT);
    assert_non_null(strstr(dyad_coder_errmsg(c), "invalid UTF-8 at byte 10"));
    dyad_story nul = {"nul", "2026-01-16", "Freedonia\0attacked", 18, NULL, NULL, NULL};
    assert_int_equal(dyad_code(c, &nul, &ev, &n), DYAD_ERR_INPUT);
    assert_non_null(strstr(dyad_coder_errmsg(c), "NUL byte at byte 9"));
    dyad_story empty = {"empty", "2026-01-16", " \n ", 3, NULL, NULL, NULL};
    assert_int_equal(dyad_code(c, &empty, &ev, &n), DYAD_ERR_INPUT);
    dyad_story date = {"d", "2026-02-30", "Freedonia attacked Sylvania.", 28, NULL, NULL, NULL};
    assert_int_equal(dyad_code(c, &date, &ev, &n), DYAD_ERR_DATE);
    assert_non_null(strstr(dyad_coder_errmsg(c), "2026-02-30"));
    /* after refusals the coder still works */
    dyad_story ok = {"ok", "2026-01-16", "Freedonia attacked Sylvania.", 28, NULL, NULL, NULL};
    assert_int_equal(dyad_code(c, &ok, &ev, &n), DYAD_OK);
    assert_int_equal(n, 1);
    dyad_coder_free(c);
}

static void long_sentences_are_coded_in_pieces(void **s)
{
    (void)s;
    /* 2,000 words without a full stop, an event at the end */
    size_t cap = 20000;
    char *text = malloc(cap);
    size_t len = 0;
    for (int i = 0; i < 2000; i++)
        len += (size_t)snprintf(text + len, cap - len, "word ");
    len += (size_t)snprintf(text + len, cap - len, "Freedonia attacked Sylvania.");
    dyad_coder *c = dyad_coder_new(D);
    dyad_story st = {"long", "2026-01-16", text, len, NULL, NULL, NULL};
    const dyad_event *ev;
    size_t n;
    assert_int_equal(dyad_code(c, &st, &ev, &n), DYAD_OK);
    assert_int_equal(n, 1);
    dyad_code_stats cs;
    dyad_coder_get_stats(c, &cs);
    assert_true(cs.long_sentences_split >= 4);
    dyad_coder_free(c);
    free(text);
}

static void clause_rules(void **s)
{
    (void)s;
    /* a relative clause takes the actor before "who" as its subject */
    CODES("Firefly spoke with Trentino, who pledged more military aid to Vulgaria.", "2026-01-16",
          "SYLGOV>VUL:0332:factual");
    /* the reporter is the subject of a clause that has none */
    CODES("Firefly said in a phone call with Trentino that talks would go on.", "2026-01-16",
          "FRDGOV>SYLGOV:041:factual");
    /* a fronted phrase's subject follows it */
    CODES("In a phone call with Trentino, Firefly praised Vulgaria.", "2026-01-16",
          "FRDGOV>SYLGOV:041:factual; FRDGOV>VUL:051:factual");
    /* "X said it ...": it is the reporter */
    CODES("Sylvania said it criticized Freedonia.", "2026-01-16", "SYL>FRD:111:factual");
    /* a verb pattern after an article is a noun: no charge event */
    CODES("Sylvania praised Vulgaria, a charge Freedonia rejects.", "2026-01-16", "SYL>VUL:051:factual");
    /* the head of an organisation stands for it */
    CODES("The head of the Watch Group criticized Vulgaria.", "2026-01-16", "NGOHRI>VUL:111:factual");
    /* "and" between verb phrases closes a marker's scope: the urging itself is factual */
    CODES("Freedonia called for an immediate ceasefire and urged Sylvania to stop.", "2026-01-16",
          "FRD>-:0256:factual; FRD>SYL:025:factual");
}

static void scope_rules(void **s)
{
    (void)s;
    /* what one is accused of is alleged, not done */
    CODES("Freedonia accused Sylvania of attacking Vulgaria.", "2026-01-16",
          "FRD>SYL:112:factual; SYL>VUL:190:hypothetical");
    /* refused to: negated, and the refusal is a rejection of its own (120) */
    CODES("Sylvania refused to praise Freedonia.", "2026-01-16", "SYL>FRD:051:negated; SYL>FRD:120:factual");
    /* a bare noun inside a prepositional phrase is no new event */
    CODES("Talks went on amid the Freedonian protest.", "2026-01-16", "");
    /* an actor under "anti-" is a modifier */
    CODES("Firefly praised an anti-Sylvania rally.", "2026-01-16", "");
    /* an apposition with no country of its own is the actor before it */
    CODES("Vulgaria's head, the president, praised Sylvania.", "2026-01-16", "VULGOV>SYL:051:factual");
    /* a gap in a pattern never runs over a comma */
    CODES("Freedonia reaffirmed its deep commitment.", "2026-01-16", "FRD>-:030:factual");
    CODES("Freedonia reaffirmed its claim, and Sylvania its commitment.", "2026-01-16", "");
    /* "they" is a compound of this or the last sentence, not any older pair */
    CODES("Freedonia and Sylvania met. They praised Vulgaria.", "2026-01-16",
          "FRD>VUL:051:factual; SYL>VUL:051:factual");
    CODES("Freedonia visited Sylvania. Rain fell. Then it stopped. They praised Vulgaria.", "2026-01-16",
          "FRD>SYL:042:factual; SYL>FRD:043:factual");
    /* ... and a compound of its own sentence comes before the last sentence's pair */
    CODES("Vulgaria praised Freedonia. Firefly and Trentino said they attacked Vulgaria.", "2026-01-16",
          "VUL>FRD:051:factual; FRDGOV>VUL:190:factual; SYLGOV>VUL:190:factual");
    /* what is alleged is not established; what is said is */
    CODES("Freedonia alleged that Sylvania attacked Vulgaria.", "2026-01-16",
          "FRD>SYL:112:factual; SYL>VUL:190:hypothetical");
    CODES("Freedonia said that Sylvania attacked Vulgaria.", "2026-01-16", "SYL>VUL:190:factual");
    /* wanting someone to act is an appeal to them; the act is only wanted */
    CODES("Freedonia wants Sylvania to attack Vulgaria.", "2026-01-16",
          "FRD>SYL:020:factual; SYL>VUL:190:hypothetical");
    /* an accident is no agent of a passive */
    CODES("Sylvanian soldiers were attacked by a Freedonian drone.", "2026-01-16", "FRDMIL>SYLMIL:190:factual");
    CODES("Sylvanian soldiers were attacked by the Freedonian ferry accident.", "2026-01-16", "");
    /* force with no named target is aimed at the country of its place, not at a country's own soil */
    CODES("Freedonia held military exercises in Sylvania.", "2026-01-16", "FRD>SYL:150:factual");
    CODES("Freedonia held military exercises in Freedonia.", "2026-01-16", "FRD>-:150:factual");
    /* a country's envoy to an international body is the country's; a role after modifiers is the possessor's */
    CODES("Sylvania's UN ambassador criticized Freedonia.", "2026-11-25", "SYLGOV>FRD:111:factual");
    CODES("The Sylvanian ambassador to the UN criticized Freedonia.", "2026-11-25", "SYLGOV>FRD:111:factual");
    /* the actor of a prepositional phrase after a noun is not the subject: the noun's owner did it */
    CODES("Freedonia's attack on Sylvania injured Vulgarian soldiers.", "2026-11-25",
          "FRD>SYL:190:factual; FRD>VULMIL:190:factual");
    CODES("The attack on Sylvania injured Vulgarian soldiers.", "2026-11-25", "");
    /* "forces" right after a country are its armed forces; the word alone, or "force", is no role */
    CODES("Freedonian forces attacked Sylvania.", "2026-11-25", "FRDMIL>SYL:190:factual");
    CODES("Forces attacked Sylvania.", "2026-11-25", "");
    /* a verb with no object is never a reduced relative: two actors that clashed did it to each other */
    CODES("Freedonia and Sylvania clashed.", "2026-11-25", "FRD>SYL:190:factual; SYL>FRD:190:factual");
    /* force against a thing is an event with no target, when an armed actor or a state does it; a
     * politician attacking a ruling is talk */
    CODES("Freedonian rebels attacked a cargo ship.", "2026-11-25", "FRDREB>-:190:factual");
    CODES("Firefly attacked the ruling.", "2026-11-25", "");
    /* "rebels attacked" is a clause, not the noun "rebel attack" */
    CODES("Rebels attacked Sylvania.", "2026-11-25", "---REB>SYL:190:factual");
    /* a reporting word that a verb pattern takes as its object is a noun: "denied claims that" */
    CODES("Freedonia denied claims that it attacked Sylvania.", "2026-11-25", "FRD>-:016:factual");
    /* "not only" negates nothing */
    CODES("Freedonia is not only praising Sylvania.", "2026-11-25", "FRD>SYL:051:factual");
    /* "using" is a form of "use" (a stem of two letters the suffix rules leave alone: dicts/lemmas.txt) */
    CODES("Freedonia is using Sylvania as a shield.", "2026-11-25", "FRD>SYL:184:factual");
    /* a participle after a comma is done by the sentence's subject, never by an object */
    CODES("A storm hit Sylvania, injuring Vulgarian soldiers.", "2026-11-25", "");
    CODES("Freedonia attacked Sylvania, injuring Vulgarian soldiers.", "2026-11-25",
          "FRD>SYL:190:factual; FRD>VULMIL:190:factual");
    /* what something is aimed at is only aimed at */
    CODES("Freedonia began a tour aimed at praising Sylvania.", "2026-11-25", "FRD>SYL:051:hypothetical");
    /* the act a longer pattern of threat (appeal, intent...) names is coded too, with its own modality */
    CODES("Freedonia threatened to impose sanctions on Sylvania.", "2026-11-25",
          "FRD>SYL:1312:factual; FRD>SYL:163:hypothetical");
    /* "the government" of a country's own protesters is that country's */
    CODES("Freedonian protesters protested against the authorities.", "2026-11-25", "FRDOPP>FRDGOV:141:factual");
    /* the generic reject of a refusing verb gives way to the specific one of the refusal */
    CODES("Sylvania refused to talk with Freedonia.", "2026-11-25", "SYL>FRD:040:negated; SYL>FRD:125:factual");
    /* the verb's direct object before "for" is the target of a pattern with no slot */
    CODES("Freedonia praised Sylvania for its efforts.", "2026-11-25", "FRD>SYL:051:factual");
    /* the passive of a verb-and-object pattern has the object as its subject and the agent after "by" */
    CODES("New sanctions were imposed on Sylvania by Freedonia.", "2026-11-25", "FRD>SYL:163:factual");
    CODES("Sanctions were imposed on Sylvania.", "2026-11-25", "");
    /* "between $ and +" takes the two sides of "between A and B"; a mutual act goes both ways */
    CODES("Talks between Freedonia and Sylvania resumed.", "2026-11-25", "FRD>SYL:040:factual; SYL>FRD:040:factual");
    /* a refusal that names no target is towards the target of the act it refuses */
    CODES("Freedonia rejected a proposal to talk with Sylvania.", "2026-11-25",
          "FRD>SYL:125:factual; FRD>SYL:040:negated");
    /* a statement coded by a longer pattern is not coded again by the intent rule (no 138 beside the 1384) */
    CODES("Freedonia threatened to strike against Sylvania.", "2026-11-25",
          "FRD>SYL:1384:factual; FRD>SYL:190:hypothetical");
    /* two sides that exchanged something did it to each other */
    CODES("Freedonia and Sylvania exchanged prisoners.", "2026-11-25", "FRD>SYL:0841:factual; SYL>FRD:0841:factual");
    /* a warning of a hostile act it names is the threat of that act */
    CODES("Freedonia warned Sylvania that Freedonia would attack Vulgaria.", "2026-11-25",
          "FRD>SYL:138:factual; FRD>VUL:190:hypothetical");
    /* "the hostages" ending a slotless pattern is its target, though it names no country */
    CODES("Freedonia did not release the hostages.", "2026-11-25", "FRD>---CVL:0841:negated");
    /* the harm an act named by a noun did is that act, with its specific code ("Shelling by X killed...") */
    CODES("Shelling by Freedonian forces injured Vulgarian soldiers.", "2026-11-25", "FRDMIL>VULMIL:194:factual");
    /* a named place shelled is a thing shelled */
    CODES("Freedonian soldiers shelled Lakeside.", "2026-11-25", "FRDMIL>-:194:factual");
    /* two actors joined by a hyphen before an event noun are its two sides */
    CODES("The Freedonia-Sylvania peace talks resumed.", "2026-11-25", "FRD>SYL:046:factual; SYL>FRD:046:factual");
    /* coercion of people or things with no actor named has no target; "since" after an auxiliary is an adverb */
    CODES("Freedonia deported 40 others.", "2026-11-25", "FRD>-:174:factual");
    CODES("Freedonia has since attacked Sylvania.", "2026-11-25", "FRD>SYL:190:factual");
    /* a participle set off by commas with its agent after "by" is a passive, whatever the act */
    CODES("Freedonian soldiers, backed by Sylvania, attacked Vulgaria.", "2026-11-25",
          "SYL>FRDMIL:051:factual; FRDMIL>VUL:190:factual");
    /* a generic appeal takes the kind of the act it asks for (a meeting: 026) */
    CODES("Freedonia wants Sylvania to talk with Vulgaria.", "2026-11-25",
          "FRD>SYL:026:factual; SYL>VUL:040:hypothetical");
    /* what one can do is not done */
    CODES("Freedonia can attack Sylvania.", "2026-11-25", "FRD>SYL:190:hypothetical");
    /* a longer match takes the more specific code of an overlapping one in its family (086 -> 0862) */
    CODES("Freedonia allowed monitors into the site.", "2026-11-25", "FRD>-:0862:factual");
    /* a root's general code (190) takes the specific one of an overlapping match, or of the means in "in a..." */
    CODES("Freedonia launched an air attack on Sylvania.", "2026-11-25", "FRD>SYL:195:factual");
    CODES("Freedonia injured Vulgarian soldiers in an air attack on Sylvania.", "2026-11-25", "FRD>VULMIL:195:factual");
    /* aid with no named recipient goes to the country of its place ("into Gaza") */
    CODES("Freedonia airdropped food into Sylvania.", "2026-11-25", "FRD>SYL:073:factual");
    /* "A and other B" is a compound of both (the role after the last is every member's, as in "US and British
     * activists") */
    CODES("Freedonia and other Sylvanian officials praised Vulgaria.", "2026-11-25",
          "FRDGOV>VUL:051:factual; SYLGOV>VUL:051:factual");
    /* the second verb after "and" has the first one's subject, not its object */
    CODES("Freedonia praised Sylvania and attacked Vulgaria.", "2026-11-25", "FRD>SYL:051:factual; FRD>VUL:190:factual");
    CODES("Freedonian soldiers greeted Trentino and attacked Vulgaria.", "2026-11-25", "FRDMIL>VUL:190:factual");
    /* an event dated more than a year before the story is a recalled past, not an event of the story */
    CODES("Freedonia attacked Sylvania in June 2018.", "2021-06-01", "");
    CODES("Last year, Freedonia attacked Sylvania.", "2021-06-01", "FRD>SYL:190:factual");
    /* a statement that carries reported speech is its attribution, not an event of its own (010) */
    CODES("Freedonia made a statement saying Sylvania attacked Vulgaria.", "2026-11-25", "SYL>VUL:190:factual");
    CODES("Freedonia made a statement.", "2026-11-25", "FRD>-:010:factual");
    /* a date the event has only with no other verb between them; "In 2019, X did" is historical */
    CODES("In 2018, Freedonia attacked Sylvania.", "2021-06-01", "");
    /* a slot before the verb reaches over auxiliaries and "not" */
    CODES("Sylvania has faced pressure from Freedonia.", "2026-11-25", "FRD>SYL:100:factual");
    CODES("Sylvania has not faced pressure from Freedonia.", "2026-11-25", "FRD>SYL:100:negated");
    CODES("The UN envoy criticized Freedonia.", "2026-11-25", "IGOUNO>FRD:111:factual");
    CODES("Sylvania's new foreign minister criticized Freedonia.", "2026-11-25", "SYLGOV>FRD:111:factual");
    CODES("Two days after Sylvania criticized Freedonia, talks began.", "2026-11-25", "SYL>FRD:111:factual");
    /* a place after a preposition over a direction is no subject */
    CODES("Sylvanian troops in northern Vulgaria attacked Freedonia.", "2026-11-25", "SYLMIL>FRD:190:factual");
    /* a participle phrase set off by commas is skipped on the way to the subject */
    CODES("Sylvanian troops, supported by Vulgarian soldiers, are attacking Freedonia.", "2026-11-25",
          "SYLMIL>FRD:190:factual");
    /* what is prevented does not happen */
    CODES("Freedonia prevented Sylvania from attacking Vulgaria.", "2026-11-25", "SYL>VUL:190:negated");
    /* a second verb shares the first's modal verb */
    CODES("Freedonia may retreat and attack Sylvania.", "2026-11-25", "FRD>SYL:190:hypothetical");
    /* a country's name in lower case is a common word ("a pole", "china plates"); its adjective is not */
    CODES("Freedonia praised sylvania.", "2026-11-25", "");
    CODES("Freedonia praised sylvanian soldiers.", "2026-11-25", "FRD>SYLMIL:051:factual");
    /* a stated refusal negates the act and is a factual rejection (12); a denied past act is not */
    CODES("Freedonia will not attack Sylvania.", "2026-11-25", "FRD>SYL:190:negated");
    CODES("Freedonia said it would not hold talks with Sylvania.", "2026-11-25",
          "FRD>SYL:040:negated; FRD>SYL:125:factual");
    CODES("Freedonia did not hold talks with Sylvania.", "2026-11-25", "FRD>SYL:040:negated");
    CODES("Vulgaria said Freedonia would not hold talks with Sylvania.", "2026-11-25", "FRD>SYL:040:negated");
    /* an acronym in parentheses belongs to the actor before it and cuts no clause */
    CODES("The Freedonian Liberation Front (FLF) attacked Sylvania.", "2026-11-25", "FRDREB>SYL:190:factual");
    /* after a degree adverb the word is an adjective */
    CODES("Freedonian soldiers came very close to Sylvania.", "2026-11-25", "");
    CODES("Freedonian soldiers close Sylvania.", "2026-11-25", "FRDMIL>SYL:1711:factual");
    /* what one is punished for is alleged */
    CODES("Freedonia jailed Sylvanian protesters for attacking Vulgaria.", "2026-11-25",
          "SYLOPP>VUL:190:hypothetical");
    /* a gap runs over a comma between two adjectives, not over one before a clause */
    CODES("Freedonia restored complete, full diplomatic ties with Sylvania.", "2026-11-25", "FRD>SYL:064:factual");
    CODES("Freedonia restored its old trade, security, and diplomatic ties with Sylvania.", "2026-11-25",
          "FRD>SYL:064:factual");
    CODES("Freedonia restored order, and Sylvania ties with Vulgaria.", "2026-11-25", "");
    /* a reporting verb that begins a pattern through a gap reports nothing: "claim .. responsibility" */
    CODES("Freedonia claimed full responsibility for it.", "2026-11-25", "FRD>-:015:factual");
    /* the progressive passive */
    CODES("Sylvania is being attacked by Freedonia.", "2026-11-25", "FRD>SYL:190:factual");
    /* ", and" after a single actor opens a new clause; in a list of three it ends the list */
    CODES("Freedonia praised Sylvania, and Vulgaria attacked Freedonia.", "2026-11-25",
          "FRD>SYL:051:factual; VUL>FRD:190:factual");
    CODES("Freedonia, Sylvania, and Vulgaria attacked the United States.", "2026-11-25",
          "FRD>USA:190:factual; SYL>USA:190:factual; VUL>USA:190:factual");
    /* the possessive with a curly apostrophe */
    CODES("Sylvania\xe2\x80\x99s UN ambassador criticized Freedonia.", "2026-11-25", "SYLGOV>FRD:111:factual");
    /* a word in -s right after a comma after a common noun is a noun in apposition, not a verb */
    CODES("The rigging of the elections, charges Sylvania denied, angered Freedonia.", "2026-11-25", "");
    CODES("Sylvania's envoy, Groucho Marx, criticizes Freedonia.", "2026-11-25", "SYLGOV>FRD:111:factual");
    /* an event noun that is the subject of a modal verb is not done */
    CODES("Sylvania said a Freedonian nuclear test could end the talks.", "2026-11-25", "FRD>-:150:hypothetical");
    /* a participle after a comma is a phrase of its own, out of the modal's scope */
    CODES("Freedonia may praise Vulgaria, attacking Sylvania.", "2026-11-25",
          "FRD>VUL:051:hypothetical; FRD>SYL:190:factual");
    /* "X's allies" are not X; "X's rival Y" is Y */
    CODES("Freedonia attacked Sylvania's allies.", "2026-11-25", "");
    CODES("Freedonia attacked Sylvania's old rival Vulgaria.", "2026-11-25", "FRD>VUL:190:factual");
    CODES("Freedonia attacked Sylvania's capital.", "2026-11-25", "FRD>SYL:190:factual");
    /* an agent from a country takes the role word after the country into its phrase ("police" is no actor
     * of its own right before the verb) */
    CODES("Officials from the Sylvanian police praised Freedonia.", "2026-11-25", "SYLGOV>FRD:051:factual");
    /* "they" after the members of a compound met is still the compound */
    CODES("Freedonia and Sylvania discussed. They praised Vulgaria.", "2026-11-25",
          "FRD>SYL:040:factual; SYL>FRD:040:factual; SYL>VUL:051:factual; FRD>VUL:051:factual");
    /* "they" right after a reporting verb is the reporter, when the reporter is no pronoun */
    CODES("Freedonia and Sylvania discussed. Vulgarian officials said they praised Freedonia.", "2026-11-25",
          "FRD>SYL:040:factual; SYL>FRD:040:factual; VULGOV>FRD:051:factual");
    /* a phrase with neither country nor role is nobody */
    CODES("The country praised Vulgaria.", "2026-11-25", "");
    /* every role in every country: "protesters and officials in A and B" */
    CODES("Protesters and officials in Sylvania and Vulgaria praised Freedonia.", "2026-11-25",
          "SYLOPP>FRD:051:factual; VULOPP>FRD:051:factual; SYLGOV>FRD:051:factual; VULGOV>FRD:051:factual");
    /* up to two modifiers before the target actor, after a count too */
    CODES("Freedonia attacked archrival Sylvania.", "2026-11-25", "FRD>SYL:190:factual");
    CODES("Freedonia attacked seven additional Sylvanian soldiers.", "2026-11-25", "FRD>SYLMIL:190:factual");
    /* ... not three: the bridges are a thing attacked, with no target actor */
    CODES("Freedonia attacked the old northern bridges of Sylvania.", "2026-11-25", "FRD>-:190:factual");
    /* "amid growing concerns": an -ing word before an event noun in a prepositional phrase is an adjective */
    CODES("Freedonia praised Sylvania amid growing protests.", "2026-11-25", "FRD>SYL:051:factual");
    /* "we" and "I" are the speaker the attribution names */
    CODES("\"We attacked Sylvania,\" the Freedonian officials said.", "2026-11-25", "FRDGOV>SYL:190:factual");
    CODES("\"I praised Sylvania,\" Firefly said.", "2026-11-25", "FRDGOV>SYL:051:factual");
    CODES("We attacked Sylvania.", "2026-11-25", "");
    /* "..., told reporters": the addressee is no speaker */
    CODES("\"We attacked Sylvania,\" Groucho, a farmer, told Freedonian journalists.", "2026-11-25", "");
    CODES("\"We attacked Sylvania,\" an official told Freedonian journalists.", "2026-11-25", "---GOV>SYL:190:factual");
    /* an event noun after a gerund of comment is its object, not the subject's act */
    CODES("Freedonia issued a statement condemning strike against Sylvania.", "2026-11-25", "");
    CODES("Freedonia began launching strike against Sylvania.", "2026-11-25", "FRD>SYL:190:factual");
    /* "the Sylvanian side" is the country's government, and "its" can stand for it; "both sides" with no pair
     * is nobody */
    CODES("The Sylvanian side said its soldiers attacked Freedonia.", "2026-11-25", "SYLMIL>FRD:190:factual");
    CODES("Both sides praised Freedonia.", "2026-11-25", "");
    /* "to" before a verb is no preposition; what one claims to do is claimed, not aimed at */
    CODES("Sylvanian rebels claimed to be holding 200 hostages.", "2026-11-25", "SYLREB>-:181:factual");
    /* a force's own country is no target */
    CODES("Firefly sent troops to Freedonia's border.", "2026-11-25", "FRDGOV>-:154:factual");
    CODES("Firefly sent troops to Sylvania's border.", "2026-11-25", "FRDGOV>SYL:154:factual");
    /* an event noun a journey is made for is still to come */
    CODES("Firefly flew to Vulgaria for meetings with Sylvania.", "2026-11-25", "FRDGOV>SYL:040:future");
    /* an event noun after a preposition of cause is an event told elsewhere */
    CODES("Freedonia was angry about the attacks on Sylvania.", "2026-11-25", "");
    /* "the country's soldiers": the country named last, not a role with no country named in between */
    CODES("Sylvania's officials said the country's soldiers attacked Vulgaria.", "2026-11-25",
          "SYLMIL>VUL:190:factual");
    /* what the speaker after a quote alleges is alleged; what it says is said */
    CODES("\"Freedonia attacked Sylvania,\" Vulgaria alleged.", "2026-11-25", "FRD>SYL:190:hypothetical");
    CODES("\"Freedonia attacked Sylvania,\" Vulgaria said.", "2026-11-25", "FRD>SYL:190:factual");
    CODES("Freedonia accused Sylvania, alleging Sylvanian meddling.", "2026-11-25", "FRD>SYL:112:factual");
    /* "side" is a role only with the country before it */
    CODES("Freedonia backed rival sides in the Sylvanian war.", "2026-11-25", "");
    /* a purpose infinitive over an adverb */
    CODES("Freedonia signed a pact to jointly attack Sylvania.", "2026-11-25", "FRD>SYL:190:hypothetical");
    /* an event noun's agent after "by" is its source */
    CODES("Vulgaria is seeing a wave of attack on Sylvania by Freedonian soldiers.", "2026-11-25",
          "FRDMIL>SYL:190:factual");
    /* with no target slot, an actor that qualifies the thing in the pattern's gap is the target; not a role
     * with no country */
    CODES("Freedonia welcomed the Sylvanian proposal.", "2026-11-25", "FRD>SYL:051:factual");
    CODES("Freedonia welcomed Vulgaria's new proposal.", "2026-11-25", "FRD>VUL:051:factual");
    CODES("Freedonia welcomed the military proposal.", "2026-11-25", "FRD>-:051:factual");
    /* "Congress" is the US Congress in a story about the US and no other country with a congress */
    CODES("The United States praised Sylvania. Congress attacked Vulgaria.", "2026-11-25",
          "USA>SYL:051:factual; USALEG>VUL:190:factual");
    CODES("Congress attacked Vulgaria.", "2026-11-25", "");
    /* a past verb right after an actor, with a preposition that names its target, is active, not a reduced
     * relative ("Russia fought against Ukraine"); with another preposition it may be one */
    CODES("Freedonia fought against Sylvania.", "2026-11-25", "FRD>SYL:190:factual");
    /* a reporting word after a possessive is a noun ("Sylvania's claims"), no reporting verb */
    CODES("Freedonia denied Sylvania's claims.", "2026-11-25", "FRD>SYL:016:factual");
    /* a question asserts nothing */
    CODES("Will Freedonia attack Sylvania?", "2026-11-25", "FRD>SYL:190:hypothetical");
    CODES("\"Did Freedonia attack Sylvania?\" Firefly asked.", "2026-11-25", "FRD>SYL:190:hypothetical");
    /* a gerund after a conjunction of time has the subject of the clause it hangs on */
    CODES("Firefly visited Sylvania after praising Vulgaria.", "2026-11-25",
          "FRDGOV>SYL:042:factual; SYL>FRDGOV:043:factual; FRDGOV>VUL:051:factual");
    /* a second gerund shares the first's scope */
    CODES("Sylvania was accused of praising and attacking Vulgaria.", "2026-11-25",
          "SYL>VUL:190:hypothetical");
    /* an apposition over an article and modifiers names its head */
    CODES("Rufus Firefly, a former soldier, attacked Sylvania.", "2026-11-25", "FRDGOV>SYL:190:factual");
    /* what is future is not done */
    CODES("Freedonia prepared for future talks with Sylvania.", "2026-11-25", "FRD>SYL:040:future");
    /* a country's mission to an international body is the country's */
    CODES("Sylvania's UN mission criticized Freedonia.", "2026-11-25", "SYL>FRD:111:factual");
    /* "he" after someone the dictionaries do not know is not the last person they know */
    CODES("Firefly spoke. Groucho says he praised Sylvania.", "2026-11-25", "");
    CODES("Firefly spoke. Groucho, who led the party until he praised Sylvania, left.", "2026-11-25", "");
    CODES("Firefly spoke. Firefly says he praised Sylvania.", "2026-11-25", "FRDGOV>SYL:051:factual");
    CODES("Firefly spoke. He praised Sylvania.", "2026-11-25", "FRDGOV>SYL:051:factual");
    /* a participle before a noun describes it: no event */
    CODES("Freedonian soldiers are transporting injured Sylvanian soldiers.", "2026-11-25", "");
    CODES("Freedonian soldiers injured Sylvanian soldiers.", "2026-11-25", "FRDMIL>SYLMIL:190:factual");
    CODES("Freedonia freed the detained Sylvanian protesters.", "2026-11-25", "");
    /* the head of a quantity is a subject, not a prepositional object */
    CODES("Thousands of Sylvanian protesters held a protest against Freedonia.", "2026-11-25",
          "SYLOPP>FRD:141:factual");
    /* a rally with no one named may be a market's; named protesters rally */
    CODES("Stocks rallied in Freedonia.", "2026-11-25", "");
    CODES("Sylvanian protesters rallied in Freedonia.", "2026-11-25", "SYLOPP>FRD:141:factual");
    /* a noun after "and" inside a prepositional phrase names no new event */
    CODES("Sylvanian soldiers were killed in attacks and car bombs.", "2026-11-25", "");
    /* what an effort aims at is not done */
    CODES("Freedonia praised Sylvania in an effort to make Vulgaria give up its weapons.", "2026-11-25",
          "FRD>SYL:051:factual; VUL>-:0873:hypothetical");
    /* an interview is no consultation */
    CODES("Firefly held talks with Sylvanian journalists.", "2026-11-25", "");
    CODES("Firefly held talks with Sylvanian officials.", "2026-11-25", "FRDGOV>SYLGOV:040:factual");
    /* an agent from a country over its modifiers */
    CODES("Freedonia praised protesters from war-torn Sylvania.", "2026-01-16", "FRD>SYLOPP:051:factual");
}

static void casualties_on_violent_events(void **s)
{
    (void)s;
    dyad_coder *c = dyad_coder_new(D);
    const char *text = "Freedonian soldiers attacked Sylvania on Monday, killing at least 12 civilians. "
                       "A rights group said more than 300 people have been arrested.";
    dyad_story st = {"t", "2026-01-16", text, strlen(text), NULL, NULL, NULL};
    const dyad_event *ev;
    size_t n;
    assert_int_equal(dyad_code(c, &st, &ev, &n), DYAD_OK);
    assert_int_equal(n, 1);
    assert_string_equal(ev[0].cameo, "190");
    assert_int_equal(ev[0].ncasualties, 1);
    assert_int_equal(ev[0].casualties[0].kind, DYAD_KILLED);
    assert_int_equal(ev[0].casualties[0].count, 12);
    assert_string_equal(ev[0].casualties[0].qualifier, "at least");
    assert_memory_equal(text + ev[0].casualties[0].who.start, "civilians", 9);
    /* the story keeps both counts; the second has no event but has its reporter */
    const dyad_casualty *k;
    size_t nk;
    dyad_coder_casualties(c, &k, &nk);
    assert_int_equal(nk, 2);
    assert_int_equal(k[1].kind, DYAD_ARRESTED);
    assert_int_equal(k[1].count, 300);
    assert_int_equal(k[1].sentence, 1);
    assert_memory_equal(text + k[1].reported_by.start, "A rights group", 14);
    assert_string_equal(k[1].reported_by_code, "---NGO");
    dyad_coder_free(c);
}

static void places_where_it_happened(void **s)
{
    (void)s;
    dyad_coder *c = dyad_coder_new(D);
    const char *text = "Freedonia attacked Vulgaria in Sylvania in August. Rufus Firefly, in a speech in "
                       "Vulgaria, praised Sylvania. Freedonia attacked Vulgaria near Kharkiv.";
    dyad_story st = {"t", "2026-01-16", text, strlen(text), NULL, NULL, NULL};
    const dyad_event *ev;
    size_t n;
    assert_int_equal(dyad_code(c, &st, &ev, &n), DYAD_OK);
    assert_int_equal(n, 3);
    /* a country named after the event is where it happened; "in August" is a time, not a town */
    assert_int_equal(ev[0].place.level, DYAD_PLACE_COUNTRY);
    assert_string_equal(ev[0].place.country, "SYL");
    /* a place before the event in the middle of its clause is not its place */
    assert_int_equal(ev[1].place.level, DYAD_PLACE_NONE);
    if (!place_available()) {
        dyad_coder_free(c);
        skip(); /* built without the gazetteer */
    }
    assert_int_equal(ev[2].place.level, DYAD_PLACE_CITY);
    assert_string_equal(ev[2].place.country, "UKR");
    assert_true(ev[2].place.lat > 49 && ev[2].place.lat < 51 && ev[2].place.lon > 35 && ev[2].place.lon < 37);
    assert_memory_equal(text + ev[2].place.text.start, "near Kharkiv", 12);
    dyad_coder_free(c);
}

static void attribution_of_coordinated_reporter(void **s)
{
    (void)s;
    dyad_coder *c = dyad_coder_new(D);
    const char *text = "Vulgaria denied the claims and said Freedonia attacked Sylvania.";
    dyad_story st = {"t", "2026-01-16", text, strlen(text), NULL, NULL, NULL};
    const dyad_event *ev;
    size_t n;
    assert_int_equal(dyad_code(c, &st, &ev, &n), DYAD_OK);
    assert_int_equal(n, 2);
    assert_string_equal(ev[1].source.code, "FRD");
    assert_string_equal(ev[1].attribution_code, "VUL");
    assert_int_equal(ev[1].attribution.end - ev[1].attribution.start, strlen("Vulgaria"));
    dyad_coder_free(c);
}

/* A reporting verb that starts a verb pattern with its object ("claimed responsibility for") reports nothing, also
 * with a dictionary so small that no pattern has a second word to index ("claim .. responsibility for" has a gap) */
static void reporting_verb_with_object_in_a_small_dictionary(void **s)
{
    (void)s;
    const char *txt = "# dyad-dict 1\ncountry Freedonia = FRD\nverb 015 : claim .. responsibility for\n";
    dyad_dict *d = dict_from_text("small.txt", txt);
    assert_string_equal(code_str(d, "Freedonia claimed responsibility for the raid.", "2026-11-25"), "FRD>-:015:factual");
    dyad_dict_free(d);
}

/* "government soldiers", "government forces" are the state's armed forces, not its government */
static void government_forces_are_military(void **s)
{
    (void)s;
    const char *txt = "# dyad-dict 1\ncountry Freedonia ; Freedonian = FRD\ncountry Sylvania = SYL\n"
                      "agent government = ~GOV\nagent soldier = ~MIL\nagent \"forces\" = ~MIL\nverb 190 : attack +\n";
    dyad_dict *d = dict_from_text("gov.txt", txt);
    assert_string_equal(code_str(d, "Freedonian government soldiers attacked Sylvania.", "2026-11-25"),
                        "FRDMIL>SYL:190:factual");
    assert_string_equal(code_str(d, "Freedonian government forces attacked Sylvania.", "2026-11-25"),
                        "FRDMIL>SYL:190:factual");
    assert_string_equal(code_str(d, "The Freedonian government attacked Sylvania.", "2026-11-25"),
                        "FRDGOV>SYL:190:factual");
    dyad_dict_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(title_and_name_are_one_actor),
        cmocka_unit_test(country_and_agent_combine),
        cmocka_unit_test(agent_without_country_has_unknown_country),
        cmocka_unit_test(codes_follow_the_story_date),
        cmocka_unit_test(lemmas_match_inflected_forms),
        cmocka_unit_test(nominal_event_takes_the_clause_subject),
        cmocka_unit_test(paired_codes_give_the_mirror),
        cmocka_unit_test(compound_actors_give_one_event_each),
        cmocka_unit_test(passive_voice_swaps_roles),
        cmocka_unit_test(negation_and_modality),
        cmocka_unit_test(reported_speech_is_attribution_not_source),
        cmocka_unit_test(references_resolve),
        cmocka_unit_test(protests_without_named_protesters),
        cmocka_unit_test(sentences_are_evidence),
        cmocka_unit_test(bad_input_is_refused_with_the_place),
        cmocka_unit_test(long_sentences_are_coded_in_pieces),
        cmocka_unit_test(clause_rules),
        cmocka_unit_test(attribution_of_coordinated_reporter),
        cmocka_unit_test(scope_rules),
        cmocka_unit_test(casualties_on_violent_events),
        cmocka_unit_test(places_where_it_happened),
        cmocka_unit_test(reporting_verb_with_object_in_a_small_dictionary),
        cmocka_unit_test(government_forces_are_military),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
