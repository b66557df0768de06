#!/usr/bin/env python3
"""Run one regression deck through the real ferrostack executable and check it.

A regression deck is an ordinary deck whose header comments carry the test:

  # MPI: 1 2
      run at each of these rank counts; with more than one, terminals.csv of
      every run must agree with the first run (see NP-AGREEMENT).
  # NP-AGREEMENT: rtol 1e-9 [atol 1e-30] [atol P_*=1e-12 ...]
      tolerance of that agreement (default rtol 1e-9, atol 0), rtol relative
      to the largest magnitude of each column; an atol may be given per
      column pattern (fnmatch), for columns whose exact value is zero and
      whose computed value is round-off (P averaged over a stripe pattern).
  # ARGS: --set "Bias/gate=DC 1"
      extra command-line arguments.
  # EXPECT: <expression of columns> @ <row> == <expression> rtol <r> [atol <a>]
      a check on terminals.csv. Columns are named without their unit
      (Q_bottom for "Q_bottom[C/m^2]"); <row> is first, last, every (each row
      must pass), or an index;
      the right-hand side is the independently known answer (analytic,
      conservation law), written out as arithmetic with math functions and
      the constants eps0, q, kB.
  # EXPECT-ERROR: <exit code> "<fragment>" ["<fragment>" ...]
      the run must fail with this exit code, print each fragment on stderr,
      and write nothing (the output directory must not exist).

Exit status 0 when every check passes; the output says what was compared.
"""
import argparse
import csv
import fnmatch
import math
import os
import re
import shlex
import shutil
import subprocess
import sys

CONSTANTS = {"eps0": 8.8541878128e-12, "q": 1.602176634e-19, "kB": 1.380649e-23}


def parse_header(deck):
    tags = {"MPI": ["1"], "EXPECT": [], "EXPECT-ERROR": None, "ARGS": [], "NP-AGREEMENT": (1e-9, {"*": 0.0})}
    with open(deck) as f:
        for line in f:
            m = re.match(r"#\s*(MPI|EXPECT-ERROR|EXPECT|ARGS|NP-AGREEMENT):\s*(.*)", line)
            if not m:
                continue
            key, value = m.group(1), m.group(2).strip()
            if key == "MPI":
                tags["MPI"] = value.split()
            elif key == "EXPECT":
                tags["EXPECT"].append(value)
            elif key == "EXPECT-ERROR":
                parts = shlex.split(value)
                tags["EXPECT-ERROR"] = (int(parts[0]), parts[1:])
            elif key == "ARGS":
                tags["ARGS"] = shlex.split(value)
            elif key == "NP-AGREEMENT":
                rtol = re.search(r"rtol\s+(\S+)", value)
                atol = {"*": 0.0}
                for pattern, number in re.findall(r"atol\s+(?:(\S+)=)?(\S+)", value):
                    atol[pattern or "*"] = float(number)
                tags["NP-AGREEMENT"] = (float(rtol.group(1)) if rtol else 1e-9, atol)
    return tags


def run(args, np, deck, out, extra):
    cmd = [args.mpirun, "-np", str(np), args.ferrostack, deck, "--output", out] + extra
    print("$ " + " ".join(shlex.quote(c) for c in cmd), flush=True)
    return subprocess.run(cmd, capture_output=True, text=True)


def read_terminals(out):
    with open(os.path.join(out, "terminals.csv")) as f:
        rows = list(csv.reader(f))
    names = [re.sub(r"\[.*\]$", "", h) for h in rows[0]]
    values = [[float(v) for v in r] for r in rows[1:]]
    for r in values:
        for v in r:
            if not math.isfinite(v):
                raise SystemExit("non-finite value in terminals.csv")
    return names, values


def check_expect(expect, names, values):
    m = re.match(r"(.+?)\s+@\s+(\S+)\s+==\s+(.+?)\s+rtol\s+(\S+)(?:\s+atol\s+(\S+))?\s*$", expect)
    if not m:
        raise SystemExit("malformed EXPECT: " + expect)
    lhs, row, rhs, rtol, atol = m.group(1), m.group(2), m.group(3), float(m.group(4)), float(m.group(5) or 0)
    if row == "every":
        indices = range(len(values))
    else:
        index = {"first": 0, "last": len(values) - 1}.get(row)
        indices = [int(row) if index is None else index]
    # Every row asked for must pass; the worst one (in units of its
    # tolerance) is reported.
    worst = None
    for index in indices:
        env = dict(vars(math))
        env.update(CONSTANTS)
        env.update(dict(zip(names, values[index])))
        got = eval(lhs, {"__builtins__": {}}, env)
        want = eval(rhs, {"__builtins__": {}}, env)
        excess = abs(got - want) / max(atol + rtol * abs(want), 1e-300)
        if worst is None or excess > worst[0]:
            worst = (excess, index, got, want)
    excess, index, got, want = worst
    ok = excess <= 1
    where = f"{row} (worst row {index} of {len(values)})" if row == "every" else row
    print(f"{'ok  ' if ok else 'FAIL'} {lhs} @ {where}: got {got:.12e}, expected {want:.12e} (rtol {rtol}, atol {atol})")
    return ok


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--ferrostack", required=True)
    p.add_argument("--mpirun", default="mpirun")
    p.add_argument("--deck", required=True)
    p.add_argument("--work", required=True)
    args = p.parse_args()

    tags = parse_header(args.deck)
    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(args.work)
    ok = True
    first = None
    for np in tags["MPI"]:
        out = os.path.join(args.work, f"np{np}")
        result = run(args, np, args.deck, out, tags["ARGS"])
        if tags["EXPECT-ERROR"] is not None:
            code, fragments = tags["EXPECT-ERROR"]
            print(result.stderr.strip())
            if result.returncode != code:
                print(f"FAIL exit code {result.returncode}, expected {code}")
                ok = False
            for fragment in fragments:
                if fragment not in result.stderr:
                    print(f"FAIL stderr lacks {fragment!r}")
                    ok = False
            if os.path.exists(out):
                print(f"FAIL a failed run wrote {out}")
                ok = False
            continue
        if result.returncode != 0:
            print(result.stdout[-4000:], result.stderr[-4000:])
            print(f"FAIL exit code {result.returncode}")
            return 1
        names, values = read_terminals(out)
        for expect in tags["EXPECT"]:
            ok &= check_expect(expect, names, values)
        if first is None:
            first = (np, names, values)
        else:
            rtol, atol = tags["NP-AGREEMENT"]
            worst = 0.0
            same_shape = names == first[1] and len(values) == len(first[2])
            if same_shape:
                scale = [max(abs(row[j]) for row in first[2]) for j in range(len(names))]
                column_atol = [max(v for k, v in atol.items() if fnmatch.fnmatch(n, k)) for n in names]
                for a_row, b_row in zip(first[2], values):
                    for j, (a, b) in enumerate(zip(a_row, b_row)):
                        excess = abs(a - b) - (column_atol[j] + rtol * scale[j])
                        worst = max(worst, excess)
            agree = same_shape and worst <= 0
            print(f"{'ok  ' if agree else 'FAIL'} terminals.csv at -np {np} agrees with -np {first[0]} "
                  f"(rtol {rtol}, atol {atol})")
            ok &= agree
    print("PASSED" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
