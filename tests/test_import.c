/*
 * test_import.c - reading the field's dictionary formats (PETRARCH2 / TABARI verbs, actors, agents,
 * discards, issues): format detection from content, translation into dyad entries, and that what cannot
 * be translated is reported with file and line. The snippets are small made-up dictionaries.
 */
#include "helpers.h"
#include "internal.h"

static const char verbs_txt[] =
    "<!-- a made-up verb file -->\n"
    "&COIN\n"
    "+FLORIN\n"
    "+DUCAT\n"
    "+SILVER_MARK      # a two-word member\n"
    "\n"
    "--- PRAISE  [051]  ---\n"
    "PRAISE\n"
    "LAUD  # a second verb of the block\n"
    "- * COURAGE  [041]\n"
    "\n"
    "--- GIVE  [070] ---\n"
    "GIVE {GAVE, GIVEN, GIVING}  # forms may be separated by commas too\n"
    "- * &COIN  [071]\n"
    "\n"
    "--- JOURNEY  [---] ---\n"
    "+SET_OUT {+SETS_OUT +SETTING_OUT}  [042:043]\n"
    "- * (FOR) [042:043]\n"
    "- * NONSENSE [12X]\n"
    "- * SHADOW [---]\n"
    "\n"
    "--- MEET  [036] ---\n"
    "MEET\n"
    "\n"
    "--- MET  [040] ---\n"
    "MET  # a block of its own for the past tense: PETRARCH matches the written form\n";

static const char actors_txt[] =
    "# a made-up actor file\n"
    "FREEDONIA_ [FRD]\n"
    "+FREEDONIAN\n"
    "\n"
    "SYLVANIA [SYL]\n"
    "+SYLVANIAN\n"
    "\n"
    "RUFUS_FIREFLY\n"
    "+FIREFLY\n"
    "\t[FRDELI <20190101]\n"
    "\t[FRDGOV 20190101-20211231]\n"
    "\t[FRDELI]\n"
    "\n"
    "DUKE_OF_NOWHERE\n"
    "\t[--- <950101]\n"
    "\t[NWHGOV]\n"
    "\n"
    "BAD_DATES [XYZ 20201301-20211231] [XYZGOV]\n"
    "\n"
    "TWIN_KINGDOMS [FRD/SYL]  # an entry for two actors\n";

static const char agents_txt[] =
    "!HAND! = HAND, HANDS\n"
    "OFFICIAL [~GOV]\n"
    "FARM!HAND! [~AGR]\n"
    "SHEPHERD {SHEPHERDESS} [~AGR]\n"
    "WATCHERS_ABROAD [IGO~]\n";

static const char discards_txt[] =
    "# story-level with '+', sentence-level without\n"
    "+CHESS TOURNAMENT\n"
    "GARDEN SHOW\n";

static const char issues_txt[] =
    "<ISSUE CATEGORY=\"WATER\" TYPE=\"ALL\">\n"
    "n:well [WATER_SUPPLY]\n"
    "fresh+water [WATER_SUPPLY]\n"
    "~wishing well\n"
    "</ISSUE>\n";

static void formats_are_detected_from_content(void **st)
{
    (void)st;
    assert_int_equal(import_detect("a.txt", verbs_txt, strlen(verbs_txt)), FMT_PETR_VERBS);
    assert_int_equal(import_detect("b.txt", actors_txt, strlen(actors_txt)), FMT_PETR_ACTORS);
    assert_int_equal(import_detect("c.txt", agents_txt, strlen(agents_txt)), FMT_PETR_AGENTS);
    assert_int_equal(import_detect("d.txt", discards_txt, strlen(discards_txt)), FMT_PETR_DISCARDS);
    assert_int_equal(import_detect("e.txt", issues_txt, strlen(issues_txt)), FMT_PETR_ISSUES);
    const char *native = "# dyad-dict 1\ncountry Mu = MUU\n";
    assert_int_equal(import_detect("verbs.txt", native, strlen(native)), FMT_DYAD);
    /* a TABARI verbs file has no block headers: a verb, then its patterns */
    const char *tabari = "APPLAUD [051]\n- * BRAVERY [041]\nSCOLD [122]\n- * HARSHLY [121]\n";
    assert_int_equal(import_detect("x.verbs", tabari, strlen(tabari)), FMT_PETR_VERBS);
    /* prose is not a discard list */
    const char *prose = "This directory holds the dictionaries, one file each.\nRead the manual, then edit them.\n";
    assert_int_equal(import_detect("README", prose, strlen(prose)), FMT_UNKNOWN);
}

