"""Compare two versions of CoopNet under load, side by side, in short alternating bursts.

    git worktree add /tmp/bench-before <commit>
    git worktree add /tmp/bench-after <commit>
    .venv/bin/python bench/load/run.py --only none     # creates coopnet_bench_load if needed
    .venv/bin/python bench/load/compare.py /tmp/bench-before /tmp/bench-after

On a shared machine the speed drifts by half within minutes, more than most changes, so two
whole load test runs a few minutes apart cannot be compared. This starts both versions at once
(gunicorn on two ports, each with its own Redis database, the same PostgreSQL database and the
same virtual environment: this one's), warms each address up on both, then measures it in
--rounds rounds of one --burst on each, before/after then after/before, so that both meet the
same moments of the machine. It prints, per address, each side's requests per second over all
its bursts, the median of the per-round ratios (after / before) with their range, and the
median of the bursts' p50 and p99, the server's CPU time per request (gunicorn's processes,
not PostgreSQL's or Redis's) before and after with the median of the rounds' ratios, which
depends far less on the machine's other work than requests per second do; and a CPU reference
(a fixed Python loop) per round. Give the same root twice to see the noise on its own.
bench/README.md ("Before and after the layout change") has an example.
"""

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
from argparse import Namespace
from pathlib import Path

import run as load

HERE = Path(__file__).resolve().parent


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path, help="the root of the first version (a worktree)")
    parser.add_argument("after", type=Path, help="the root of the second version")
    parser.add_argument("--database", default="coopnet_bench_load")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument(
        "--redis",
        default="redis://127.0.0.1:6379",
        help="databases 11 and 12 are used (and emptied); the test suite's are 3 to 6",
    )
    parser.add_argument(
        "--redis-dbs", type=int, nargs=2, default=[11, 12], help="each side's Redis database"
    )
    parser.add_argument("--ports", type=int, nargs=2, default=[8350, 8351])
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--burst", type=int, default=5, help="seconds per burst")
    parser.add_argument("--warmup", type=int, default=3, help="seconds per address and side")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=1, help="wrk threads")
    parser.add_argument("--urls", type=Path, default=HERE / "urls.txt")
    parser.add_argument("--only", nargs="*", help="names from the URL list to run")
    return parser.parse_args()


TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    """CPU time used so far by a gunicorn master and its workers, those alive and those gone
    (recycled after GUNICORN_MAX_REQUESTS: their time is in the master's children's time).
    Unlike requests per second, the CPU time a request costs hardly depends on what else the
    machine is doing."""

    def stat(path):
        text = Path(path).read_text()
        return text[text.rindex(")") + 2 :].split()  # fields from the state on

    def own(fields):
        return int(fields[11]) + int(fields[12])  # utime, stime

    fields = stat(f"/proc/{pid}/stat")
    ticks = own(fields) + int(fields[13]) + int(fields[14])  # + cutime, cstime
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                child = stat(entry / "stat")
            except OSError:
                continue  # gone meanwhile
            if int(child[1]) == pid:  # its parent
                ticks += own(child)
    return ticks / TICK


def burst(args, side, path, mode):
    started = cpu_seconds(side["server"].pid)
    result = load.run_wrk(args, side["base"] + path, mode, duration=args.burst)
    result["cpu"] = cpu_seconds(side["server"].pid) - started
    return result


