"""Loading the gazetteer file into Place and PlaceAlias rows.

Loading adds what is missing and never overwrites: staff may have moved,
renamed or merged places since, and their edits stand. A former name is
kept as its own place under the one it became (黄姑镇 under 独山港镇), so
older articles keep naming what they named.
"""

import json
from pathlib import Path

from django.db import transaction

from articles.models import Place, PlaceAlias

GAZETTEER = Path(__file__).with_name("gazetteer.json")


class GazetteerError(ValueError):
    pass


def read(path=GAZETTEER):
    """The gazetteer's entries, checked: every parent named, no name twice."""
    try:
        entries = json.loads(Path(path).read_text(encoding="utf-8"))["places"]
    except (OSError, ValueError, KeyError) as error:
        raise GazetteerError(f"{path}: cannot read the gazetteer ({error})") from error
    names = set()
    for entry in entries:
        for name in [entry["name"], *entry.get("aliases", ()), *entry.get("former", ())]:
            if name in names:
                raise GazetteerError(f"{path}: “{name}” is named twice")
            names.add(name)
    for entry in entries:
        if entry.get("parent") and entry["parent"] not in names:
            raise GazetteerError(f"{path}: parent “{entry['parent']}” of “{entry['name']}” is not in the gazetteer")
    return entries


@transaction.atomic
def load(path=GAZETTEER):
    """Create the places and aliases not there yet; returns (names of places created, aliases created)."""
    entries = read(path)
    known = {alias.name: alias.place for alias in PlaceAlias.objects.select_related("place")}
    known.update({place.name: place for place in Place.objects.all()})
    places, aliases = [], []
    for entry in entries:
        if entry["name"] not in known:
            known[entry["name"]] = Place.objects.create(name=entry["name"], kind=entry["kind"],
                                                        note=entry.get("note", ""))
            places.append(entry["name"])
    for entry in entries:
        place = known[entry["name"]]
        parent = known.get(entry.get("parent"))
        if parent is not None and place.parent_id is None and place.kind != "city":
            place.parent = parent
            place.save(update_fields=["parent"])
        for name in [*entry.get("aliases", ()), *entry.get("former", ())]:
            if name not in known:
                known[name] = PlaceAlias.objects.create(name=name, place=place).place
                aliases.append(name)
    return places, aliases