static dyad_dict *load_all(void)
{
    dyad_dict *d = dyad_dict_new();
    assert_non_null(d);
    assert_int_equal(dyad_dict_load_grammar(d), DYAD_OK);
    assert_int_equal(dyad_dict_load_buffer(d, "test.verbs.txt", verbs_txt, strlen(verbs_txt)), DYAD_OK);
    assert_int_equal(dyad_dict_load_buffer(d, "test.actors.txt", actors_txt, strlen(actors_txt)), DYAD_OK);
    assert_int_equal(dyad_dict_load_buffer(d, "test.agents.txt", agents_txt, strlen(agents_txt)), DYAD_OK);
    assert_int_equal(dyad_dict_load_buffer(d, "test.discards.txt", discards_txt, strlen(discards_txt)), DYAD_OK);
    assert_int_equal(dyad_dict_load_buffer(d, "test.issues.txt", issues_txt, strlen(issues_txt)), DYAD_OK);
    assert_int_equal(dyad_dict_finish(d), DYAD_OK);
    return d;
}

static bool has_problem(const dyad_dict *d, const char *prefix, const char *words)
{
    for (size_t i = 0; i < dyad_dict_problem_count(d); i++) {
        const char *p = dyad_dict_problem(d, i);
        if (strncmp(p, prefix, strlen(prefix)) == 0 && strstr(p, words))
            return true;
    }
    return false;
}

static void untranslatable_lines_are_reported(void **st)
{
    (void)st;
    dyad_dict *d = load_all();
    assert_true(has_problem(d, "test.verbs.txt:19:", "not a CAMEO code"));
    assert_true(has_problem(d, "test.verbs.txt:20:", "null-coded pattern"));
    assert_true(has_problem(d, "test.actors.txt:18:", "bad date restriction"));
    assert_true(has_problem(d, "test.issues.txt:4:", "exclusion phrase"));
    assert_int_equal(dyad_dict_problem_count(d), 4);
    dyad_dict_stats s;
    dyad_dict_get_stats(d, &s);
    assert_int_equal(s.discards, 2);
    assert_int_equal(s.issues, 1);
    dyad_dict_free(d);
}

static void actor_dates_become_alternatives(void **st)
{
    (void)st;
    dyad_dict *d = load_all();
    char out[4096];
    dyad_dict_explain(d, "Rufus Firefly", "2018-06-01", out, sizeof out);
    assert_non_null(strstr(out, "FRDELI on this date"));
    dyad_dict_explain(d, "Firefly", "2020-06-01", out, sizeof out);
    assert_non_null(strstr(out, "FRDGOV on this date"));
    dyad_dict_explain(d, "Rufus Firefly", "2023-06-01", out, sizeof out);
    assert_non_null(strstr(out, "FRDELI on this date"));
    /* a dated null code cuts its range out of the fallback */
    dyad_dict_explain(d, "the Duke of Nowhere", "1990-06-01", out, sizeof out);
    assert_non_null(strstr(out, "no code on this date"));
    dyad_dict_explain(d, "the Duke of Nowhere", "1999-06-01", out, sizeof out);
    assert_non_null(strstr(out, "NWHGOV on this date"));
    /* the malformed date block is left out, the entry keeps its other code */
    dyad_dict_explain(d, "bad dates", "2021-06-01", out, sizeof out);
    assert_non_null(strstr(out, "XYZGOV on this date"));
    /* a state combines with agents, with substitutions and plural forms */
    dyad_dict_explain(d, "Freedonian officials", NULL, out, sizeof out);
    assert_non_null(strstr(out, "resolves to: FRDGOV"));
    dyad_dict_explain(d, "Sylvanian farmhands", NULL, out, sizeof out);
    assert_non_null(strstr(out, "resolves to: SYLAGR"));
    dyad_dict_explain(d, "Sylvanian shepherdess", NULL, out, sizeof out);
    assert_non_null(strstr(out, "resolves to: SYLAGR"));
    /* [IGO~]: an agent that goes before the country's code */
    dyad_dict_explain(d, "Sylvanian watchers abroad", NULL, out, sizeof out);
    assert_non_null(strstr(out, "resolves to: IGOSYL"));
    dyad_dict_free(d);
}

