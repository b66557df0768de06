#!/usr/bin/env python3
"""Kill-and-restart test of checkpoint/restart (issue 9, item 4).

For one deck: run it uninterrupted at -np 1 and -np 2 (the references), then,
for each case (ranks of the killed run -> ranks of the restart):

  1 -> 1   restart in place       (--restart DIR), killed right after a checkpoint
  2 -> 2   restart elsewhere      (--restart DIR --output OTHER), killed 3 rows later
  2 -> 1   restart in place on fewer ranks, killed after its second field
           output (usually after the checkpoint: solution.pvd is cut back)

start the deck with a checkpoint every few accepted steps
(`Output/Checkpoint every steps`, deterministic, unlike the wall clock),
wait until its second checkpoint exists, SIGKILL all its processes (its
session: mpirun and every rank, each of which OpenMPI puts into a process
group of its own), restart it, and compare
terminals.csv with the uninterrupted run of the killed run's rank count:
the same number of rows, the same times and every value within rtol of its
column's largest magnitude (1e-10 at the same rank count, where a restart
repeats the arithmetic: bitwise at -np 1; at -np 2 the uninterrupted run
itself repeats only to ~1e-12, MUMPS's parallel factorization not being
bitwise reproducible; the solver tolerance, 1e-6, from 2 ranks to 1, where the partition and with it the round-off of the direct solver
differ). It also checks that the killed run really was cut short (rows
after its newest checkpoint are then dropped on restart), that the restart
says it restarted, that solution.pvd lists the reference's times with
every file present, and that --restart of a directory without a checkpoint
is an exit-2 error naming the directory.

Exit status 0 when every check passes; the output gives row counts and the
largest relative differences.
"""
import argparse
import csv
import glob
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time

CHECKPOINT_EVERY_STEPS = 7


def command(args, np, extra):
    return [args.mpirun, "-np", str(np), args.ferrostack, args.deck] + extra


def run(args, np, extra, name):
    cmd = command(args, np, extra)
    print("$ " + " ".join(shlex.quote(c) for c in cmd), flush=True)
    start = time.time()
    result = subprocess.run(cmd, capture_output=True, text=True)
    print(f"  {name}: exit {result.returncode}, {time.time() - start:.1f} s", flush=True)
    return result


def read_terminals(out):
    with open(os.path.join(out, "terminals.csv")) as f:
        rows = list(csv.reader(f))
    return rows[0], [[float(v) for v in r] for r in rows[1:]]


def pvd_entries(out):
    path = os.path.join(out, "solution.pvd")
    if not os.path.exists(path):
        return []
    with open(path) as f:
        text = f.read()
    return [(float(t), name) for t, name in re.findall(r'timestep="([^"]+)"[^>]*file="([^"]+)"', text)]


def checkpoints(out):
    return sorted(glob.glob(os.path.join(out, "checkpoint", "state-*.ckpt")))


def session_processes(sid):
    """The processes of session @p sid (mpirun and its ranks: OpenMPI puts
    each rank into its own process group, so killpg would miss them)."""
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == sid and fields[0] != "Z":
            pids.append(int(entry))
    return pids


def kill_session(sid):
    """SIGKILL every process of session @p sid, and wait until none is left."""
    deadline = time.time() + 30
    while time.time() < deadline:
        pids = session_processes(sid)
        if not pids:
            return True
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        time.sleep(0.01)
    return False


def count_rows(out):
    try:
        with open(os.path.join(out, "terminals.csv")) as f:
            return max(sum(1 for line in f if line.endswith("\n")) - 1, 0)
    except OSError:
        return 0


def kill_after_checkpoint(args, np, out, full_rows, later_rows):
    """Start the deck, SIGKILL it once its second checkpoint exists and
    @p later_rows more rows have been written after it (rows the restart
    must drop: they are after the checkpoint), or, with "output", once
    solution.pvd has its second entry (usually after the newest checkpoint:
    then the restart must drop that entry and its files and write them anew)."""
    extra = ["--output", out, "--set", f"Output/Checkpoint every steps={CHECKPOINT_EVERY_STEPS}",
             "--set", "Output/Checkpoint every=0"]
    cmd = command(args, np, extra)
    print("$ " + " ".join(shlex.quote(c) for c in cmd) +
          f"   # killed {later_rows} rows after its second checkpoint" if later_rows != "output" else
          "   # killed after its second checkpoint and its second field output", flush=True)
    process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.time() + 120
    seen = None
    while time.time() < deadline and process.poll() is None:
        if seen is None and any(os.path.basename(c) >= "state-00000001.ckpt" for c in checkpoints(out)):
            seen = count_rows(out)
        if later_rows == "output":
            if seen is not None and len(pvd_entries(out)) >= 2:
                break
        elif seen is not None and count_rows(out) >= seen + later_rows:
            break
        time.sleep(0.002)
    if process.poll() is None:
        # All at once: a rank that outlived mpirun would go on writing.
        os.killpg(process.pid, signal.SIGKILL)
    gone = kill_session(process.pid)
    process.wait()
    if not gone:
        print("FAIL processes of the killed run survived SIGKILL")
        return False
    rows = len(read_terminals(out)[1]) if os.path.exists(os.path.join(out, "terminals.csv")) else 0
    newest = checkpoints(out)[-1] if checkpoints(out) else None
    print(f"  killed run: exit {process.returncode}, {rows} of {full_rows} rows and {len(pvd_entries(out))} "
          f"solution.pvd entries written, newest checkpoint "
          f"{newest and os.path.basename(newest)}", flush=True)
    ok = process.returncode == -signal.SIGKILL and rows < full_rows and newest is not None
    if not ok:
        print("FAIL the run was not killed before its end with a checkpoint on disk")
    return ok


