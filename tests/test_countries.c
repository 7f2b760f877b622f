/*
 * test_countries.c - dyad's country dictionary against Debian's ISO 3166-1 list (package iso-codes):
 * every alpha-3 code has a country entry, and each country's common name resolves to its code.
 */
#include "helpers.h"
#include "internal.h"

#include <jansson.h>

#ifndef ISO_3166_JSON
#define ISO_3166_JSON "/usr/share/iso-codes/json/iso_3166-1.json"
#endif

static void every_iso_country_is_there(void **st)
{
    (void)st;
    dyad_dict *d = dyad_dict_new();
    assert_int_equal(dyad_dict_load_builtin(d), DYAD_OK);
    assert_int_equal(dyad_dict_finish(d), DYAD_OK);
    json_error_t je;
    json_t *root = json_load_file(ISO_3166_JSON, 0, &je);
    if (!root)
        fail_msg("cannot read %s: %s (install the iso-codes package)", ISO_3166_JSON, je.text);
    json_t *list = json_object_get(root, "3166-1");
    assert_true(json_array_size(list) >= 249);
    size_t i, missing = 0, unresolved = 0;
    json_t *c;
    json_array_foreach(list, i, c) {
        const char *a3 = json_string_value(json_object_get(c, "alpha_3"));
        bool found = false;
        for (size_t k = 0; k < d->nactors && !found; k++)
            found = d->actors[k].kind == ACT_COUNTRY && strcmp(d->alts[d->actors[k].first_alt].code, a3) == 0;
        if (!found) {
            fprintf(stderr, "no country entry for %s\n", a3);
            missing++;
        }
        const char *name = json_string_value(json_object_get(c, "common_name"));
        if (!name)
            name = json_string_value(json_object_get(c, "name"));
        char out[4096], want[64];
        dyad_dict_explain(d, name, "2026-01-01", out, sizeof out);
        snprintf(want, sizeof want, "resolves to: %s ", a3);
        if (!strstr(out, want)) {
            fprintf(stderr, "'%s' does not resolve to %s:\n%s", name, a3, out);
            unresolved++;
        }
    }
    assert_int_equal(missing, 0);
    /* Jersey is listed only as "Bailiwick of Jersey" (bare "Jersey" would match "New Jersey") */
    assert_true(unresolved <= 1);
    json_decref(root);
    dyad_dict_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(every_iso_country_is_there)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
