import datetime

import pytest

from articles.importing.manifest import Manifest, ManifestError, ManifestFinder


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_bundled_manifest_covers_every_sample(samples_dir):
    manifest = Manifest.load(samples_dir / "manifest.csv")
    pages = sorted(samples_dir.glob("*.txt"))
    assert len(pages) == 5
    entries = {page.name: manifest.lookup(page) for page in pages}
    assert all(entries.values())
    assert entries["001_754509dbfb55a7fd.txt"].date == datetime.date(2023, 3, 10)
    assert entries["004_bbd399b75d63cd0b.txt"].page == "11"


def test_nearest_manifest_wins_and_parents_apply_up_to_the_root(tmp_path):
    write(tmp_path / "manifest.csv", "file,date,page\na.txt,2023-01-01,1\nb.txt,2023-01-02,2\n")
    write(tmp_path / "sub" / "manifest.csv", "file,date,page,note\na.txt,2024-05-06,C3,closer\n")
    finder = ManifestFinder()
    near = finder.entry_for(tmp_path / "sub" / "a.txt", tmp_path)
    assert (near.date, near.page, near.note) == (datetime.date(2024, 5, 6), "C3", "closer")
    far = finder.entry_for(tmp_path / "sub" / "b.txt", tmp_path)
    assert far.date == datetime.date(2023, 1, 2)
    # Above the PATH given, manifests do not apply.
    assert finder.entry_for(tmp_path / "sub" / "b.txt", tmp_path / "sub") is None


def test_explicit_manifest_comes_first(tmp_path):
    write(tmp_path / "pages" / "manifest.csv", "file,date,page\na.txt,2023-01-01,1\n")
    explicit = write(tmp_path / "other.csv", "file,date,page\na.txt,2022-12-31,9\n")
    entry = ManifestFinder(explicit).entry_for(tmp_path / "pages" / "a.txt", tmp_path / "pages")
    assert entry.date == datetime.date(2022, 12, 31) and entry.page == "9"


def test_relative_paths_in_the_manifest(tmp_path):
    write(tmp_path / "manifest.csv", "file,date,page\n2023/03/a.txt,2023-03-01,1\n")
    entry = ManifestFinder().entry_for(tmp_path / "2023" / "03" / "a.txt", tmp_path)
    assert entry.date == datetime.date(2023, 3, 1)


@pytest.mark.parametrize(
    "text, message",
    [
        ("file,date,page\na.txt,2023-02-30,1\n", ":2: 日期“2023-02-30”无效"),
        ("name,day\na.txt,2023-01-01\n", "缺少列 file, date"),
        ("file,date,page\na.txt,2023-01-01,1\na.txt,2023-01-02,1\n", ":3: 文件 a.txt 重复出现"),
    ],
)
def test_broken_manifest_names_file_and_line(tmp_path, text, message):
    path = write(tmp_path / "manifest.csv", text)
    with pytest.raises(ManifestError) as raised:
        Manifest.load(path)
    assert message in str(raised.value) and str(path) in str(raised.value)


def test_empty_date_means_no_date_from_the_manifest(tmp_path):
    write(tmp_path / "manifest.csv", "file,date,page\na.txt,,C2\n")
    entry = ManifestFinder().entry_for(tmp_path / "a.txt", tmp_path)
    assert entry.date is None and entry.page == "C2"
