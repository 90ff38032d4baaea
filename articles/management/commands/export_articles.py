"""python manage.py export_articles — every article as one JSON line on stdout."""

import json
import os
import sys

from django.core.management.base import BaseCommand

from articles.exporting import iter_records


class Command(BaseCommand):
    help = (
        "把全部文章按出版日期、版次、版内顺序输出为 JSON Lines（每行一篇），键为 "
        "source, issue_date, page, position, kind, column, kicker, title, subtitle, credits, body, "
        "continued_to, continued_from, needs_review（仅须复核）, review_level, review_reasons。"
    )

    def handle(self, *args, **options):
        try:
            for record in iter_records():
                self.stdout.write(json.dumps(record, ensure_ascii=False), ending="\n")
            self.stdout.flush()
        except BrokenPipeError:
            # `export_articles | head` is normal use, not an error.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
