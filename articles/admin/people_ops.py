"""Merging and renaming people: every credit kept, every old spelling an alias.

Aliases are what the importer resolves names through, so a merge or rename
survives re-imports: the loser's spelling keeps pointing at the winner.
"""

from django.db import transaction

from articles.models import Credit, PageCredit, Person, PersonAlias
from articles.search import sync


class MergeOutcome:
    def __init__(self, winner):
        self.winner = winner
        self.losers = []
        self.moved = 0
        self.duplicates = 0
        self.article_ids = set()

    @property
    def summary(self):
        names = "、".join(self.losers)
        text = f"{names} 并入 {self.winner.name}：转移署名 {self.moved} 条"
        if self.duplicates:
            text += f"，合并同一文章中的重复署名 {self.duplicates} 条"
        return text


@transaction.atomic
def merge_people(winner, losers):
    """Fold `losers` into `winner`; returns a MergeOutcome."""
    outcome = MergeOutcome(winner)
    losers = [p for p in losers if p.pk != winner.pk]
    taken = set(Credit.objects.filter(person=winner).values_list("article_id", "role"))
    for loser in losers:
        for credit in Credit.objects.filter(person=loser).order_by("article_id", "order", "id"):
            outcome.article_ids.add(credit.article_id)
            key = (credit.article_id, credit.role)
            if key in taken:
                # Both were credited on this article in this role: one person,
                # one credit. The winner's own credit (and its order) stays.
                credit.delete()
                outcome.duplicates += 1
            else:
                credit.person = winner
                credit.save(update_fields=["person"])
                taken.add(key)
                outcome.moved += 1
        PageCredit.objects.filter(person=loser).update(person=winner)
        PersonAlias.objects.filter(person=loser).update(person=winner)
        name, note = loser.name, loser.note
        outcome.losers.append(name)
        loser.delete()
        PersonAlias.objects.update_or_create(name=name, defaults={"person": winner})
        if note and note not in winner.note:
            winner.note = f"{winner.note}\n{note}".strip()
    winner.save()
    sync.articles_changed(outcome.article_ids)
    return outcome


@transaction.atomic
def rename_person(person, old_name):
    """After `person` was saved under a new name: keep the old one as an alias."""
    PersonAlias.objects.filter(name=person.name, person=person).delete()
    if old_name and old_name != person.name:
        PersonAlias.objects.update_or_create(name=old_name, defaults={"person": person})
