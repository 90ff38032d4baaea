"""The archivist's manifest: which date and page each file is.

A manifest is a CSV with the columns file,date,page[,note] kept beside the page
files. It applies to files in its own directory and below, so a batch can
carry one manifest at its top; the nearest manifest wins.
"""

import csv
import io
import os
from dataclasses import dataclass
import datetime
from pathlib import Path, PurePosixPath

from .sources import RefusedSource, read_regular_file

MANIFEST_NAME = "manifest.csv"
REQUIRED_COLUMNS = ("file", "date")
# A row is a file name, a date and a label: a million rows fit with room to spare.
MAX_MANIFEST_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class ManifestEntry:
    file: str
    date: datetime.date | None
    page: str
    note: str
    source: Path  # the manifest file
    line: int

    @property
    def where(self):
        return f"{self.source}:{self.line}"


class ManifestError(Exception):
    """A manifest that cannot be trusted; str(error) names file and line."""


class Manifest:
    def __init__(self, path: Path, entries: dict[str, ManifestEntry]):
        self.path = path
        self.entries = entries

    @classmethod
    def load(cls, path: Path) -> "Manifest":
        path = Path(path)
        try:
            raw = read_regular_file(path, MAX_MANIFEST_BYTES, "MAX_MANIFEST_BYTES")
        except RefusedSource as error:
            raise ManifestError(f"{path}: 清单{error}") from None
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = raw.decode("gb18030")
            except UnicodeDecodeError:
                raise ManifestError(f"{path}: 清单不是 UTF-8 或 GB18030 编码") from None
        reader = csv.DictReader(io.StringIO(text, newline=""))
        columns = [name.strip().lower() for name in (reader.fieldnames or [])]
        missing = [name for name in REQUIRED_COLUMNS if name not in columns]
        if missing:
            raise ManifestError(f"{path}: 清单缺少列 {', '.join(missing)}（需要 file,date,page[,note]）")
        reader.fieldnames = columns
        entries = {}
        for row in reader:
            line = reader.line_num
            name = (row.get("file") or "").strip()
            if not name:
                if any((value or "").strip() for value in row.values() if isinstance(value, str)):
                    raise ManifestError(f"{path}:{line}: 缺少文件名")
                continue
            key = _key(name)
            if key in entries:
                raise ManifestError(f"{path}:{line}: 文件 {name} 重复出现（首次在第 {entries[key].line} 行）")
            entries[key] = ManifestEntry(
                file=name,
                date=_parse_date((row.get("date") or "").strip(), path, line),
                page=(row.get("page") or "").strip(),
                note=(row.get("note") or "").strip(),
                source=path,
                line=line,
            )
        return cls(path, entries)

    def lookup(self, file_path: Path) -> ManifestEntry | None:
        """Match by path relative to the manifest, else by bare file name."""
        file_path = Path(file_path)
        try:
            relative = file_path.resolve().relative_to(self.path.resolve().parent)
        except ValueError:
            relative = None
        if relative is not None:
            entry = self.entries.get(_key(relative.as_posix()))
            if entry:
                return entry
        return self.entries.get(_key(file_path.name))


def _key(name):
    # PurePosixPath drops "./" segments and doubled slashes.
    return PurePosixPath(name.replace("\\", "/")).as_posix()


def _parse_date(value, path, line):
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise ManifestError(f"{path}:{line}: 日期“{value}”无效（应为 YYYY-MM-DD）") from None


class ManifestFinder:
    """Finds and caches the nearest manifest of each file under given roots."""

    def __init__(self, explicit: Path | None = None):
        self.explicit = Manifest.load(explicit) if explicit else None
        self._cache: dict[Path, Manifest | None] = {}

    def entry_for(self, file_path: Path, root: Path) -> ManifestEntry | None:
        """The explicit manifest first; else the nearest one up to root.

        Raises ManifestError when the manifest that would apply is broken,
        so a file is never imported under a date read from a bad manifest.
        """
        if self.explicit is not None:
            entry = self.explicit.lookup(file_path)
            if entry is not None:
                return entry
        for directory in _directories_up_to(Path(file_path).parent, Path(root)):
            manifest = self._load(directory)
            if manifest is not None:
                entry = manifest.lookup(file_path)
                if entry is not None:
                    return entry
        return None

    def _load(self, directory):
        directory = directory.resolve()
        if directory not in self._cache:
            candidate = directory / MANIFEST_NAME
            # lexists: a manifest that is a link must be refused, not skipped.
            self._cache[directory] = Manifest.load(candidate) if os.path.lexists(candidate) else None
        return self._cache[directory]


def _directories_up_to(start: Path, root: Path):
    start, root = start.resolve(), root.resolve()
    if root.is_file():
        root = root.parent
    if start != root and root not in start.parents:
        return  # the file's folder now resolves elsewhere: no manifest there applies
    current = start
    while True:
        yield current
        if current == root or current.parent == current:
            return
        if root not in current.parents:
            return
        current = current.parent
