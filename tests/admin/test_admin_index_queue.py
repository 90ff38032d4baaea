"""An editor's save writes the edit and its index task and returns; the index work is the sync loop's."""

from django.urls import reverse

from articles.models import Article, IndexTask
from articles.search import sync

from admin_helpers import article_form_data

TITLE = "“两面锦旗”唱响营商环境“创优曲”"


def test_an_admin_save_with_a_long_queue_returns_without_draining_it(imported_samples, editor_client,
                                                                     django_capture_on_commit_callbacks):
    sync.drain()
    article = Article.objects.get(title=TITLE)
    others = list(Article.objects.exclude(pk=article.pk).values_list("pk", flat=True))
    # A long queue, as after a big import: thousands of tasks waiting.
    IndexTask.objects.bulk_create([IndexTask(article_id=others[i % len(others)]) for i in range(3000)])

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = editor_client.post(reverse("admin:articles_article_change", args=[article.pk]),
                                      article_form_data(article, title="锦旗飘扬暖人心"))
    assert response.status_code == 302
    assert Article.objects.get(pk=article.pk).title == "锦旗飘扬暖人心"  # the edit is stored
    assert IndexTask.objects.filter(article_id=article.pk).exists()  # with its queue entry
    assert sync.pending() > 3000  # and nothing was drained by the request
    assert all("drain" not in getattr(callback, "__name__", "") for callback in callbacks)
    assert editor_client.get("/api/search", {"q": "锦旗飘扬"}).json()["count"] == 0

    sync.drain()  # the sync loop's work
    assert sync.pending() == 0
    found = editor_client.get("/api/search", {"q": "锦旗飘扬"}).json()["results"]
    assert [hit["title"] for hit in found] == ["锦旗飘扬暖人心"]
