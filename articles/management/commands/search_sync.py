"""Apply queued search-index updates now (e.g. after an index outage, or from cron)."""

from django.core.management.base import BaseCommand

from articles.search import sync


class Command(BaseCommand):
    help = "Write queued article changes into the search index."

    def handle(self, *args, **options):
        before = sync.pending()
        sync.drain()
        after = sync.pending()
        self.stdout.write(f"{before - after} queued updates applied, {after} left.")
