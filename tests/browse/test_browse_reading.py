"""Reading the archive: what a reader of the paper's own digital edition expects to find."""

import re

import pytest

from articles.models import Person, PersonAlias


def html(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_headline_is_marked_when_coming_from_search(client, archive):
    body = html(client.get("/2024-01-05/1/1/", {"q": "实干 担当"}))
    assert '<h1 id="article-title">以<mark>实干</mark><mark>担当</mark>开创新局</h1>' in body


def test_byline_name_leads_to_the_person_through_aliases(client, archive):
    lin = Person.objects.get(name="林旭东")
    PersonAlias.objects.create(name="林旭冬", person=lin)
    assert client.get("/person/name/林旭东/").url == lin.get_absolute_url()
    assert client.get("/person/name/林旭冬/").url == lin.get_absolute_url()
    assert client.get("/person/name/无此人/").status_code == 404
