"""python manage.py import_archive FILE — an export in format 2 into an empty archive."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.importing.from_export import ExportError, load
from articles.importing.lock import ImportBusy, import_lock


class Command(BaseCommand):
    help = (
        "把 export_articles --format 2 的导出文件导入空档案（编号、署名、关联、修改记录都保留）；"
        "再次导出与原文件逐字节相同。文件有误时不写入任何内容。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, metavar="FILE", help="export_articles --format 2 的输出")

    def handle(self, *args, **options):
        try:
            with import_lock(on_wait=self.stderr.write):
                pages, articles, people, changes = load(options["file"])
        except ExportError as error:
            raise CommandError(str(error)) from None
        except ImportBusy as error:
            raise CommandError(str(error), returncode=2) from None
        self.stdout.write(f"已导入：{pages} 个版面、{articles} 篇文章、{people} 位人物、{changes} 条修改记录")
