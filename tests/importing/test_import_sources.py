"""What an import may read: never a symlink, nothing outside the folder given, nothing oversized."""

import builtins
import os
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.urls import reverse

from articles.importing import sources
from articles.models import Article, IndexTask, Page
from articles.parsing import parse_page
from articles.search import sync
from articles.search.engines.local import store
from articles.search.service import SearchRequest, search
from import_helpers import PAGE_C2, SAMPLE_001, SAMPLE_004, batch, hold_the_lock, sample_text

# A made-up secret that would be findable if its file were imported.
SECRET = "鲸落青苔密钥七号"
SECRET_PAGE = PAGE_C2 + f"\n## 内部通知\n\n本报讯 系统口令为{SECRET}，请勿外传。\n"


@pytest.fixture
def secret_file(tmp_path):
    """A page-shaped file outside any import folder, as var/secret_key would be."""
    path = tmp_path / "outside" / "secret_key"
    path.parent.mkdir()
    path.write_text(SECRET_PAGE, encoding="utf-8")
    return path


@pytest.fixture
def opened(monkeypatch):
    """The files (device, inode) the process actually opens through open() or os.open()."""
    seen = set()
    real_open, real_os_open = builtins.open, os.open

    def spy_open(*args, **kwargs):
        handle = real_open(*args, **kwargs)
        if hasattr(handle, "fileno"):
            info = os.fstat(handle.fileno())
            seen.add((info.st_dev, info.st_ino))
        return handle

    def spy_os_open(*args, **kwargs):
        descriptor = real_os_open(*args, **kwargs)
        info = os.fstat(descriptor)
        seen.add((info.st_dev, info.st_ino))
        return descriptor

    monkeypatch.setattr(builtins, "open", spy_open)
    monkeypatch.setattr(os, "open", spy_os_open)
    return seen


def identity(path):
    info = os.stat(path)
    return info.st_dev, info.st_ino


def assert_secret_nowhere(client, settings):
    """Not stored, not published at raw.txt, not copied, not searchable."""
    assert not Page.objects.filter(raw_text__contains=SECRET).exists()
    assert not Article.objects.filter(body__contains=SECRET).exists()
    for page in Page.objects.select_related("issue").exclude(issue=None):
        response = client.get(reverse("page_raw", kwargs={"date": page.issue.date, "label": page.label}))
        assert SECRET not in response.content.decode()
    copies = list((Path(settings.PHNEWS_DATA_DIR) / "pages").rglob("*"))
    assert not any(SECRET in copy.read_text(encoding="utf-8") for copy in copies if copy.is_file())
    sync.drain()
    store.forget_readers()
    assert search(SearchRequest(q=SECRET), facets=False).count == 0


def test_symlink_in_a_folder_is_refused_by_name_and_never_read(import_pages, tmp_path, secret_file, client,
                                                              settings, opened):
    folder = batch(tmp_path / "in", {"good.txt": sample_text(SAMPLE_004)},
                   manifest={"good.txt": ("2023-07-20", "11"), "link.txt": ("2023-07-21", "C2")})
    (folder / "link.txt").symlink_to(secret_file)
    code, out, err = import_pages(folder)
    assert code == 1
    refusal = next(line for line in err.splitlines() if "link.txt" in line)
    assert "符号链接" in refusal
    assert "拒收 1" in out
    assert list(Page.objects.values_list("source_name", flat=True)) == ["good.txt"]
    assert identity(secret_file) not in opened
    assert_secret_nowhere(client, settings)


def test_symlink_given_by_name_is_refused(import_pages, tmp_path, secret_file, client, settings, opened):
    link = tmp_path / "page.txt"
    link.symlink_to(secret_file)
    code, out, err = import_pages(link, "--date", "2023-07-21", "--page", "C2")
    assert code == 1 and "page.txt" in err and "符号链接" in err
    assert Page.objects.count() == 0 and IndexTask.objects.count() == 0
    assert identity(secret_file) not in opened
    assert_secret_nowhere(client, settings)


