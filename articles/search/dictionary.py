"""The user dictionary of local names: a data file staff can extend.

Read once per process (jieba keeps it in memory); a malformed line is
reported with its file and line number instead of being silently skipped.
"""

import logging
from pathlib import Path

from django.conf import settings

log = logging.getLogger(__name__)


class DictionaryError(ValueError):
    pass


def dictionary_paths():
    configured = getattr(settings, "PHNEWS_SEARCH_DICTIONARIES", None)
    if configured:
        return [Path(p) for p in configured]
    # The repo's file first, then any a deployment keeps in its own data dir.
    folders = [Path(settings.BASE_DIR) / "data" / "dictionary", Path(settings.PHNEWS_DATA_DIR) / "dictionary"]
    paths = []
    for folder in folders:
        for path in sorted(folder.glob("*.txt")):
            if path.resolve() not in {p.resolve() for p in paths}:
                paths.append(path)
    return paths


def cache_dir():
    path = Path(settings.PHNEWS_DATA_DIR) / "cache"
    path.mkdir(parents=True, exist_ok=True)
    return path


def read_entries(path):
    """(word, freq or None, tag or None) for each entry of one dictionary file."""
    entries = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        if len(parts) > 3 or (len(parts) >= 2 and not parts[1].isdigit()):
            raise DictionaryError(f"{path}:{number}: expected 'WORD [FREQUENCY] [TAG]', got {line!r}")
        word = parts[0]
        freq = int(parts[1]) if len(parts) >= 2 else None
        tag = parts[2] if len(parts) == 3 else None
        entries.append((word, freq, tag))
    return entries


def load_into(tokenizer, fold):
    """Add every entry to jieba, folded with ``fold``: jieba cuts folded text (Simplified script, lower case)."""
    count = 0
    for path in dictionary_paths():
        for word, freq, tag in read_entries(path):
            tokenizer.add_word(fold(word), freq, tag)
            count += 1
    log.debug("loaded %d local names into jieba", count)
    return count
