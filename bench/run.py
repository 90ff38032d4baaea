"""Search benchmark: synthetic archive, index builds, query latency.

Run from the project root with the project's venv, one step or all of them:

    .venv/bin/python -m bench.run all --articles 20000 --setups plain,ours --workdir /tmp/phbench20k
    .venv/bin/python -m bench.run generate --articles 10000 --workdir /tmp/phbench10k [--pages-dir DIR]
    .venv/bin/python -m bench.run build --setup plain --workdir /tmp/phbench10k [--limit N] [--profile out.prof]
    .venv/bin/python -m bench.run query --setup ours --workdir /tmp/phbench10k [--repeat 5] [--profile out.prof]
    .venv/bin/python -m bench.run report --workdir /tmp/phbench10k --setups plain,ours

Each build and each query run is its own process, so peak memory
(ru_maxrss) belongs to that step alone; results go to WORKDIR/results/*.json
and ``all`` prints a Markdown table. Ours is built the way operators build
it, ``manage.py rebuild_index --noinput`` (README, docs/operations.md), run
as a whole process under ``/usr/bin/time -v``: wall time, CPU time of the
command and its writer processes, and the peak RSS of its largest process.
The plain setup is built in-process by haystack's update_index.
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _setup_django(workdir, index_dir=None):
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    os.environ["PHNEWS_VAR_DIR"] = str(workdir)
    os.environ["PHNEWS_INDEX_DIR"] = str(index_dir or workdir / "ours_index")
    os.environ["BENCH_PLAIN_INDEX_DIR"] = str(workdir / "plain_index")
    os.environ.pop("DATABASE_URL", None)  # never the real archive
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()


def _peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu(who):
    """CPU seconds (user + system) of ``resource.RUSAGE_SELF`` or ``RUSAGE_CHILDREN`` (finished children)."""
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def _cpu_seconds():
    """CPU time of this process and its finished children (writer processes).

    On a shared, oversubscribed machine wall time mostly measures the
    neighbours; CPU time is what the work itself cost.
    """
    return _cpu(resource.RUSAGE_SELF) + _cpu(resource.RUSAGE_CHILDREN)


def _dir_size_mb(path):
    path = Path(path)
    if not path.exists():
        return 0.0
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def _code_version():
    """The commit measured, flagged when the search code has uncommitted edits."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                              text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "articles/search", "bench"], cwd=ROOT,
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + ("+dirty" if dirty else "")


def _save(workdir, name, data, children=True):
    data["code"] = _code_version()
    # Writer processes are children: their peak is reported separately.
    children_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    if children and children_rss:
        data["peak_rss_children_mb"] = round(children_rss)
    out = Path(workdir) / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{name}.json").write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    print(json.dumps(data, ensure_ascii=False))


def _profiled(profile_path, func):
    if not profile_path:
        return func()
    import cProfile

    profiler = cProfile.Profile()
    try:
        return profiler.runcall(func)
    finally:
        profiler.dump_stats(profile_path)


def cmd_generate(args):
    meta_path = Path(args.workdir) / "corpus.json"
    if meta_path.exists():
        raise SystemExit(f"{args.workdir} already holds a corpus ({meta_path}); use a new --workdir")
    _setup_django(args.workdir)
    from .corpus import generate, load_pool, write_page_files
    from .fill import fill_database

    pool = load_pool()
    started = time.perf_counter()
    count = fill_database(generate(args.articles, seed=args.seed, pool=pool))
    meta = {"articles": count, "seed": args.seed, "seconds": round(time.perf_counter() - started, 1)}
    if args.pages_dir:
        meta["page_files"] = write_page_files(generate(args.articles, seed=args.seed, pool=pool), args.pages_dir)
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    print(json.dumps(meta))


def rebuild_index_command(procs=0):
    """The operator's full build, as documented; ``procs`` only if asked for."""
    command = [sys.executable, "manage.py", "rebuild_index", "--noinput"]
    if procs:
        command += ["--workers", str(procs)]
    if Path(TIME).exists():
        command = [TIME, "-v", *command]
    return command


TIME = "/usr/bin/time"


def _time_v(stderr):
    """Wall seconds, CPU seconds and peak RSS (MB) from GNU time's -v report."""
    found = {}
    for line in stderr.splitlines():
        name, _, value = line.strip().rpartition(": ")
        found[name] = value
    wall = 0.0
    for part in found["Elapsed (wall clock) time (h:mm:ss or m:ss)"].split(":"):
        wall = wall * 60 + float(part)
    cpu = float(found["User time (seconds)"]) + float(found["System time (seconds)"])
    return wall, cpu, int(found["Maximum resident set size (kbytes)"]) / 1024


def command_env(workdir):
    """The environment of a manage.py command run on the work directory's archive, as an operator runs it."""
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)  # never the real archive
    env.update({
        "DJANGO_SETTINGS_MODULE": "phnews.settings",
        "PHNEWS_VAR_DIR": str(workdir),
        "PHNEWS_INDEX_DIR": str(workdir / "ours_index"),
        "PHNEWS_DATA_DIR": str(workdir / "data"),
    })
    return env


