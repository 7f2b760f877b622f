#!/usr/bin/env python3
"""Score dyad against a hand-coded VOA sample (eval/voa-gold.tsv, or another one with --gold).

Usage: scripts/voa_eval.py [SHARED_DIR] [DYAD] [--gold=PATH ...] [--diff] [--min-f1=X]   (defaults ../shared,
./build/dyad, eval/voa-gold.tsv; --gold given twice or more pools the files' sentences into one score;
--min-f1 exits 1 when the full-level F1 is below X)
Rebuilds each sampled sentence from the story text and the gold's byte offsets, codes every sentence as
a story of its own (with its story's date), and compares the event tuples per sentence:
  full     (source, target, cameo, modality)
  root     (source, target, root code, modality)
  country  (source country, target country, root, modality)
each over all events and over factual events only. A compound actor counts once per member.
--diff also prints, per sentence, the gold tuples dyad missed (-) and dyad's tuples not in the gold (+).
"""
import json
import subprocess
import sys


def country(code):
    """IRNGOV -> IRN, ---MIL -> ---, IGOUNOCEF -> IGOUNO (an organisation keeps its six letters)."""
    return code[:6] if code[:3] in ("IGO", "NGO", "IMG") else code[:3]


LEVELS = {
    "full": lambda s, t, c, m: (s, t, c, m),
    "root": lambda s, t, c, m: (s, t, c[:2], m),
    "country": lambda s, t, c, m: (country(s), "-" if t == "-" else country(t), c[:2], m),
}


def read_gold(path):
    """{(story_id, start, end): set of (source, target, cameo, modality)}"""
    gold = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or line.startswith("story_id\t"):
                continue
            sid, start, end, src, tgt, code, mod = line.rstrip("\n").split("\t")[:7]
            events = gold.setdefault((sid, int(start), int(end)), set())
            if mod != "none":
                events.add((src, tgt, code, mod))
    return gold


def print_table(gold, coded, heads=("tp", "fp", "fn", "P", "R")):
    """The score at each level, over all events and over factual ones, one line each (HEADS name the columns)."""
    w = [max(4, len(h)) for h in heads[:3]] + [max(6, len(h)) for h in heads[3:]]
    print(f"{'level':<9} {'events':<8} " + " ".join(f"{h:>{n}}" for h, n in zip(heads, w)) + f" {'F1':>6}")
    for factual_only in (False, True):
        for level in LEVELS:
            tp, fp, fn, p, r, f1 = score(gold, coded, level, factual_only)
            kind = "factual" if factual_only else "all"
            cells = [f"{tp:>{w[0]}}", f"{fp:>{w[1]}}", f"{fn:>{w[2]}}", f"{p:>{w[3]}.3f}", f"{r:>{w[4]}.3f}"]
            print(f"{level:<9} {kind:<8} " + " ".join(cells) + f" {f1:>6.3f}")


def run_dyad(dyad, shared, keys):
    stories = {}
    with open(f"{shared}/corpus/voa-stories.jsonl", encoding="utf-8") as f:
        for line in f:
            if line.strip():
                st = json.loads(line)
                stories[st["id"]] = st
    records = []
    for sid, start, end in keys:
        st = stories[sid]
        text = st["text"].encode("utf-8")[start:end].decode("utf-8")
        records.append(json.dumps({"id": f"{sid}:{start}:{end}", "date": st["date"], "text": text}))
    out = subprocess.run([dyad, "code", "--jsonl", "-"], input="\n".join(records) + "\n",
                         capture_output=True, text=True).stdout
    coded = {k: set() for k in keys}
    for line in out.splitlines():
        ev = json.loads(line)
        if "cameo" not in ev:
            continue
        sid, start, end = ev["story_id"].rsplit(":", 2)
        tgt = (ev.get("target") or {}).get("code") or "-"
        for s in ev["source"]["code"].split("/"):
            for t in tgt.split("/"):
                coded[(sid, int(start), int(end))].add((s, t, ev["cameo"], ev["modality"]))
    return coded


def score(gold, coded, level, factual_only):
    tp = fp = fn = 0
    for key, expected in gold.items():
        keep = lambda evs: {LEVELS[level](*e) for e in evs if not factual_only or e[3] == "factual"}
        g, c = keep(expected), keep(coded[key])
        tp, fp, fn = tp + len(g & c), fp + len(c - g), fn + len(g - c)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return tp, fp, fn, p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main(argv):
    args = [a for a in argv if not a.startswith("--")]
    shared = args[0] if args else "../shared"
    dyad = args[1] if len(args) > 1 else "./build/dyad"
    gold_paths = [a.split("=", 1)[1] for a in argv if a.startswith("--gold=")] or ["eval/voa-gold.tsv"]
    gold = {}
    for path in gold_paths:
        gold.update(read_gold(path))
    coded = run_dyad(dyad, shared, list(gold))
    print(f"{len(gold)} sentences, {sum(map(len, gold.values()))} gold events, "
          f"{sum(map(len, coded.values()))} coded; "
          f"{sum(1 for k in gold if not gold[k] and not coded[k])}/{sum(1 for k in gold if not gold[k])} "
          f"event-less sentences left empty")
    print_table(gold, coded)
    floor = next((float(a.split("=", 1)[1]) for a in argv if a.startswith("--min-f1=")), None)
    if floor is not None:
        f1 = score(gold, coded, "full", False)[5]
        if f1 < floor:
            print(f"voa: full-level F1 {f1:.3f} is below its floor {floor}", file=sys.stderr)
            sys.exit(1)
    if "--diff" in argv:
        for key in gold:
            missed, extra = gold[key] - coded[key], coded[key] - gold[key]
            if missed or extra:
                print("\n" + " ".join(map(str, key)))
                for e in sorted(missed):
                    print("  -", *e)
                for e in sorted(extra):
                    print("  +", *e)


if __name__ == "__main__":
    main(sys.argv[1:])