def start(args, root, port, redis_db):
    side = Namespace(**{**vars(args), "port": port, "redis": f"{args.redis}/{redis_db}"})
    env = load.server_env(side)
    load.collect_static(env, root)
    import redis

    redis.Redis.from_url(side.redis).flushdb()
    commit = subprocess.run(
        ["git", "-C", str(root), "log", "-1", "--format=%h %s"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    server, base = load.start_gunicorn(
        side, env, root=root, log=Path(tempfile.gettempdir()) / f"coopnet-compare-{port}.log"
    )
    return {"root": root, "commit": commit, "server": server, "base": base}


def main():
    args = parse_args()
    load.ensure_wrk()
    database_url = f"{args.pg}/{args.database}"
    if load.count_case_studies(database_url) == 0:
        sys.exit(f"{args.database} holds no case studies: run bench/load/run.py first")
    load.analyse(database_url)
    sides = []
    try:
        for root, port, redis_db in zip(
            (args.before, args.after), args.ports, args.redis_dbs, strict=True
        ):
            sides.append(start(args, root.resolve(), port, redis_db))
        for name, side in zip(("before", "after"), sides, strict=True):
            print(f"{name}: {side['root']} ({side['commit']}) on {side['base']}")
        print(
            f"{args.workers} workers each, {args.connections} connections, {args.rounds} rounds "
            f"of {args.burst}s bursts per side after {args.warmup}s of warm-up per side, "
            f"{os.cpu_count()} CPUs, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}",
            flush=True,
        )
        slug = load.published_slug(database_url)
        references = []
        print(
            f"\n{'address':26} {'mode':15} {'before/s':>8} {'after/s':>8} {'ratio':>5} "
            f"{'(range)':>11}  {'p50 before/after ms':>19}  {'p99 before/after ms':>19}  "
            f"{'CPU ms/request':>20}  errors"
        )
        total_errors = 0
        for line in args.urls.read_text().splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            name, mode, path = line.split()
            if args.only and name not in args.only:
                continue
            path = path.replace("{case_study}", slug)
            statuses = [load.get(side["base"] + path) for side in sides]
            if statuses != [200, 200]:
                print(f"{name:26} skipped: {path} answers {statuses}", flush=True)
                continue
            if args.warmup:
                for side in sides:
                    load.run_wrk(args, side["base"] + path, mode, duration=args.warmup)
            bursts = [[], []]
            for round_ in range(args.rounds):
                references.append(load.cpu_reference())
                order = (0, 1) if round_ % 2 == 0 else (1, 0)
                for i in order:
                    bursts[i].append(burst(args, sides[i], path, mode))
            rps = [sum(b["requests"] for b in runs) / (args.burst * args.rounds) for runs in bursts]
            ratios = [a["rps"] / b["rps"] for b, a in zip(*bursts, strict=True)]
            p50 = [statistics.median(b["p50"] for b in runs) for runs in bursts]
            p99 = [statistics.median(b["p99"] for b in runs) for runs in bursts]
            errors = [sum(b["errors"] for b in runs) for runs in bursts]
            cpu = [  # server CPU milliseconds per request
                1000 * sum(b["cpu"] for b in runs) / sum(b["requests"] for b in runs)
                for runs in bursts
            ]
            # The machine may stall for seconds (the CPU reference once took ten times as long):
            # medians of the rounds' own ratios are not thrown by one such round.
            cpu_ratios = [
                (a["cpu"] / max(a["requests"], 1)) / (b["cpu"] / max(b["requests"], 1))
                for b, a in zip(*bursts, strict=True)
                if b["cpu"] and a["cpu"]
            ]
            total_errors += sum(errors)
            print(
                f"{name:26} {mode:15} {rps[0]:8.0f} {rps[1]:8.0f} {statistics.median(ratios):5.2f} "
                f"({min(ratios):.2f}-{max(ratios):.2f})  {p50[0]:9.1f} {p50[1]:9.1f}  "
                f"{p99[0]:9.1f} {p99[1]:9.1f}  {cpu[0]:6.2f} {cpu[1]:6.2f} "
                f"{statistics.median(cpu_ratios) if cpu_ratios else float('nan'):5.2f}  "
                f"{errors[0]}/{errors[1]}",
                flush=True,
            )
    finally:
        stop(sides)
    return report(references, total_errors)


def stop(sides):
    """Stop every side's server; kill one that a machine too busy does not stop in time."""
    for side in sides:
        side["server"].send_signal(signal.SIGTERM)
    for side in sides:
        try:
            side["server"].wait(timeout=60)
        except subprocess.TimeoutExpired:
            side["server"].kill()


def report(references, total_errors):
    """Print the CPU reference and the errors of a run; the exit status (1 with errors)."""
    if references:
        print(
            f"\nCPU reference per round (a fixed Python loop, lower is faster): "
            f"{min(references):.0f}-{max(references):.0f} ms, median "
            f"{statistics.median(references):.0f} ms; load average at the end "
            f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}"
        )
    print(f"errors in total: {total_errors}")
    return 1 if total_errors else 0


if __name__ == "__main__":
    sys.exit(main())
