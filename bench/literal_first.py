"""What ranking literal holders first costs a relevance search.

    python -m bench.literal_first [--articles 4000] [--repeat 5]

Synthetic articles (bench/corpus.py) are written into a scratch index; the
fuzzy queries of several words are run first-time through the local engine
(``query.engine.run``, the first page of 20; the per-searcher match cache
emptied before each), with the literal tier and without it (the order
before it existed), alternating, in one process. Prints the median wall
milliseconds per query for each, and the number of literal holders.
``--score-limit`` lowers the scoring limit to time the unscored order too.
"""

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

QUERIES = ["营商环境", "招商引资", "营商环境优化", "平湖招商", "高质量发展", "经济开发区"]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=4000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--score-limit", type=int, default=None)
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "phnews.settings")
    import django

    django.setup()
    from articles.search.engines.local.build import write_documents
    from dataclasses import replace

    from articles.search import querylang, ranking
    from articles.search.engines.local import engine, evaluate
    from articles.search.engines.local.store import forget_readers, searcher

    from .corpus import generate
    from .script_fold import _documents

    if args.score_limit is not None:
        ranking.SCORE_LIMIT = args.score_limit
    with_tier = lambda plan: plan  # noqa: E731
    without_tier = lambda plan: replace(plan, literal=None)  # noqa: E731
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "index"
        write_documents(_documents(generate(args.articles, seed=11)), path, clear=True)
        forget_readers()
        timings = {q: {"literal first": [], "before": []} for q in QUERIES}
        counts = {}
        for _ in range(args.repeat):
            for q in QUERIES:
                for name, tier in (("literal first", with_tier), ("before", without_tier)):
                    engine.forget_matches()
                    started = time.perf_counter()
                    plan = tier(querylang.compile_query(querylang.parse(q), "fuzzy"))
                    result = engine.run(searcher(path), plan.matching, plan, stop=20)
                    timings[q][name].append(time.perf_counter() - started)
                    counts[q] = result.count
        s = searcher(path)
        print(f"{args.articles} articles, first searches, median of {args.repeat}, ms "
              f"(scoring limit {ranking.SCORE_LIMIT}):")
        for q in QUERIES:
            literal = querylang.compile_query(querylang.parse(q), "fuzzy").literal
            holders = len(evaluate.evaluate(s, literal)) if literal is not None else counts[q]
            print(f"  {q:8} {counts[q]:6} matches, {holders:6} literal   "
                  + "   ".join(f"{name} {statistics.median(t) * 1000:6.1f}" for name, t in timings[q].items()))
        forget_readers()


if __name__ == "__main__":
    main()
