#!/usr/bin/env python3
"""ferrostack-protocol: run a deck's synaptic pulse protocol (issue 12).

    ferrostack-protocol DECK.prm [--output DIR] [--jobs N] [--np K] [--set "Sec/Key=value"]...

The deck's `subsection Protocol` (documented by `ferrostack --print-parameters`)
names the experiment. `ferrostack DECK --print-protocol` checks the whole deck
(a bad protocol is a deck error with file, line and key: exit 2, nothing
written) and hands the section over in SI units. The protocol is expanded
into conditions, one ordinary run each (DIR/runs/<condition>/: deck.prm,
terminals.csv, solution.pvd), in which the pulsed terminal's Bias is replaced
by a PWL waveform of the pulses (every edge and read time a kink, so that
the adaptive time stepper steps onto it and terminals.csv has a row there)
and Time/End time by the end of the condition; the other contacts keep
their Bias. The runs go --jobs at a time, each on --np ranks (mpirun).
Then DIR gets protocol.csv (one row per condition or pulse), fom.json (the
figures of merit, their uncertainties and the definitions used) and
protocol.png (the response and its fit).

Kinds run here: ppf, train, srdp, sndp, sadp (README, "Synaptic protocols").
"""

import argparse
import concurrent.futures
import csv
import json
import math
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import protocol_fits  # noqa: E402

EXIT_BAD_INPUT = 2


class ProtocolError(Exception):
    """A protocol that cannot be run or analysed as asked (exit 2 or 3)."""


# ------------------------------------------------------------- waveforms


class Pulse:
    """One pulse of a condition: its terminal, where it starts and ends, where
    it is read."""

    def __init__(self, p, terminal, start, amplitude):
        self.terminal = terminal
        self.start = start
        self.amplitude = amplitude
        self.top_start = start + p["rise"]
        self.top_end = self.top_start + p["width"]
        self.end = self.top_end + p["fall"]
        self.read = self.end + p["read_delay"]


def pulse_value(p, pulse, t):
    """The pulse's height above Base at time t (0 outside it)."""
    if t <= pulse.start or t >= pulse.end:
        return 0.0
    if t < pulse.top_start:
        return pulse.amplitude * (t - pulse.start) / (pulse.top_start - pulse.start)
    if t <= pulse.top_end:
        return pulse.amplitude
    return pulse.amplitude * (pulse.end - t) / (pulse.end - pulse.top_end)


def waveforms(p, pulses, reads, end):
    """The PWL of each pulsed terminal: its rest (Base for Terminal, 0 V for
    a separate post terminal) plus the sum of its pulses (two spikes on one
    terminal superpose), with a corner at every pulse edge and at every read
    time, so that the time stepper steps onto each."""
    out = {}
    for terminal in sorted({q.terminal for q in pulses} | {p["terminal"]}):
        mine = [q for q in pulses if q.terminal == terminal]
        edges = sorted({t for q in mine for t in (q.start, q.top_start, q.top_end, q.end)})
        # A read time within round-off of a pulse edge is that edge (the time
        # stepper merges stops closer than 1e-12 of the run).
        close = 1e-12 * end
        extra = [r for r in reads if all(abs(r - e) > close for e in edges)]
        corners = sorted({0.0, end} | set(edges) | set(extra))
        # Base is the pulsed (pre) terminal's rest; a post terminal rests at 0 V.
        base = p["base"] if terminal == p["terminal"] else 0.0
        points = [(t, base + sum(pulse_value(p, q, t) for q in mine)) for t in corners if t <= end]
        out[terminal] = points
    return out


def pwl_text(points):
    return "PWL(" + ", ".join("%.17g %.17g" % c for c in points) + ")"


class Condition:
    """One run of a protocol: its pulses, the times its conductance is read
    and the value of the condition (interval, rate, ...)."""

    def __init__(self, p, name, column, value, pulses, reads=()):
        self.name, self.column, self.value = name, column, value
        self.pulses = pulses
        self.reads = list(reads)
        self.end = max([q.end for q in pulses] + [q.read for q in pulses] + self.reads) + p["tail"]
        self.points = waveforms(p, pulses, [p["delay"]] + self.reads + [q.read for q in pulses], self.end)
        self.waveforms = {terminal: pwl_text(points) for terminal, points in self.points.items()}


