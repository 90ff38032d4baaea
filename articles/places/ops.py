"""Staff curation of the gazetteer: merging places. Every change re-finds the places of the articles it touches."""

from django.db import transaction

from articles.models import Place, PlaceAlias

from .mentions import gazetteer_changed


@transaction.atomic
def merge_places(winner, losers):
    """Fold ``losers`` into ``winner``: their names become its aliases, their children its children.

    The losers' article links go with them and are found again under the
    winner from the text, so counts add up as the text says. Returns the
    article ids queued for the search index.
    """
    names = [winner.name]
    for loser in [p for p in losers if p.pk != winner.pk]:
        Place.objects.filter(parent=loser).exclude(pk=winner.pk).update(parent=winner)
        if winner.parent_id == loser.pk:
            winner.parent_id = loser.parent_id
            winner.save(update_fields=["parent"])
        PlaceAlias.objects.filter(place=loser).update(place=winner)
        names.append(loser.name)
        loser.delete()
        PlaceAlias.objects.create(name=names[-1], place=winner)
    names += PlaceAlias.objects.filter(place=winner).values_list("name", flat=True)
    return gazetteer_changed(names=names, places=[winner])
