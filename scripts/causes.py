#!/usr/bin/env python3
"""Failing gold records by cause, for the dyad binary as it is now.

eval/disagreements.tsv gives each record that failed when it was classified a cause (future-as-factual,
gold-convention, dyad-error, ...). This runs `dyad eval --verbose` on the three gold sets, takes the records
that fail now, and prints how many of them fall under each cause; records classified as failing that pass now
are counted as fixed, and failing records the file does not classify are listed as new, so that the file can
be brought up to date.

Usage: scripts/causes.py SHARED_DIR [DYAD]
"""
import collections
import subprocess
import sys

SETS = [  # name in the TSV, gold file, dictionaries (None: dyad's own)
    ("unit", "gold/petrarch-unit/PETR.UnitTest.records.jsonl", "gold/petrarch-unit/dicts"),
    ("gsr-phoenix", "gold/phoenix-gsr/PETR2_GSR_english_with_treebank.jsonl", "dicts/phoenix"),
    ("gsr-own", "gold/phoenix-gsr/PETR2_GSR_english_with_treebank.jsonl", None),
]
CAUSES = ["future-as-factual", "hypothetical-as-factual", "reporter-as-source", "gold-convention", "gold-error",
          "petrarch-quirk", "dyad-error"]


def failing(dyad, shared, gold, dicts):
    """Record ids with a missed or extra event, from dyad eval --verbose."""
    cmd = [dyad, "eval", "--gold", f"{shared}/{gold}", "--verbose"]
    if dicts:
        cmd += ["--dicts", f"{shared}/{dicts}"]
    out = subprocess.run(cmd, capture_output=True, text=True).stdout
    ids = set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0] in ("missed", "extra"):
            ids.add(parts[1])
    return ids


def main():
    shared = sys.argv[1] if len(sys.argv) > 1 else "../shared"
    dyad = sys.argv[2] if len(sys.argv) > 2 else "./build/dyad"
    cause = {}
    for line in open("eval/disagreements.tsv", encoding="utf-8"):
        if line.startswith("#") or line.startswith("set\t"):
            continue
        f = line.rstrip("\n").split("\t")
        if len(f) >= 3:
            cause[(f[0], f[1])] = f[2]
    table = {}
    fixed, unclassified = {}, {}
    for name, gold, dicts in SETS:
        now = failing(dyad, shared, gold, dicts)
        counts = collections.Counter(cause.get((name, r), "unclassified") for r in now)
        table[name] = (counts, len(now))
        fixed[name] = sorted(r for (s, r), c in cause.items() if s == name and r not in now)
        unclassified[name] = sorted(r for r in now if (name, r) not in cause)
    names = [s[0] for s in SETS]
    print(f"{'cause':26}" + "".join(f"{n:>13}" for n in names))
    for c in CAUSES + ["unclassified"]:
        print(f"{c:26}" + "".join(f"{table[n][0].get(c, 0):>13}" for n in names))
    print(f"{'failing records':26}" + "".join(f"{table[n][1]:>13}" for n in names))
    print(f"{'passing now (were failing)':26}" + "".join(f"{len(fixed[n]):>13}" for n in names))
    for n in names:
        if fixed[n]:
            print(f"{n}: passing now: {' '.join(fixed[n])}")
        if unclassified[n]:
            print(f"{n}: failing, not classified: {' '.join(unclassified[n])}")


if __name__ == "__main__":
    main()
