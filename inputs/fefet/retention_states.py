#!/usr/bin/env python3
"""The two rests of mos2_cips_retention_2d.prm as columns for plotting:
time since the end of the rest's pulse [s], I_drain [A/m] and P_cips_z
[uC/cm^2], one block per state (erased, then programmed), and the drain
current at the end of each rest against its value 0.1 s after the pulse.

  inputs/fefet/retention_states.py out/mos2_cips_retention_2d > retention.dat

Uses only the standard library (and the column reader of
inputs/fesfet/analyze_transfer.py).
"""
import csv
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fesfet"))
from analyze_transfer import column  # noqa: E402


def main():
    rows = list(csv.DictReader(open(sys.argv[1] + "/terminals.csv")))
    # The pulses of the deck end at 12 ms and at 1000.012 s; each rest runs
    # to the next pulse (or the end).
    rests = [("erased", 12e-3, 1000.0), ("programmed", 1000.012, float("inf"))]
    for name, start, end in rests:
        block = [(column(r, "time") - start, column(r, "I_drain"), column(r, "P_cips_z"))
                 for r in rows if start < column(r, "time") <= end]
        print(f"# {name}: time since the pulse [s], I_drain [A/m], P_cips_z [uC/cm^2]")
        for t, i, p in block:
            print(f"{t:.6e} {i:.6e} {p:.6f}")
        print("\n")
        early = min(block, key=lambda b: abs(b[0] - 0.1))
        sys.stderr.write(f"{name}: I_drain {early[1]:.6g} A/m at {early[0]:.3g} s after the pulse, "
                         f"{block[-1][1]:.6g} A/m at {block[-1][0]:.4g} s (change {block[-1][1] / early[1] - 1:+.2e}); "
                         f"P_cips_z {block[-1][2]:.4f} uC/cm^2\n")


if __name__ == "__main__":
    main()
