"""Time the article page's related reports (相关报道) on a benchmark archive: p50/p95 after a warm-up, as JSON.

    .venv/bin/python -m bench.run generate --articles 300000 --workdir W
    .venv/bin/python -m bench.run build --setup ours --workdir W
    .venv/bin/python -m bench.related --workdir W [--repeat 3] [--articles 200] [--seed 1]

Times ``articles.search.related_reports.related_reports`` (the engine's
more_like_this and the shaping of its results) for ``--articles`` articles,
one drawn at random (fixed seed) from each of as many equal slices of the
archive's ids, so old and new, short and long are all sampled. Each article is
loaded first as its page loads it (relations prefetched), so only the
related reports are timed. One untimed pass warms the process, as a serving
worker is warm; its first call is reported on its own. Wall and CPU time per
call. The figures are also written to W/results/related.json.
"""

import argparse
import random
import statistics
import time

from .run import _percentile, _save, _setup_django


def sample_ids(ids, count, seed):
    """One id drawn from each of ``count`` equal slices of the sorted ``ids``."""
    ids = sorted(ids)
    count = max(1, min(count, len(ids)))
    rng = random.Random(seed)
    bounds = [round(i * len(ids) / count) for i in range(count + 1)]
    return [ids[rng.randrange(bounds[i], bounds[i + 1])] for i in range(count)]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--repeat", type=int, default=3, help="timed passes over the sample (default 3)")
    parser.add_argument("--articles", type=int, default=200, help="articles sampled (default 200)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    _setup_django(args.workdir)
    from articles.browse import queries
    from articles.models import Article
    from articles.search.related_reports import related_reports

    picks = sample_ids(Article.objects.values_list("pk", flat=True), args.articles, args.seed)
    if not picks:
        raise SystemExit(f"{args.workdir}: the archive holds no articles (run bench.run generate and build first)")
    articles = [queries.get_article(pk=pk) for pk in picks]

    started = time.perf_counter()
    listed = [related_reports(articles[0])]
    first_call_ms = round((time.perf_counter() - started) * 1000, 1)
    listed += [related_reports(article) for article in articles[1:]]
    if any(found is None for found in listed):
        raise SystemExit(f"{args.workdir}: the search index did not answer (see the log); build it with "
                         f"python -m bench.run build --setup ours --workdir {args.workdir}")

    seconds, cpu = [], []
    for _ in range(args.repeat):
        for article in articles:
            started, cpu_started = time.perf_counter(), time.process_time()
            related_reports(article)
            seconds.append(time.perf_counter() - started)
            cpu.append(time.process_time() - cpu_started)
    result = {
        "archive_articles": Article.objects.count(),
        "sampled_articles": len(articles),
        "seed": args.seed,
        "calls": len(seconds),
        "p50_ms": round(statistics.median(seconds) * 1000, 1) if seconds else None,
        "p95_ms": round(_percentile(seconds, 0.95) * 1000, 1) if seconds else None,
        "max_ms": round(max(seconds) * 1000, 1) if seconds else None,
        "cpu_p50_ms": round(statistics.median(cpu) * 1000, 1) if cpu else None,
        "cpu_p95_ms": round(_percentile(cpu, 0.95) * 1000, 1) if cpu else None,
        "first_call_of_process_ms": first_call_ms,
        "listed_mean": round(statistics.mean(len(found) for found in listed), 2),
        "with_thread": sum(any(item.thread for item in found) for found in listed),
    }
    _save(args.workdir, "related", result, children=False)


if __name__ == "__main__":
    main()
