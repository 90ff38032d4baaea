"""CPU time of a search with the index memory-mapped (Whoosh's default) and read with pread (what searchers do).

On a served archive (the PHNEWS_VAR_DIR that bin/run serves), in one
process: the load test's search requests (``bench/load/urls.py``) through
Django's test client, each a first search (match sets and common terms
forgotten, as ``bench.run query`` does). The two ways of opening the index
alternate round by round, so both see the same machine; compare the CPU
medians, not single rounds, on a shared host.

    PHNEWS_VAR_DIR=/tmp/load15k .venv/bin/python -m bench.index_reads [--searches 100] [--rounds 8]

Prints each round's CPU milliseconds per search, the pread calls and bytes
per search of the read index, and the medians.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "phnews.settings")
# As served: DEBUG off (Django then keeps no query log). This process serves
# nothing, so any secret key will do.
os.environ["DJANGO_DEBUG"] = "false"
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--searches", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=8)
    args = parser.parse_args(argv)
    # Timing, not guarding: a time limit tripped by a busy host would drop searches.
    os.environ["PHNEWS_SEARCH_TIME_LIMIT"] = "60"
    import django

    django.setup()
    from django.test import Client
    from whoosh.filedb.filestore import FileStorage

    from articles.search.engines.local import store

    from articles.search.engines.local.whoosh.storage import PreadStorage
    from articles.search.budget import MESSAGE
    from articles.search.engines.local.engine import forget_matches
    from articles.search.engines.local.evaluate import forget_common_terms
    from bench.load.urls import collect

    rows = collect(args.searches, random.Random(1))
    paths = [path for kind, path in rows if kind == "search"][:args.searches]
    openers = {"mapped": lambda path, readonly=False: FileStorage(path, readonly=readonly), "read": PreadStorage}
    reads = [0, 0]
    pread = os.pread

    def counted_pread(fd, size, position):
        reads[0] += 1
        reads[1] += size
        return pread(fd, size, position)

    os.pread = counted_pread
    client = Client()
    cpu = {name: [] for name in openers}
    for round_ in range(args.rounds):
        for name in sorted(openers, reverse=round_ % 2 == 1):
            # store.searcher opens the index with this class.
            store.PreadStorage = openers[name]
            store.forget_readers()
            client.get(paths[0])  # open the searcher, read its columns
            reads[:] = [0, 0]
            started = time.process_time()
            for path in paths:
                forget_matches()
                forget_common_terms()
                response = client.get(path)
                if response.status_code != 200 or MESSAGE in response.content.decode():
                    raise SystemExit(f"{path}: {response.status_code}, not a full answer")
            per_search = (time.process_time() - started) * 1000 / len(paths)
            cpu[name].append(per_search)
            print(f"round {round_ + 1} {name:6s}: {per_search:5.1f} ms CPU per search; "
                  f"{reads[0] / len(paths):.0f} preads, {reads[1] / len(paths) / 1024:.0f} KB read per search",
                  flush=True)
    store.PreadStorage = openers["read"]
    for name, values in cpu.items():
        print(f"{name}: median {statistics.median(values):.1f} ms CPU per search over {len(values)} rounds "
              f"of {len(paths)} searches")


if __name__ == "__main__":
    main()
