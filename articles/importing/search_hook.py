"""Telling the search index which articles an import changed.

The search side owns articles/search/sync.py with articles_changed(ids) and
articles_removed(ids). It is called after a file's transaction has committed,
so the index never holds an article the database rolled back.
"""

import importlib
import logging

logger = logging.getLogger(__name__)


def _sync_module():
    try:
        return importlib.import_module("articles.search.sync")
    except ModuleNotFoundError as error:
        if error.name != "articles.search.sync":
            raise
        return None


def notify(changed_ids, removed_ids):
    if not changed_ids and not removed_ids:
        return
    sync = _sync_module()
    if sync is None:
        # TODO(search): remove this branch once articles/search/sync.py lands;
        # until then `manage.py update_index` brings the index up to date.
        logger.debug("search sync not installed; %d changed, %d removed articles not indexed",
                    len(changed_ids), len(removed_ids))
        return
    if removed_ids:
        sync.articles_removed(list(removed_ids))
    if changed_ids:
        sync.articles_changed(list(changed_ids))