static void verb_blocks_code_events(void **st)
{
    (void)st;
    dyad_dict *d = load_all();
    const char *date = "2020-06-01";
    /* every verb of a block shares its patterns; the first actor after the verb is the target */
    assert_string_equal(code_str(d, "Freedonia lauded the courage of Sylvania.", date), "FRD>SYL:041:factual");
    assert_string_equal(code_str(d, "Freedonia praised Sylvania.", date), "FRD>SYL:051:factual");
    /* irregular forms, and a synset with a two-word member */
    assert_string_equal(code_str(d, "Freedonia gave ducats to Sylvania.", date), "FRD>SYL:071:factual");
    assert_string_equal(code_str(d, "Freedonia gave silver marks to Sylvania.", date), "FRD>SYL:071:factual");
    assert_string_equal(code_str(d, "Freedonia gave help to Sylvania.", date), "FRD>SYL:070:factual");
    /* a multi-word verb and a paired code */
    assert_string_equal(code_str(d, "Firefly set out for Sylvania.", date),
                        "FRDGOV>SYL:042:factual; SYL>FRDGOV:043:factual");
    /* a coded compound actor is both actors */
    assert_string_equal(code_str(d, "The Twin Kingdoms praised Firefly.", date),
                        "FRD>FRDGOV:051:factual; SYL>FRDGOV:051:factual");
    assert_string_equal(code_str(d, "Sylvania praised the Twin Kingdoms.", date), "SYL>FRD:051:factual");
    /* an irregular form with a block of its own is that block's verb, not a form of the other */
    assert_string_equal(code_str(d, "Freedonia met Sylvania.", date), "FRD>SYL:040:factual");
    assert_string_equal(code_str(d, "Freedonia meets Sylvania.", date), "FRD>SYL:036:factual");
    /* discards */
    assert_string_equal(code_str(d, "Freedonia praised Sylvania at the garden show.", date), "");
    assert_string_equal(code_str(d, "Freedonia praised Sylvania. The chess tournament ended.", date), "");
    dyad_dict_free(d);
}

/* The grammar, the made-up actors and VERBS, finished. */
static dyad_dict *load_with_verbs(const char *verbs)
{
    dyad_dict *d = dyad_dict_new();
    assert_non_null(d);
    assert_int_equal(dyad_dict_load_grammar(d), DYAD_OK);
    assert_int_equal(dyad_dict_load_buffer(d, "more.verbs.txt", verbs, strlen(verbs)), DYAD_OK);
    assert_int_equal(dyad_dict_load_buffer(d, "test.actors.txt", actors_txt, strlen(actors_txt)), DYAD_OK);
    assert_int_equal(dyad_dict_finish(d), DYAD_OK);
    return d;
}

static void a_later_pattern_of_a_block_replaces_an_earlier_one(void **st)
{
    (void)st;
    /* PETRARCH2 keeps one code per pattern of a block, the last one read (Phoenix's ALLOW block has
     * "* &TREATY" as 031:031, then 057:057, then 057) */
    const char *verbs = "--- ENDORSE [051] ---\n"
                        "ENDORSE\n"
                        "- * TREATY [031:031]\n"
                        "- *   treaty [057]\n"
                        "- * PLAN [030]\n"
                        "- * PLAN [---]\n";
    dyad_dict *d = load_with_verbs(verbs);
    const char *date = "2020-06-01";
    assert_string_equal(code_str(d, "Freedonia endorsed a treaty with Sylvania.", date), "FRD>SYL:057:factual");
    /* a later null code takes the pattern away: the verb's own code is left */
    assert_string_equal(code_str(d, "Freedonia endorsed the plan of Sylvania.", date), "FRD>SYL:051:factual");
    dyad_dict_free(d);
}

static void a_public_statement_needs_no_target(void **st)
{
    (void)st;
    /* PETRARCH takes the first actor after the verb as the target of a pattern without '+'; a public
     * statement (CAMEO 01) is also coded when there is none, other acts are not */
    const char *verbs = "--- ACCEPT [010] ---\n"
                        "ACCEPT\n"
                        "- * RESPONSIBILITY [015]\n"
                        "\n"
                        "--- RESTORE [030] ---\n"
                        "RESTORE\n"
                        "- * TIES [064]\n";
    dyad_dict *d = load_with_verbs(verbs);
    const char *date = "2020-06-01";
    assert_string_equal(code_str(d, "Freedonia accepted responsibility for the raid.", date), "FRD>-:015:factual");
    assert_string_equal(code_str(d, "Freedonia accepted responsibility for the raid on Sylvania.", date),
                        "FRD>SYL:015:factual");
    assert_string_equal(code_str(d, "Freedonia restored ties with Sylvania.", date), "FRD>SYL:064:factual");
    assert_string_equal(code_str(d, "Freedonia restored ties.", date), "");
    dyad_dict_free(d);
}

