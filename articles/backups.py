"""Backups of the archive taken while the site serves, and restoring them.

A backup is a folder: the database as of one moment (SQLite's online backup
API, which copies a consistent snapshot while other connections read and
write; or pg_dump inside a REPEATABLE READ transaction whose snapshot the
counts come from too), the imported page files, and manifest.json with the
snapshot's row counts and every file's size and SHA-256.

The page files are copied after the database snapshot: an import commits a
page and then keeps its file, so every page in the snapshot has its file on
disk by then (one whose copy is missing is named in the manifest; the raw
text is in the database anyway). Files kept after the snapshot are copied
too and do no harm.

Restoring checks every checksum first, refuses a target that already holds
an archive, puts the database and the page files in place, applies any newer
migrations, rebuilds the search index and checks the counts against the
manifest.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from datetime import datetime, timezone
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction

from .models import Article, ChangeRecord, Credit, Issue, Page, Person, PersonAlias

MANIFEST = "manifest.json"
PAGES = "pages"
SQLITE_FILE = "phnews.sqlite3"
PG_FILE = "phnews.pgdump"
FORMAT = 1
COUNTED = {"issues": Issue, "pages": Page, "articles": Article, "people": Person, "aliases": PersonAlias,
           "credits": Credit, "changes": ChangeRecord}


class BackupError(Exception):
    """str(error) names the file and the problem, in Chinese, for the operator."""


# -- taking a backup -----------------------------------------------------------


def take(dest):
    """Write a backup into the new or empty folder ``dest``; returns the manifest."""
    dest = Path(dest)
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise BackupError(f"{dest} 已存在且不是空文件夹：备份只写入新的或空的文件夹，以免覆盖别的备份")
    dest.mkdir(parents=True, exist_ok=True)
    if connection.vendor == "sqlite":
        counts, hashes, database = _sqlite_snapshot(dest / SQLITE_FILE), None, SQLITE_FILE
    elif connection.vendor == "postgresql":
        counts, hashes, database = _postgres_snapshot(dest / PG_FILE)
    else:
        raise BackupError(f"不支持 {connection.vendor} 数据库的备份")
    if hashes is None:
        hashes = _page_hashes_sqlite(dest / SQLITE_FILE)
    missing = _copy_pages(Path(settings.PHNEWS_DATA_DIR) / PAGES, dest / PAGES, hashes)
    manifest = {
        "format": FORMAT,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "database": {"vendor": connection.vendor, "file": database},
        "counts": counts,
        "missing_page_copies": missing,
        "files": _checksums(dest),
    }
    temporary = dest / (MANIFEST + ".part")
    temporary.write_text(json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(temporary, dest / MANIFEST)
    return manifest


def _sqlite_snapshot(target):
    """Copy the live database with SQLite's backup API in one step, so in one read transaction."""
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
    finally:
        copy.close()
    snapshot = sqlite3.connect(f"file:{target}?mode=ro", uri=True)
    try:
        return {name: snapshot.execute(f'SELECT COUNT(*) FROM "{model._meta.db_table}"').fetchone()[0]
                for name, model in COUNTED.items()}
    finally:
        snapshot.close()


def _page_hashes_sqlite(target):
    snapshot = sqlite3.connect(f"file:{target}?mode=ro", uri=True)
    try:
        return {row[0] for row in snapshot.execute(f'SELECT content_hash FROM "{Page._meta.db_table}"')}
    finally:
        snapshot.close()


def _postgres_snapshot(target):
    """pg_dump of the snapshot the counts are taken in (pg_export_snapshot)."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
        counts = {name: model.objects.count() for name, model in COUNTED.items()}
        hashes = set(Page.objects.values_list("content_hash", flat=True))
        _run(["pg_dump", "--format=custom", "--no-owner", f"--snapshot={snapshot}", f"--file={target}"],
             "pg_dump")
    return counts, hashes, PG_FILE


def _copy_pages(source, target, hashes):
    """Copy the kept page files; return the snapshot's pages whose file is missing."""
    present = set()
    if source.is_dir():
        for path in sorted(source.rglob("*.txt")):
            if path.is_symlink() or not path.is_file():
                continue
            copy = target / path.relative_to(source)
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, copy)
            present.add(path.stem)
    return sorted(h for h in hashes if h and h not in present)


