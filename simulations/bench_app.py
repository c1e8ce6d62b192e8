"""Benchmark: server-side time of each page's rerun on the 5-year demo, and cold start.

Uses the 5-year demo database of `bench_store.py` (built once, cached under runs/),
signs in as each role, and reruns every page the role may open many times with
Streamlit's AppTest (the script run a browser interaction triggers, on the
server; AppTest's own overhead is included, so the figures are an upper bound).
Cold start is measured twice, each in a fresh process: `habitat serve` until
`/_stcore/health` answers, and the first rerun of the login screen (imports
included). Targets: every p95 at most 50 ms; cold start at most 2 s.

Usage: python simulations/bench_app.py [--repeat N] [--role ROLE]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from bench_store import DB as _BENCH_DB
from habitat import demo, store
from habitat.services.access import READ, Screen
from habitat.services.auth import DEMO_PASSWORD, add_user, set_demo_passwords
from habitat.store.entities import Account, Role
from habitat.ui import session
from habitat.ui.navigation import page_file

SERVE = [sys.executable, "-m", "habitat.cli", "serve"]
TARGET_MS = 50.0
COLD_TARGET_S = 2.0
ROOT = Path(__file__).resolve().parents[1]
BENCH_DB = ROOT / _BENCH_DB


def _database() -> tuple[Path, str]:
    if not BENCH_DB.exists():
        start = time.perf_counter()
        demo.build(BENCH_DB, seed=2026, years=5, scale=demo.BENCH_SCALE)
        print(f"built {BENCH_DB} in {time.perf_counter() - start:.1f} s")
    store.init(BENCH_DB)  # a database cached by an older version gets the new indexes
    with store.connect(BENCH_DB) as db:
        set_demo_passwords(db)
        if not store.find(db, Account, "role = ?", [Role.PROMOTER.value]):
            # A database cached before the promoter role existed gets its account.
            add_user(
                db,
                "bench",
                username="bench.promoter",
                display_name="Promoteur",
                role=Role.PROMOTER,
                password=DEMO_PASSWORD,
            )
        last = db.execute("SELECT MAX(written_at) FROM liaison_note").fetchone()[0]
    return BENCH_DB, last[:10]


def _page_times(screen: Screen, account: Account, repeat: int) -> list[float]:
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_file(str(page_file(screen)), default_timeout=120)
    now = time.time()
    app.session_state[session.ACCOUNT] = account.id
    app.session_state[session.SIGNED_IN_AT] = now
    app.session_state[session.LAST_SEEN] = now
    app.run()  # the first run imports the page's modules: not a rerun
    if app.exception:
        raise RuntimeError(f"{screen} failed: {app.exception[0].value}")
    times = []
    for _ in range(repeat):
        app.session_state[session.LAST_SEEN] = time.time()
        start = time.perf_counter()
        app.run()
        times.append((time.perf_counter() - start) * 1000)
    return times


def _cold_serve(db: Path) -> float:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    start = time.perf_counter()
    process = subprocess.Popen(
        [*SERVE, "--db", str(db), "--port", str(port), "--address", "127.0.0.1"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health") as r:
                    if r.read().strip() == b"ok":
                        return time.perf_counter() - start
            except OSError:
                time.sleep(0.02)
    finally:
        process.terminate()
        process.wait()


def _cold_first_run(db: Path) -> float:
    code = (
        "import time; t = time.perf_counter();"
        "from streamlit.testing.v1 import AppTest;"
        f"AppTest.from_file({str(ROOT / 'app.py')!r}, default_timeout=60).run();"
        "print(time.perf_counter() - t)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "HABITAT_DB": str(db)},
        capture_output=True,
        text=True,
        check=True,
    )
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=100, help="timed reruns per page")
    parser.add_argument("--role", choices=[r.value for r in Role], help="only this role")
    args = parser.parse_args()
    db_path, today = _database()
    os.environ["HABITAT_DB"] = str(db_path)
    os.environ["HABITAT_TODAY"] = today
    with store.connect(db_path) as db:
        accounts = {a.role: a for a in store.find(db, Account)}
    print(f"5-year demo database {db_path} ({db_path.stat().st_size / 2**20:.0f} MiB), day {today}")
    print(f"{'page':<12} {'role':<10} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    worst = 0.0
    roles = [Role(args.role)] if args.role else list(Role)
    for role in roles:
        for screen in Screen:
            if screen not in READ[role]:
                continue
            times = _page_times(screen, accounts[role], args.repeat)
            p95 = statistics.quantiles(times, n=20)[-1]
            worst = max(worst, p95)
            flag = "" if p95 <= TARGET_MS else "  over target"
            print(
                f"{screen.value:<12} {role.value:<10} {statistics.median(times):8.1f} "
                f"{p95:8.1f} {max(times):8.1f}{flag}"
            )
    serve = _cold_serve(db_path)
    first = _cold_first_run(db_path)
    print(f"worst page p95 {worst:.1f} ms (target {TARGET_MS:.0f} ms)")
    print(f"cold start: server healthy after {serve:.2f} s, first rerun (imports) {first:.2f} s")
    print(f"(target {COLD_TARGET_S:.0f} s each)")


if __name__ == "__main__":
    main()
