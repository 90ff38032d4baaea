"""Places found at import on the 28 sample articles, against a hand annotation; kept in step by re-import and edits.

The annotation below was made by reading each sample article: the places of
Pinghu it names (a town, a village, a zone), by their gazetteer name. The
bare word 经开 inside a phrase (经开担当) and the city itself are not
annotated; 当湖教育服务中心 names a building, not 当湖街道.
Precision and recall are over (article, place) pairs:
    bin/test tests/places/test_place_extraction.py -q -s
"""

import pytest

from articles.models import Article, ArticlePlace, IndexTask, Place, PlaceAlias
from articles.search import sync

pytestmark = pytest.mark.django_db

# (sample file prefix, title) -> places named; articles not listed name none.
ANNOTATION = {
    ("000", "厚植生物医药产业发展土壤"): {"平湖经济技术开发区", "独山港经济开发区"},
    ("000", "释放“小巨人”的创新能量"): {"平湖经济技术开发区", "林埭镇"},
    ("000", "抱团项目 共富大棚"): {"林埭镇", "徐家埭村"},
    ("001", "未来产业：抢占风口大有可为"): {"独山港经济开发区", "平湖经济技术开发区"},
    ("001", "“两面锦旗”唱响营商环境“创优曲”"): {"张江长三角科技城平湖园"},
    ("001", "推进“腾笼换鸟” 实现“凤凰涅槃”"): {"独山港经济开发区", "新仓镇", "新庙社区", "广陈镇", "泗泾村"},
    ("002", "以开放视野塑造一体化新优势"): {"独山港镇", "浙沪新材料产业园"},
    ("002", "平湖经开外资企业跑出“加速度”"): {"平湖经济技术开发区"},
    ("002", "精准帮扶助企拔节生长"): {"新仓镇"},
    ("003", "不断擦亮高质量外资“金名片”"): {"独山港镇"},
    ("003", "勇挑大梁担使命 提质进位走前列"): {"平湖经济技术开发区", "钟埭街道"},
    ("004", "创新奋进，构筑高质量发展新优势"): {"平湖经济技术开发区"},
    ("004", "半年答卷 可圈可点"): {"平湖经济技术开发区"},
}


@pytest.fixture
def samples(gazetteer, imported_samples):
    return imported_samples


def found_pairs():
    pairs = set()
    for link in ArticlePlace.objects.select_related("article__page", "place"):
        pairs.add((link.article.page.source_name[:3], link.article.title, link.place.name))
    return pairs


def test_precision_and_recall_on_the_samples(samples):
    assert Article.objects.count() == 28
    titles = set(Article.objects.values_list("page__source_name", "title"))
    assert {(f[:3], t) for f, t in titles} >= set(ANNOTATION)
    expected = {(f, t, place) for (f, t), places in ANNOTATION.items() for place in places}
    found = found_pairs()
    hits = len(found & expected)
    precision, recall = hits / len(found), hits / len(expected)
    print(f"\nplaces on the 28 sample articles: {len(expected)} annotated, {len(found)} found, "
          f"{hits} right; precision {precision:.3f}, recall {recall:.3f}")
    assert precision >= 0.95 and recall >= 0.95


def test_counts_are_mentions(samples):
    link = ArticlePlace.objects.get(article__title="精准帮扶助企拔节生长", place__name="新仓镇")
    assert link.mentions == 10  # 新仓镇 twice, 新仓 eight times


def test_reimport_keeps_places_in_step(samples, import_pages, samples_dir):
    before = found_pairs()
    code, _, err = import_pages(samples_dir, "--no-copy")
    assert code == 0, err
    assert found_pairs() == before