def shared_prefix(runs):
    """The time T up to which every condition's waveforms have the same
    corners with the same values (and so are the same function), T itself
    a corner of each: the conditions share their history up to T, which a
    single run computes once (README, "Synaptic protocols"). None when they
    share nothing but t = 0 (or there is one condition)."""
    if len(runs) < 2 or len({tuple(sorted(c.points)) for c in runs}) != 1:
        return None
    events = [sorted((t, term, v) for term, pts in c.points.items() for t, v in pts) for c in runs]
    same = lambda a, b: (a[1] == b[1] and abs(a[0] - b[0]) <= 1e-15 * max(abs(a[0]), 1e-300)
                         and abs(a[2] - b[2]) <= 1e-15 * max(abs(a[2]), abs(b[2]), 1e-300))
    n = min(len(e) for e in events)
    matched = 0
    while matched < n and all(same(events[0][matched], e[matched]) for e in events[1:]):
        matched += 1
    if matched == 0:
        return None
    # The last time all of whose corners matched (a time of several
    # terminals' corners must match as a whole), before every condition's end.
    T = events[0][matched - 1][0]
    if matched < n and abs(events[0][matched][0] - T) <= 1e-15 * T:
        earlier = [e[0] for e in events[0][:matched] if e[0] < T * (1 - 1e-15)]
        T = earlier[-1] if earlier else 0.0
    # A condition that ends at T (the shortest train) has nothing to
    # continue: share up to its last corner before that.
    end = min(c.end for c in runs)
    if T >= end * (1 - 1e-15):
        earlier = [e[0] for e in events[0][:matched] if e[0] < end * (1 - 1e-15)]
        T = earlier[-1] if earlier else 0.0
    return T if T > 0 else None


# -------------------------------------------------------------- responses


