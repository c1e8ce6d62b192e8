"""Benchmark: batched replications vs sequential single-replication runs.

1 habitat x 10 residents x 365 days x 1,000 replications, run once as one batched
model, and the same work as sequential R=1 runs (a sample of them timed, then
scaled to 1,000). The batched run happens in a fresh child process so its peak
memory (max RSS) is its own. Targets (issue 2): batched <= 2 s, >= 20x faster than
sequential, peak memory <= 1 GiB.

Usage: python simulations/bench_core.py [--replications 1000] [--sample 20]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time

from habitat import simulate
from habitat.scenario import scenario_from_data

DAYS = 365
RESIDENTS = 10


def bench_scenario():
    return scenario_from_data(
        {
            "name": "Benchmark habitat of 10",
            "days": DAYS,
            "habitat": {"dwellings": RESIDENTS},
            "residents": {"generate": {"count": RESIDENTS, "share_elderly": 0.6}},
        },
        source="benchmark",
    )


def batched(replications: int) -> dict:
    scenario = bench_scenario()
    start = time.perf_counter()
    simulate(scenario, replications=replications, seed=1, record_events=False)
    seconds = time.perf_counter() - start
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"seconds": seconds, "peak_mib": peak_kib / 1024}


def sequential(sample: int) -> float:
    scenario = bench_scenario()
    start = time.perf_counter()
    for seed in range(sample):
        simulate(scenario, replications=1, seed=seed, record_events=False)
    return (time.perf_counter() - start) / sample


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=1000)
    parser.add_argument("--sample", type=int, default=20, help="sequential runs actually timed")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(batched(args.replications)))
        return
    child = subprocess.run(
        [sys.executable, __file__, "--child", "--replications", str(args.replications)],
        capture_output=True,
        text=True,
        check=True,
    )
    run = json.loads(child.stdout)
    per_run = sequential(args.sample)
    scaled = per_run * args.replications
    print(f"{RESIDENTS} residents x {DAYS} days x {args.replications} replications")
    print(f"  batched (one run, R={args.replications}):   {run['seconds']:8.2f} s")
    print(
        f"  sequential (R=1 runs, {args.sample} timed, scaled): {scaled:8.2f} s "
        f"({per_run * 1000:.0f} ms per run)"
    )
    print(f"  speed-up:                          {scaled / run['seconds']:8.1f} x")
    print(f"  peak memory of the batched run:    {run['peak_mib']:8.0f} MiB")


if __name__ == "__main__":
    main()