def test_an_import_finds_each_pages_places_once_with_one_gazetteer_read(gazetteer, import_pages, samples_dir,
                                                                        monkeypatch):
    from articles.places import mentions

    refreshed, reads = [], []
    real_refresh, real_read = mentions.refresh, mentions._read_matcher
    monkeypatch.setattr(mentions, "refresh", lambda articles, **kw: refreshed.append(len(articles)) or real_refresh(articles, **kw))
    monkeypatch.setattr(mentions, "_read_matcher", lambda: reads.append(1) or real_read())
    code, _, err = import_pages(samples_dir, "--no-copy")
    assert code == 0, err
    # Once per page, after its credits: not again for every article and credit saved.
    assert len(refreshed) == 5 and sum(refreshed) == Article.objects.count() == 28
    assert len(reads) == 1
    # Outside an import, a staff save finds the article's places again, reading the gazetteer afresh.
    article = Article.objects.get(title="精准帮扶助企拔节生长")
    article.body = "九龙山下。"
    article.save()
    assert "九龙山" in article.article_places.values_list("place__name", flat=True)
    assert len(reads) == 2


def test_a_staff_edit_of_the_text_changes_the_places(samples):
    article = Article.objects.get(title="精准帮扶助企拔节生长")
    article.body = "九龙山下，乍浦港边。"
    article.save()
    # The headline's 新仓 stays; the body's nine mentions went with the old body.
    assert dict(article.article_places.values_list("place__name", "mentions")) == {"九龙山": 1, "乍浦港": 1, "新仓镇": 1}


def test_a_new_alias_reaches_articles_and_the_index_queue(samples, admin_client):
    sync.drain()
    article = Article.objects.get(title="以开放视野塑造一体化新优势")
    assert not article.article_places.filter(place__name="当湖街道").exists()
    place = Place.objects.get(name="浙沪新材料产业园")
    response = admin_client.post("/admin/articles/placealias/add/", {"name": "一体化新优势", "place": place.pk})
    assert response.status_code == 302
    assert article.article_places.get(place=place).mentions == 3  # 2 as before, and the headline
    assert IndexTask.objects.filter(article_id=article.pk).exists()


def test_moving_a_place_queues_its_articles(samples, admin_client):
    sync.drain()
    village = Place.objects.get(name="泗泾村")
    article = Article.objects.get(article_places__place=village)
    town = Place.objects.get(name="新埭镇")
    data = {"name": village.name, "kind": village.kind, "parent": town.pk, "note": "",
            "aliases-TOTAL_FORMS": "1", "aliases-INITIAL_FORMS": "0", "aliases-0-name": ""}
    response = admin_client.post(f"/admin/articles/place/{village.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Place.objects.get(pk=village.pk).parent == town
    assert IndexTask.objects.filter(article_id=article.pk).exists()


def test_merging_places_keeps_every_mention(samples):
    from articles.places.ops import merge_places

    xc = Place.objects.get(name="新仓镇")
    community = Place.objects.get(name="新庙社区")
    article = Article.objects.get(title="推进“腾笼换鸟” 实现“凤凰涅槃”")
    merge_places(xc, [community])
    assert not Place.objects.filter(name="新庙社区").exists()
    assert PlaceAlias.objects.get(name="新庙社区").place == xc
    assert article.article_places.get(place=xc).mentions == 2


def test_a_credit_added_by_staff_masks_a_name_that_is_also_a_place(gazetteer):
    from datetime import date

    from articles.models import Credit, Issue, Page, Person

    page = Page.objects.create(issue=Issue.objects.create(date=date(2024, 5, 6)), label="C4", source_name="c4.txt",
                               content_hash="c4", raw_text="")
    article = Article.objects.create(page=page, position=1, title="东湖说新仓镇", body="东湖认为，新仓镇的项目好。")
    assert dict(article.article_places.values_list("place__name", "mentions")) == {"东湖": 2, "新仓镇": 2}
    credit = Credit.objects.create(article=article, person=Person.objects.create(name="东湖"), role="author")
    assert dict(article.article_places.values_list("place__name", "mentions")) == {"新仓镇": 2}
    credit.delete()
    assert dict(article.article_places.values_list("place__name", "mentions")) == {"东湖": 2, "新仓镇": 2}
