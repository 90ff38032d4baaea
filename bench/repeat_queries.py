"""First-time versus repeated searches through searching.search on a built index.

    .venv/bin/python -m bench.repeat_queries /tmp/phbench20k/ours_index

Times the query mix (bench/queries.py) in CPU milliseconds, three ways:

- first search, nothing cached: match sets and common terms' posting sets
  dropped before each search (what ``bench.run query`` times);
- first search in a server that has just answered the rest of the mix: the
  posting sets of common terms (query/evaluate.py) those searches cached are
  kept, the search's own match set is not;
- the same search's next page: the match set cached per searcher
  (query/engine.py match_set) is reused, as paging and the article page's
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
    from articles.search.engines.local.engine import forget_matches
    from articles.search.engines.local.evaluate import forget_common_terms
    from articles.search.service import SearchRequest, search

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
    def cold(query):
        forget_matches()
        forget_common_terms()
        return timed(query, 1)

    def after_the_rest(query):
        forget_common_terms()
        for other in QUERY_MIX:
            if other != query:
                timed(other, 1)
        forget_matches()
        return timed(query, 1)

    def next_page(query):
        timed(query, 1)
        return timed(query, 2)

    for label, measure in (("first search, cold", cold), ("first search, after the mix", after_the_rest),
                           ("same search, next page", next_page)):
        times = [measure(query) for query in QUERY_MIX]
        print(f"{label:28} p50 {percentile(times, 50):6.1f} ms  p95 {percentile(times, 95):6.1f} ms"
              f"  max {max(times):6.1f} ms  ({len(times)} queries, CPU time)")


if __name__ == "__main__":
    main()
