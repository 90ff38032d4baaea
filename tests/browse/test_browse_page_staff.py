"""A page's printed staff (编辑, 版式, 校对) are people of the page: their person page lists the pages."""

from datetime import date

from articles.admin.people_ops import merge_people
from articles.models import Issue, PageCredit, PageRole, Person, PersonAlias
from sample_archive import make_page


def html(response):
    return response.content.decode()


def test_saving_a_page_credits_its_printed_staff(archive):
    c1 = archive["c1"]
    credits = {c.role: c.person.name for c in PageCredit.objects.filter(page=c1).select_related("person")}
    assert credits == {PageRole.EDITOR: "戴琰", PageRole.DESIGNER: "李春霞", PageRole.PROOFREADER: "张真"}
    c1.proofreader = ""
    c1.designer = "王 强"  # typeset with a space: one person whatever the spacing
    c1.save()
    credits = {c.role: c.person.name for c in PageCredit.objects.filter(page=c1).select_related("person")}
    assert credits == {PageRole.EDITOR: "戴琰", PageRole.DESIGNER: "王强"}


def test_staff_names_resolve_through_aliases(db):
    person = Person.objects.create(name="戴琰")
    PersonAlias.objects.create(name="戴言", person=person)
    page = make_page(Issue.objects.create(date=date(2023, 5, 1)), "1", editor="戴言")
    assert PageCredit.objects.get(page=page).person == person
    assert not Person.objects.filter(name="戴言").exists()


def test_person_page_lists_the_pages_she_edited(client, archive):
    dai = Person.objects.get(name="戴琰")
    body = html(client.get(dai.get_absolute_url()))
    section = body.split('id="page-role-editor"')[1]
    assert "版面编辑" in body and 'href="/2023-03-10/C1/"' in section and "第C1版" in section
    assert "档案中没有署名文章" not in body
    data = client.get(f"/api/person/{dai.pk}.json").json()
    assert data["page_roles"][0]["role"] == "editor"
    assert data["page_roles"][0]["pages"][0]["url"] == "http://testserver/2023-03-10/C1/"


def test_issue_and_page_link_the_staff_to_their_person_pages(client, archive):
    for url in ("/2023-03-10/", "/2023-03-10/C1/"):
        staff = html(client.get(url)).split('class="staff"')[1].split("</p>")[0]
        assert '编辑 <a href="/person/name/%E6%88%B4%E7%90%B0/">戴琰</a>' in staff, url
    assert client.get("/person/name/戴琰/")["Location"] == Person.objects.get(name="戴琰").get_absolute_url()


def test_merging_people_moves_their_page_credits(archive):
    dai = Person.objects.get(name="戴琰")
    other = Person.objects.create(name="戴 琰 本人".replace(" ", ""))
    merge_people(other, [dai])
    assert PageCredit.objects.get(page=archive["c1"], role=PageRole.EDITOR).person == other


def test_people_index_lists_page_staff(client, archive):
    body = html(client.get("/people/"))
    assert ">戴琰</a> <span class=\"count\">1版</span>" in body
    assert ">戴琰</a>" not in html(client.get("/people/", {"role": "reporter"}))
