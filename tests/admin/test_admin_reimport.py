"""Staff edits survive re-importing a changed version of the page; edits reach the public search."""

import shutil

from django.urls import reverse

from articles.models import Article, Person, ReviewLevel, Role
from articles.search import sync

from admin_helpers import article_form_data, person

TITLE = "“两面锦旗”唱响营商环境“创优曲”"
PAGE_FILE = "001_754509dbfb55a7fd.txt"


def edit_in_admin(client, article, **overrides):
    data = article_form_data(article, **overrides)
    for index, credit in enumerate(article.credits.order_by("order", "id")):
        if credit.person.name == "顾秋叶":
            data[f"credits-{index}-person"] = person("顾秋野").pk
    response = client.post(reverse("admin:articles_article_change", args=[article.pk]), data)
    assert response.status_code == 302
    return Article.objects.get(pk=article.pk)


def changed_copy(samples_dir, tmp_path, *replacements):
    target = tmp_path / "reimport" / PAGE_FILE
    target.parent.mkdir()
    shutil.copy(samples_dir / PAGE_FILE, target)
    text = target.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    target.write_text(text, encoding="utf-8")
    return target


def test_staff_edits_survive_reimport(imported_samples, editor_client, import_pages, samples_dir, tmp_path):
    article = Article.objects.get(page__source_name=PAGE_FILE, title=TITLE)
    assert article.review_level == ReviewLevel.MAY  # only its heading's layering is a guess
    neighbour = Article.objects.get(page__source_name=PAGE_FILE, title="未来产业：抢占风口大有可为")

    article = edit_in_admin(editor_client, article, title="两面锦旗唱响营商环境创优曲")
    editor_client.post(reverse("admin:articles_review_queue"), {"article": [article.pk]})
    assert set(Article.objects.get(pk=article.pk).edited_fields) == {"title", "credits", "needs_review"}

    # A corrected transcription of the same page: one sentence in our article, one in its neighbour.
    path = changed_copy(samples_dir, tmp_path, ("近日，刚刚投入", "近日，刚投入"), ("潜力十足", "潜力巨大"))
    code, out, err = import_pages(path, "--no-copy")
    assert code == 0, err

    article = Article.objects.get(pk=article.pk)
    assert article.title == "两面锦旗唱响营商环境创优曲"
    assert [(c.role, c.person.name) for c in article.credits.order_by("order")] == \
        [(Role.REPORTER, "李雨婷"), (Role.CORRESPONDENT, "顾秋野")]
    assert not article.needs_review and article.review_level == ""
    # What staff did not touch follows the new text.
    assert "近日，刚投入使用的" in article.body and "刚刚投入" not in article.body
    assert "潜力巨大" in Article.objects.get(pk=neighbour.pk).body
    assert Article.objects.filter(page__source_name=PAGE_FILE).count() == 7


def test_merged_name_stays_merged_on_reimport(imported_samples, editor_client, import_pages, samples_dir, tmp_path):
    from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

    wrong, right = Person.objects.get(name="顾秋叶"), person("顾秋野")
    editor_client.post(reverse("admin:articles_person_changelist"), {
        "action": "merge_selected", ACTION_CHECKBOX_NAME: [wrong.pk, right.pk], "merge": "1", "winner": right.pk,
    })
    path = changed_copy(samples_dir, tmp_path, ("潜力十足", "潜力巨大"))
    assert import_pages(path, "--no-copy")[0] == 0
    assert not Person.objects.filter(name="顾秋叶").exists()
    assert Article.objects.get(title=TITLE).credits.filter(person=right).exists()


def test_admin_edit_is_found_by_public_search(imported_samples, editor_client, django_capture_on_commit_callbacks):
    sync.drain()
    article = Article.objects.get(page__source_name=PAGE_FILE, title=TITLE)
    assert article.get_absolute_url() not in editor_client.get("/search/", {"q": "锦旗飘扬暖人心"}).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        edit_in_admin(editor_client, article, title="锦旗飘扬暖人心")
    assert sync.pending() > 0  # the save queued its update and returned
    sync.drain()  # what the sync loop does about a second later
    html = editor_client.get("/search/", {"q": "锦旗飘扬暖人心"}).content.decode()
    assert article.get_absolute_url() in html
    # The corrected credit is searchable as a name too.
    response = editor_client.get("/api/search", {"q": "顾秋野"})
    assert [hit["title"] for hit in response.json()["results"]] == ["锦旗飘扬暖人心"]


def test_admin_save_succeeds_while_the_index_is_busy(imported_samples, editor_client,
                                                      django_capture_on_commit_callbacks):
    from articles.search.engines.local import store

    sync.drain()
    article = Article.objects.get(page__source_name=PAGE_FILE, title=TITLE)
    with store.writer_lock(blocking=False) as acquired:  # another process is writing the index
        assert acquired
        with django_capture_on_commit_callbacks(execute=True):
            edited = edit_in_admin(editor_client, article, title="锦旗飘扬暖人心")
        assert edited.title == "锦旗飘扬暖人心"
        assert sync.pending() > 0, "the edit waits in the queue, it is not lost"
    sync.drain()  # what the lock holder does before letting go
    response = editor_client.get("/api/search", {"q": "锦旗飘扬暖人心"})
    assert [hit["title"] for hit in response.json()["results"]] == ["锦旗飘扬暖人心"]


def test_article_deleted_in_the_admin_stays_deleted_on_reimport(imported_samples, editor_client, import_pages,
                                                                  samples_dir, tmp_path):
    # Staff decide the photo is a duplicate and delete it; later the page file is corrected.
    photo = Article.objects.get(page__source_name=PAGE_FILE, title="黎族纺织文化展")
    response = editor_client.post(reverse("admin:articles_article_delete", args=[photo.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Article.objects.filter(pk=photo.pk).exists()

    path = changed_copy(samples_dir, tmp_path, ("潜力十足", "潜力巨大"))
    code, out, err = import_pages(path, "--no-copy")
    assert code == 0, err
    titles = list(Article.objects.filter(page__source_name=PAGE_FILE).values_list("title", flat=True))
    assert "黎族纺织文化展" not in titles and len(titles) == 6
    assert "潜力巨大" in Article.objects.get(page__source_name=PAGE_FILE, title="未来产业：抢占风口大有可为").body
