"""Credits on import: every role from the known-role table, unknown words kept
as the article's printed byline and flagged, never made a Person."""

from articles.models import Article, Credit, Person
from import_helpers import batch

PAGE = """我家门前的小河

■某某小学501班 周小九

我家门前有一条小河，河水清清的，
夏天我常和小伙伴在河边玩耍。

指导老师 郑某某

小镇新事

■口述 张三丰

本报讯 昨天上午，某某镇举办了一场小型的活动，
来自各村的居民参加。

田埂上的秋天

■文/摄 王小五

本报讯 近日，某某村的稻田迎来丰收，村民们
忙着收割晚稻。
"""


def test_roles_and_unknown_words_on_import(import_pages, tmp_path):
    code, out, err = import_pages(batch(tmp_path, {"p.txt": PAGE}), "--date", "2024-10-01")
    assert code == 0, err
    essay, report, photo = Article.objects.order_by("position")
    assert [(c.person.name, c.role) for c in essay.credits.order_by("order")] == [("周小九", "author"), ("郑某某", "advisor")]
    assert essay.byline == "■某某小学501班 周小九\n指导老师 郑某某"
    assert [(c.person.name, c.role) for c in report.credits.all()] == [("张三丰", "author")]
    assert report.byline == "■口述 张三丰"
    assert report.needs_review and any("口述" in r for r in report.review_reasons)
    assert [(c.person.name, c.role) for c in photo.credits.order_by("order")] == [("王小五", "author"), ("王小五", "photographer")]
    # Neither the role word nor the school became a person.
    assert set(Person.objects.values_list("name", flat=True)) == {"周小九", "郑某某", "张三丰", "王小五"}
    assert Credit.objects.count() == 5


GUESSED = """小河重现清澈

■记者 胡某某

某某镇的小河曾经污水横流，如今却清澈见底，
村民们又能在河边散步了。

让每一条河都美起来

治水没有终点，只有连续不断的新起点。守护好
一河清水，需要每个人的参与。
"""


def test_a_guessed_boundary_reaches_the_review_queue(import_pages, tmp_path):
    code, out, err = import_pages(batch(tmp_path, {"g.txt": GUESSED}), "--date", "2024-10-02")
    assert code == 0, err
    (article,) = Article.objects.all()
    assert article.needs_review
    assert any(r.startswith("分篇存疑") and "让每一条河都美起来" in r for r in article.review_reasons)
    assert Article.objects.filter(needs_review=True).count() == 1
