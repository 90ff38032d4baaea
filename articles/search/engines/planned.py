"""How a compiled query (``querylang.Plan``) reaches a haystack backend: through haystack's own channel.

``PlannedSearchQuerySet(using=...).planned(plan)`` is a SearchQuerySet filtered
by the plan's matching tree that carries the plan; filters, sorts, facets and
highlighting are then added with SearchQuerySet's own methods. The query class
of each engine mixes in ``PlannedQuery``, which keeps the plan through every
clone and hands it to the backend's ``search`` as the ``plan`` keyword from
``build_params``, where haystack passes its own search options. A backend
asked without a plan (a tree built with SearchQuerySet's methods alone) still
answers; the plan only adds what to rank and mark.
"""

from haystack.query import SQ, SearchQuerySet


class PlannedQuery:
    """Mixed into an engine's SearchQuery class."""

    plan = None
    plan_filter = None  # the SQ the plan's matching tree was added as

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.added = []  # (SQ, use_or) of each filter added, in order
        self._adding = 0

    def add_filter(self, query_filter, use_or=False):
        # haystack adds a nested node by calling add_filter again: record only the outer call.
        if not self._adding:
            self.added.append((query_filter, use_or))
        self._adding += 1
        try:
            super().add_filter(query_filter, use_or)
        finally:
            self._adding -= 1

    def literal_filter(self):
        """The whole tree with the plan's literal form in place of its matching tree; None if they are the same."""
        if self.plan is None or self.plan.literal is None:
            return None
        replay = self.__class__(using=self._using)
        for query_filter, use_or in self.added:
            replay.add_filter(SQ(self.plan.literal) if query_filter is self.plan_filter else query_filter, use_or)
        return replay.query_filter

    def build_params(self, *args, **kwargs):
        params = super().build_params(*args, **kwargs)
        if self.plan is not None:
            params["plan"] = self.plan
        return params

    def _clone(self, klass=None, using=None):
        clone = super()._clone(klass, using)
        if isinstance(clone, PlannedQuery):
            clone.plan, clone.plan_filter, clone.added = self.plan, self.plan_filter, list(self.added)
        return clone


class PlannedSearchQuerySet(SearchQuerySet):
    def planned(self, plan):
        """This search narrowed to ``plan.matching``, carrying ``plan`` to the backend."""
        clone = self._clone()
        clone.query.plan = plan
        clone.query.plan_filter = SQ(plan.matching)
        clone.query.add_filter(clone.query.plan_filter)
        return clone
