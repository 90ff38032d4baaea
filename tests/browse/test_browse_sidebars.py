"""Every article of a page appears wherever the page's articles are listed, a sidebar under its parent."""

from articles.models import Article, Page


def html(response):
    return response.content.decode()


def nested_under(listing, parent, sidebar):
    """True when sidebar's link sits in a list inside parent's list item."""
    item = listing.split(f">{parent}</a>", 1)[1].split("</li>\n", 1)[0]
    return 'class="sidebar-headlines"' in item and f">{sidebar}</a>" in item


def test_page_headline_nav_lists_the_sidebar_under_its_parent(client, archive):
    body = html(client.get("/2023-03-10/C1/"))
    nav = body.split('aria-label="第C1版标题导航"')[1].split("</ul>\n")[0]
    assert nested_under(nav, "夯实金平湖璀璨明珠的党建根基", "根基在基层")
    assert f'href="#a{archive["notes"].position}">根基在基层' in nav
    assert ">春耕忙</a>" in nav
    # From another page of the issue, the nav links to the sidebar's own page.
    Page.objects.create(issue=archive["march"], label="C2", source_name="c2.txt", content_hash="c2",
                                raw_text="")
    elsewhere = html(client.get("/2023-03-10/C2/")).split('aria-label="第C1版标题导航"')[1].split("</ul>\n")[0]
    assert f'href="{archive["notes"].get_absolute_url()}">根基在基层' in elsewhere


def test_issue_and_home_list_the_sidebar_under_its_parent(client, archive):
    listing = html(client.get("/2023-03-10/")).split('class="page-list"')[1]
    assert nested_under(listing, "夯实金平湖璀璨明珠的党建根基", "根基在基层")
    # Home lists the latest issue the same way.
    Article.objects.filter(pk=archive["other"].pk).update(parent=archive["head"])
    listing = html(client.get("/")).split('class="page-list"')[1]
    assert nested_under(listing, "以实干担当开创新局", "全市重点项目集中开工")


def test_a_sidebar_whose_parent_is_on_another_page_stands_alone(client, archive):
    Article.objects.filter(pk=archive["notes"].pk).update(parent=archive["half"])
    listing = html(client.get("/2023-03-10/")).split('class="page-list"')[1]
    assert ">根基在基层</a>" in listing


def test_issue_feed_lists_the_sidebar(client, archive):
    feed = html(client.get("/feed/issues.atom"))
    assert "夯实金平湖璀璨明珠的党建根基（根基在基层）" in feed
