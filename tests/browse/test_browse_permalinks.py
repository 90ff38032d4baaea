"""Links that stay true: the permanent link, and old dated addresses after a split or merge."""

from django.urls import reverse

from articles.admin import segment_ops
from articles.models import Article


def html(response):
    return response.content.decode()


def split_main(archive):
    # The third paragraph of the interview becomes an article of its own, at place 2.
    return segment_ops.split(None, archive["main"].pk, 2, "铁军打造工程")


def test_after_a_split_an_old_address_names_what_it_named(client, archive):
    notes, photo = archive["notes"], archive["photo"]
    created = split_main(archive)
    assert Article.objects.get(pk=notes.pk).position == 3 and Article.objects.get(pk=photo.pk).position == 4
    # /C1/2/ was 根基在基层 when it was cited: it says so and links there, not silently another article.
    moved = client.get("/2023-03-10/C1/2/")
    assert moved.status_code == 200 and moved.context["article"] == created
    note = html(moved).split('id="address-moved"')[1].split("</p>")[0]
    assert "根基在基层" in note and f'href="/article/{notes.pk}/"' in note and "现在是本版第 3 篇" in note
    # /C1/4/ never named another article: no note.
    assert 'id="address-moved"' not in html(client.get("/2023-03-10/C1/4/"))
    # The permanent links keep naming their articles.
    assert client.get(f"/article/{notes.pk}/").context["article"].pk == notes.pk
    assert client.get(f"/article/{created.pk}/").context["article"].pk == created.pk


def test_after_a_merge_the_merged_away_article_leads_to_the_one_holding_its_text(client, archive):
    c1, photo = archive["c1"], archive["photo"]
    notes = archive["notes"]
    segment_ops.merge(None, notes.pk)  # the photo caption joins 根基在基层; place 3 is gone
    gone = client.get(f"/article/{photo.pk}/")
    assert gone.status_code == 301 and gone["Location"] == f"/article/{notes.pk}/"
    data = client.get(f"/api/article/{photo.pk}.json")
    assert data.status_code == 301 and data["Location"] == f"/api/article/{notes.pk}.json"
    old_place = client.get("/2023-03-10/C1/3/")
    assert old_place.status_code == 301 and old_place["Location"] == f"/article/{notes.pk}/"
    assert Article.objects.filter(page=c1).count() == 2


def test_a_merge_into_an_article_later_merged_again_still_arrives(client, archive):
    main, notes, photo = archive["main"], archive["notes"], archive["photo"]
    segment_ops.merge(None, notes.pk)
    segment_ops.merge(None, main.pk)
    assert client.get(f"/article/{photo.pk}/")["Location"] == f"/article/{main.pk}/"
    moved = client.get("/2023-03-10/C1/2/")
    assert moved.status_code == 301 and moved["Location"] == f"/article/{main.pk}/"


def test_a_deleted_article_s_permanent_link_is_404(client, archive):
    pk = archive["photo"].pk
    Article.objects.filter(pk=pk).delete()
    response = client.get(f"/article/{pk}/")
    assert response.status_code == 404


def test_citation_feed_sitemap_and_json_use_the_permanent_link(client, archive):
    main = archive["main"]
    permanent = f"http://testserver/article/{main.pk}/"
    page = html(client.get("/2023-03-10/C1/1/"))
    assert f'id="permalink" class="copy-source" type="text" readonly value="{permanent}"' in page
    li = main.credits.get().person
    assert permanent in html(client.get(reverse("person_feed", kwargs={"pk": li.pk})))
    from articles.browse.sitemaps import PAGE_SIZE

    # Sitemap pages hold id ranges: ask for the one holding this article's id.
    sitemap = html(client.get("/sitemap-articles.xml", {"p": -(-main.pk // PAGE_SIZE)}))
    assert permanent in sitemap and "/2023-03-10/C1/1/" not in sitemap
    data = client.get("/api/2023-03-10/C1.json").json()
    assert data["articles"][0]["url"] == permanent