def _build_by_command(workdir, procs):
    """Run rebuild_index in its own process on the work directory's archive; the figures of that process."""
    workdir = Path(workdir)
    env = command_env(workdir)
    command = rebuild_index_command(procs)
    print("$", " ".join(command), flush=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        sys.stderr.write(done.stderr[-3000:])
        raise SystemExit(f"rebuild_index failed with {done.returncode}")
    if command[0] == TIME:
        seconds, cpu, peak = _time_v(done.stderr)
    else:
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
        peak = after.ru_maxrss / 1024
    return {
        # Relative to the checkout, so results read the same on any machine.
        "command": " ".join(os.path.relpath(part, ROOT) if part.startswith(f"{ROOT}{os.sep}") else part
                            for part in (command[2:] if command[0] == TIME else command)),
        "build_seconds": round(seconds, 1),
        "build_cpu_seconds": round(cpu, 1),
        "peak_rss_mb": round(peak),
        "load_average_after": round(os.getloadavg()[0], 1),
    }


def cmd_build(args):
    _setup_django(args.workdir)
    from .setups import SETUPS

    setup = SETUPS[args.setup]()
    if args.setup == "ours":
        if args.limit or args.profile or args.tracemalloc:
            raise SystemExit("ours is built by manage.py rebuild_index in its own process; "
                             "--limit, --profile and --tracemalloc apply to the plain setup")
        # A work directory generated by an older version: bring its tables up
        # to date first, as an operator upgrading would (not timed).
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
        result = {"setup": "ours", **_build_by_command(args.workdir, args.procs)}
        result["documents"] = setup.doc_count()
        result["docs_per_second"] = round(result["documents"] / max(result["build_seconds"], 1e-9), 1)
        result["index_mb"] = round(_dir_size_mb(setup.index_dir), 1)
        _save(args.workdir, "build-ours", result, children=False)
        return
    if args.tracemalloc:
        import tracemalloc

        tracemalloc.start()
    started, cpu_started = time.perf_counter(), _cpu_seconds()
    docs = _profiled(args.profile, lambda: setup.build(limit=args.limit))
    seconds = time.perf_counter() - started
    result = {
        "setup": args.setup,
        "documents": docs,
        "build_seconds": round(seconds, 1),
        "build_cpu_seconds": round(_cpu_seconds() - cpu_started, 1),
        "docs_per_second": round(docs / seconds, 1) if seconds else None,
        "peak_rss_mb": round(_peak_rss_mb()),
        "index_mb": round(_dir_size_mb(setup.index_dir), 1),
    }
    if args.profile:
        result["profiled"] = True  # cProfile slows everything: not a figure to quote
    if args.tracemalloc:
        result["tracemalloc_peak_mb"] = round(tracemalloc.get_traced_memory()[1] / 1e6)
    _save(args.workdir, f"build-{args.setup}" + (".profiled" if args.profile else ""), result)


def _percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def cmd_query(args):
    _setup_django(args.workdir)
    from .queries import QUERY_MIX
    from .setups import SETUPS

    setup = SETUPS[args.setup]()
    # One pass outside the percentiles: a long-running server process is
    # warm, and both setups get the same chance to load what they cache. Its
    # first search is what a new worker's first reader waits for (opening
    # the index, reading its columns), reported on its own.
    started = time.perf_counter()
    counts = {QUERY_MIX[0].describe(): setup.search(QUERY_MIX[0])[0]}
    new_process_ms = round((time.perf_counter() - started) * 1000, 1)
    counts.update({q.describe(): setup.search(q)[0] for q in QUERY_MIX[1:]})

    def timed_rounds():
        samples = []
        for _ in range(args.repeat):
            for query in QUERY_MIX:
                started, cpu_started = time.perf_counter(), time.process_time()
                setup.search(query)
                samples.append((query, time.perf_counter() - started, time.process_time() - cpu_started))
        return samples

    samples = _profiled(args.profile, timed_rounds)
    seconds = [s for _, s, _ in samples]
    cpu = [c for _, _, c in samples]
    by_category, by_query = {}, {}
    for query, s, _ in samples:
        by_category.setdefault(query.category, []).append(s)
        by_query.setdefault(query.describe(), []).append(s)
    result = {
        "setup": args.setup,
        "queries": len(seconds),
        "p50_ms": round(statistics.median(seconds) * 1000, 1),
        "p95_ms": round(_percentile(seconds, 0.95) * 1000, 1),
        "max_ms": round(max(seconds) * 1000, 1),
        "cpu_p50_ms": round(statistics.median(cpu) * 1000, 1),
        "cpu_p95_ms": round(_percentile(cpu, 0.95) * 1000, 1),
        "p50_ms_by_category": {k: round(statistics.median(v) * 1000, 1) for k, v in by_category.items()},
        "p50_ms_by_query": {k: round(statistics.median(v) * 1000, 1) for k, v in by_query.items()},
        "first_search_of_process_ms": new_process_ms,
        "hits": counts,
        "peak_rss_mb": round(_peak_rss_mb()),
    }
    if args.profile:
        result["profiled"] = True
    # A profiled run must never replace the real figures.
    _save(args.workdir, f"query-{args.setup}" + (".profiled" if args.profile else ""), result)


def _child(*argv):
    command = [sys.executable, "-m", "bench.run", *argv]
    print("$", " ".join(command), flush=True)
    subprocess.run(command, cwd=ROOT, check=True)


def cmd_all(args):
    workdir = Path(args.workdir)
    if not (workdir / "corpus.json").exists():
        _child("generate", "--articles", str(args.articles), "--seed", str(args.seed), "--workdir", str(workdir))
    setups = [s for s in args.setups.split(",") if s]
    for setup in setups:
        build = ["build", "--setup", setup, "--workdir", str(workdir)]
        if args.limit and setup == "plain":
            build += ["--limit", str(args.limit)]
        _child(*build)
        _child("query", "--setup", setup, "--workdir", str(workdir), "--repeat", str(args.repeat))
    print(report(workdir, setups))


def report(workdir, setups):
    workdir = Path(workdir)
    corpus = json.loads((workdir / "corpus.json").read_text())
    rows = [
        f"Corpus: {corpus['articles']} synthetic articles (seed {corpus['seed']}), workdir {workdir}",
        "",
        "| setup | documents | build (wall) | build (CPU) | peak RSS (build) | index size | query p50 | query p95 "
        "| max | CPU p50 | CPU p95 |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    results = {}
    for setup in setups:
        build = json.loads((workdir / "results" / f"build-{setup}.json").read_text())
        query = json.loads((workdir / "results" / f"query-{setup}.json").read_text())
        results[setup] = (build, query)
        flag = " (profiled)" if build.get("profiled") or query.get("profiled") else ""
        rows.append(
            f"| {setup}{flag} | {build['documents']} | {build['build_seconds']} s "
            f"| {build.get('build_cpu_seconds', '?')} s | {build['peak_rss_mb']} MB "
            f"| {build['index_mb']} MB | {query['p50_ms']} ms | {query['p95_ms']} ms | {query['max_ms']} ms "
            f"| {query.get('cpu_p50_ms', '?')} ms | {query.get('cpu_p95_ms', '?')} ms |"
        )
    if "plain" in results and "ours" in results:
        plain, ours = results["plain"][1], results["ours"][1]
        p95 = plain["p95_ms"] / max(ours["p95_ms"], 1e-9)
        rows += ["", f"p95 speed-up of ours over plain: ×{p95:.1f} (wall)"]
        if "cpu_p95_ms" in plain and "cpu_p95_ms" in ours:
            rows[-1] += f", ×{plain['cpu_p95_ms'] / max(ours['cpu_p95_ms'], 1e-9):.1f} (CPU)"
    return "\n".join(rows)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="bench.run", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    gen = sub.add_parser("generate")
    gen.add_argument("--articles", type=int, required=True)
    gen.add_argument("--seed", type=int, default=1)
    gen.add_argument("--workdir", required=True)
    gen.add_argument("--pages-dir", help="also write page files + manifest.csv for import_pages")
    build = sub.add_parser("build")
    build.add_argument("--setup", choices=["plain", "ours"], required=True)
    build.add_argument("--workdir", required=True)
    build.add_argument("--limit", type=int, help="index only the first N articles (a bounded corpus)")
    build.add_argument("--procs", type=int, default=0,
                       help="writer processes for ours (rebuild_index --workers); default: the command's own choice")
    build.add_argument("--profile", help="write cProfile stats here")
    build.add_argument("--tracemalloc", action="store_true", help="also report Python heap peak (slow)")
    query = sub.add_parser("query")
    query.add_argument("--setup", choices=["plain", "ours"], required=True)
    query.add_argument("--workdir", required=True)
    query.add_argument("--repeat", type=int, default=5)
    query.add_argument("--profile", help="write cProfile stats here")
    everything = sub.add_parser("all")
    everything.add_argument("--articles", type=int, required=True)
    everything.add_argument("--seed", type=int, default=1)
    everything.add_argument("--workdir", required=True)
    everything.add_argument("--setups", default="plain,ours")
    everything.add_argument("--limit", type=int)
    everything.add_argument("--repeat", type=int, default=5)
    summary = sub.add_parser("report", help="print the table of a workdir's saved results")
    summary.add_argument("--workdir", required=True)
    summary.add_argument("--setups", default="plain,ours")
    args = parser.parse_args(argv)
    if args.command == "report":
        print(report(args.workdir, [s for s in args.setups.split(",") if s]))
        return
    {"generate": cmd_generate, "build": cmd_build, "query": cmd_query, "all": cmd_all}[args.command](args)


if __name__ == "__main__":
    main()
