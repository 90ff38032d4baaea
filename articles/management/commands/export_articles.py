"""python manage.py export_articles — every article as one JSON line on stdout."""

import json
import os
import sys

from django.core.management.base import BaseCommand

from articles import archive_export, exporting


class Command(BaseCommand):
    help = (
        "把全部文章按出版日期、版次、版内顺序输出为 JSON Lines（每行一篇），键为 "
        "source, issue_date, page, position, kind, column, kicker, title, subtitle, credits, body, "
        "continued_to, continued_from, needs_review（仅须复核）, review_level, review_reasons。"
        "--format 2 输出整个档案（人物、每版一行含全部文章、修改记录），可用 import_archive 导入空档案。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", type=int, choices=(1, 2), default=1,
                            help="1：每行一篇文章（默认）；2：整个档案，见 docs/importing.md")

    def handle(self, *args, **options):
        records = archive_export.iter_records if options["format"] == 2 else exporting.iter_records
        try:
            for record in records():
                self.stdout.write(json.dumps(record, ensure_ascii=False), ending="\n")
            self.stdout.flush()
        except BrokenPipeError:
            # `export_articles | head` is normal use, not an error.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