static void an_acronym_keeps_its_case_inside_a_longer_name(void **st)
{
    (void)st;
    /* "US" alone is kept as an acronym (so that the pronoun "us" is not the United States): the text's "US"
     * is then keyed to it, and a longer name with the word, before or after it in the file, must have it too */
    const char *actors = "US_STATE_DEPARTMENT [USAGOV]\n"
                         "\n"
                         "UNITED_STATES [USA]\n"
                         "+US\n"
                         "\n"
                         "US_ARMY [USAMIL]\n"
                         "\n"
                         "SYLVANIA [SYL]\n";
    dyad_dict *d = dyad_dict_new();
    assert_non_null(d);
    assert_int_equal(dyad_dict_load_grammar(d), DYAD_OK);
    assert_int_equal(dyad_dict_load_buffer(d, "test.verbs.txt", verbs_txt, strlen(verbs_txt)), DYAD_OK);
    assert_int_equal(dyad_dict_load_buffer(d, "us.actors.txt", actors, strlen(actors)), DYAD_OK);
    assert_int_equal(dyad_dict_finish(d), DYAD_OK);
    const char *date = "2020-06-01";
    assert_string_equal(code_str(d, "The US State Department praised Sylvania.", date), "USAGOV>SYL:051:factual");
    assert_string_equal(code_str(d, "The US Army praised Sylvania.", date), "USAMIL>SYL:051:factual");
    /* PETRARCH's names match whatever the case */
    assert_string_equal(code_str(d, "the us state department praised Sylvania.", date), "USAGOV>SYL:051:factual");
    assert_string_equal(code_str(d, "Sylvania praised us.", date), "");
    dyad_dict_free(d);
}

static void a_caret_skips_a_phrase(void **st)
{
    (void)st;
    /* '^' skips a noun phrase (TABARI: an actor) without giving it a role */
    const char *verbs = "--- WARN [160] ---\n"
                        "WARN\n"
                        "- * AT ^ + [162]\n";
    dyad_dict *d = load_with_verbs(verbs);
    const char *date = "2020-06-01";
    assert_string_equal(code_str(d, "Freedonia warned at Sylvania of Rufus Firefly.", date),
                        "FRD>FRDGOV:162:factual");
    /* a phrase that is no actor is skipped too */
    assert_string_equal(code_str(d, "Freedonia warned at the crowd about Sylvania.", date), "FRD>SYL:162:factual");
    dyad_dict_free(d);
}

static void broken_input_never_crashes(void **st)
{
    (void)st;
    const char *bad[] = {
        "--- X [041] ---\n- * [041\n- no verb marker [041]\n+\n&\n- * &NOSUCH [041]\n{\n",
        "NAME [\n\t[XYZ <99]\n+\n[ABC]\n",
        "!A! = \nX [~]\nY [~TOOLONGSECTORCODE]\n",
        "<!-- never closed\n",
    };
    dict_format fmts[] = {FMT_PETR_VERBS, FMT_PETR_ACTORS, FMT_PETR_AGENTS, FMT_PETR_DISCARDS};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        dyad_dict *d = dyad_dict_new();
        assert_int_equal(dyad_dict_load_grammar(d), DYAD_OK);
        assert_true(import_petrarch(d, fmts[i], "bad.txt", bad[i], strlen(bad[i])));
        assert_int_equal(dyad_dict_finish(d), DYAD_OK);
        if (i < 3)
            assert_true(dyad_dict_problem_count(d) > 0);
        dyad_dict_free(d);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(formats_are_detected_from_content),
        cmocka_unit_test(untranslatable_lines_are_reported),
        cmocka_unit_test(actor_dates_become_alternatives),
        cmocka_unit_test(verb_blocks_code_events),
        cmocka_unit_test(a_later_pattern_of_a_block_replaces_an_earlier_one),
        cmocka_unit_test(a_public_statement_needs_no_target),
        cmocka_unit_test(an_acronym_keeps_its_case_inside_a_longer_name),
        cmocka_unit_test(a_caret_skips_a_phrase),
        cmocka_unit_test(broken_input_never_crashes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
