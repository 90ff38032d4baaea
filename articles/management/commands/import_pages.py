"""python manage.py import_pages PATH... — page files into the archive."""

from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from articles.importing.importer import ImportOptions, ImportRun
from articles.importing.lock import ImportBusy, import_lock
from articles.importing.sources import collect
from articles.importing.summary import archive_totals, summarize


def _date(value):
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"invalid date {value!r}") from None


_date.__name__ = "date (YYYY-MM-DD)"


class Command(BaseCommand):
    help = (
        "导入版面文本文件（UTF-8 或 GB18030/GBK）。PATH 可以是文件或目录（递归查找 *.txt）。"
        "日期依次取自报头、清单 manifest.csv、--date，否则据正文推测并标记待复核。"
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="版面文件或目录")
        parser.add_argument("--manifest", type=Path, help="清单 CSV（列 file,date,page[,note]），优先于目录中的 manifest.csv")
        parser.add_argument("--date", type=_date, help="没有报头日期和清单时使用的出版日期 YYYY-MM-DD")
        parser.add_argument("--page", default="", help="没有印刷版次和清单时使用的版次，如 C1")
        parser.add_argument("--dry-run", action="store_true", help="只解析并报告将存入的内容，不写入任何数据")
        parser.add_argument("--reparse", action="store_true", help="内容未变的文件也重新解析（解析器改进后使用）")
        parser.add_argument("--progress", action="store_true", help="即使 stderr 不是终端也显示进度条")
        parser.add_argument("--no-copy", action="store_true", help="不在 PHNEWS_DATA_DIR/pages 下保存原文件副本")

    def handle(self, *args, **options):
        # The folders are listed only once the lock is held: a listing made
        # while waiting would be stale by the time it is read.
        try:
            with import_lock(on_wait=self.stderr.write):
                try:
                    sources = collect(options["paths"])
                except FileNotFoundError as error:
                    raise CommandError(f"找不到路径：{error}") from None
                if not sources.files and not sources.refused:
                    raise CommandError(f"在 {' '.join(options['paths'])} 中没有找到 .txt 版面文件")
                run = self._run(sources, options)
        except ImportBusy as error:
            raise CommandError(str(error), returncode=2) from None

        verbosity = options["verbosity"]
        for line in summarize(run.results, dry_run=options["dry_run"], verbosity=verbosity, totals=archive_totals()):
            self.stdout.write(line)
        for result in run.rejected:
            self.stderr.write(f"拒收 {result.path}：{result.reason}")
        if run.rejected:
            raise CommandError(f"{len(run.rejected)} 个文件被拒收，这些文件的内容一概未存入；其余文件照常处理", returncode=1)

    def _run(self, sources, options):
        # Inside the lock: the manifest and every file are read only once no
        # other import can be writing.
        run = ImportRun(ImportOptions(
            date=options["date"],
            page=options["page"],
            manifest=options["manifest"],
            dry_run=options["dry_run"],
            reparse=options["reparse"],
            keep_copy=not options["no_copy"],
        ))
        show_bar = options["progress"] or _isatty(self.stderr)
        progress = None
        if show_bar:
            def progress(items):
                return tqdm(items, desc="导入", unit="个文件", file=self.stderr._out, disable=len(items) < 2)

        for path, reason in sources.refused:
            run.refuse(path, reason)
        run.import_all(sources.files, progress=progress)
        return run


def _isatty(stream):
    out = getattr(stream, "_out", stream)
    try:
        return out.isatty()
    except (AttributeError, ValueError):
        return False
