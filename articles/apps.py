from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"
    verbose_name = "报纸档案"

    def ready(self):
        # Edits queue search-index updates (articles/search/sync.py).
        from .search import sync

        sync.connect_signals()
