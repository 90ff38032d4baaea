"""Merging and renaming people in the admin."""

from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from articles.importing.people import PeopleResolver
from articles.models import Article, ChangeAction, ChangeRecord, Credit, Person, PersonAlias, Role

from admin_helpers import person

PEOPLE = reverse("admin:articles_person_changelist")


def merge(client, people, winner):
    return client.post(PEOPLE, {
        "action": "merge_selected", ACTION_CHECKBOX_NAME: [p.pk for p in people],
        "merge": "1", "winner": winner.pk,
    })


def test_merge_keeps_every_credit_and_resolves_duplicates(editor_client, archive):
    main, voucher = archive["main"], archive["voucher"]
    wang, typo = person("王强"), person("王墙")
    PersonAlias.objects.create(name="小王", person=typo)  # the loser's own aliases move too
    # The typo was credited on the voucher story in the same role as the real name (a duplicate),
    # and alone on the main story as photographer.
    Credit.objects.create(article=voucher, person=typo, role=Role.REPORTER, order=2)
    Credit.objects.create(article=main, person=typo, role=Role.PHOTOGRAPHER, order=3)

    response = merge(editor_client, [wang, typo], winner=wang)
    assert response.status_code == 302
    assert not Person.objects.filter(name="王墙").exists()
    assert [(c.article_id, c.role) for c in Credit.objects.filter(person=wang).order_by("article_id", "role")] == \
        sorted([(main.pk, Role.PHOTOGRAPHER), (voucher.pk, Role.REPORTER)])
    assert Credit.objects.filter(article=voucher).count() == 1
    assert dict(PersonAlias.objects.values_list("name", "person__name")) == {"王墙": "王强", "小王": "王强"}
    assert ChangeRecord.objects.filter(action=ChangeAction.MERGE).count() == 2
    # The importer now resolves the typo to the survivor.
    assert PeopleResolver().resolve("王 墙") == wang


def test_merge_asks_which_person_survives(editor_client, archive):
    people = [person("李雨婷"), person("李雨亭")]
    response = editor_client.post(PEOPLE, {"action": "merge_selected", ACTION_CHECKBOX_NAME: [p.pk for p in people]})
    assert response.status_code == 200
    html = response.content.decode()
    assert "保留哪一位" in html and "李雨亭" in html
    assert Person.objects.filter(name__in=["李雨婷", "李雨亭"]).count() == 2


def test_merge_needs_two_people(editor_client, archive):
    response = editor_client.post(PEOPLE, {"action": "merge_selected", ACTION_CHECKBOX_NAME: [person("张三").pk]},
                                  follow=True)
    assert "请至少勾选两位人物" in response.content.decode()


def person_data(p, **overrides):
    return {"name": p.name, "kind": p.kind, "note": p.note,
            "aliases-TOTAL_FORMS": 0, "aliases-INITIAL_FORMS": 0, "aliases-MIN_NUM_FORMS": 0,
            "aliases-MAX_NUM_FORMS": 1000, **overrides}


def test_rename_keeps_old_name_as_alias(editor_client, archive):
    zhang = person("张三")
    url = reverse("admin:articles_person_change", args=[zhang.pk])
    assert editor_client.post(url, person_data(zhang, name="张叁")).status_code == 302
    zhang.refresh_from_db()
    assert zhang.name == "张叁"
    assert PersonAlias.objects.get(name="张三").person == zhang
    assert Article.objects.filter(credits__person__name="张叁").get() == archive["main"]
    record = ChangeRecord.objects.get(action=ChangeAction.RENAME)
    assert (record.changes[0]["old"], record.changes[0]["new"]) == ("张三", "张叁")
    assert PeopleResolver().resolve("张三") == zhang
    # Renaming back drops the alias that would now shadow the name itself.
    assert editor_client.post(url, person_data(zhang, name="张三")).status_code == 302
    assert list(PersonAlias.objects.values_list("name", flat=True)) == ["张叁"]


def test_rename_onto_someone_else_is_refused(editor_client, archive):
    zhang = person("张三")
    url = reverse("admin:articles_person_change", args=[zhang.pk])
    response = editor_client.post(url, person_data(zhang, name="李雨婷"))
    assert response.status_code == 200
    assert "已有名为“李雨婷”的人物" in response.content.decode()
    response = editor_client.post(url, person_data(zhang, name="李 四"))
    assert "姓名中不能含空格" in response.content.decode()
    zhang.refresh_from_db()
    assert zhang.name == "张三"


def test_alias_edits_are_validated_and_recorded(editor_client, archive):
    zhang = person("张三")
    url = reverse("admin:articles_person_change", args=[zhang.pk])
    data = person_data(zhang, **{"aliases-TOTAL_FORMS": 1, "aliases-0-name": "李雨婷", "aliases-0-person": zhang.pk})
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "已有名为“李雨婷”的人物" in response.content.decode()
    assert not PersonAlias.objects.exists()

    data["aliases-0-name"] = "张 叁"
    assert editor_client.post(url, data).status_code == 302
    assert PersonAlias.objects.get().name == "张叁"
    change = ChangeRecord.objects.get(object_id=str(zhang.pk), action=ChangeAction.CHANGE).changes[0]
    assert (change["label"], change["old"], change["new"]) == ("别名", "", "张叁")
