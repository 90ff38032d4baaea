"""python manage.py restore SRC — a backup into an empty installation, then the search index."""

from django.core.management.base import BaseCommand, CommandError

from articles.backups import BackupError, restore


class Command(BaseCommand):
    help = (
        "从 manage.py backup 写出的文件夹 SRC 恢复档案：先核对每个文件的校验和，再放回数据库和版面文件，"
        "执行迁移并重建检索索引。只恢复到空的 var 目录（或空的 PostgreSQL 数据库）和空的数据目录。"
    )

    def add_arguments(self, parser):
        parser.add_argument("src", metavar="SRC", help="备份文件夹")

    def handle(self, *args, **options):
        try:
            manifest = restore(options["src"], say=self.stdout.write)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"已从 {options['src']}（{manifest['created']}）恢复")
