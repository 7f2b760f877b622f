#!/usr/bin/env python3
"""Sample 150 sentences of the VOA corpus for the hand-coded gold set (eval/voa-gold.tsv).

Usage: scripts/voa_sample.py [SHARED_DIR] [--seed=N] [--exclude=GOLD.tsv ...] [--out=PATH]
  (defaults ../shared, seed 2026, nothing excluded, standard output)
Prints story_id, start, end (byte offsets [start,end) in the story's UTF-8 text), the story's date and, for
reading while coding, the sentence. The gold file stores only the id and offsets, never the text.
Sentences are split the simple way: after [.!?] followed by a space and a capital or a quote;
sentences shorter than 40 characters are skipped; 150 are picked with random.seed(SEED).
--exclude (repeatable) drops the sentences already in a gold file (its story_id/start/end columns) from the
pool before drawing, so a second sample shares no sentence with the first:
  scripts/voa_sample.py ../shared --seed=2027 --exclude=eval/voa-gold.tsv --out=/tmp/voa-sample-b.tsv
"""
import json
import random
import re
import sys

SEED, N, MIN_CHARS = 2026, 150, 40
BOUNDARY = re.compile(r'[.!?](?= +[A-Z"\u201c\'\u2018])')


def stories(shared):
    with open(f"{shared}/corpus/voa-stories.jsonl", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def sentences(text):
    """(start, end) character offsets of each sentence, surrounding spaces trimmed."""
    out, start = [], 0
    cuts = [m.end() for m in BOUNDARY.finditer(text)] + [len(text)]
    for end in cuts:
        s, e = start, end
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            out.append((s, e))
        start = end
    return out


def gold_keys(path):
    """{(story_id, start, end)} of the sentences in a gold file."""
    keys = set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or line.startswith("story_id\t") or not line.strip():
                continue
            sid, start, end = line.split("\t")[:3]
            keys.add((sid, int(start), int(end)))
    return keys


def sample(shared, seed=SEED, exclude=frozenset()):
    """[(story, start_byte, end_byte)] in corpus order; sentences whose (id, start, end) is in exclude are
    left out of the pool."""
    pool = []
    for st in stories(shared):
        text = st["text"]
        for s, e in sentences(text):
            if e - s >= MIN_CHARS:
                b = len(text[:s].encode("utf-8"))
                key = (st["id"], b, b + len(text[s:e].encode("utf-8")))
                if key not in exclude:
                    pool.append((st, key[1], key[2]))
    random.seed(seed)
    picked = set(random.sample(range(len(pool)), N))
    return [pool[i] for i in sorted(picked)]


def sentence_text(story, start, end):
    return story["text"].encode("utf-8")[start:end].decode("utf-8")


def main(argv):
    args = [a for a in argv if not a.startswith("--")]
    opt = lambda name: [a.split("=", 1)[1] for a in argv if a.startswith(f"--{name}=")]
    seed = int(opt("seed")[-1]) if opt("seed") else SEED
    exclude = set().union(*(gold_keys(p) for p in opt("exclude"))) if opt("exclude") else set()
    out = open(opt("out")[-1], "w", encoding="utf-8") if opt("out") else sys.stdout
    for st, b, e in sample(args[0] if args else "../shared", seed, exclude):
        print(f"{st['id']}\t{b}\t{e}\t{st['date']}\t{sentence_text(st, b, e)}", file=out)
    if out is not sys.stdout:
        out.close()


if __name__ == "__main__":
    main(sys.argv[1:])
