#!/usr/bin/env python3
"""Figures of merit of a transfer-curve sweep (I_drain against V_gate) in a
FerroStack terminals.csv: loop direction, memory window, on/off ratio.

  inputs/fesfet/analyze_transfer.py out/in2se3_sio2_270nm [--threshold 1e-2] [--dat loop.dat]

The sweep must go -V -> +V -> -V after a first leg 0 -> -V (as the decks do):
the up branch is the part of the last full cycle where V_gate rises, the down
branch where it falls. At common gate voltages the two branches are
interpolated linearly, and
- the loop direction is the sign of the enclosed area: the integral of
  (I_up - I_down) dV_gate, in linear current (and, reported too, in log10 of
  the current): positive = clockwise (the up branch carries more current),
  negative = anticlockwise;
- the memory window is the gate-voltage shift between the branches at the
  threshold current (default: 1e-2 of the largest current), signed: the
  down branch reaching it at a lower gate voltage is the anticlockwise
  shift of an n-channel FeFET; also reported at 10 % and 50 % of the
  largest current, since the branches may meet in one part of the curve
  and not in another;
- the on/off ratio is the largest over the smallest |I_drain| of the cycle,
  and the ratio of the two branches at V_gate = 0 (the memory read-out).
Uses only the standard library.
"""
import argparse
import csv
import math
import sys


def column(row, prefix):
    for k, v in row.items():
        if k.startswith(prefix):
            return float(v)
    raise KeyError(prefix)


def interpolate(branch, v):
    """Linear interpolation of I at gate voltage v on a monotonic branch."""
    for (v0, i0), (v1, i1) in zip(branch, branch[1:]):
        if min(v0, v1) <= v <= max(v0, v1) and v1 != v0:
            return i0 + (i1 - i0) * (v - v0) / (v1 - v0)
    return None


def crossing(branch, level):
    """Gate voltage where |I| first crosses level (log-linear), or None."""
    for (v0, i0), (v1, i1) in zip(branch, branch[1:]):
        a, b = abs(i0), abs(i1)
        if a > 0 and b > 0 and (a - level) * (b - level) <= 0 and a != b:
            return v0 + (v1 - v0) * (math.log(level) - math.log(a)) / (math.log(b) - math.log(a))
    return None


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("run", help="output directory of the run (holds terminals.csv)")
    p.add_argument("--threshold", type=float, default=None, help="threshold current [A/m]")
    p.add_argument("--dat", default=None, help="write V_gate, I_up, I_down columns here")
    args = p.parse_args()
    rows = list(csv.DictReader(open(args.run + "/terminals.csv")))
    V = [column(r, "V_gate") for r in rows]
    I = [column(r, "I_drain") for r in rows]
    # The last full cycle: from the last minimum of V_gate before the maximum.
    top = max(range(len(V)), key=lambda i: V[i])
    start = min(range(top), key=lambda i: V[i])
    up = [(V[i], I[i]) for i in range(start, top + 1)]
    down = [(V[i], I[i]) for i in range(top, len(V))]
    down.reverse()  # ascending V as well
    v_lo, v_hi = max(up[0][0], down[0][0]), min(up[-1][0], down[-1][0])
    n = 400
    grid = [v_lo + (v_hi - v_lo) * k / n for k in range(n + 1)]
    area = area_log = 0.0
    samples = []
    for a, b in zip(grid, grid[1:]):
        m = 0.5 * (a + b)
        iu, id_ = interpolate(up, m), interpolate(down, m)
        if iu is None or id_ is None:
            continue
        samples.append((m, iu, id_))
        area += (iu - id_) * (b - a)
        floor = 1e-30
        area_log += (math.log10(max(abs(iu), floor)) - math.log10(max(abs(id_), floor))) * (b - a)
    i_max = max(abs(i) for i in I[start:])
    threshold = args.threshold if args.threshold else 1e-2 * i_max
    nonzero = [abs(i) for i in I[start:] if abs(i) > 0]
    at0_up, at0_down = interpolate(up, 0.0), interpolate(down, 0.0)
    print(f"run: {args.run}")
    print(f"gate sweep of the last cycle: {up[0][0]:.3g} V -> {up[-1][0]:.3g} V -> {down[0][0]:.3g} V")
    print(f"loop area, integral (I_up - I_down) dV: {area:.4g} A V/m -> "
          f"{'clockwise' if area > 0 else 'anticlockwise'}")
    print(f"loop area in log10(I): {area_log:.4g} decades V -> "
          f"{'clockwise' if area_log > 0 else 'anticlockwise'}")
    levels = [threshold] + [f * i_max for f in (0.1, 0.5) if not args.threshold]
    for level in levels:
        vt_up, vt_down = crossing(up, level), crossing(down, level)
        if vt_up is None or vt_down is None:
            continue
        shift = vt_up - vt_down
        print(f"memory window at I = {level:.3g} A/m ({level / i_max:.2g} of the largest): "
              f"{abs(shift):.3g} V (up {vt_up:.3g} V, down {vt_down:.3g} V: "
              f"{'anticlockwise' if shift > 0 else 'clockwise'})")
    print(f"on/off over the cycle: {max(nonzero) / min(nonzero):.3g}")
    if at0_up and at0_down:
        print(f"I_drain at V_gate = 0: up {at0_up:.3g} A/m, down {at0_down:.3g} A/m, ratio "
              f"{max(abs(at0_up), abs(at0_down)) / max(min(abs(at0_up), abs(at0_down)), 1e-300):.3g}")
    if args.dat:
        with open(args.dat, "w") as f:
            f.write("# V_gate[V] I_up[A/m] I_down[A/m]\n")
            for m, iu, id_ in samples:
                f.write(f"{m:.6g} {iu:.6g} {id_:.6g}\n")


if __name__ == "__main__":
    sys.exit(main())
