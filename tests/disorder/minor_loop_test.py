#!/usr/bin/env python3
"""A minor loop of a disordered ferroelectric film stays inside its major loop.

Runs tests/disorder/minor_loop_2d.prm (a 2D CIPS film with a random built-in
field): the major loop's descending and ascending branches, then down to
-0.6 V (half-way down the descending branch) and back up. In a film whose
regions switch at their own thresholds (Preisach's picture of a disordered
ferroelectric), the minor loop's ascending branch lies between the major
loop's branches at every voltage, and its descending part retraces the
major descending branch (the same history).

Checks, on the voltages of the minor ascending branch (-0.6 V to +3 V, every
0.05 V, branches interpolated linearly between output rows):
- asc(V) - tol <= minor(V) <= desc(V) + tol, tol = 0.02 uC/cm^2 (0.5 % of Ps:
  the interpolation between rows, measured differences where the branches
  merge are 0.002);
- the minor descending part equals the major descending branch to 0.02;
- the loop is a genuine minor loop: its turning point is partly switched
  (|P| < 3 of Ps ~ 3.9 uC/cm^2) and the minor branch departs from the major
  ascending one by more than 0.5 uC/cm^2 somewhere.
"""
import argparse
import csv
import os
import shlex
import shutil
import subprocess
import sys

T_UP, T_DESC, T_ASC, T_MINOR_DOWN, T_END = 2.5e-4, 7.5e-4, 1.25e-3, 1.55e-3, 1.85e-3
V_TURN = -0.6
TOL = 0.02


def branch(rows, t0, t1):
    """(V, P) of the rows with t0 <= t <= t1, sorted by V."""
    return sorted((v, p) for t, v, p in rows if t0 - 1e-12 <= t <= t1 + 1e-12)


def interpolate(points, v):
    for (v0, p0), (v1, p1) in zip(points, points[1:]):
        if v0 <= v <= v1:
            return p0 if v1 == v0 else p0 + (p1 - p0) * (v - v0) / (v1 - v0)
    raise ValueError(f"{v} V is outside the branch [{points[0][0]}, {points[-1][0]}]")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--ferrostack", required=True)
    parser.add_argument("--mpirun", default="mpirun")
    parser.add_argument("--deck", required=True)
    parser.add_argument("--work", required=True)
    args = parser.parse_args()
    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(args.work)
    out = os.path.join(args.work, "run")
    cmd = [args.mpirun, "-np", "1", args.ferrostack, args.deck, "--output", out]
    print("$ " + " ".join(shlex.quote(c) for c in cmd), flush=True)
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        print(result.stdout[-3000:], result.stderr[-3000:])
        return 1
    with open(os.path.join(out, "terminals.csv")) as f:
        rows = [(float(r["time[s]"]), float(r["V_bottom[V]"]), float(r["P_fe_z[uC/cm^2]"])) for r in csv.DictReader(f)]
    desc = branch(rows, T_UP, T_DESC)
    asc = branch(rows, T_DESC, T_ASC)
    minor_down = branch(rows, T_ASC, T_MINOR_DOWN)
    minor_up = branch(rows, T_MINOR_DOWN, T_END)

    ok = True
    worst_inside, worst_retrace, departure = 0.0, 0.0, 0.0
    voltages = [V_TURN + 0.05 * k for k in range(int(round((3 - V_TURN) / 0.05)) + 1)]
    for v in voltages:
        v = min(v, 3.0)
        a, m, d = interpolate(asc, v), interpolate(minor_up, v), interpolate(desc, v)
        outside = max(a - m, m - d, 0.0)
        worst_inside = max(worst_inside, outside)
        departure = max(departure, m - a)
        if outside > TOL:
            print(f"FAIL at {v:+.2f} V: minor {m:.4f} outside [{a:.4f}, {d:.4f}]")
            ok = False
        retrace = abs(interpolate(minor_down, v) - d)
        worst_retrace = max(worst_retrace, retrace)
        if retrace > TOL:
            print(f"FAIL at {v:+.2f} V: minor descending {interpolate(minor_down, v):.4f} != major {d:.4f}")
            ok = False
    turn = interpolate(desc, V_TURN)
    print(f"minor loop outside the major loop by at most {worst_inside:.4f} uC/cm^2 (tol {TOL}); "
          f"descending parts differ by at most {worst_retrace:.4f}; turning point P = {turn:.3f} uC/cm^2; "
          f"minor branch up to {departure:.3f} uC/cm^2 above the major ascending one")
    if not abs(turn) < 3:
        print("FAIL: the turning point is not partly switched")
        ok = False
    if not departure > 0.5:
        print("FAIL: the minor branch does not depart from the major ascending branch")
        ok = False
    print("PASSED" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
