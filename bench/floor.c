/*
 * floor.c - the floor every coder pays: read the input, split it into words, look each word up in a hash
 * table of the dictionary's words. dyad's throughput is reported as a ratio to this (make bench).
 * Usage: floor JSONL_FILE WORDS_FILE   (WORDS_FILE: one word a line)
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static uint64_t h64(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h ^ (h >> 29);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: floor JSONL WORDS\n");
        return 2;
    }
    size_t nslots = 1 << 20, mask = nslots - 1;
    char **slot = calloc(nslots, sizeof *slot);
    FILE *wf = fopen(argv[2], "r");
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while (wf && (n = getline(&line, &cap, wf)) > 0) {
        while (n && (line[n - 1] == '\n'))
            line[--n] = 0;
        size_t i = h64(line, (size_t)n) & mask;
        while (slot[i])
            i = (i + 1) & mask;
        slot[i] = strdup(line);
    }
    if (wf)
        fclose(wf);
    FILE *f = fopen(argv[1], "r");
    if (!f) {
        perror(argv[1]);
        return 1;
    }
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    size_t words = 0, hits = 0, bytes = 0;
    char w[256];
    while ((n = getline(&line, &cap, f)) > 0) {
        bytes += (size_t)n;
        size_t k = 0;
        for (ssize_t i = 0; i <= n; i++) {
            unsigned char ch = i < n ? (unsigned char)line[i] : ' ';
            if (isalnum(ch) || ch >= 0x80) {
                if (k < sizeof w - 1)
                    w[k++] = (char)tolower(ch);
            } else if (k) {
                size_t j = h64(w, k) & mask;
                while (slot[j]) {
                    if (strlen(slot[j]) == k && memcmp(slot[j], w, k) == 0) {
                        hits++;
                        break;
                    }
                    j = (j + 1) & mask;
                }
                words++;
                k = 0;
            }
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &b);
    double secs = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
    printf("floor: bytes %zu words %zu hits %zu seconds %.3f MB/s %.2f\n", bytes, words, hits, secs,
           (double)bytes / 1e6 / secs);
    return 0;
}