def compare(name, reference, got, rtol):
    ref_header, ref_rows = reference
    header, rows = got
    if header != ref_header or len(rows) != len(ref_rows):
        print(f"FAIL {name}: {len(rows)} rows x {len(header)} columns, the uninterrupted run has "
              f"{len(ref_rows)} x {len(ref_header)}")
        return False
    worst, where = 0.0, ""
    for j, column in enumerate(header):
        scale = max(abs(r[j]) for r in ref_rows)
        for i, (a, b) in enumerate(zip(ref_rows, rows)):
            d = abs(a[j] - b[j]) / scale if scale > 0 else abs(a[j] - b[j])
            if d > worst:
                worst, where = d, f"{column} row {i + 1}"
    times_equal = all(abs(a[0] - b[0]) <= rtol * max(abs(r[0]) for r in ref_rows) for a, b in zip(ref_rows, rows))
    ok = worst <= rtol and times_equal
    print(f"{'ok  ' if ok else 'FAIL'} {name}: {len(rows)} rows, same times, max relative difference "
          f"{worst:.3e}{' (' + where + ')' if where else ''}, tolerance {rtol:g}")
    return ok


def check_pvd(name, reference_out, out):
    ref, got = pvd_entries(reference_out), pvd_entries(out)
    missing = [f for _, f in got if not os.path.exists(os.path.join(out, f))]
    ok = [t for t, _ in ref] == [t for t, _ in got] and not missing
    if got:
        for _, f in got:
            with open(os.path.join(out, f)) as pvtu:
                pieces = re.findall(r'Source="([^"]+)"', pvtu.read())
            missing += [p for p in pieces if not os.path.exists(os.path.join(out, p))]
        ok &= not missing
    print(f"{'ok  ' if ok else 'FAIL'} {name}: solution.pvd has {len(got)} entries "
          f"(uninterrupted: {len(ref)}){', missing ' + ', '.join(missing) if missing else ''}")
    return ok


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--ferrostack", required=True)
    p.add_argument("--mpirun", default="mpirun")
    p.add_argument("--deck", required=True)
    p.add_argument("--work", required=True)
    args = p.parse_args()
    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(args.work)
    started = time.time()
    ok = True

    references = {}
    for np in (1, 2):
        out = os.path.join(args.work, f"uninterrupted_np{np}")
        result = run(args, np, ["--output", out], f"uninterrupted -np {np}")
        if result.returncode != 0:
            print(result.stdout[-3000:], result.stderr[-3000:])
            print("FAIL the uninterrupted run")
            return 1
        references[np] = (out, read_terminals(out))
        print(f"  {len(references[np][1][1])} rows", flush=True)

    # (killed ranks, restart ranks, restart into another directory, rows
    # written after the checkpoint before the kill, tolerance)
    cases = [(1, 1, False, 0, 1e-10), (2, 2, True, 3, 1e-10), (2, 1, False, "output", 1e-6)]
    for killed_np, restart_np, elsewhere, later_rows, rtol in cases:
        name = f"kill -np {killed_np}, restart -np {restart_np}{' into another directory' if elsewhere else ''}"
        out = os.path.join(args.work, f"killed_np{killed_np}_restart_np{restart_np}")
        reference_out, reference = references[killed_np]
        if not kill_after_checkpoint(args, killed_np, out, len(reference[1]), later_rows):
            ok = False
            continue
        extra = ["--restart", out]
        final = out
        if elsewhere:
            final = out + "_continued"
            extra += ["--output", final]
        result = run(args, restart_np, extra, "restart")
        if result.returncode != 0:
            print(result.stdout[-3000:], result.stderr[-3000:])
            print(f"FAIL {name}: the restart failed")
            ok = False
            continue
        with open(os.path.join(final, "run.log")) as f:
            restarted = re.search(r"Restarting from .*checkpoint (\d+), t = (\S+) s, (\d+) rows", f.read())
        if restarted:
            print(f"  restarted from checkpoint {restarted.group(1)} at t = {restarted.group(2)} s, "
                  f"{restarted.group(3)} rows kept", flush=True)
        else:
            print(f"FAIL {name}: run.log does not say that it restarted")
            ok = False
        ok &= compare(name, reference, read_terminals(final), rtol)
        ok &= check_pvd(name, reference_out, final)

    # A directory without a checkpoint: exit 2, naming it.
    empty = os.path.join(args.work, "no_checkpoint")
    os.makedirs(empty)
    result = run(args, 1, ["--restart", empty], "restart without a checkpoint")
    good = result.returncode == 2 and "no checkpoint" in result.stderr and empty in result.stderr
    print(f"{'ok  ' if good else 'FAIL'} --restart without a checkpoint: exit {result.returncode}: "
          f"{result.stderr.strip()}")
    ok &= good

    print(f"{'passed' if ok else 'FAILED'} in {time.time() - started:.1f} s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
