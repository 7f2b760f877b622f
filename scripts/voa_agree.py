#!/usr/bin/env python3
"""Inter-coder agreement between two hand codings of the same VOA sentences.

Usage: scripts/voa_agree.py GOLD_A GOLD_B [--diff]
   e.g. scripts/voa_agree.py eval/voa-gold-b.tsv eval/voa-gold-b2.tsv
Reads both files with voa_eval.read_gold and compares them at voa_eval's three levels (full: source,
target, cameo, modality; root: the code cut to its root; country: actors cut to their country), over all
events and over factual ones. F1 is symmetric: one coder's tuples scored against the other's (swapping
the files swaps P and R and leaves F1 unchanged); it is the ceiling a perfect coder could expect
against a gold made by one person. Also prints the sentences both leave without an event and Cohen's
kappa for event/no-event per sentence. Only the sentences both files hold are compared.
--diff lists, per sentence, the tuples only in GOLD_A (<) and only in GOLD_B (>).
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from voa_eval import print_table, read_gold  # noqa: E402


def kappa(a, b, keys):
    """Cohen's kappa for the per-sentence decision 'has an event' between the two codings."""
    n = len(keys)
    ya = {k: bool(a[k]) for k in keys}
    yb = {k: bool(b[k]) for k in keys}
    po = sum(ya[k] == yb[k] for k in keys) / n
    pa, pb = sum(ya.values()) / n, sum(yb.values()) / n
    pe = pa * pb + (1 - pa) * (1 - pb)
    return (po - pe) / (1 - pe) if pe < 1 else 1.0


def main(argv):
    paths = [a for a in argv if not a.startswith("--")]
    if len(paths) != 2:
        sys.exit(__doc__)
    a, b = read_gold(paths[0]), read_gold(paths[1])
    keys = sorted(set(a) & set(b))
    only = len(set(a) ^ set(b))
    a, b = {k: a[k] for k in keys}, {k: b[k] for k in keys}
    print(f"{len(keys)} sentences in both ({only} in only one, ignored); "
          f"{paths[0]}: {sum(map(len, a.values()))} events in {sum(1 for k in keys if a[k])} sentences; "
          f"{paths[1]}: {sum(map(len, b.values()))} events in {sum(1 for k in keys if b[k])} sentences")
    both_none = sum(1 for k in keys if not a[k] and not b[k])
    print(f"both without an event: {both_none}; only A with events: "
          f"{sum(1 for k in keys if a[k] and not b[k])}; only B with events: "
          f"{sum(1 for k in keys if b[k] and not a[k])}; kappa (event/no event): {kappa(a, b, keys):.3f}")
    # print_table scores its first argument as gold: A is the reference, B the "coder".
    print_table(a, b, ("both", "onlyB", "onlyA", "P(B|A)", "R(B|A)"))
    print("(A = first file, B = second; both: tuples in both codings; onlyB, onlyA: tuples in one only)")
    if "--diff" in argv:
        for k in keys:
            if a[k] != b[k]:
                print("\n" + " ".join(map(str, k)))
                for e in sorted(a[k] - b[k]):
                    print("  <", *e)
                for e in sorted(b[k] - a[k]):
                    print("  >", *e)


if __name__ == "__main__":
    main(sys.argv[1:])
