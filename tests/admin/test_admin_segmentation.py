"""Fixing a wrong segmentation in the admin: split, merge with the next, move paragraphs.

Each fix goes through the real admin views (confirmation page, then POST),
and is checked in the database (positions, credits, history), in the search
index after the queue is drained, and against a re-import of the page.
"""

import shutil

from django.test import Client
from django.urls import reverse

from articles.models import Article, ChangeAction, ChangeRecord, Credit, IndexTask, Page, Role
from articles.search import sync

from admin_helpers import person

SAMPLE = "001_754509dbfb55a7fd.txt"


def segments_url(article):
    return reverse("admin:articles_article_segments", args=[article.pk])


def split_url(article, index):
    return reverse("admin:articles_article_split", args=[article.pk, index])


def merge_url(article):
    return reverse("admin:articles_article_merge_next", args=[article.pk])


def move_url(article, direction, index):
    return reverse("admin:articles_article_move", args=[article.pk, direction, index])


def confirm(client, url, **fields):
    """Open the confirmation page, then post its form as the browser would (state included)."""
    page = client.get(url)
    assert page.status_code == 200, page.content.decode()[:500]
    data = {"state": page.context["form"]["state"].value(), **fields}
    return client.post(url, data)


def layout(page):
    return list(Article.objects.filter(page=page).order_by("position").values_list("position", "title"))


def credits_of(article):
    return [(c.role, c.person.name) for c in Credit.objects.filter(article=article).order_by("order", "id")]


def records(article, action):
    return ChangeRecord.objects.filter(object_id=str(article.pk), action=action,
                                       content_type__model="article")


def test_split_makes_the_rest_a_new_article_after_it(editor_client, archive):
    main, brief = archive["main"], archive["brief"]
    overview = editor_client.get(segments_url(main)).content.decode()
    assert "加强创新推进" in overview and split_url(main, 1) in overview
    assert split_url(main, 0) not in overview  # the first paragraph cannot start a new article

    page = editor_client.get(split_url(main, 1))
    html = page.content.decode()
    assert "成为新文章" in html and "持续推进铁军工程。" in html and "csrfmiddlewaretoken" in html
    assert page.context["form"].initial["heading"] is True  # a subhead where the cut goes: the lost headline
    zhang = Credit.objects.get(article=main, person__name="张三")
    response = confirm(editor_client, split_url(main, 1), title="加强创新推进", heading="on", kind="news",
                       credits=[zhang.pk])
    assert response.status_code == 302

    created = Article.objects.get(page=archive["clean"], position=2)
    assert layout(archive["clean"]) == [(1, "夯实党建根基"), (2, "加强创新推进"), (3, "简讯一则")]
    main.refresh_from_db()
    assert main.body == "党建强，则根基稳。"
    assert [b["text"] for b in main.blocks] == ["党建强，则根基稳。"]
    assert created.body == "持续推进铁军工程。" and created.kind == "news"
    assert credits_of(main) == [(Role.REPORTER, "李雨婷")]
    assert credits_of(created) == [(Role.CORRESPONDENT, "张三")]
    assert Credit.objects.get(article=created).order == 1
    assert Article.objects.get(pk=brief.pk).position == 3

    split = records(main, ChangeAction.SPLIT).get()
    body = next(c for c in split.changes if c["field"] == "body")
    assert "持续推进铁军工程。" in body["old"] and body["new"] == "党建强，则根基稳。"
    assert "加强创新推进" in split.note and split.user.username == "editor"
    assert records(created, ChangeAction.ADD).exists()
    assert {"body", "credits"} <= set(main.edited_fields)
    page = Page.objects.get(pk=archive["clean"].pk)
    assert page.segmentation_pinned and "articles" in page.edited_fields
    page_form = editor_client.get(reverse("admin:articles_page_change", args=[page.pk])).content.decode()
    assert "分段已人工固定" in page_form
    pinned = ChangeRecord.objects.get(content_type__model="page", object_id=str(page.pk))
    assert pinned.changes == [{"field": "segmentation_pinned", "label": "分段已人工固定", "old": "否", "new": "是"}]
    # The shifted article's URL changed: it is queued for the index too.
    assert {main.pk, created.pk, brief.pk} <= set(IndexTask.objects.values_list("article_id", flat=True))


