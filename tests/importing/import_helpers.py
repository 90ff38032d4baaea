"""Building small page batches in a temporary folder."""

from pathlib import Path

from django.conf import settings
from django.db import connection

from articles.importing.lock import import_lock

SAMPLE_001 = "001_754509dbfb55a7fd.txt"  # dated masthead, C1, an article continued on C2
SAMPLE_000 = "000_285f95864da877a9.txt"  # undated, ends with an orphan byline
SAMPLE_004 = "004_bbd399b75d63cd0b.txt"  # undated, page header 11, a sidebar

PAGE_C2 = """平湖发布

## 五大“根基”筑实璀璨明珠坚强底座

（上接C1版）

在全面贯彻党的二十大精神开局之年，党建强基全新启航。基层组织建设
持续推进，各级党组织战斗堡垒作用不断增强。

## 我市举办春季招聘会

■记者 林旭东

本报讯 昨天，我市春季招聘会在市人力资源市场举行，百余家企业
提供岗位三千余个。
"""


def sample_text(name):
    return (Path(settings.PHNEWS_SAMPLES_DIR) / name).read_text(encoding="utf-8")


def batch(folder, files, manifest=None):
    """Write {name: text or bytes} and an optional manifest {name: (date, page)}."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = folder / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    if manifest:
        rows = ["file,date,page,note"] + [f"{name},{day},{page}," for name, (day, page) in manifest.items()]
        (folder / "manifest.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder


def hold_the_lock(held, release):
    """Another import, in a thread with its own database connection."""
    try:
        with import_lock(wait=0):
            held.set()
            release.wait(10)
    finally:
        connection.close()
