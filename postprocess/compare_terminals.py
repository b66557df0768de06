#!/usr/bin/env python3
"""Compare two terminals.csv files of the same deck (e.g. before and after a
solver change) column by column.

Adaptive time steps differ between the two runs, so the second run is
interpolated linearly onto the times of the first that lie inside both runs;
each column's largest difference is reported relative to that column's
largest magnitude in the first run. Prints one line per column and the worst.

  postprocess/compare_terminals.py A/terminals.csv B/terminals.csv [--skip I_*]
"""
import argparse
import csv
import fnmatch
import bisect
import sys


def read(path):
    with open(path) as f:
        rows = list(csv.reader(f))
    names = [n.split("[")[0] for n in rows[0]]
    return names, [[float(v) for v in r] for r in rows[1:]]


def interpolate(t, times, values):
    """Linear interpolation of values(times) at t (times ascending)."""
    k = bisect.bisect_left(times, t)
    if k < len(times) and times[k] == t:
        return values[k]
    k = min(max(k, 1), len(times) - 1)
    w = (t - times[k - 1]) / (times[k] - times[k - 1]) if times[k] > times[k - 1] else 0.0
    return (1 - w) * values[k - 1] + w * values[k]


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("a")
    p.add_argument("b")
    p.add_argument("--skip", action="append", default=[], help="column patterns not compared")
    p.add_argument("--quiet", action="store_true")
    p.add_argument("--common-times", action="store_true",
                   help="compare only at the times both runs landed on (bias kinks, outputs), "
                        "not interpolated through steep transients")
    args = p.parse_args()
    names_a, A = read(args.a)
    names_b, B = read(args.b)
    if names_a != names_b:
        print("different columns:", names_a, names_b)
        return 1
    t_a, t_b = [r[0] for r in A], [r[0] for r in B]
    inside = [i for i, t in enumerate(t_a) if t_b[0] <= t <= t_b[-1]]
    if args.common_times:
        exact = set(t_b)
        inside = [i for i in inside if t_a[i] in exact]
    worst, worst_name = 0.0, ""
    for j, name in enumerate(names_a[1:], start=1):
        if any(fnmatch.fnmatch(name, s) for s in args.skip):
            continue
        column_b = [r[j] for r in B]
        scale = max(max(abs(r[j]) for r in A), 1e-300)
        diff = max(abs(A[i][j] - interpolate(t_a[i], t_b, column_b)) for i in inside) / scale
        if not args.quiet:
            print(f"  {name:20s} max |diff| / max |value| = {diff:.2e}")
        if diff > worst:
            worst, worst_name = diff, name
    print(f"rows {len(t_a)} / {len(t_b)}, compared at {len(inside)} times, same times: {len(t_a) == len(t_b) and all(abs(a - b) <= 1e-12 * max(abs(a), 1e-300) for a, b in zip(t_a, t_b))}, "
          f"worst column {worst_name}: {worst:.2e}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
