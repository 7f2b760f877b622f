/*
 * cli.h - what the dyad command's files share: the subcommands, dictionary loading with its messages,
 * option parsing, and the parallel coding of batches of stories in input order.
 */
#ifndef DYAD_CLI_H
#define DYAD_CLI_H

#define _GNU_SOURCE
#include "dyad.h"
#include "input.h"

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

int cmd_code(int argc, char **argv);
int cmd_eval(int argc, char **argv);
int cmd_dict(int argc, char **argv);
/* the event store (src/cli/store.c) */
int cmd_ingest(int argc, char **argv);
int cmd_events(int argc, char **argv);
int cmd_stats(int argc, char **argv);
/* series, rankings, alerts and charts (src/cli/analytics.c) */
int cmd_trend(int argc, char **argv);
int cmd_top(int argc, char **argv);
int cmd_alerts(int argc, char **argv);
int cmd_casualties(int argc, char **argv);
/* the JSON API and dashboard (src/cli/serve.c, src/server/server.c) */
int cmd_serve(int argc, char **argv);

/* Load dyad's own dictionaries, or the grammar plus DICTS_DIR; warnings on stderr. NULL on failure. */
dyad_dict *cli_load_dict(const char *dicts_dir, double *load_ms);
double cli_now_ms(void);
/* "--name VALUE" or "--name=VALUE" at argv[*i]; advances *i past the value. Exits 2 when it is missing. */
bool cli_opt(int argc, char **argv, int *i, const char *name, const char **val);

/* Code a batch of stories with N threads; each record's out/nevents/status/err is filled. */
typedef struct coder_pool coder_pool;
coder_pool *pool_new(const dyad_dict *d, int threads, dyad_format fmt);
void pool_free(coder_pool *p);
void pool_code(coder_pool *p, story_rec **recs, size_t n);
/* Also write each story's casualty records after its events (JSONL). */
void pool_write_casualties(coder_pool *p, bool on);
/* Keep each coded story's events as a malloc'd dyad_event array in r->extra (r->nevents of them; the
 * caller frees it) and its casualty records in r->casualties, instead of writing them to r->out. Used by
 * ingest. */
void pool_keep_events(coder_pool *p, bool keep);

#endif
