"""Sorting people's names the way Chinese name lists are sorted: by pinyin.

pypinyin reads characters with their everyday pronunciation; as the first
character of a name some read otherwise (单 is Shan, 曾 Zeng, 查 Zha). Those
common surname readings are listed here so 单雪 files under S, not D.
"""

import functools
import os

# pypinyin's phrase dictionary (about 45 MB in every worker that sorts a
# people list) only helps with words; a name is read character by character,
# with surnames from the table below. Must be set before pypinyin is imported.
os.environ.setdefault("PYPINYIN_NO_PHRASES", "1")

from pypinyin import Style, lazy_pinyin  # noqa: E402

SURNAME_READINGS = {
    "单": "shan", "曾": "zeng", "查": "zha", "区": "ou", "仇": "qiu", "朴": "piao", "解": "xie",
    "缪": "miao", "覃": "qin", "翟": "zhai", "盖": "ge", "乐": "yue", "召": "shao", "尉": "yu",
    "种": "chong", "员": "yun", "秘": "bi", "繁": "po", "句": "gou", "那": "na", "万俟": "moqi",
}
_LONGEST_FIRST = sorted(SURNAME_READINGS, key=len, reverse=True)


# Names recur on every people page; pypinyin costs ~0.1 ms a name.
@functools.lru_cache(maxsize=50_000)
def name_pinyin(name):
    """The name's syllables in pinyin without tones, surname read as a surname."""
    for surname in _LONGEST_FIRST:
        if name.startswith(surname):
            return (SURNAME_READINGS[surname], *lazy_pinyin(name[len(surname):]))
    return tuple(lazy_pinyin(name, style=Style.NORMAL))


def sort_key(name):
    return ([s.lower() for s in name_pinyin(name)], name)


def initial(name):
    """The index letter a name files under: A-Z, or "#" for anything else."""
    syllables = name_pinyin(name)
    letter = syllables[0][:1].upper() if syllables and syllables[0] else ""
    return letter if "A" <= letter <= "Z" else "#"