def test_linked_folder_is_not_walked(import_pages, tmp_path, secret_file, client, settings, opened):
    (secret_file.parent / "leak.txt").write_text(SECRET_PAGE, encoding="utf-8")
    folder = batch(tmp_path / "in", {"good.txt": sample_text(SAMPLE_004)},
                   manifest={"good.txt": ("2023-07-20", "11")})
    (folder / "more").symlink_to(secret_file.parent, target_is_directory=True)
    code, out, err = import_pages(folder, "--date", "2023-07-21", "--page", "C2")
    assert code == 1
    assert "more" in err and "符号链接" in err
    assert list(Page.objects.values_list("source_name", flat=True)) == ["good.txt"]
    assert identity(secret_file.parent / "leak.txt") not in opened
    assert_secret_nowhere(client, settings)


def test_linked_manifest_is_refused_with_the_files_it_would_date(import_pages, tmp_path, secret_file, opened):
    folder = batch(tmp_path / "in", {"good.txt": sample_text(SAMPLE_004)})
    (folder / "manifest.csv").symlink_to(secret_file)
    code, out, err = import_pages(folder)
    assert code == 1 and "manifest.csv" in err and "符号链接" in err
    assert Page.objects.count() == 0
    assert identity(secret_file) not in opened


def test_a_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    outcome = []

    def read():
        try:
            sources.read_page_file(fifo)
        except sources.RefusedSource as error:
            outcome.append(str(error))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(10)
    assert outcome == ["不是普通文件，未读取"]


def test_plain_folders_and_files_still_import(import_pages, tmp_path):
    folder = batch(tmp_path / "in" / "sub", {"a.txt": sample_text(SAMPLE_004)},
                   manifest={"a.txt": ("2023-07-20", "11")})
    single = batch(tmp_path / "one", {"b.TXT": PAGE_C2})
    code, out, err = import_pages(folder.parent, single / "b.TXT", "--date", "2023-07-21", "--page", "C2")
    assert code == 0, err
    assert sorted(Page.objects.values_list("source_name", flat=True)) == ["a.txt", "b.TXT"]


# -- size limits ---------------------------------------------------------------

def test_file_past_the_byte_limit_is_refused(import_pages, tmp_path, settings):
    text = sample_text(SAMPLE_001)
    size = len(text.encode("utf-8"))
    settings.PHNEWS_IMPORT_MAX_FILE_BYTES = size - 1
    folder = batch(tmp_path, {"big.txt": text, "small.txt": sample_text(SAMPLE_004)},
                   manifest={"small.txt": ("2023-07-20", "11")})
    code, out, err = import_pages(folder)
    assert code == 1
    line = next(line for line in err.splitlines() if "big.txt" in line)
    assert "文件过大" in line and str(size) in line and "PHNEWS_IMPORT_MAX_FILE_BYTES" in line
    assert list(Page.objects.values_list("source_name", flat=True)) == ["small.txt"]


def test_default_byte_limit_refuses_a_multi_megabyte_file(import_pages, tmp_path):
    huge = (PAGE_C2 * 6000).encode("utf-8")
    assert len(huge) > 2 * 1024 * 1024
    code, out, err = import_pages(batch(tmp_path, {"huge.txt": huge}), "--date", "2023-07-21")
    assert code == 1 and "文件过大" in err
    assert Page.objects.count() == 0 and Article.objects.count() == 0 and IndexTask.objects.count() == 0


def test_page_past_the_character_limit_is_refused(import_pages, tmp_path, settings):
    text = sample_text(SAMPLE_001)
    settings.PHNEWS_IMPORT_MAX_PAGE_CHARS = len(text) - 1
    code, out, err = import_pages(batch(tmp_path, {"long.txt": text}))
    assert code == 1 and "版面过长" in err and "long.txt" in err and "PHNEWS_IMPORT_MAX_PAGE_CHARS" in err
    assert Page.objects.count() == 0 and IndexTask.objects.count() == 0