def read_terminals(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    header = [h.split("[")[0] for h in rows[0]]
    units = {h.split("[")[0]: (h[h.index("[") + 1:-1] if "[" in h else "") for h in rows[0]}
    columns = {h: [float(r[i]) for r in rows[1:]] for i, h in enumerate(header)}
    return columns, units


def value_at(t, y, when):
    """y at time @p when (linear interpolation between rows)."""
    for i in range(1, len(t)):
        if t[i] >= when - 1e-12 * max(abs(when), 1e-30):
            if t[i] == t[i - 1]:
                return y[i]
            w = (when - t[i - 1]) / (t[i] - t[i - 1])
            return y[i - 1] + min(max(w, 0.0), 1.0) * (y[i] - y[i - 1])
    return y[-1]


def integral(t, y, a, b):
    """The trapezoidal integral of y from a to b (rows inside, ends interpolated)."""
    xs = [a] + [ti for ti in t if a < ti < b] + [b]
    ys = [value_at(t, y, x) for x in xs]
    return sum(0.5 * (ys[i] + ys[i - 1]) * (xs[i] - xs[i - 1]) for i in range(1, len(xs)))


def response(kind, t, current, pulse):
    """The response of one pulse (Protocol/Response)."""
    if kind == "end":
        return value_at(t, current, pulse.top_end)
    if kind == "read":
        return value_at(t, current, pulse.read)
    if kind == "charge":
        return integral(t, current, pulse.start, pulse.end)
    # peak: the largest magnitude once the rise's displacement current has
    # passed (from 10 % of the width on), with its sign.
    a = pulse.top_start + 0.1 * (pulse.top_end - pulse.top_start)
    inside = [value_at(t, current, a)] + [c for ti, c in zip(t, current) if a < ti <= pulse.top_end]
    return max(inside, key=abs)


def baseline(kind, t, current, p, first):
    """The response before the first pulse: the current at Base just before it
    (for charge: that current over a pulse's duration)."""
    base = value_at(t, current, first.start)
    return base * (first.end - first.start) if kind == "charge" else base


# ------------------------------------------------------------- conditions


def conditions(p):
    """The runs of the protocol (Condition objects)."""
    kind, pulse = p["kind"], p["rise"] + p["width"] + p["fall"]
    A, T, d = p["amplitude"], p["terminal"], p["delay"]

    def train_of(n, period, amplitude):
        return [Pulse(p, T, d + k * period, amplitude) for k in range(n)]

    out = []
    if kind == "ppf":
        for dT in p["intervals"]:
            out.append(Condition(p, "interval_%.6g" % dT, "interval [s]", dT,
                                 [Pulse(p, T, d, A), Pulse(p, T, d + pulse + dT, A)]))
    elif kind == "train":
        out.append(Condition(p, "train", "pulse", None, train_of(p["count"], p["period"], A)))
    elif kind == "srdp":
        for rate in p["rates"]:
            out.append(Condition(p, "rate_%.6g" % rate, "rate [Hz]", rate, train_of(p["count"], 1 / rate, A)))
    elif kind == "sndp":
        for n in p["numbers"]:
            out.append(Condition(p, "number_%d" % n, "number", int(n), train_of(int(n), p["period"], A)))
    elif kind == "sadp":
        for a in p["amplitudes"]:
            out.append(Condition(p, "amplitude_%.6g" % a, "amplitude [V]", a, train_of(p["count"], p["period"], a)))
    elif kind == "ltp-ltd":
        n = p["count"]
        pulses = train_of(n, p["period"], A) + [Pulse(p, T, d + (n + k) * p["period"], p["depression_amplitude"])
                                                for k in range(n)]
        out.append(Condition(p, "ltp-ltd", "pulse", None, pulses))
    elif kind == "sequences":
        # Slot k of each pattern starts at d + k Period; its read is at the
        # slot's end minus nothing: Read delay after the (possible) pulse.
        for bits in p["sequences"]:
            pulses = [Pulse(p, T, d + k * p["period"], A) for k, b in enumerate(bits) if b == "1"]
            slots = [Pulse(p, T, d + k * p["period"], 0.0) for k in range(len(bits))]
            c = Condition(p, "sequence_" + bits, "sequence", bits, pulses, reads=[q.read for q in slots])
            c.slots = slots
            out.append(c)
    elif kind == "stdp":
        # The pre spike at t_pre, the post spike at t_pre + dt (dt < 0: post
        # first); t_pre leaves room for the earliest post spike.
        t_pre = d + max([0.0] + [-dt for dt in p["delays"]])
        for dt in p["delays"]:
            spikes = [Pulse(p, T, t_pre, A), Pulse(p, p["post_terminal"], t_pre + dt, p["post_amplitude"])]
            last = max(q.end for q in spikes)
            out.append(Condition(p, "delay_%.6g" % dt, "delay [s]", dt, spikes, reads=[last + p["read_delay"]]))
    else:
        raise ProtocolError("Protocol/Kind = %s is not run by ferrostack-protocol" % kind)
    return out


# ----------------------------------------------------------------- running


def ferrostack_command(args, np):
    command = [args.ferrostack]
    if np > 1:
        command = [args.mpirun, "-np", str(np)] + command
    return command


def run_condition(args, waveforms, end, run_dir, restart=None):
    """One ordinary run: the deck with these waveforms and end time,
    continued from the checkpoint in @p restart if given."""
    sets = ["%s=%s" % ("Bias/" + terminal, waveform) for terminal, waveform in waveforms.items()]
    sets += ["Time/End time=%.17g" % end] + args.set
    command = ferrostack_command(args, args.np) + [args.deck, "--output", run_dir]
    if restart:
        command += ["--restart", restart]
    for s in sets:
        command += ["--set", s]
    with open(run_dir + ".log", "w") as log:
        return subprocess.run(command, stdout=log, stderr=subprocess.STDOUT).returncode


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("deck")
    parser.add_argument("--output", help="directory of the protocol (default: out/<deck name>_protocol)")
    parser.add_argument("--jobs", type=int, default=1, help="runs at a time")
    parser.add_argument("--np", type=int, default=1, help="MPI ranks per run")
    parser.add_argument("--set", action="append", default=[], help="override a deck key, as ferrostack --set")
    parser.add_argument("--ferrostack", default=os.environ.get("FERROSTACK", "ferrostack"))
    parser.add_argument("--mpirun", default=os.environ.get("MPIRUN", "mpirun"))
    parser.add_argument("--no-shared-prefix", action="store_true",
                        help="run every condition from t = 0 (by default the history all conditions share is "
                             "computed once and each continues from its checkpoint)")
    args = parser.parse_args(argv)
    if args.jobs < 1 or args.np < 1:
        sys.stderr.write("ferrostack-protocol: error: --jobs and --np are whole numbers >= 1\n")
        return EXIT_BAD_INPUT

    # 1. The deck, checked by ferrostack itself; the protocol in SI units.
    check = [args.ferrostack, args.deck, "--print-protocol"]
    for s in args.set:
        check += ["--set", s]
    result = subprocess.run(check, capture_output=True, text=True)
    if result.returncode != 0:
        sys.stderr.write(result.stderr.replace("ferrostack: ", "ferrostack-protocol: "))
        return result.returncode
    p = json.loads(result.stdout)
    if p["kind"] == "none":
        sys.stderr.write("ferrostack-protocol: error: %s: Protocol/Kind: none, so the deck has no protocol to run "
                         "(ppf, stdp, srdp, sndp, sadp, ltp-ltd or train)\n" % args.deck)
        return EXIT_BAD_INPUT
    try:
        runs = conditions(p)
    except ProtocolError as e:
        sys.stderr.write("ferrostack-protocol: error: %s: %s\n" % (args.deck, e))
        return EXIT_BAD_INPUT

    # 2. The runs, each an ordinary run directory.
    output = args.output or os.path.join("out", os.path.splitext(os.path.basename(args.deck))[0] + "_protocol")
    os.makedirs(os.path.join(output, "runs"), exist_ok=True)
    dirs = [os.path.join(output, "runs", c.name) for c in runs]
    # The history every condition shares, computed once: a run to T whose
    # final checkpoint each condition continues from (--restart).
    T = None if args.no_shared_prefix else shared_prefix(runs)
    prefix = None
    if T is not None:
        prefix = os.path.join(output, "runs", "shared_prefix")
        head = {term: pwl_text([pt for pt in pts if pt[0] <= T * (1 + 1e-15)])
                for term, pts in runs[0].points.items()}
        code = run_condition(args, head, T, prefix)
        if code != 0:
            sys.stderr.write("ferrostack-protocol: solver failure: the shared prefix (0 to %.6g s) failed (see %s.log)"
                             "; nothing analysed\n" % (T, prefix))
            return 3
        print("ferrostack-protocol: the conditions share their first %.6g s (%s)" % (T, prefix))
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        codes = list(pool.map(lambda cd: run_condition(args, cd[0].waveforms, cd[0].end, cd[1], prefix),
                              zip(runs, dirs)))
    failed = [d for d, code in zip(dirs, codes) if code != 0]
    if failed:
        sys.stderr.write("ferrostack-protocol: solver failure: %s failed (see %s); nothing analysed\n"
                         % (", ".join(failed), ", ".join(d + ".log" for d in failed)))
        return 3

    # 3. Responses and figures of merit.
    rows, fom = analyse(p, runs, dirs)
    write_outputs(output, p, rows, fom)
    print("ferrostack-protocol: %d run(s) in %s/runs; protocol.csv, fom.json, protocol.png in %s"
          % (len(runs), output, output))
    return 0


def units_of(units, terminal, response_kind):
    """The unit of a response: the response terminal's current unit, or its
    charge unit for Response = charge."""
    current = units.get("I_" + terminal, "A")
    return current.replace("A", "C", 1) if response_kind == "charge" else current


def conductance(cols, terminal, t, when):
    """The response terminal's conductance I/V at time @p when (its current
    where its bias is 0)."""
    current = value_at(t, cols["I_" + terminal], when)
    voltage = value_at(t, cols["V_" + terminal], when)
    return current / voltage if voltage != 0 else current


def energies(cols, t, pulses):
    """The integral of V I over each pulse (rise to the end of the fall), per
    terminal, the mean over @p pulses."""
    out = {}
    for c in [k[2:] for k in cols if k.startswith("I_") and ("V_" + k[2:]) in cols]:
        power = [v * i for v, i in zip(cols["V_" + c], cols["I_" + c])]
        out[c] = sum(integral(t, power, q.start, q.end) for q in pulses) / len(pulses)
    return out


def analyse(p, runs, dirs):
    kind, rt = p["kind"], p["response_terminal"]
    rows, fom = [], {"kind": kind, "response": p["response"], "response terminal": rt}
    for c, d in zip(runs, dirs):
        cols, units = read_terminals(os.path.join(d, "terminals.csv"))
        t, current = cols["time"], cols["I_" + rt]
        unit = units_of(units, rt, p["response"])
        # conductance() is I/V where the response terminal's read bias is
        # not zero and the current itself where it is: the unit says which.
        read_time = c.reads[0] if c.reads else (c.pulses[0].read if c.pulses else t[-1])
        G_unit = (units.get("I_" + rt, "A") + "/V" if value_at(t, cols["V_" + rt], read_time) != 0
                  else units.get("I_" + rt, "A"))
        fom["unit"] = unit
        on_terminal = [q for q in c.pulses if q.terminal == p["terminal"]]
        first = c.pulses[0] if c.pulses else c.slots[0]  # a sequence of zeros has no pulse
        base = baseline(p["response"], t, current, p, first)
        A = [response(p["response"], t, current, q) - base for q in on_terminal]
        energy = energies(cols, t, c.pulses) if c.pulses else {}
        if kind == "ppf":
            rows.append({c.column: c.value, "A1 [%s]" % unit: A[0], "A2 [%s]" % unit: A[1],
                         "index [%]": 100 * A[1] / A[0] if A[0] else float("nan")})
        elif kind in ("srdp", "sndp", "sadp"):
            before = value_at(t, current, c.pulses[0].start)
            after = value_at(t, current, c.pulses[-1].read)
            rows.append({c.column: c.value, "A1 [%s]" % unit: A[0], "AN [%s]" % unit: A[-1],
                         "AN/A1 [%]": 100 * A[-1] / A[0] if A[0] else float("nan"),
                         "weight change [%]": 100 * (after - before) / abs(before) if before else float("nan")})
        elif kind == "train":
            for k, a in enumerate(A):
                rows.append({"pulse": k + 1, "A [%s]" % unit: a, "A/A1 [%]": 100 * a / A[0] if A[0] else float("nan")})
        elif kind == "ltp-ltd":
            G = [conductance(cols, rt, t, c.pulses[0].start)] + [conductance(cols, rt, t, q.read) for q in c.pulses]
            for k, g in enumerate(G):
                rows.append({"pulse": k, "branch": "start" if k == 0 else ("ltp" if k <= p["count"] else "ltd"),
                             "G [%s]" % G_unit: g})
            ltp_ltd(p, fom, G, G_unit)
        elif kind == "sequences":
            row = {c.column: c.value}
            for k, q in enumerate(c.slots):
                row["I slot %d [%s]" % (k + 1, units.get("I_" + rt, "A"))] = value_at(t, current, q.read)
            rows.append(row)
        elif kind == "stdp":
            G0 = conductance(cols, rt, t, min(q.start for q in c.pulses))
            G1 = conductance(cols, rt, t, c.reads[0])
            rows.append({c.column: c.value, "G before [%s]" % G_unit: G0, "G after [%s]" % G_unit: G1,
                         "weight change [%]": 100 * (G1 - G0) / abs(G0) if G0 else float("nan")})
        fom.setdefault("energy per pulse [J per device unit]", {})[c.name] = energy
    if kind == "ppf":
        rows.sort(key=lambda r: r["interval [s]"])  # the deck may list them in any order
        x = [r["interval [s]"] for r in rows]
        y = [r["index [%]"] for r in rows]
        # Within 1e-6 % of 100 % an index is neither (the solver's tolerance).
        kind_of = lambda v: ("undefined (A1 = 0)" if not math.isfinite(v) else "PPF" if v > 100 + 1e-6 else
                             "PPD" if v < 100 - 1e-6 else "none (index 100 %)")
        fom["behaviour"] = kind_of(y[0])
        fom["behaviour at the longest interval"] = kind_of(y[-1])
        fom["fit"] = None
        if len(x) < 3 or not all(math.isfinite(v) for v in y):
            fom["fit why not"] = "a fit needs three or more intervals with a finite index"
        elif max(abs(v - 100) for v in y) <= 1e-6:
            fom["fit why not"] = "the index is 100 % at every interval: nothing to fit"
        else:
            fom["fit"] = protocol_fits.ppf_fit(x, y)
    if kind == "train":
        A = [r["A/A1 [%]"] for r in rows]
        fom["A_last/A_1 [%]"] = A[-1]
        fom["largest A/A1 [%]"] = max(A)
        fom["pulse of the largest"] = 1 + A.index(max(A))
    if kind == "stdp":
        stdp_fits(p, fom, rows)
    if kind == "sequences":
        last = [list(r.values())[-1] for r in rows]
        fom["distinguishable final currents"] = distinguishable(last, p["resolution"])
        fom["final current per sequence"] = {r["sequence"]: v for r, v in zip(rows, last)}
    return rows, fom


def distinguishable(values, resolution):
    """How many of @p values differ from their sorted neighbour by more than
    @p resolution x their range (1 + the gaps larger than that)."""
    v = sorted(values)
    span = v[-1] - v[0]
    return 1 + sum(1 for a, b in zip(v, v[1:]) if b - a > resolution * span) if span > 0 else 1


def ltp_ltd(p, fom, G, G_unit):
    n = p["count"]
    ltp, ltd = G[:n + 1], G[n:]
    fom["G_max [%s]" % G_unit] = max(G)
    fom["G_min [%s]" % G_unit] = min(G)
    fom["on/off"] = max(G) / min(G) if min(G) > 0 else None
    fom["states (LTP, LTD)"] = [protocol_fits.states(ltp, p["resolution"]), protocol_fits.states(ltd, p["resolution"])]
    for name, branch in (("LTP", ltp), ("LTD", ltd)):
        try:
            fit = protocol_fits.branch_fit(branch)
            fom["NeuroSim label %s" % name] = fit["label"]
            fom["NeuroSim A/N %s" % name] = fit["A_over_N"]
            fom["NeuroSim fit rms %s" % name] = fit["rms"]
        except ValueError as e:
            fom["NeuroSim label %s" % name] = None
            fom["NeuroSim why not %s" % name] = str(e)
        fom["nonlinearity %s" % name] = protocol_fits.linearity_deviation(branch, name == "LTP")
    fom["asymmetry"] = abs(fom["nonlinearity LTP"] - fom["nonlinearity LTD"])


def stdp_fits(p, fom, rows):
    for side, sign in (("dt > 0", 1), ("dt < 0", -1)):
        pts = [(r["delay [s]"], r["weight change [%]"]) for r in rows
               if sign * r["delay [s]"] > 0 and math.isfinite(r["weight change [%]"])]
        fom["fit %s" % side] = None
        if len(pts) < 3:
            fom["fit %s why not" % side] = "an exponential with its uncertainty needs three or more delays"
            continue
        fit = protocol_fits.exponential_fit([x for x, _ in pts], [y for _, y in pts])
        # A window is resolved when its time constant lies within the delays'
        # span (x 10) and both parameters exceed their uncertainty.
        span = max(abs(x) for x, _ in pts)
        if (math.isfinite(fit["tau_err"]) and fit["tau"] < 10 * span and abs(fit["A"]) > fit["A_err"]
                and fit["tau"] > fit["tau_err"]):
            fom["fit %s" % side] = fit
        else:
            fom["fit %s why not" % side] = ("no exponential window resolved (best fit A %.3g %%, tau %.3g s, "
                                            "uncertainties %.3g, %.3g)" % (fit["A"], fit["tau"], fit["A_err"],
                                                                          fit["tau_err"]))
    fom["spike"] = {"pre": {"terminal": p["terminal"], "amplitude [V]": p["amplitude"]},
                    "post": {"terminal": p["post_terminal"], "amplitude [V]": p["post_amplitude"]},
                    "rise [s]": p["rise"], "width [s]": p["width"], "fall [s]": p["fall"], "base [V]": p["base"]}


def definitions(p):
    d = {
        "response": {"end": "the current just before each pulse's fall",
                     "peak": "the largest current during the pulse from 10 % of its width on",
                     "read": "the current at Read delay after each pulse's fall, at Base",
                     "charge": "the integral of the current from the start of the rise to the end of the fall"}[p["response"]],
        "A_i": "the response of pulse i minus the baseline (the current at Base just before pulse 1; for charge, "
               "times the pulse's duration)",
        "energy": "the integral of V I over each pulse (rise to the end of the fall) per terminal, the mean over "
                  "the pulses; J/m^2 in 1D, J/m in 2D (times Device area or depth for J)",
    }
    if p["kind"] == "ppf":
        d["index"] = "A2 / A1 x 100 %, dT from the end of pulse 1's fall to the start of pulse 2's rise"
        d["fit"] = "index - 100 % = c1 exp(-dT/tau1) + c2 exp(-dT/tau2), or one exponential (protocol_fits.ppf_fit)"
    if p["kind"] in ("srdp", "sndp", "sadp"):
        d["weight change"] = "(I(last pulse's read) - I(before pulse 1)) / |I(before pulse 1)|, at Base"
    if p["kind"] in ("ltp-ltd", "stdp"):
        d["G"] = "I / V of the response terminal at Read delay after a pulse, at Base (its current if its bias is 0)"
    if p["kind"] == "ltp-ltd":
        d["states"] = "1 + the pulse-to-pulse steps of a branch larger than Resolution x (G_max - G_min)"
        d["NeuroSim label"] = ("MLP_NeuroSim V3.0's weight-update model G = B (1 - exp(-x/A)) + G_min fitted to the "
                               "branch normalized in pulse order; label from A/N by its table (protocol_fits); + for a "
                               "saturating LTP, - for a saturating LTD (V3.0's NL_LTP = 4.22, NL_LTD = -4.22)")
        d["nonlinearity"] = "the largest departure of a branch from the line between its ends, over its range"
        d["asymmetry"] = "|nonlinearity LTP - nonlinearity LTD|"
    if p["kind"] == "sequences":
        d["I slot k"] = "the response terminal's current Read delay after the start of slot k's pulse (or where it would be)"
        d["distinguishable"] = "1 + the gaps between the sorted final currents larger than Resolution x their range"
    if p["kind"] == "stdp":
        d["weight change"] = "(G after the later spike - G before the earlier) / G before"
        d["fits"] = "weight change = A exp(-|dt| / tau) on each side (A > 0 potentiation, A < 0 depression)"
    return d


def finite_or_none(x):
    """Result files hold no NaN or infinity: a value that is not finite (an
    index over a zero response, an unresolved fit's uncertainty) is null in
    fom.json and empty in protocol.csv."""
    if isinstance(x, dict):
        return {k: finite_or_none(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [finite_or_none(v) for v in x]
    if isinstance(x, float) and not math.isfinite(x):
        return None
    return x


def write_outputs(output, p, rows, fom):
    fom["definitions"] = definitions(p)
    columns = list(rows[0])
    with open(os.path.join(output, "protocol.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(columns)
        for r in rows:
            w.writerow([("%.10g" % r[c] if math.isfinite(r[c]) else "") if isinstance(r[c], float) else r[c]
                        for c in columns])
    with open(os.path.join(output, "fom.json"), "w") as f:
        json.dump(finite_or_none(fom), f, indent=2, allow_nan=False)
        f.write("\n")
    plot(output, p, rows, fom, columns)


def plot(output, p, rows, fom, columns):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np
    kind = p["kind"]
    fig, ax = plt.subplots(figsize=(5.5, 4))
    if kind == "sequences":
        for r in rows:
            ax.plot(range(1, len(r)), list(r.values())[1:], "o-", ms=3, label=r["sequence"])
        ax.set_xlabel("slot")
        ax.set_ylabel(columns[1].replace("slot 1 ", ""))
        ax.set_title("sequences: current after each slot (%s)" % p["response_terminal"])
        ax.legend(fontsize=6, ncol=4)
        fig.tight_layout()
        fig.savefig(os.path.join(output, "protocol.png"), dpi=120)
        plt.close(fig)
        return
    x = [r[columns[0]] for r in rows]
    ycol = {"ppf": "index [%]", "train": "A/A1 [%]", "stdp": "weight change [%]"}.get(kind, "AN/A1 [%]")
    if kind == "ltp-ltd":
        ycol = columns[2]
    y = [r[ycol] for r in rows]
    ax.plot(x, y, "o", ms=4, label="simulated")
    if kind == "ppf" and fom.get("fit"):
        xs = np.geomspace(min(x), max(x), 200)
        f = fom["fit"]
        label = "fit: tau1 %.3g s" % f["tau1"] + (", tau2 %.3g s" % f["tau2"] if f["terms"] == 2 else "")
        ax.plot(xs, protocol_fits.ppf_model(xs, f), "-", label=label)
        ax.set_xscale("log")
    if kind == "stdp":
        for side, sign in (("dt > 0", 1), ("dt < 0", -1)):
            f = fom.get("fit " + side)
            if f:
                xs = np.linspace(sign * min(abs(v) for v in x if sign * v > 0), sign * max(abs(v) for v in x), 100)
                ax.plot(xs, f["A"] * np.exp(-np.abs(xs) / f["tau"]), "-", label="%s: tau %.3g s" % (side, f["tau"]))
    if kind in ("ppf", "train", "srdp", "sndp", "sadp"):
        ax.axhline(100, color="0.6", lw=0.8)
    ax.set_xlabel(columns[0])
    ax.set_ylabel(ycol)
    ax.set_title("%s: %s of %s" % (kind, "G" if kind in ("ltp-ltd", "stdp") else p["response"] + " response",
                                   p["response_terminal"]))
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(os.path.join(output, "protocol.png"), dpi=120)
    plt.close(fig)


if __name__ == "__main__":
    sys.exit(main())