def test_split_without_heading_keeps_every_paragraph(editor_client, archive):
    main = archive["main"]
    response = confirm(editor_client, split_url(main, 2), title="铁军工程", kind="feature")
    assert response.status_code == 302
    created = Article.objects.get(page=archive["clean"], position=2)
    assert created.title == "铁军工程" and created.body == "持续推进铁军工程。" and not credits_of(created)
    main.refresh_from_db()
    assert main.body == "党建强，则根基稳。\n\n加强创新推进"
    assert [b["kind"] for b in main.blocks] == ["p", "subhead"]  # kinds survive the cut


def test_merge_with_next_unions_credits_and_closes_the_gap(editor_client, archive):
    main, brief = archive["main"], archive["brief"]
    Credit.objects.create(article=brief, person=person("李雨婷"), role=Role.REPORTER, order=1)
    Credit.objects.create(article=brief, person=person("王五"), role=Role.PHOTOGRAPHER, order=2)
    third = Article.objects.create(page=archive["clean"], position=3, title="第三篇", body="第三篇正文。")

    html = editor_client.get(merge_url(main)).content.decode()
    assert "无署名的简讯。" in html and "王五" in html
    response = confirm(editor_client, merge_url(main), keep_heading="on")
    assert response.status_code == 302

    assert not Article.objects.filter(pk=brief.pk).exists()
    assert layout(archive["clean"]) == [(1, "夯实党建根基"), (2, "第三篇")]
    main.refresh_from_db()
    assert main.body.endswith("持续推进铁军工程。\n\n简讯一则\n\n无署名的简讯。")
    assert main.blocks[-2] == {"text": "简讯一则", "kind": "subhead"}
    # Union: the same person in the same role once, this article's credits first.
    assert credits_of(main) == [(Role.REPORTER, "李雨婷"), (Role.CORRESPONDENT, "张三"), (Role.PHOTOGRAPHER, "王五")]
    assert list(Credit.objects.filter(article=main).order_by("order").values_list("order", flat=True)) == [1, 2, 3]

    merged_away = records(brief, ChangeAction.MERGE).get()
    old = {c["field"]: c["old"] for c in merged_away.changes}
    assert old["title"] == "简讯一则" and old["body"] == "无署名的简讯。" and "王五" in old["credits"]
    assert records(main, ChangeAction.MERGE).get().note.startswith("并入下一篇《简讯一则》")
    assert Article.objects.get(pk=third.pk).position == 2
    assert {main.pk, brief.pk, third.pk} <= set(IndexTask.objects.values_list("article_id", flat=True))


def test_merge_repoints_sidebars_and_can_drop_the_heading(editor_client, archive):
    main, brief = archive["main"], archive["brief"]
    sidebar = Article.objects.create(page=archive["clean"], position=3, kind="sidebar", title="链接",
                                     body="相关链接。", parent=brief)
    response = confirm(editor_client, merge_url(main))  # keep_heading unticked
    assert response.status_code == 302
    main.refresh_from_db()
    assert "简讯一则" not in main.body and main.body.endswith("无署名的简讯。")
    sidebar.refresh_from_db()
    assert sidebar.parent_id == main.pk and sidebar.position == 2


def test_merge_takes_over_the_next_articles_continuations(editor_client, archive):
    main, brief = archive["main"], archive["brief"]
    # The brief jumps to another page (下转), and an article elsewhere jumps into it.
    rest = Article.objects.create(page=archive["flagged"], position=2, title="简讯续", body="续文。",
                                  continued_from="C1")
    Article.objects.filter(pk=brief.pk).update(continued_to="C2", continuation=rest)
    before = Article.objects.create(page=archive["flagged"], position=3, title="转来的文章", body="前文。",
                                    continuation=brief)
    assert confirm(editor_client, merge_url(main), keep_heading="on").status_code == 302
    main.refresh_from_db()
    assert main.continued_to == "C2" and "continued_to" in main.edited_fields
    assert main.continuation_id == rest.pk
    assert Article.objects.get(pk=before.pk).continuation_id == main.pk


