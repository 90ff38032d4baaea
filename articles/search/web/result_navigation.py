"""Search context for an article page reached from a search result.

Called by articles/browse/search_hook.py. Result links carry the search's
parameters plus ``hit`` (the 1-based rank of the result); the same search is
run again (cheap: per-process searcher, no highlighting beyond three hits) to
find the neighbours.
"""

from django.urls import reverse

from articles.search import marks, service
from articles.search.web.params import query_string, request_from


def article_search_context(request, article):
    if not request.GET.get("q", "").strip():
        return None
    req, _, rejected = request_from(request.GET)
    if rejected:
        return None
    # The search's own marks (Plan.marks), marked as on the results page.
    terms = service.begin(req)[0].terms
    context = {"terms": terms, "mark": lambda text: marks.highlight(text, terms)}
    try:
        rank = int(request.GET.get("hit", ""))
    except ValueError:
        return context
    if rank < 1:
        return context
    # One search covering the previous, this and the next result.
    found = service.search(req, facets=False, window=(rank - 2, rank + 1), snippets=False)
    by_rank = {hit.rank + 1: hit for hit in found.hits}
    current = by_rank.get(rank)
    if current is None or current.id != article.pk:
        return context
    nav = {"index": rank, "total": found.count,
           "results_url": f"{reverse('search')}?{query_string(req, page=(rank - 1) // req.page_size + 1 if rank > req.page_size else '')}"}
    if rank - 1 in by_rank:
        nav["prev_url"] = f"{by_rank[rank - 1].url}?{query_string(req, hit=rank - 1)}"
    if rank + 1 in by_rank:
        nav["next_url"] = f"{by_rank[rank + 1].url}?{query_string(req, hit=rank + 1)}"
    context["nav"] = nav
    return context
