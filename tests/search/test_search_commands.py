"""haystack's rebuild_index and update_index keep working on our engine."""

import pytest
from django.core.management import call_command

from articles.models import Article
from articles.search.searching import SearchRequest, search

pytestmark = pytest.mark.django_db


def test_rebuild_and_update_index_commands(indexed_samples):
    before = search(SearchRequest(q="平湖"), facets=False).count
    call_command("rebuild_index", interactive=False, verbosity=0)
    assert search(SearchRequest(q="平湖"), facets=False).count == before
    Article.objects.filter(pk=indexed_samples[0].pk).update(title="鸡鸣寺桥")  # no signal: bulk update
    assert search(SearchRequest(q="鸡鸣寺桥"), facets=False).count == 0
    call_command("update_index", verbosity=0)
    assert search(SearchRequest(q="鸡鸣寺桥"), facets=False).count == 1