def test_page_past_the_article_limit_is_refused(import_pages, tmp_path, settings):
    briefs = "平湖新闻\n\n" + "".join(f"## 简讯第{n}条\n\n本报讯 平湖某镇举办第{n}场活动，群众踊跃参加。\n\n" for n in range(1, 9))
    parsed = len(parse_page(briefs).articles)
    assert parsed >= 8
    settings.PHNEWS_IMPORT_MAX_PAGE_ARTICLES = parsed - 1
    code, out, err = import_pages(batch(tmp_path, {"briefs.txt": briefs}), "--date", "2023-07-21", "--page", "C3")
    assert code == 1 and "文章过多" in err and "briefs.txt" in err and "PHNEWS_IMPORT_MAX_PAGE_ARTICLES" in err
    assert Page.objects.count() == 0 and Article.objects.count() == 0 and IndexTask.objects.count() == 0
    settings.PHNEWS_IMPORT_MAX_PAGE_ARTICLES = parsed
    code, out, err = import_pages(batch(tmp_path, {"briefs.txt": briefs}), "--date", "2023-07-21", "--page", "C3")
    assert code == 0, err
    assert Article.objects.count() == parsed


@pytest.fixture
def elsewhere(tmp_path):
    """A tree outside the import folder with secret pages at every name the import will list."""
    tree = tmp_path / "elsewhere"
    (tree / "sub").mkdir(parents=True)
    for name in ("good.txt", "y.txt", "sub/y.txt"):
        (tree / name).write_text(SECRET_PAGE, encoding="utf-8")
    return tree


def folder_with_sub(tmp_path):
    folder = batch(tmp_path / "in", {"good.txt": sample_text(SAMPLE_004)},
                   manifest={"good.txt": ("2023-07-20", "11")})
    batch(folder / "sub", {"y.txt": PAGE_C2})
    return folder


def swap_for_link(folder, target):
    """What a racing user does: move the folder away and put a link to elsewhere in its place."""
    aside = target.parent / "aside"
    aside.mkdir(exist_ok=True)
    folder.rename(aside / folder.name)
    folder.symlink_to(target, target_is_directory=True)


@pytest.mark.parametrize("swapped", ["sub", "."])
def test_a_folder_swapped_for_a_link_between_listing_and_reading_is_refused(
        import_pages, tmp_path, elsewhere, client, settings, opened, monkeypatch, swapped):
    from articles.management.commands import import_pages as command

    folder = folder_with_sub(tmp_path)
    listed = []

    def list_then_swap(paths):
        found = sources.collect(paths)
        listed.extend(path.name for path, _root in found.files)
        swap_for_link((folder / swapped).resolve(), elsewhere)
        return found

    monkeypatch.setattr(command, "collect", list_then_swap)
    code, out, err = import_pages(folder, "--date", "2023-07-21", "--page", "C2")
    assert sorted(listed) == ["good.txt", "y.txt"]
    assert code == 1 and "y.txt" in err and sources.SWAPPED_REASON in err
    expected = [] if swapped == "." else ["good.txt"]
    assert list(Page.objects.values_list("source_name", flat=True)) == expected
    assert not {identity(elsewhere / name) for name in ("good.txt", "y.txt", "sub/y.txt")} & opened
    assert_secret_nowhere(client, settings)


def test_a_folder_swapped_while_the_import_waits_for_the_lock_is_refused(
        import_pages, tmp_path, elsewhere, client, settings, opened, monkeypatch):
    """The folder is listed only once the lock is held, so it is listed as the link it now is."""
    from articles.importing import lock

    settings.VAR_DIR = tmp_path
    settings.PHNEWS_IMPORT_LOCK_WAIT = 60
    folder = folder_with_sub(tmp_path)
    held, release = threading.Event(), threading.Event()
    holder = threading.Thread(target=hold_the_lock, args=(held, release))
    holder.start()
    assert held.wait(10)

    def swap_while_waiting(seconds):
        if not release.is_set():
            swap_for_link(folder / "sub", elsewhere)
            release.set()
            holder.join(10)

    monkeypatch.setattr(lock, "time", SimpleNamespace(monotonic=time.monotonic, sleep=swap_while_waiting))
    try:
        code, out, err = import_pages(folder, "--date", "2023-07-21", "--page", "C2")
    finally:
        release.set()
        holder.join(10)
    assert "另一个导入正在进行" in err
    assert code == 1 and "sub" in err and "符号链接" in err
    assert list(Page.objects.values_list("source_name", flat=True)) == ["good.txt"]
    assert identity(elsewhere / "y.txt") not in opened
    assert_secret_nowhere(client, settings)
