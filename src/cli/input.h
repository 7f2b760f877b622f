/*
 * input.h - reading stories for the dyad command: plain-text files (one story each), JSONL files (one
 * story a line), directories (walked), standard input. Every bad record is reported with its file, line
 * and byte, and reading goes on with the next one.
 */
#ifndef DYAD_CLI_INPUT_H
#define DYAD_CLI_INPUT_H

#include "dyad.h"
#include <stdbool.h>
#include <stddef.h>

typedef struct story_rec {
    dyad_story s;
    char *owned[7]; /* strings this record owns */
    char where[256]; /* "file:line" for messages */
    /* filled by the coder */
    char *out;
    size_t out_len, out_cap;
    size_t nevents;
    size_t sentences; /* counted by the coder */
    size_t historical; /* events left out as dated more than a year before the story */
    char err[600];
    int status;
    void *extra; /* for callers (eval keeps the gold record here) */
    dyad_casualty *casualties; /* with pool_keep_events: the story's casualty records (malloc'd; freed here) */
    size_t ncasualties;
} story_rec;

typedef struct input_opts {
    bool jsonl;            /* treat every file as JSONL, not only *.jsonl */
    const char *date;      /* for plain-text stories and JSONL records without a date */
    const char *id;        /* for a single plain-text story */
    bool date_defaulted;   /* set when today's date was used */
    bool keep_bad_dates;   /* pass records with a bad date on (the coder refuses them): eval counts them */
    size_t bytes_read;     /* input bytes consumed so far, over all files (for progress and ETA) */
    char today[11];
    /* optional: called with each parsed JSON record to keep extra fields (eval's expected events) */
    void *(*keep)(void *json_obj, void *ctx);
    void *keep_ctx;
} input_opts;

/* Called for each story (ownership passes to the callback, which must free it with story_rec_free),
 * and for each error (message with file:line: byte). Returns false to stop. */
typedef bool (*story_cb)(story_rec *r, void *ctx);
typedef void (*error_cb)(const char *msg, void *ctx);

/* Read PATH ("-" is standard input) as stories. Returns the number of errors. */
size_t input_read(const char *path, input_opts *o, story_cb cb, error_cb ecb, void *ctx);
/* The bytes of the regular files under PATH (directories walked); 0 for "-" or when unknown. */
size_t input_size(const char *path);
void story_rec_free(story_rec *r);

#endif
