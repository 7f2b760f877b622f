#!/usr/bin/env python3
"""Score dyad on the behavioural checklist (eval/checklist.tsv): short hand-written sentences, each with
the full set of events it must give.

Usage: scripts/checklist.py [DYAD] [--tsv=PATH] [--diff] [--min-exact=X]
  DYAD          the binary (default ./build/dyad)
  --tsv=PATH    the checklist (default eval/checklist.tsv)
  --diff        also print every sentence that is not exactly right, with the events wanted (-) and had (+)
  --min-exact=X exit 1 when the share of sentences exactly right is below X (0..1); otherwise exit 0

Each sentence is coded alone (one {"id","date","text"} record of `dyad code --jsonl -`). An event is
(source, target, cameo, modality); a compound actor (A/B) counts once per member. Reported per CAMEO root
(sentences exactly right among those that want the root; event scores over that root's events in all
sentences; "--" is the sentences that want no event) and
overall: sentences exactly right, event precision/recall/F1 at the full code, and the same at root level
(the code cut to its two digits).
"""
import json
import subprocess
import sys


def parse_events(field):
    events = set()
    for item in filter(None, (s.strip() for s in field.split(";"))):
        actors, code, modality = item.rsplit(":", 2)
        src, tgt = actors.split(">")
        events.add((src, tgt, code, modality))
    return events


def read_checklist(path):
    """[(id, date, text, set of events, note)]"""
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            fields = line.rstrip("\n").split("\t") + ["", ""]
            rows.append((fields[0], fields[1], fields[2], parse_events(fields[3]), fields[4]))
    return rows


def run_dyad(dyad, rows):
    records = "".join(json.dumps({"id": r[0], "date": r[1], "text": r[2]}) + "\n" for r in rows)
    out = subprocess.run([dyad, "code", "--jsonl", "-"], input=records, capture_output=True, text=True)
    if out.returncode != 0:
        sys.stderr.write(out.stderr)
    coded = {r[0]: set() for r in rows}
    for line in out.stdout.splitlines():
        ev = json.loads(line)
        if "cameo" not in ev or ev.get("story_id") not in coded:
            continue
        tgt = (ev.get("target") or {}).get("code") or "-"
        for s in ev["source"]["code"].split("/"):
            for t in tgt.split("/"):
                coded[ev["story_id"]].add((s, t, ev["cameo"], ev["modality"]))
    return coded


def root_level(events):
    return {(s, t, c[:2], m) for s, t, c, m in events}


def prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score(pairs, root=None):
    """pairs: [(want, have)]. Without root: every sentence and event. With root: the sentences that want
    an event of that root (for 'exact'), and that root's events in every sentence (for P/R/F1), so a
    spurious event of the root counts against it wherever it is."""
    exact = tp = fp = fn = rtp = rfp = rfn = n = 0
    for want, have in pairs:
        if root is None or any(e[2][:2] == root for e in want):
            n += 1
            exact += want == have
        if root is not None:
            want = {e for e in want if e[2][:2] == root}
            have = {e for e in have if e[2][:2] == root}
        tp, fp, fn = tp + len(want & have), fp + len(have - want), fn + len(want - have)
        rw, rh = root_level(want), root_level(have)
        rtp, rfp, rfn = rtp + len(rw & rh), rfp + len(rh - rw), rfn + len(rw - rh)
    return exact, n, prf(tp, fp, fn), (tp, fp, fn), prf(rtp, rfp, rfn)


def main(argv):
    args = [a for a in argv if not a.startswith("--")]
    dyad = args[0] if args else "./build/dyad"
    opt = lambda name: next((a.split("=", 1)[1] for a in argv if a.startswith(f"--{name}=")), None)
    rows = read_checklist(opt("tsv") or "eval/checklist.tsv")
    coded = run_dyad(dyad, rows)

    print(f"{'root':<7} {'sent':>4} {'exact':>5} {'tp':>4} {'fp':>4} {'fn':>4} {'P':>6} {'R':>6} {'F1':>6}"
          f"   {'rootP':>6} {'rootR':>6} {'rootF1':>6}")

    def line(label, result):
        exact, n, (p, r, f1), (tp, fp, fn), (rp, rr, rf1) = result
        print(f"{label:<7} {n:>4} {exact:>5} {tp:>4} {fp:>4} {fn:>4} {p:>6.3f} {r:>6.3f} {f1:>6.3f}"
              f"   {rp:>6.3f} {rr:>6.3f} {rf1:>6.3f}")

    pairs = [(r[3], coded[r[0]]) for r in rows]
    for root in sorted({e[2][:2] for r in rows for e in r[3] | coded[r[0]]}):
        line(root, score(pairs, root))
    line("--", score([(r[3], coded[r[0]]) for r in rows if not r[3]]))
    overall = score(pairs)
    line("all", overall)
    print(f"exactly right: {overall[0]}/{overall[1]} = {overall[0] / overall[1]:.3f}"
          "\n(per root: sent/exact over the sentences that want that root, events of that root over all sentences;"
          " '--' = the sentences that want no event)")

    if "--diff" in argv:
        for r in rows:
            want, have = r[3], coded[r[0]]
            if want != have:
                print(f"\n{r[0]} {r[1]} {r[2]}" + (f"   [{r[4]}]" if r[4] else ""))
                for e in sorted(want - have):
                    print("  - %s>%s:%s:%s" % e)
                for e in sorted(have - want):
                    print("  + %s>%s:%s:%s" % e)

    floor = opt("min-exact")
    if floor is not None and overall[0] / overall[1] < float(floor):
        print(f"checklist: {overall[0] / overall[1]:.3f} exactly right is below {floor}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
