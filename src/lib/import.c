/*
 * import.c - reading the field's dictionary formats unchanged: PETRARCH2 / TABARI verbs, actors, agents,
 * discards and issues. Each file's format is told from its content, never from its name alone.
 */
#include "internal.h"

#include <string.h>

dict_format import_detect(const char *name, const char *buf, size_t len)
{
    (void)name;
    static const char magic[] = "# dyad-dict 1";
    size_t m = sizeof magic - 1;
    if (len >= m && memcmp(buf, magic, m) == 0 && (len == m || buf[m] == '\n' || buf[m] == '\r'))
        return FMT_DYAD;
    return FMT_UNKNOWN;
}

bool import_petrarch(dyad_dict *d, dict_format fmt, const char *name, const char *buf, size_t len)
{
    (void)fmt;
    (void)buf;
    (void)len;
    dict_problem(d, name, 1, "this dictionary format is not readable yet");
    return true;
}
