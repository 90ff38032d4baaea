"""How a compiled query (``querylang.Plan``) reaches a haystack backend: through haystack's own channel.

``PlannedSearchQuerySet(using=...).planned(plan)`` is a SearchQuerySet filtered
by the plan's matching tree that carries the plan; filters, sorts, facets and
highlighting are then added with SearchQuerySet's own methods. The query class
of each engine mixes in ``PlannedQuery``, which keeps the plan through every
clone and hands it to the backend's ``search`` as the ``plan`` keyword from
``build_params``, where haystack passes its own search options. A backend
asked without a plan (a tree built with SearchQuerySet's methods alone) still
answers; the plan only adds what to rank and mark.

The mixin also keeps haystack's documented SearchQuerySet methods meaning the
same on every engine (docs/search.md, "Using the index from haystack"):
``auto_query`` is read with the reader's query language (``querylang``), and
a plain ``auto_query`` carries its plan as ``planned`` would; ``order_by``
takes the issue date (and haystack's usual date names) and sorts by the
reading-order columns every engine holds; ``more_like_this`` is sliced like
any search. What an engine cannot offer raises ``NotOffered``, naming the
alternative.
"""

from haystack import connections
from haystack.exceptions import MoreLikeThisError, SearchBackendError
from haystack.inputs import AutoQuery, Raw
from haystack.query import SQ, SearchQuerySet

from articles.search.querylang import QueryError, compile_query, parse


class NotOffered(SearchBackendError, NotImplementedError):
    """A SearchQuerySet method, or a use of one, this engine does not offer; the message names the alternative."""


# haystack's field names -> the query language's field an auto_query on them searches.
_AUTO_FIELDS = {"content": "any", "text": "any", "headline": "headline", "people": "person",
                "column": "column", "page": "page"}
# Names order_by accepts: the issue date (and haystack's usual names for it) sorts by the reading-order
# columns (documents.py): "order" oldest first, "newest" the latest day first, each day's pages in order.
_DATE_NAMES = ("issue_date", "date", "pub_date")
_SORT_COLUMNS = ("order", "newest")


def _faceted(unified):
    """Names facet() counts: the fields declared faceted in the index, and their faceted copies."""
    copies = {name for name, field in unified.all_searchfields().items() if getattr(field, "facet_for", None)}
    return copies | {unified.all_searchfields()[name].facet_for for name in copies}


def sort_column(name):
    """The reading-order column ``order_by(name)`` sorts by; NotOffered for any other name."""
    bare, descending = name.lstrip("-"), name.startswith("-")
    if bare in _DATE_NAMES:
        return "newest" if descending else "order"
    if bare in _SORT_COLUMNS:
        return name
    raise NotOffered(f"order_by({name!r}): results sort by relevance (no order_by) or by date: "
                     f"order_by('issue_date') oldest first, order_by('-issue_date') newest first")


def auto_plan(field, text):
    """The Plan of ``auto_query(text, fieldname=field)``, read with the reader's query language."""
    plan = compile_query(parse(text, default_field=_AUTO_FIELDS.get(field.split("__")[0], "any")))
    if plan is None:
        raise QueryError(f"auto_query({text!r}) holds nothing to search for")
    return plan


class PlannedQuery:
    """Mixed into an engine's SearchQuery class."""

    plan = None
    plan_filter = None  # the SQ the plan's matching tree was added as
    # Whether the engine takes raw_search's backend-native query strings.
    reads_raw = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.added = []  # (SQ, use_or) of each filter added, in order
        self._adding = 0

    def add_filter(self, query_filter, use_or=False):
        # haystack adds a nested node by calling add_filter again: record only the outer call.
        if not self._adding:
            query_filter = self._read_auto(query_filter, outer=True)
            self.added.append((query_filter, use_or))
        self._adding += 1
        try:
            super().add_filter(query_filter, use_or)
        finally:
            self._adding -= 1

    def _read_auto(self, node, outer=False):
        """``node`` with each auto_query leaf replaced by its plan's matching tree.

        A filter that is one auto_query and nothing else, on a query with no
        plan yet, also gives the query its plan: its terms rank and are marked.
        """
        if isinstance(node, tuple):
            expression, value = node
            if isinstance(value, Raw) and not self.reads_raw:
                raise NotOffered(f"raw_search({value.query_string!r}): this engine reads no query strings; use "
                                 f"auto_query() for the reader's query language or filter()/exclude()")
            return SQ(auto_plan(expression, value.query_string).matching) if isinstance(value, AutoQuery) else node
        if outer and self.plan is None and not node.negated and len(node.children) == 1 \
                and isinstance(node.children[0], tuple) and isinstance(node.children[0][1], AutoQuery):
            expression, value = node.children[0]
            self.plan = auto_plan(expression, value.query_string)
            self.plan_filter = SQ(self.plan.matching)
            return self.plan_filter
        children = [self._read_auto(child) for child in node.children]
        if all(new is old for new, old in zip(children, node.children)):
            return node  # unchanged, and still the very node planned() recorded as plan_filter
        read = SQ()
        read.connector, read.negated, read.children = node.connector, node.negated, children
        return read

    def add_order_by(self, field):
        if self.order_by:
            raise NotOffered(f"order_by({', '.join(map(repr, [*self.order_by, field]))}): results sort by one key; "
                             f"order_by('-issue_date') newest first, order_by('issue_date') oldest first")
        super().add_order_by(sort_column(field))

    def add_field_facet(self, field, **options):
        unified = connections[self._using].get_unified_index()
        if unified.get_facet_fieldname(field) == field and field not in _faceted(unified):
            raise NotOffered(f"facet({field!r}): the index counts the values of {', '.join(sorted(_faceted(unified)))}; "
                             f"issue dates with date_facet('issue_date', ..., gap_by='month' or 'year')")
        super().add_field_facet(field, **options)

    def add_date_facet(self, field, start_date, end_date, gap_by, gap_amount=1):
        if field != "issue_date" or gap_by not in ("month", "year") or gap_amount != 1:
            raise NotOffered(f"date_facet({field!r}, gap_by={gap_by!r}, gap_amount={gap_amount!r}): "
                             f"use date_facet('issue_date', start, end, gap_by='month' or 'year')")
        super().add_date_facet(field, start_date, end_date, gap_by, gap_amount)

    def run_mlt(self, **kwargs):
        # Replaces haystack's own, which asks the backend for no window (the base query) or passes the
        # page size where the backend takes the end offset (Elasticsearch's): a slice of
        # more_like_this() got the first results, or a negative size.
        if not self._more_like_this or self._mlt_instance is None:
            raise MoreLikeThisError("No instance was provided to determine 'More Like This' results.")
        search_kwargs = {"start_offset": self.start_offset, "end_offset": self.end_offset,
                         "result_class": self.result_class, "models": self.models, **kwargs}
        results = self.backend.more_like_this(self._mlt_instance, self.build_query(), **search_kwargs)
        self._results = results.get("results", [])
        self._hit_count = results.get("hits", 0)

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