def test_move_edge_paragraphs_to_the_next_and_back(editor_client, archive):
    main, brief = archive["main"], archive["brief"]
    overview = editor_client.get(segments_url(main)).content.decode()
    assert move_url(main, "next", 2) in overview
    assert move_url(main, "previous", 0) not in overview  # no previous article

    assert confirm(editor_client, move_url(main, "next", 1)).status_code == 302
    main.refresh_from_db()
    brief.refresh_from_db()
    assert main.body == "党建强，则根基稳。"
    assert brief.body == "加强创新推进\n\n持续推进铁军工程。\n\n无署名的简讯。"
    assert [b["kind"] for b in brief.blocks] == ["subhead", "p", "p"]
    assert layout(archive["clean"]) == [(1, "夯实党建根基"), (2, "简讯一则")]
    moved = records(brief, ChangeAction.MOVE).get()
    assert moved.changes[0]["old"] == "无署名的简讯。" and "移入 2 段" in moved.note

    assert confirm(editor_client, move_url(brief, "previous", 0)).status_code == 302
    main.refresh_from_db()
    assert main.body == "党建强，则根基稳。\n\n加强创新推进"
    assert records(main, ChangeAction.MOVE).count() == 2
    assert Page.objects.get(pk=archive["clean"].pk).segmentation_pinned


def test_moving_every_paragraph_is_refused(editor_client, archive):
    brief = archive["brief"]
    response = editor_client.get(move_url(brief, "previous", 0), follow=True)
    assert "不能移走全部段落" in response.content.decode()
    assert Article.objects.get(pk=brief.pk).body == "无署名的简讯。"


def test_checkers_and_strangers_cannot_fix_segmentation(checker_client, archive):
    main = archive["main"]
    for url in (segments_url(main), split_url(main, 1), merge_url(main), move_url(main, "next", 2)):
        assert checker_client.get(url).status_code == 403
    assert checker_client.post(split_url(main, 1), {"title": "x", "kind": "news", "state": "x"}).status_code == 403
    assert checker_client.post(merge_url(main), {"state": "x"}).status_code == 403
    # The checker's change form offers no link to it either.
    assert "调整分段" not in checker_client.get(reverse("admin:articles_article_change", args=[main.pk])).content.decode()
    stranger = Client()
    response = stranger.post(merge_url(main), {"state": "x"})
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert layout(archive["clean"]) == [(1, "夯实党建根基"), (2, "简讯一则")]
    assert not ChangeRecord.objects.exists()


def test_fixes_need_the_csrf_token(editor, archive):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    state = client.get(merge_url(archive["main"])).context["form"]["state"].value()
    assert client.post(merge_url(archive["main"]), {"state": state}).status_code == 403
    assert Article.objects.filter(pk=archive["brief"].pk).exists()


def test_a_confirmation_made_stale_by_another_edit_is_refused(editor_client, archive):
    main = archive["main"]
    state = editor_client.get(merge_url(main)).context["form"]["state"].value()
    Article.objects.filter(pk=archive["brief"].pk).update(body="别人刚改过的正文。")
    response = editor_client.post(merge_url(main), {"state": state, "keep_heading": "on"}, follow=True)
    assert "确认之后本版文章已有改动" in response.content.decode()
    assert Article.objects.filter(pk=archive["brief"].pk).exists()
    assert not records(main, ChangeAction.MERGE).exists()


def test_the_change_form_and_the_review_queue_link_to_the_fixes(editor_client, checker, archive):
    checker_client = Client()
    checker_client.force_login(checker)
    html = editor_client.get(reverse("admin:articles_article_change", args=[archive["main"].pk])).content.decode()
    assert segments_url(archive["main"]) in html
    # A flagged article may be flagged for a guessed boundary: the queue offers the fix beside it.
    assert segments_url(archive["voucher"]) in editor_client.get(reverse("admin:articles_review_queue")).content.decode()
    assert segments_url(archive["voucher"]) not in checker_client.get(reverse("admin:articles_review_queue")).content.decode()


# -- real pages: search and re-import -----------------------------------------


def search_titles(client, q):
    return [(hit["title"], hit["url"]) for hit in client.get("/api/search", {"q": q}).json()["results"]]


