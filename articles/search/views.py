"""Search views. Placeholder until the search issue lands."""

from django.shortcuts import render


def search(request):
    return render(request, "articles/search.html", {"query": request.GET.get("q", "")})
