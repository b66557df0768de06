#!/usr/bin/env python3
"""Sweep the hBN thickness of cips_hbn_mfim_1d.prm and print the remanent
polarization of each loop (P at 0 V after the positive and the negative
half-cycle), to see where the depolarization field closes the loop.

  inputs/ferroelectric/sweep_hbn_thickness.py [--ferrostack build/ferrostack] [--thickness 0.5 1 2 4 8]
"""
import argparse
import csv
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def remanent(path):
    rows = list(csv.reader(open(path)))
    h = rows[0]
    iv, ip = h.index("V_bottom[V]"), h.index("P_fe_z[uC/cm^2]")
    data = [(float(r[0]), float(r[iv]), float(r[ip])) for r in rows[1:]]
    end = data[-1][0]
    # The triangle is back at 0 V at t = T/2 (after the positive half) and t = T.
    after_up = min(data, key=lambda d: abs(d[0] - end / 2))[2]
    after_down = data[-1][2]
    return after_up, after_down


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--ferrostack", default=os.path.join(HERE, "..", "..", "build", "ferrostack"))
    p.add_argument("--thickness", type=float, nargs="+", default=[0.5, 1, 2, 4, 8])
    p.add_argument("--work", default="out/sweep_hbn")
    args = p.parse_args()
    deck = os.path.join(HERE, "cips_hbn_mfim_1d.prm")
    print("| hBN [nm] | Pr after +V [uC/cm^2] | Pr after -V [uC/cm^2] |")
    print("| --- | --- | --- |")
    for d in args.thickness:
        out = os.path.join(args.work, f"hbn_{d:g}")
        cells = max(2, int(round(4 * d)))
        cmd = [args.ferrostack, deck, "--output", out,
               "--set", f"Stack/Layers=fe: CIPS: 30 : 30, ins: hBN: {d:g} : {cells}",
               "--set", "Output/Fields="]
        result = subprocess.run(cmd, capture_output=True, text=True)
        if result.returncode != 0:
            print(result.stderr, file=sys.stderr)
            return 1
        up, down = remanent(os.path.join(out, "terminals.csv"))
        print(f"| {d:g} | {up:.3f} | {down:.3f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
