/*
 * serve.c - `dyad serve`: the JSON API and the dashboard (src/server/server.c; docs/server.md).
 */
#include "cli.h"
#include "dyad_store.h"
#include "../server/server.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef DYAD_WEB_ROOT
#define DYAD_WEB_ROOT ""
#endif

static void serve_usage(FILE *f)
{
    fprintf(f,
            "usage: dyad serve [--db PATH] [--listen ADDR:PORT] [--token T] [--dicts DIR] [--web DIR]\n"
            "                  [--threads N] [--max-body BYTES] [--log]\n"
            "  Serves the event store as a JSON API (GET /api/openapi.json describes it) and the dashboard.\n"
            "  --db PATH          the event store (default $DYAD_DB, or ./dyad.db); opened read-only\n"
            "  --listen ADDR:PORT numeric address and port (default 127.0.0.1:8080; port 0: any free one,\n"
            "                     printed on stderr); [::1]:PORT for IPv6\n"
            "  --token T          require 'Authorization: Bearer T' on every request (default $DYAD_TOKEN);\n"
            "                     needed to listen on any address but loopback\n"
            "  --dicts DIR        code POST /api/code with the dictionaries in DIR (default: built-in)\n"
            "  --web DIR          the dashboard's files (default, built by scripts/build-web.sh:\n"
            "                     %s); --web '' serves none\n"
            "  --threads N        worker threads (default: 2 x cores, at least 4)\n"
            "  --max-body BYTES   largest request body (default 1048576; larger ones get 413)\n"
            "  --log              one line per request on stderr (errors are always logged)\n",
            DYAD_WEB_ROOT[0] ? DYAD_WEB_ROOT : "none");
}

int cmd_serve(int argc, char **argv)
{
    const char *db = NULL, *listen = "127.0.0.1:8080", *token = getenv("DYAD_TOKEN"), *dicts = NULL, *v;
    const char *web = DYAD_WEB_ROOT;
    long threads = 0;
    long long max_body = 1 << 20;
    bool log = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            serve_usage(stdout);
            return 0;
        } else if (cli_opt(argc, argv, &i, "--db", &v)) {
            db = v;
        } else if (cli_opt(argc, argv, &i, "--listen", &v)) {
            listen = v;
        } else if (cli_opt(argc, argv, &i, "--token", &v)) {
            token = v;
        } else if (cli_opt(argc, argv, &i, "--dicts", &v)) {
            dicts = v;
        } else if (cli_opt(argc, argv, &i, "--web", &v)) {
            web = v;
        } else if (cli_opt(argc, argv, &i, "--threads", &v)) {
            char *end;
            threads = strtol(v, &end, 10);
            if (*end || threads < 1 || threads > 256) {
                fprintf(stderr, "dyad serve: --threads wants a number from 1 to 256\n");
                return 2;
            }
        } else if (cli_opt(argc, argv, &i, "--max-body", &v)) {
            char *end;
            max_body = strtoll(v, &end, 10);
            if (*end || max_body < 1024 || max_body > (1LL << 30)) {
                fprintf(stderr, "dyad serve: --max-body wants a number of bytes from 1024 to 1073741824\n");
                return 2;
            }
        } else if (strcmp(argv[i], "--log") == 0) {
            log = true;
        } else {
            fprintf(stderr, "dyad serve: unknown argument '%s'\n", argv[i]);
            serve_usage(stderr);
            return 2;
        }
    }
    if (!db) {
        const char *e = getenv("DYAD_DB");
        db = e && *e ? e : "dyad.db";
    }
    if (token && !*token)
        token = NULL;
    if (token && strlen(token) < 8) {
        fprintf(stderr, "dyad serve: --token wants at least 8 characters\n");
        return 2;
    }
    char host[64], err[256];
    unsigned port;
    if (!dyad_server_parse_listen(listen, host, sizeof host, &port, err, sizeof err)) {
        fprintf(stderr, "dyad serve: --listen %s\n", err);
        return 2;
    }
    if (!dyad_server_is_loopback(host) && !token) {
        fprintf(stderr, "dyad serve: --listen %s is not a loopback address: --token is required\n", listen);
        return 2;
    }
    if (web && *web && access(web, R_OK | X_OK) != 0) {
        fprintf(stderr, "dyad serve: warning: no dashboard at %s (scripts/build-web.sh builds it): API only\n", web);
        web = NULL;
    } else if (web && !*web) {
        web = NULL;
    }
    /* open the store once here so that a wrong path fails now, not at the first request */
    dyad_store *s = dyad_store_new();
    if (!s || dyad_store_open(s, db, DYAD_STORE_READONLY) != DYAD_STORE_OK) {
        fprintf(stderr, "dyad serve: %s\n", s ? dyad_store_errmsg(s) : "out of memory");
        dyad_store_free(s);
        return 1;
    }
    dyad_store_free(s);
    dyad_dict *d = cli_load_dict(dicts, NULL);
    if (!d)
        return 1;
    if (!threads) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        threads = n > 0 ? 2 * n : 4;
        if (threads < 4)
            threads = 4;
        if (threads > 64)
            threads = 64;
    }
    dyad_server_config cfg = {.db = db, .host = host, .port = port, .token = token, .web_root = web,
                              .dict = d, .threads = (unsigned)threads, .max_body = (size_t)max_body, .log = log};
    int rc = dyad_server_run(&cfg);
    dyad_dict_free(d);
    return rc;
}
