from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"
    verbose_name = "报纸档案"

    def ready(self):
        # The parser's jieba cache lives in the data directory, not in /tmp.
        from django.conf import settings

        from .parsing import body as parsing_body

        parsing_body.set_cache_dir(settings.PHNEWS_DATA_DIR / "cache")
        # Edits queue search-index updates (articles/search/sync.py), and the
        # article page shows the search that led to it: search plugs into
        # the reader pages and the import, which never import it.
        from .browse import search_hook as browse_search_hook
        from .importing import search_hook as import_search_hook
        from .search import related_reports, sync
        from .search.web import result_navigation

        sync.connect_signals()
        browse_search_hook.provide(result_navigation.article_search_context)
        browse_search_hook.provide_related(related_reports.related_reports)
        import_search_hook.provide(sync)
        # A page's staff are people of the page (articles/page_staff.py).
        from . import page_staff

        page_staff.connect_signals()
        # Edits make cached reader pages stale (articles/browse/cache.py).
        from .browse import cache as browse_cache

        browse_cache.connect_signals()
        # An article's places follow its text (articles/places/mentions.py).
        from .places import mentions

        mentions.connect_signals()
