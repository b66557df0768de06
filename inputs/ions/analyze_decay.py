#!/usr/bin/env python3
"""Fit the decay time of a terminal current after the bias comes to rest.

    inputs/ions/analyze_decay.py RUN_DIR [--contact anode] [--from T]

reads RUN_DIR/terminals.csv and fits ln|I(t)| = ln A - t / tau by least
squares over the rows after time T (default: the last change of that
contact's bias), leaving out the first 10 % of the window (the fast,
non-exponential start of a nonlinear relaxation). Prints tau and the
window. Plain Python (csv, math), so that it runs wherever the solver does.
"""
import argparse
import csv
import math
import sys


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("run", help="run directory with terminals.csv")
    parser.add_argument("--contact", default="anode", help="contact whose current decays (default anode)")
    parser.add_argument("--from", dest="start", type=float, default=None, help="start of the decay [s]")
    args = parser.parse_args()

    with open(args.run + "/terminals.csv") as f:
        rows = list(csv.reader(f))
    header = [h.split("[")[0] for h in rows[0]]
    try:
        it, iv, ii = header.index("time"), header.index("V_" + args.contact), header.index("I_" + args.contact)
    except ValueError:
        sys.exit("terminals.csv has no V_%s / I_%s column" % (args.contact, args.contact))
    data = [(float(r[it]), float(r[iv]), float(r[ii])) for r in rows[1:]]
    start = args.start
    if start is None:
        start = 0.0
        for k in range(1, len(data)):
            if data[k][1] != data[k - 1][1]:
                start = data[k][0]
    window = [(t, i) for t, v, i in data if t > start and i != 0.0]
    if len(window) < 5:
        sys.exit("fewer than 5 rows after t = %g s" % start)
    t_end = window[-1][0]
    window = [(t, i) for t, i in window if t >= start + 0.1 * (t_end - start)]
    n = len(window)
    sx = sum(t for t, _ in window)
    sy = sum(math.log(abs(i)) for _, i in window)
    sxx = sum(t * t for t, _ in window)
    sxy = sum(t * math.log(abs(i)) for t, i in window)
    slope = (n * sxy - sx * sy) / (n * sxx - sx * sx)
    print("decay of I_%s after t = %g s: tau = %.4g s (fit of %d rows, t = %g ... %g s)"
          % (args.contact, start, -1.0 / slope, n, window[0][0], t_end))


if __name__ == "__main__":
    main()
