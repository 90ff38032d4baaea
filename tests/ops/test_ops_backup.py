"""manage.py backup while an import and an admin edit are under way, then restore: the same archive."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
SAMPLES = PROJECT / "data" / "samples"
EDITED_TITLE = "备份期间改的标题"

# An import that stops after its third file (committed) until told to go on.
PAUSED_IMPORT = """
import os, sys
from django.core.management import call_command
from articles.importing.importer import ImportRun
real = ImportRun.import_file
def import_file(self, path, root=None, **options):
    result = real(self, path, root, **options)
    if len(self.results) == 3:
        print("paused", flush=True)
        sys.stdin.readline()
    return result
ImportRun.import_file = import_file
call_command("import_pages", os.environ["BATCH"], verbosity=0)
print("imported", flush=True)
"""

# A save through the admin's change form that holds its transaction open until told to go on.
HELD_ADMIN_EDIT = """
import os, sys
sys.path.insert(0, "tests/admin")
from admin_helpers import article_form_data
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from articles.admin.archive import ArticleAdmin
from articles.models import Article
user = User.objects.create_superuser("boss", password="only-for-this-test")
client = Client()
client.force_login(user)
article = Article.objects.order_by("pk").first()
real = ArticleAdmin.save_related
def save_related(self, request, form, formsets, change):
    real(self, request, form, formsets, change)
    print("editing", flush=True)
    sys.stdin.readline()
ArticleAdmin.save_related = save_related
response = client.post(reverse("admin:articles_article_change", args=[article.pk]),
                       article_form_data(article, title=os.environ["TITLE"]))
print("edited", response.status_code, flush=True)
"""


def environment(root):
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "PHNEWS_", "DATABASE_"))}
    env.update(PHNEWS_VAR_DIR=str(root / "var"), PHNEWS_DATA_DIR=str(root / "data"),
               DJANGO_SETTINGS_MODULE="phnews.settings")
    return env


def start(env, *args):
    return subprocess.Popen([sys.executable, "manage.py", *map(str, args)], cwd=PROJECT, env=env, text=True,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def manage(env, *args):
    return subprocess.run([sys.executable, "manage.py", *map(str, args)], cwd=PROJECT, env=env, text=True,
                          capture_output=True, timeout=600)


def export(env):
    run = manage(env, "export_articles")
    assert run.returncode == 0, run.stderr
    return run.stdout


def batch(folder, count=6):
    """Made-up pages, each on its own day, written here from the shape of a sample."""
    folder.mkdir()
    text = (SAMPLES / "004_bbd399b75d63cd0b.txt").read_text(encoding="utf-8")
    rows = ["file,date,page,note"]
    for n in range(count):
        name = f"b{n:02}.txt"
        (folder / name).write_text(text + f"\n## 第{n}号备份简讯\n\n本报讯 第{n}次备份演练昨日举行。\n", encoding="utf-8")
        rows.append(f"{name},2022-03-{n + 1:02},11,")
    (folder / "manifest.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder


def wait_for(process, word):
    """Read the process's output up to the line that starts with word (it blocks there)."""
    for line in process.stdout:
        if line.startswith(word):
            return
    raise AssertionError(f"ended before {word!r}: {process.stderr.read()}")


def test_a_backup_taken_during_an_import_and_an_admin_edit_restores_the_same_archive(tmp_path):
    original = environment(tmp_path / "original")
    assert manage(original, "migrate").returncode == 0
    assert manage(original, "import_pages", SAMPLES).returncode == 0
    folder = batch(tmp_path / "batch")

    importing = start({**original, "BATCH": str(folder)}, "shell", "-c", PAUSED_IMPORT)
    wait_for(importing, "paused")
    editing = start({**original, "TITLE": EDITED_TITLE}, "shell", "-c", HELD_ADMIN_EDIT)
    try:
        wait_for(editing, "editing")
        backup = manage(original, "backup", tmp_path / "backup")
        at_backup = export(original)
    finally:
        for process in (editing, importing):
            process.stdin.write("\n")
            process.stdin.flush()
    edited_out, edited_err = editing.communicate(timeout=300)
    imported_out, imported_err = importing.communicate(timeout=300)
    assert backup.returncode == 0, backup.stderr
    assert "edited 302" in edited_out, edited_err
    assert importing.returncode == 0 and "imported" in imported_out, imported_err

    # The backup holds the three committed pages of the batch and not the edit still open.
    assert at_backup.count("备份简讯") == 3 and EDITED_TITLE not in at_backup
    final = export(original)
    assert final.count("备份简讯") == 6 and EDITED_TITLE in final  # nothing held up was lost

    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["counts"]["articles"] == len(at_backup.splitlines())
    assert manifest["missing_page_copies"] == []
    page_files = [name for name in manifest["files"] if name.startswith("pages/")]
    assert len(page_files) == 5 + 3

    restored = environment(tmp_path / "restored")
    run = manage(restored, "restore", tmp_path / "backup")
    assert run.returncode == 0, run.stderr
    assert export(restored) == at_backup
    assert sorted(p.relative_to(tmp_path / "restored" / "data").as_posix()
                  for p in (tmp_path / "restored" / "data" / "pages").rglob("*.txt")) == sorted(page_files)
    searched = manage(restored, "shell", "-c",
                      "from articles.search.service import SearchRequest, search;"
                      "print(search(SearchRequest(q='备份演练'), facets=False).count)")
    assert searched.stdout.strip().splitlines()[-1] == "3", searched.stderr

    # Never over an archive: the restored one is refused, and says where.
    again = manage(restored, "restore", tmp_path / "backup")
    assert again.returncode != 0 and "只能恢复到空的" in again.stderr
    assert export(restored) == at_backup


def test_a_damaged_backup_is_refused_naming_the_file_and_nothing_is_restored(tmp_path):
    original = environment(tmp_path / "original")
    assert manage(original, "migrate").returncode == 0
    assert manage(original, "import_pages", SAMPLES).returncode == 0
    assert manage(original, "backup", tmp_path / "backup").returncode == 0
    refused = manage(original, "backup", tmp_path / "backup")
    assert refused.returncode != 0 and "不是空文件夹" in refused.stderr

    page = next((tmp_path / "backup" / "pages").rglob("*.txt"))
    page.write_bytes(page.read_bytes() + b"x")
    restored = environment(tmp_path / "restored")
    run = manage(restored, "restore", tmp_path / "backup")
    assert run.returncode != 0 and page.name in run.stderr and "校验和不符" in run.stderr
    assert not (tmp_path / "restored" / "var" / "phnews.sqlite3").exists()
    assert not (tmp_path / "restored" / "data" / "pages").exists()
    shutil.rmtree(tmp_path / "backup")
