"""Which files an import may read, and reading them without following links.

The operator names files and folders; an import reads regular files inside
them and nothing else. A symlink (to the secret key, to /etc/passwd, to a
folder elsewhere) is never followed: it is refused by name, without being
opened, as is anything that is not a regular file (a FIFO would block the run)
and anything that resolves outside the folder given. Files past the size
limit are refused before a byte of them is read.

Listing and reading are two moments, and a folder can be swapped for a link
between them. So a file found under a folder is opened one path component
at a time from that folder, each without following a link
(``os.open(name, dir_fd=..., O_NOFOLLOW)``): whatever is swapped, and when,
the open fails instead of leaving the folder.
"""

import errno
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings


class RefusedSource(Exception):
    """A file the import must not read; str(error) is the reason shown to the user."""


@dataclass
class Sources:
    files: list[tuple[Path, Path]] = field(default_factory=list)  # (file, root it was found under)
    refused: list[tuple[Path, str]] = field(default_factory=list)  # (path, reason)


SYMLINK_REASON = "是符号链接，导入不跟随链接，未读取"
SWAPPED_REASON = "所在的文件夹在列出后被换成了符号链接，导入不跟随链接，未读取"


def collect(paths) -> Sources:
    """Every *.txt under the given files and folders, each once, and what was refused.

    Raises FileNotFoundError naming a path that does not exist.
    """
    sources, seen = Sources(), set()
    for raw in paths:
        path = Path(raw)
        if path.is_symlink():
            # Named explicitly, but still a link: the file behind it was not named.
            sources.refused.append((path, SYMLINK_REASON))
            continue
        if path.is_dir():
            candidates = _walk(path, sources.refused)
        elif path.exists():
            candidates = [(path, path)]  # named explicitly: whatever its suffix
        else:
            raise FileNotFoundError(str(path))
        for file, root in candidates:
            key = file.resolve()
            if key not in seen:
                seen.add(key)
                sources.files.append((file, root))
    return sources


def _walk(root, refused):
    """(file, root) for the *.txt files under root; links and odd entries go to refused.

    os.fwalk lists a linked folder among the folders but never descends into
    it, and descends through descriptors it checks against what it listed,
    so nothing found lies outside root even while the tree changes.
    """
    found = []
    real_root = root.resolve()
    for folder, dirnames, filenames, _fd in os.fwalk(root, follow_symlinks=False):
        folder = Path(folder)
        for name in sorted(dirnames):
            if (folder / name).is_symlink():
                refused.append((folder / name, "是指向文件夹的符号链接，导入不跟随链接，未读取"))
        dirnames.sort()
        for name in sorted(filenames):
            path = folder / name
            if not name.lower().endswith(".txt"):
                continue  # not a page: never looked at (manifests are read by manifest.py)
            if path.is_symlink():
                refused.append((path, SYMLINK_REASON))
            elif not _inside(path, real_root):
                refused.append((path, f"实际位置在 {root} 之外，未读取"))
            else:
                found.append((path, root))
    return found


def _inside(path, real_root):
    try:
        path.resolve().relative_to(real_root)
    except ValueError:
        return False
    return True


def read_page_file(path, root=None) -> bytes:
    return read_regular_file(path, settings.PHNEWS_IMPORT_MAX_FILE_BYTES, "PHNEWS_IMPORT_MAX_FILE_BYTES", root)


def read_regular_file(path, max_bytes, setting_name, root=None) -> bytes:
    """The bytes of a regular file, opened without following any link below root.

    With a root folder, every component from root down is opened relative
    to its parent's descriptor with O_NOFOLLOW, so a folder swapped for a
    link after listing is refused; without one, only the final component is
    protected (the operator named the file). The checks run on the opened
    descriptor, so a file swapped for a FIFO is still refused, and an
    oversized file is refused from its size before it is read. Raises
    RefusedSource.
    """
    try:
        descriptor = _open_below(Path(path), Path(root) if root is not None else None)
    except OSError as error:
        if Path(path).is_symlink():
            raise RefusedSource(SYMLINK_REASON) from None
        if error.errno in (errno.ELOOP, errno.ENOTDIR):
            raise RefusedSource(SWAPPED_REASON) from None
        raise RefusedSource(f"无法读取（{error.strerror}）") from None
    with os.fdopen(descriptor, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise RefusedSource("不是普通文件，未读取")
        if info.st_size > max_bytes:
            raise RefusedSource(
                f"文件过大：{info.st_size} 字节，超过上限 {max_bytes} 字节（上限见 {setting_name}）"
            )
        # Read one byte past the limit: a file still growing cannot slip through.
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise RefusedSource(f"文件过大：超过上限 {max_bytes} 字节（上限见 {setting_name}）")
    return data


FILE_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK
FOLDER_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_DIRECTORY


def _open_below(path, root):
    """A descriptor for path, walked down from root one unfollowed component at a time."""
    if root is None or root == path:
        return os.open(path, FILE_FLAGS)
    parts = path.relative_to(root).parts
    folder = os.open(root, FOLDER_FLAGS)
    try:
        for name in parts[:-1]:
            inner = os.open(name, FOLDER_FLAGS, dir_fd=folder)
            os.close(folder)
            folder = inner
        return os.open(parts[-1], FILE_FLAGS, dir_fd=folder)
    finally:
        os.close(folder)
