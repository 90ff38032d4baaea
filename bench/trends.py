"""Word trends latency: the 词语趋势 page's counting of four terms, p50/p95, as JSON.

    .venv/bin/python -m bench.run generate --articles 300000 --workdir W
    .venv/bin/python -m bench.run build --setup ours --workdir W
    .venv/bin/python -m bench.trends --workdir W [--repeat 20] [--place 新仓镇] [--person 林旭东]

Each timed call is ``articles.search.trends.trends`` as the page makes it:
one engine call per term (its count and months) and one for every article
of each month. One untimed warm-up first (a running server has its index
columns loaded); cached match sets and common terms are dropped before every
timed call, as bench.run's query timing does, so no call is a cache hit.
Results go to W/results/trends.json and stdout.
"""

import argparse
import statistics
import time

from .run import _percentile, _save, _setup_django

TERMS = ["营商环境", "“高质量发展”", "平湖", "林旭东"]


def main(argv=None):
    parser = argparse.ArgumentParser(prog="bench.trends", description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--place", default="")
    parser.add_argument("--person", default="")
    args = parser.parse_args(argv)
    _setup_django(args.workdir)
    from articles.search.engines.local.engine import forget_matches
    from articles.search.engines.local.evaluate import forget_common_terms
    from articles.search.trends import trends

    def count():
        return trends(TERMS, place=args.place, person=args.person)

    started = time.perf_counter()
    warm = count()
    first_ms = round((time.perf_counter() - started) * 1000, 1)
    if warm.error:
        raise SystemExit(f"bench.trends: {args.workdir}: {warm.error}")
    seconds, cpu = [], []
    for _ in range(max(1, args.repeat)):
        forget_matches()
        forget_common_terms()
        started, cpu_started = time.perf_counter(), time.process_time()
        count()
        seconds.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
    result = {
        "terms": TERMS,
        "place": args.place,
        "person": args.person,
        "articles": sum(warm.printed.values()),
        "by": warm.by,
        "periods": len(warm.periods),
        "counts": {s.q: s.count for s in warm.series},
        "errors": {s.q: s.error for s in warm.series if s.error},
        "calls": args.repeat,
        "p50_ms": round(statistics.median(seconds) * 1000, 1),
        "p95_ms": round(_percentile(seconds, 0.95) * 1000, 1),
        "max_ms": round(max(seconds) * 1000, 1),
        "cpu_p50_ms": round(statistics.median(cpu) * 1000, 1),
        "cpu_p95_ms": round(_percentile(cpu, 0.95) * 1000, 1),
        "first_call_of_process_ms": first_ms,
    }
    _save(args.workdir, "trends", result, children=False)


if __name__ == "__main__":
    main()
