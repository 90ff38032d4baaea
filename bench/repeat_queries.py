"""First-time versus repeated searches through searching.search on a built index.

    .venv/bin/python -m bench.repeat_queries /tmp/phbench20k/ours_index

Times the query mix (bench/queries.py) once cold, then the second page of
each same search, in CPU milliseconds. The second run reuses the match set
cached per searcher (query/engine.py match_set), as paging and the article page's
previous/next links do.
"""

import argparse
import os
import time

import django


def percentile(values, pct):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(pct / 100 * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("index", help="an index directory built by bench.run build --setup ours")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "phnews.settings")
    # The default haystack connection reads the index given.
    os.environ["PHNEWS_INDEX_DIR"] = args.index
    django.setup()
    from articles.search.searching import SearchRequest, search

    from .queries import QUERY_MIX

    def timed(query, page):
        req = SearchRequest(q=query.q, kind=query.kind, date_from=query.date_from, date_to=query.date_to,
                            page_size=10, page=page)
        start = time.process_time()
        search(req, facets=True)
        return (time.process_time() - start) * 1000

    # Open the searcher and read the sortable columns (facets and sorts need them),
    # as a running server has; a query matching nothing would not read them.
    search(SearchRequest(q="的", sort="newest"))
    for label, page in (("first search", 1), ("same search, next page", 2)):
        times = [timed(query, page) for query in QUERY_MIX]
        print(f"{label:24} p50 {percentile(times, 50):6.0f} ms  p95 {percentile(times, 95):6.0f} ms"
              f"  max {max(times):6.0f} ms  ({len(times)} queries, CPU time)")


if __name__ == "__main__":
    main()
