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
        # Edits queue search-index updates (articles/search/sync.py).
        from .search import sync

        sync.connect_signals()
        # Edits make cached reader pages stale (articles/browse/cache.py).
        from .browse import cache as browse_cache

        browse_cache.connect_signals()
