"""Names in bylines to Person rows, through staff-made aliases first."""

from articles.models import Person, PersonAlias, PersonKind, normalize_name

NAME_MAX_LENGTH = Person._meta.get_field("name").max_length


class PeopleResolver:
    """Resolves names for one import run; counts the people it creates."""

    def __init__(self):
        self._cache: dict[str, Person] = {}
        self._unknown: set[str] = set()  # primed names with neither an alias nor a person
        self.created: list[Person] = []

    def prime(self, raw_names):
        """Look up every name of a page in two queries instead of two per name."""
        names = {normalize_name(n) for n in raw_names} - set(self._cache) - {""}
        if not names:
            return
        for alias in PersonAlias.objects.select_related("person").filter(name__in=names):
            self._cache[alias.name] = alias.person
        for person in Person.objects.filter(name__in=names - set(self._cache)):
            self._cache[person.name] = person
        self._unknown |= names - set(self._cache)

    def resolve(self, raw_name: str, signs_commentary: bool = False) -> Person | None:
        """The person a printed name stands for, or None if it is no name.

        An alias wins over a same-named person: staff merged "王强" into
        another row on purpose, and a re-import must not split them again.
        signs_commentary: the name signs a commentary with no role word
        ("■言成声"), the way pen names do; it only sets the kind of a new row.
        """
        name = normalize_name(raw_name)
        if not name or len(name) > NAME_MAX_LENGTH:
            return None
        if name in self._cache:
            return self._cache[name]
        alias = None if name in self._unknown else PersonAlias.objects.select_related("person").filter(name=name).first()
        if alias is not None:
            person = alias.person
        else:
            person, created = Person.objects.get_or_create(name=name, defaults={"kind": guess_kind(name, signs_commentary)})
            if created:
                self.created.append(person)
        self._cache[name] = person
        return person

    def forget(self):
        """Drop cached rows after a rolled-back file: they may no longer exist."""
        self._cache.clear()
        self._unknown.clear()


def guess_kind(name, signs_commentary=False):
    # Institutional bylines sign for the paper, not for a person.
    if name.startswith("本报") or name.endswith(("评论员", "编辑部", "记者组", "调研组")):
        return PersonKind.INSTITUTION
    if signs_commentary:
        return PersonKind.PEN_NAME
    return PersonKind.PERSON