def _checksums(folder):
    files = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.name != MANIFEST:
            files[path.relative_to(folder).as_posix()] = {"bytes": path.stat().st_size, "sha256": _sha256(path)}
    return files


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


# -- restoring -----------------------------------------------------------------


def check(src):
    """The manifest of the backup in ``src``, once every file matches it; else BackupError."""
    src = Path(src)
    try:
        manifest = json.loads((src / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(f"{src / MANIFEST} 不存在：这不是一份完整的备份") from None
    except (ValueError, UnicodeDecodeError) as error:
        raise BackupError(f"{src / MANIFEST} 无法读取：{error}") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{src / MANIFEST}：不认识的备份格式 {manifest.get('format')!r}")
    for name, expected in manifest["files"].items():
        path = src / name
        if not path.is_file():
            raise BackupError(f"{path} 缺失：备份不完整，未恢复任何内容")
        if path.stat().st_size != expected["bytes"] or _sha256(path) != expected["sha256"]:
            raise BackupError(f"{path} 与清单中的校验和不符：备份已损坏，未恢复任何内容")
    return manifest


def restore(src, say=print):
    """Restore the backup in ``src`` into this installation, whose archive must be empty."""
    src = Path(src)
    manifest = check(src)
    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        raise BackupError(f"这份备份来自 {vendor} 数据库，当前配置的是 {connection.vendor}：请按备份的数据库配置 DATABASE_URL")
    pages = Path(settings.PHNEWS_DATA_DIR) / PAGES
    _refuse_unless_empty(pages)
    database = src / manifest["database"]["file"]
    if vendor == "sqlite":
        _restore_sqlite(database)
    else:
        _restore_postgres(database)
    say(f"数据库已恢复：{', '.join(f'{k} {v}' for k, v in manifest['counts'].items())}")
    copied = 0
    for name in manifest["files"]:
        if name.startswith(PAGES + "/"):
            target = pages / name.removeprefix(PAGES + "/")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src / name, target)
            copied += 1
    say(f"版面文件已恢复：{copied} 个")
    call_command("migrate", interactive=False, verbosity=0)
    counts = {name: model.objects.count() for name, model in COUNTED.items()}
    if counts != manifest["counts"]:
        raise BackupError(f"恢复后的行数 {counts} 与清单 {manifest['counts']} 不符")
    say("正在重建检索索引……")
    call_command("rebuild_index", interactive=False, verbosity=0)
    return manifest


def _refuse_unless_empty(pages):
    if pages.is_dir() and any(pages.iterdir()):
        raise BackupError(f"{pages} 中已有版面文件：只能恢复到空的数据目录（PHNEWS_DATA_DIR），未恢复任何内容")
    if connection.vendor == "sqlite":
        name = Path(settings.DATABASES["default"]["NAME"])
        for path in (name, Path(f"{name}-wal")):
            if path.exists() and path.stat().st_size > 0:
                raise BackupError(f"{path} 已存在：只能恢复到空的 var 目录（PHNEWS_VAR_DIR），未恢复任何内容")
        return
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    if tables:
        raise BackupError(f"数据库 {settings.DATABASES['default']['NAME']} 中已有 {len(tables)} 张表："
                          "只能恢复到空数据库，未恢复任何内容")


def _restore_sqlite(database):
    name = Path(settings.DATABASES["default"]["NAME"])
    connection.close()
    name.parent.mkdir(parents=True, exist_ok=True)
    for leftover in (Path(f"{name}-wal"), Path(f"{name}-shm")):
        leftover.unlink(missing_ok=True)
    temporary = name.with_name(name.name + ".restoring")
    shutil.copyfile(database, temporary)
    os.replace(temporary, name)


def _restore_postgres(database):
    _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", str(database)], "pg_restore")


def _run(command, name):
    """Run a PostgreSQL client against the configured database, credentials through the environment."""
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            env[variable] = str(db[key])
    command = [*command, f"--dbname={db['NAME']}"]
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True)
    except FileNotFoundError:
        raise BackupError(f"找不到 {name}：请安装 PostgreSQL 客户端程序") from None
    if result.returncode:
        raise BackupError(f"{name} 失败（退出码 {result.returncode}）：{result.stderr.strip()[-1000:]}")
