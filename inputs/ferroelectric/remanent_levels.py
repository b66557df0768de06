#!/usr/bin/env python3
"""Remanent levels of a pulse train: <Pz> read just before each pulse.

  remanent_levels.py RUN_DIR [--layer fe] [--first 30e-6] [--period 6e-6]
                     [--count 64] [--read 0.5e-6] [--resolution 0.02 0.04 0.08]

Reads RUN_DIR/terminals.csv and takes <Pz> of the layer at `read` seconds
before pulse k + 1 starts (pulse k + 1 at first + (k + 1) period; the level
before the first pulse at first - read), for k = 0 ... count - 1. A level
counts as distinguishable when it differs from the last counted one by more
than the resolution [uC/cm^2]. Prints the levels and the counts, and writes
RUN_DIR/remanent_levels.csv (pulse, P_z[uC/cm^2]) for plotting.
"""
import argparse
import csv
import os


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("run")
    parser.add_argument("--layer", default="fe")
    parser.add_argument("--first", type=float, default=30e-6, help="start of the first pulse [s]")
    parser.add_argument("--period", type=float, default=6e-6, help="pulse period [s]")
    parser.add_argument("--count", type=int, default=64)
    parser.add_argument("--read", type=float, default=0.5e-6, help="read this long before the next pulse [s]")
    parser.add_argument("--resolution", type=float, nargs="+", default=[0.02, 0.04, 0.08])
    args = parser.parse_args()
    with open(os.path.join(args.run, "terminals.csv")) as f:
        rows = list(csv.DictReader(f))
    column = f"P_{args.layer}_z[uC/cm^2]"
    times = [float(r["time[s]"]) for r in rows]
    values = [float(r[column]) for r in rows]

    def at(t):
        i = min(range(len(times)), key=lambda j: abs(times[j] - t))
        return values[i]

    levels = [at(args.first - args.read)]
    levels += [at(args.first + (k + 1) * args.period - args.read) for k in range(args.count)]
    with open(os.path.join(args.run, "remanent_levels.csv"), "w") as out:
        out.write("pulse,P_z[uC/cm^2]\n")
        for k, p in enumerate(levels):
            out.write(f"{k},{p:.6f}\n")
    print("levels [uC/cm^2]: " + " ".join(f"{p:.3f}" for p in levels))
    window = max(levels) - min(levels)
    for resolution in args.resolution:
        counted = [levels[0]]
        for p in levels[1:]:
            if abs(p - counted[-1]) > resolution:
                counted.append(p)
        print(f"distinguishable at {resolution} uC/cm^2 ({100 * resolution / window:.2f} % of the "
              f"{window:.2f} window): {len(counted)}")


if __name__ == "__main__":
    main()
