"""The article form's raw-text pane marks the article's whole span, from the parser's source spans."""

import html
import re

from django.urls import reverse

from articles.admin import segment_ops
from articles.models import Article

MARK = re.compile(r"<mark( id=\"phnews-here\")?>(.*?)</mark>", re.S)


def loose(text):
    return re.sub(r"\s", "", text).translate(str.maketrans("，：；？！（）", ",:;?!()"))


def pane(client, article):
    page = client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    return page.split('id="phnews-raw">', 1)[1].split("</pre>", 1)[0]


def marks(source):
    return [(bool(here), html.unescape(text)) for here, text in MARK.findall(source)]


def test_every_sample_article_marks_its_whole_span_and_nothing_else(editor_client, imported_samples):
    articles = list(Article.objects.select_related("page").order_by("page__source_name", "position"))
    assert len(articles) == 28
    for article in articles:
        assert article.source_spans, article.title
        found = marks(pane(editor_client, article))
        assert [here for here, _ in found].count(True) == 1 and found[0][0], "the first mark is scrolled to"
        marked = loose("".join(text for _, text in found))
        raw = article.page.raw_text.split("\n")
        assert len(marked) == len(loose("\n".join(
            raw[n] for first, last in article.source_spans for n in range(first, last + 1))))
        # The headline, the first and the last paragraph are all inside the marks.
        assert all(ch in marked for ch in loose(article.title)), article.title
        paragraphs = [p for p in article.body.split("\n\n") if p.strip()]
        for paragraph in (paragraphs[0], paragraphs[-1]):
            assert loose(paragraph)[:10] in marked and loose(paragraph)[-10:] in marked, (article.title, paragraph)
        # No other article's opening paragraph is marked.
        for other in articles:
            if other.page_id == article.page_id and other.pk != article.pk and other.body:
                opening = loose(other.body.split("\n\n")[0])
                if len(opening) >= 20 and opening[:20] not in loose(article.body):
                    assert opening[:20] not in marked, (article.title, other.title)


def test_an_interrupted_article_gets_several_marks(editor_client, imported_samples):
    feature = Article.objects.get(page__source_name__startswith="004", position=1)
    assert len(feature.source_spans) == 2
    assert len(marks(pane(editor_client, feature))) == 2


def test_merge_marks_both_parts_and_split_falls_back_to_the_text(editor_client, editor, imported_samples):
    first = Article.objects.get(page__source_name__startswith="002", position=1)
    second = Article.objects.get(page=first.page, position=2)
    spans = sorted(first.source_spans + second.source_spans)
    merged = segment_ops.merge(editor, first.pk)
    assert merged.source_spans == spans
    assert len(marks(pane(editor_client, merged))) >= 1
    assert all(loose(p)[:10] in loose("".join(t for _, t in marks(pane(editor_client, merged))))
               for p in second.body.split("\n\n")[:1])

    blocks = len(merged.blocks)
    segment_ops.split(editor, merged.pk, blocks - 1, "拆出的一篇")
    merged.refresh_from_db()
    assert merged.source_spans == []
    # Found by its text again: the pane still marks where it starts.
    assert marks(pane(editor_client, merged))