def test_fixes_reach_the_reader_and_search_once_the_queue_is_drained(imported_samples, editor_client):
    sync.drain()
    page = Page.objects.get(source_name=SAMPLE)
    first = Article.objects.get(page=page, position=1)
    second = Article.objects.get(page=page, position=2)
    index = next(i for i, b in enumerate(first.blocks) if b["text"] == "加强创新推进，构建大党建新格局")
    assert confirm(editor_client, split_url(first, index), title="加强创新推进，构建大党建新格局", heading="on",
                   kind="feature").status_code == 302
    created = Article.objects.get(page=page, position=2)
    second.refresh_from_db()
    assert second.position == 3

    assert sync.pending() > 0
    sync.drain()
    assert sync.pending() == 0
    hits = [(title, url) for title, url in search_titles(editor_client, "加强创新推进")
            if url.endswith(created.get_absolute_url())]
    assert [title for title, _ in hits] == ["加强创新推进，构建大党建新格局"]
    # The article that moved down is found at its new address.
    assert any(url.endswith(second.get_absolute_url()) for _, url in search_titles(editor_client, "未来产业"))
    reader = editor_client.get(created.get_absolute_url()).content.decode()
    assert "加强创新推进，构建大党建新格局" in reader and "持续六年推进的铁军打造工程" in reader

    # Merge the photo caption into the commentary before it: its text is then found there.
    commentary = Article.objects.get(page=page, title="以干部敢为跑出争先新姿态")
    assert confirm(editor_client, merge_url(commentary), keep_heading="on").status_code == 302
    sync.drain()
    titles = [title for title, _ in search_titles(editor_client, "黎族纺织文化展")]
    assert "以干部敢为跑出争先新姿态" in titles and "黎族纺织文化展" not in titles


def changed_copy(samples_dir, tmp_path, old, new):
    target = tmp_path / "reimport" / SAMPLE
    target.parent.mkdir()
    shutil.copy(samples_dir / SAMPLE, target)
    text = target.read_text(encoding="utf-8")
    assert old in text
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    return target


def test_reimport_keeps_the_staff_segmentation_and_says_so(imported_samples, editor_client, import_pages,
                                                            samples_dir, tmp_path):
    page = Page.objects.get(source_name=SAMPLE)
    first = Article.objects.get(page=page, position=1)
    index = next(i for i, b in enumerate(first.blocks) if b["text"] == "突出重点保障，夯实发展之基")
    assert confirm(editor_client, split_url(first, index), title="突出重点保障，夯实发展之基", heading="on",
                   kind="feature").status_code == 302
    commentary = Article.objects.get(page=page, title="以干部敢为跑出争先新姿态")
    assert confirm(editor_client, merge_url(commentary), keep_heading="on").status_code == 302
    report = Article.objects.get(page=page, title="“两面锦旗”唱响营商环境“创优曲”")
    last = len(report.blocks) - 1
    assert confirm(editor_client, move_url(report, "next", last)).status_code == 302

    def state():
        return [(a.pk, a.position, a.title, a.body, credits_of(a))
                for a in Article.objects.filter(page=page).order_by("position")]

    before = state()
    untouched = Article.objects.get(page=page, title="未来产业：抢占风口大有可为")
    path = changed_copy(samples_dir, tmp_path, "潜力十足", "潜力巨大")
    code, out, err = import_pages(path, "--no-copy")
    assert code == 0, err

    after = state()
    assert [row[:3] for row in after] == [row[:3] for row in before]  # same articles, same order
    fixed = {pk for pk, *_ in before} - {untouched.pk}
    assert [row for row in after if row[0] in fixed] == [row for row in before if row[0] in fixed]
    assert f"{page.label}版：分段已由编辑固定，保留人工分段" in out
    # What staff did not touch still follows the corrected text.
    assert "潜力巨大" in Article.objects.get(pk=untouched.pk).body
    assert Page.objects.get(pk=page.pk).segmentation_pinned


