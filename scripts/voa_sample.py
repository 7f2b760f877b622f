#!/usr/bin/env python3
"""Sample 150 sentences of the VOA corpus for the hand-coded gold set (eval/voa-gold.tsv).

Usage: scripts/voa_sample.py [SHARED_DIR]   (default ../shared)
Prints story_id, start, end (byte offsets [start,end) in the story's UTF-8 text) and, for reading
while coding, the sentence. The gold file stores only the id and offsets, never the text.
Sentences are split the simple way: after [.!?] followed by a space and a capital or a quote;
sentences shorter than 40 characters are skipped; 150 are picked with random.seed(2026).
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


def sample(shared):
    """[(story, start_byte, end_byte)] in corpus order."""
    pool = []
    for st in stories(shared):
        text = st["text"]
        for s, e in sentences(text):
            if e - s >= MIN_CHARS:
                b = len(text[:s].encode("utf-8"))
                pool.append((st, b, b + len(text[s:e].encode("utf-8"))))
    random.seed(SEED)
    picked = set(random.sample(range(len(pool)), N))
    return [pool[i] for i in sorted(picked)]


def sentence_text(story, start, end):
    return story["text"].encode("utf-8")[start:end].decode("utf-8")


if __name__ == "__main__":
    for st, b, e in sample(sys.argv[1] if len(sys.argv) > 1 else "../shared"):
        print(f"{st['id']}\t{b}\t{e}\t{st['date']}\t{sentence_text(st, b, e)}")
