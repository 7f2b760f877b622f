/*
 * server.h - `dyad serve`: a JSON API over the event store and the analytics, and the dashboard's static
 * files, over HTTP (libmicrohttpd). The endpoints are described by docs/openapi.json, which is compiled into
 * the binary and served at /api/openapi.json; the design is in docs/server.md.
 */
#ifndef DYAD_SERVER_H
#define DYAD_SERVER_H

#include "dyad.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct dyad_server_config {
    const char *db;          /* the event store (opened read-only by each worker thread) */
    const char *host;        /* numeric address to bind: "127.0.0.1", "::1", "0.0.0.0"... */
    unsigned port;           /* 0: any free port (the one chosen is printed) */
    const char *token;       /* bearer token required on every request; NULL for none (loopback only) */
    const char *web_root;    /* directory of the dashboard's files; NULL: no dashboard */
    const dyad_dict *dict;   /* finished dictionary for POST /api/code */
    unsigned threads;        /* worker threads (each with its own store handle and coder) */
    size_t max_body;         /* largest request body accepted (413 beyond) */
    bool log;                /* one line per request on stderr */
} dyad_server_config;

/* Split "HOST:PORT", "[V6]:PORT" or "HOST" (port 8080) into HOST (numeric address) and PORT.
 * false with a message in ERR when malformed. */
bool dyad_server_parse_listen(const char *s, char *host, size_t cap, unsigned *port, char *err, size_t errcap);
/* true for 127.0.0.0/8 and ::1 */
bool dyad_server_is_loopback(const char *host);
/* Constant-time comparison of a presented secret with the expected one (time depends on EXPECTED's length
 * only). */
bool dyad_server_secret_equal(const char *given, size_t given_len, const char *expected);

/* Serve until SIGINT or SIGTERM. Returns the process exit status (0 after a clean stop, 1 when the server
 * could not start). Messages on stderr; the first line says where it listens:
 * "dyad serve: listening on http://HOST:PORT/". */
int dyad_server_run(const dyad_server_config *cfg);

#endif
