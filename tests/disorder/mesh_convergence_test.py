#!/usr/bin/env python3
"""The switching of a disordered film converges under mesh refinement.

The disorder is a function of position (QuenchedDisorder), not of the mesh,
so refining the mesh must converge to one answer, not to another film. Runs
the regression deck tests/decks/disorder_film_2d.prm (a CIPS film with a
random built-in field of correlation length 4 nm, switching part-way under
0.75 V for 4 us, fixed 20 ns steps) at Stack/Refinement = 0, 1, 2 (cells of
1, 0.5 and 0.25 nm) and compares the average Pz over time.

Checks: the largest difference over time between successive meshes falls,
by at least a factor 1.5 (measured 0.142 -> 0.059 uC/cm^2, a factor 2.4:
first order in h, as the disorder's lattice interpolant is only C0), and
the finest pair differs by less than 0.1 uC/cm^2 (2.5 % of Ps); the same
for the final value.
"""
import argparse
import csv
import os
import shlex
import shutil
import subprocess
import sys


def run(args, refinement):
    out = os.path.join(args.work, f"r{refinement}")
    cmd = [args.mpirun, "-np", str(args.np), args.ferrostack, args.deck, "--output", out,
           "--set", f"Stack/Refinement={refinement}", "--set", "Output/Fields="]
    print("$ " + " ".join(shlex.quote(c) for c in cmd), flush=True)
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        print(result.stdout[-3000:], result.stderr[-3000:])
        raise SystemExit(1)
    with open(os.path.join(out, "terminals.csv")) as f:
        return [(float(r["time[s]"]), float(r["P_fe_z[uC/cm^2]"])) for r in csv.DictReader(f)]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--ferrostack", required=True)
    parser.add_argument("--mpirun", default="mpirun")
    parser.add_argument("--deck", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--np", type=int, default=2)
    args = parser.parse_args()
    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(args.work)
    series = [run(args, r) for r in range(3)]
    ok = True
    for s in series[1:]:
        if [t for t, _ in s] != [t for t, _ in series[0]]:
            print("FAIL: the runs took different time steps (the deck's steps are fixed)")
            return 1
    sup = [max(abs(a - b) for (_, a), (_, b) in zip(series[k], series[k + 1])) for k in range(2)]
    final = [abs(series[k][-1][1] - series[k + 1][-1][1]) for k in range(2)]
    print(f"final <Pz>: {', '.join(f'{s[-1][1]:.4f}' for s in series)} uC/cm^2")
    print(f"largest difference over time: r0-r1 {sup[0]:.4f}, r1-r2 {sup[1]:.4f} (ratio {sup[0] / sup[1]:.2f})")
    print(f"final difference: r0-r1 {final[0]:.4f}, r1-r2 {final[1]:.4f}")
    for name, d in (("largest difference", sup), ("final difference", final)):
        if not d[1] * 1.5 <= d[0]:
            print(f"FAIL: the {name} does not fall by 1.5 under refinement")
            ok = False
        if not d[1] < 0.1:
            print(f"FAIL: the {name} on the finest pair is not below 0.1 uC/cm^2")
            ok = False
    print("PASSED" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
