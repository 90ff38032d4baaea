"""python manage.py backup DEST — a consistent copy of the archive while the site serves."""

from django.core.management.base import BaseCommand, CommandError

from articles.backups import BackupError, take


class Command(BaseCommand):
    help = (
        "把档案备份到新的或空的文件夹 DEST：数据库（SQLite 在线备份，或 PostgreSQL 的 pg_dump）、"
        "导入时保存的版面文件，以及记有行数和每个文件校验和的 manifest.json。网站照常服务时即可运行。"
    )

    def add_arguments(self, parser):
        parser.add_argument("dest", metavar="DEST", help="备份写入的文件夹（不存在或为空）")

    def handle(self, *args, **options):
        try:
            manifest = take(options["dest"])
        except BackupError as error:
            raise CommandError(str(error)) from None
        counts = "，".join(f"{name} {count}" for name, count in manifest["counts"].items())
        self.stdout.write(f"已备份到 {options['dest']}：{counts}；{len(manifest['files'])} 个文件")
        for digest in manifest["missing_page_copies"]:
            self.stderr.write(f"注意：版面 {digest} 没有保存的原文件（其文字仍在数据库中）")