def test_a_resubmitted_split_shows_the_admin_page_saying_what_changed(editor_client, archive):
    main = archive["main"]
    url = split_url(main, 2)
    page = editor_client.get(url)
    data = {"state": page.context["form"]["state"].value(), "title": "持续推进", "kind": "news"}
    assert editor_client.post(url, data).status_code == 302
    again = editor_client.post(url, data)  # the browser's back button and "submit" once more
    assert again.status_code == 409
    html = again.content.decode()
    assert "admin/base" in " ".join(t.name for t in again.templates)
    assert "本篇现在只有 2 段" in html and "拆出新文章《持续推进》" in html
    assert segments_url(main) in html
    assert layout(archive["clean"])[1][1] == "持续推进" and len(layout(archive["clean"])) == 3


def test_a_merge_link_for_a_merged_away_article_says_where_it_went(editor_client, archive):
    main, brief = archive["main"], archive["brief"]
    assert confirm(editor_client, merge_url(main)).status_code == 302
    gone = editor_client.get(merge_url(brief))
    assert gone.status_code == 404
    html = gone.content.decode()
    assert "这篇文章已不存在" in html and "并入上一篇《夯实党建根基》" in html
    assert "segments_stale.html" in [t.name.split("/")[-1] for t in gone.templates]  # not the public 404


def _jumping(archive):
    """main jumps to page C2 (下转) at its last paragraph; a page-C2 article continues it."""
    main = archive["main"]
    rest = Article.objects.create(page=archive["flagged"], position=2, title="党建根基（上接C1版）",
                                  body="续文。", continued_from="C1")
    Article.objects.filter(pk=main.pk).update(continued_to="C2", continuation=rest, continued_from="A1")
    return Article.objects.get(pk=main.pk), rest


def test_split_moves_the_continuation_note_with_the_last_paragraph(editor_client, archive):
    main, rest = _jumping(archive)
    assert confirm(editor_client, split_url(main, 2), title="持续推进", kind="news").status_code == 302
    main.refresh_from_db()
    second = Article.objects.get(page=archive["clean"], position=2)
    assert (second.continued_to, second.continuation_id) == ("C2", rest.pk)
    assert (main.continued_to, main.continuation_id) == ("", None)
    assert main.continued_from == "A1" and second.continued_from == ""  # 上接 stays with the first paragraph
    assert "continued_to" in main.edited_fields and "continued_to" in second.edited_fields
    change = records(main, ChangeAction.SPLIT).get().changes
    assert {"field": "continued_to", "label": "下转", "old": "C2", "new": ""} in change
    # The reader's page puts the note under the second half.
    page = editor_client.get(reverse("page", kwargs={"date": "2023-03-10", "label": "C1"})).content.decode()
    first_half, second_half = page.split('id="a2"')[0].split('id="a1"')[1], page.split('id="a2"')[1]
    assert '<p class="cont">下转' in second_half and "第C2版" in second_half
    assert "下转" not in first_half


def test_merge_ends_with_the_next_articles_continuation_note(editor_client, archive):
    main, brief = archive["main"], archive["brief"]
    Article.objects.filter(pk=main.pk).update(continued_to="B3")
    Article.objects.filter(pk=brief.pk).update(continued_to="C2")
    assert confirm(editor_client, merge_url(main), keep_heading="on").status_code == 302
    main.refresh_from_db()
    assert main.continued_to == "C2"


def test_moving_the_last_paragraph_on_carries_the_note_and_the_first_back_carries_the_link(editor_client, archive):
    main, rest = _jumping(archive)
    brief = archive["brief"]
    assert confirm(editor_client, move_url(main, "next", 2)).status_code == 302
    main.refresh_from_db()
    brief.refresh_from_db()
    assert (brief.continued_to, brief.continuation_id) == ("C2", rest.pk) and main.continued_to == ""
    # An article elsewhere continued into the brief's first paragraph; it moves back to main.
    source = Article.objects.create(page=archive["flagged"], position=3, title="转来的文章", body="前文。",
                                    continued_to="C1", continuation=brief)
    Article.objects.filter(pk=brief.pk).update(continued_from="B1")
    assert confirm(editor_client, move_url(brief, "previous", 0)).status_code == 302
    main.refresh_from_db()
    assert Article.objects.get(pk=source.pk).continuation_id == main.pk
    assert main.continued_from == "A1" and Article.objects.get(pk=brief.pk).continued_from == ""
