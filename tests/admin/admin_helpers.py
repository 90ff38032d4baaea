"""Helpers for the admin tests (a module with its own name: every test folder has a conftest)."""

from articles.models import Person


def person(name):
    return Person.objects.get_or_create(name=name)[0]


def article_form_data(article, **overrides):
    """The article change form as the browser would post it, credits included."""
    credits = list(article.credits.order_by("order", "id"))
    data = {
        "page": article.page_id, "position": article.position, "kind": article.kind, "column": article.column,
        "kicker": article.kicker, "title": article.title, "subtitle": article.subtitle, "lead": article.lead,
        "dateline": article.dateline, "body": article.body, "parent": article.parent_id or "",
        "continued_from": article.continued_from, "continued_to": article.continued_to,
        "continuation": article.continuation_id or "",
        "credits-TOTAL_FORMS": len(credits), "credits-INITIAL_FORMS": len(credits),
        "credits-MIN_NUM_FORMS": 0, "credits-MAX_NUM_FORMS": 1000,
    }
    if article.needs_review:
        data["needs_review"] = "on"
    for index, credit in enumerate(credits):
        data.update({
            f"credits-{index}-id": credit.pk, f"credits-{index}-article": article.pk,
            f"credits-{index}-order": credit.order, f"credits-{index}-role": credit.role,
            f"credits-{index}-person": credit.person_id,
        })
    data.update(overrides)
    return data


def add_credit_row(data, article, person_id, role, order):
    index = int(data["credits-TOTAL_FORMS"])
    data.update({
        f"credits-{index}-article": article.pk, f"credits-{index}-order": order,
        f"credits-{index}-role": role, f"credits-{index}-person": person_id,
        "credits-TOTAL_FORMS": index + 1,
    })
    return data
