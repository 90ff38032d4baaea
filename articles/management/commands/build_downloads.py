"""Build the 数据下载 page's files: per-year JSONL (export format 2) and text bundles (articles/downloads.py)."""

import time

from django.core.management.base import BaseCommand

from articles import downloads


class Command(BaseCommand):
    help = "Write each year's JSONL and plain-text bundle for download; years that did not change are kept."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="rebuild every year, changed or not")
        parser.add_argument("--dir", help="write here instead of PHNEWS_DOWNLOADS_DIR")

    def handle(self, *args, force=False, dir=None, verbosity=1, **options):
        started = time.monotonic()
        log = self.stderr.write if verbosity > 1 else (lambda message: None)
        built, kept = downloads.build(dir, force=force, log=log)
        seconds = time.monotonic() - started
        self.stdout.write(f"build_downloads: {len(built)} year(s) built"
                          f"{' (' + ', '.join(built) + ')' if built else ''}, {len(kept)} unchanged, {seconds:.1f} s")
