#!/usr/bin/env python3
"""FerroStack benchmarks: run a benchmark deck at several mesh sizes through the
real executable and print the performance table (Markdown).

  benchmarks/run_benchmarks.py [--np 2] [--refinements 1 2 3 4] [--deck benchmarks/poisson_layered_2d.prm]

Columns: MPI ranks, unknowns, solves, Newton and CG iterations (and CG
iterations per Newton step, which must not grow with refinement), setup time
(mesh, DoFs, sparsity), assembly, AMG setup, Krylov solve, total wall time of
the run, and solve wall time per unknown. Benchmarks measure; correctness is
the tests' job.
"""
import argparse
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def run_deck(args, np, r, env):
    """Run the deck at np ranks and refinement r (r < 0: the deck's own mesh); (run.log, wall) or (None, 0)."""
    out = os.path.join(args.work, f"np{np}_r{r}")
    cmd = ["mpirun", "-np", str(np), args.ferrostack, args.deck, "--output", out]
    if r >= 0:
        cmd += ["--set", f"Stack/Refinement={r}"]
    for extra in args.set:
        cmd += ["--set", extra]
    start = time.time()
    result = subprocess.run(cmd, capture_output=True, text=True, env=env)
    wall = time.time() - start
    if result.returncode != 0:
        print(result.stderr, file=sys.stderr)
        return None, 0
    return open(os.path.join(out, "run.log")).read(), wall


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--ferrostack", default=os.path.join(HERE, "..", "build", "ferrostack"))
    p.add_argument("--deck", default=os.path.join(HERE, "poisson_layered_2d.prm"))
    p.add_argument("--np", type=int, nargs="+", default=[2])
    p.add_argument("--refinements", type=int, nargs="+", default=[1, 2, 3, 4])
    p.add_argument("--set", action="append", default=[], help="extra --set overrides for every run")
    p.add_argument("--work", default="/tmp/ferrostack-benchmarks")
    p.add_argument("--per-newton", action="store_true",
                   help="the cost table instead: ms per Newton iteration (all attempts, rejected and failed "
                        "steps included) and assembly / solve / other as fractions of the run wall")
    args = p.parse_args()
    env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
               OMPI_MCA_rmaps_base_oversubscribe="1")

    if args.per_newton:
        return per_newton_table(args, env)
    print("| ranks | unknowns | steps | Newton | linear its | linear per Newton | setup [s] | assembly [s] "
          "| AMG setup [s] | linear solve [s] | run wall [s] | solve per unknown [us] |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for np in args.np:
        for r in args.refinements:
            log, wall = run_deck(args, np, r, env)
            if log is None:
                return 1
            # Steps log "Newton n  CG m" (quasi-static) or "Newton n  linear m" (TDGL;
            # a direct solve counts 1 per Newton iteration).
            steps = [(int(n), int(c)) for n, c in re.findall(r"Newton (\d+)\s+(?:CG|linear) (\d+)", log)]
            timing = re.search(r"Timing: setup (\S+) s, assembly (\S+) s, AMG setup (\S+) s, solve (\S+) s, "
                               r"unknowns (\d+)", log)
            setup, assembly, amg, solve = (float(timing.group(i)) for i in range(1, 5))
            unknowns = int(timing.group(5))
            newton = sum(s[0] for s in steps)
            cg = sum(s[1] for s in steps)
            print(f"| {np} | {unknowns} | {len(steps)} | {newton} | {cg} | {cg / max(newton, 1):.1f} | "
                  f"{setup:.2f} | {assembly:.2f} | "
                  f"{amg:.2f} | {solve:.2f} | {wall:.1f} | {1e6 * solve / unknowns:.2f} |", flush=True)
    return 0


def per_newton_table(args, env):
    """One row per rank count and refinement: what a Newton iteration costs, everything included."""
    print("| deck | ranks | unknowns | steps | Newton (all attempts) | ms per Newton | assembly | solve | other "
          "| run wall [s] | process wall [s] |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for np in args.np:
        for r in args.refinements:
            log, process_wall = run_deck(args, np, r, env)
            if log is None:
                return 1
            steps = len(re.findall(r"^step ", log, re.M))
            attempts = re.search(r"All attempts .*?: (\d+) Newton", log)
            newton = int(attempts.group(1)) if attempts else sum(
                int(n) for n in re.findall(r"Newton (\d+)\s+(?:CG|linear)", log))
            timing = re.search(r"Timing: setup (\S+) s, assembly (\S+) s, AMG setup (\S+) s, solve (\S+) s, "
                               r"unknowns (\d+)", log)
            assembly = float(timing.group(2))
            solve = float(timing.group(3)) + float(timing.group(4))
            unknowns = int(timing.group(5))
            wall = float(re.search(r"Done in (\S+) s wall", log).group(1))
            other = wall - assembly - solve
            print(f"| {os.path.basename(args.deck)} | {np} | {unknowns} | {steps} | {newton} | "
                  f"{1e3 * wall / max(newton, 1):.1f} | {100 * assembly / wall:.0f} % | {100 * solve / wall:.0f} % | "
                  f"{100 * other / wall:.0f} % | {wall:.1f} | {process_wall:.1f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
