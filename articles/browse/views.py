"""Reader views. Minimal first cut; the browse issue builds them out."""

from django.shortcuts import get_object_or_404, redirect, render

from ..models import Article, Issue, Page, Person


def home(request):
    return render(request, "articles/home.html", {"issues": Issue.objects.all()[:10]})


def issue(request, date):
    issue = get_object_or_404(Issue, date=date)
    return render(request, "articles/issue.html", {"issue": issue, "pages": issue.pages.all()})


def page(request, date, label):
    page = get_object_or_404(Page.objects.select_related("issue"), issue__date=date, label=label)
    return render(request, "articles/page.html", {"page": page, "articles": page.articles.all()})


def article(request, date, label, position):
    article = get_object_or_404(
        Article.objects.select_related("page__issue"),
        page__issue__date=date, page__label=label, position=position,
    )
    return render(request, "articles/article.html", {"article": article})


def page_by_id(request, pk):
    return redirect(get_object_or_404(Page, pk=pk))


def article_by_id(request, pk):
    return redirect(get_object_or_404(Article, pk=pk))


def person(request, pk):
    person = get_object_or_404(Person, pk=pk)
    return render(request, "articles/person.html", {"person": person})
