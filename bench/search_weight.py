"""A search's weight (articles/search/admission.py) against the CPU it costs, by query length.

    PHNEWS_VAR_DIR=/tmp/load15k .venv/bin/python -m bench.search_weight [--per-length 8] [--seed 7]

Runs of article text of each length, cut from the archive's own articles (as
the load test's heavy queries are), half of the longer ones split into four
terms, are searched through ``searching.search`` one at a time with every
cache emptied first and the budget lifted, so each pays its whole cost. The
CPU is the searching thread's own (``time.thread_time``), which neighbours on
a shared machine inflate far less than wall time. Prints one line per
length: weight (min, median, max) and CPU milliseconds (min, median, max).
"""

import argparse
import os
import random
import statistics
import time

LENGTHS = (2, 3, 4, 6, 8, 10, 12, 16, 20, 24, 30, 40, 60, 100)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-length", type=int, default=8)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "phnews.settings")
    import django

    django.setup()
    from django.conf import settings

    from articles.models import Article
    from articles.search.engines.local import engine, evaluate
    from articles.search.querylang import parse, weight
    from articles.search.service import SearchRequest, search

    settings.PHNEWS_SEARCH_MAX_POSTINGS = 10**12
    settings.PHNEWS_SEARCH_TIME_LIMIT = 10**6
    settings.PHNEWS_SEARCH_HEAVY_WEIGHT = 10**6  # every search runs as an ordinary one: no slot, no thread
    rng = random.Random(args.seed)
    bodies = [body.replace("\n", "") for body in Article.objects.values_list("body", flat=True)[:3000]]
    bodies = [body for body in bodies if len(body) > 2 * max(LENGTHS)]
    if not bodies:
        raise SystemExit("no article of more than 200 characters: point PHNEWS_VAR_DIR at a prepared archive")
    search(SearchRequest(q="平湖"))  # open the index and load the segmenter outside the timings
    print(f"{Article.objects.count()} articles; a search weighing more than PHNEWS_SEARCH_HEAVY_WEIGHT (20) is heavy")
    print("| characters | weight min / median / max | CPU ms min / median / max |")
    print("|---|---|---|")
    for length in LENGTHS:
        weights, cpu = [], []
        for n in range(args.per_length):
            body = rng.choice(bodies)
            start = rng.randrange(len(body) - length)
            query = body[start:start + length]
            if length >= 8 and n % 2:
                cut = sorted(rng.sample(range(1, length - 1), 3))
                query = " ".join(query[a:b] for a, b in zip([0, *cut], [*cut, length]))[:length]
            engine.forget_matches()
            evaluate.forget_common_terms()
            started = time.thread_time()
            search(SearchRequest(q=query))
            cpu.append((time.thread_time() - started) * 1000)
            weights.append(weight(parse(query)))
        print(f"| {length} | {min(weights)} / {statistics.median(weights):.0f} / {max(weights)} | "
              f"{min(cpu):.0f} / {statistics.median(cpu):.0f} / {max(cpu):.0f} |")


if __name__ == "__main__":
    main()
