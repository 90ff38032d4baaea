"""Synthetic archives made by recombining real paragraphs of the sample pages.

Pure Python, no Django: ``load_pool`` harvests body paragraphs, headlines,
column names and bylined people from data/samples; ``generate`` deals them
into articles of about 750 characters, deterministically for a given seed;
``render_page`` writes a page of articles in the format of the sample files
(headline, ■byline, hard-wrapped body) for the import command.

The vocabulary is that of five pages, so the term statistics are denser
than a real archive's. Every query term therefore matches many articles,
which makes the benchmark harder than real data, not easier.
"""

import random
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

SAMPLES_DIR = Path(__file__).resolve().parent.parent / "data" / "samples"

ARTICLE_CHARS = 750
ARTICLES_PER_PAGE = 5
PAGES_PER_ISSUE = 8
FIRST_DATE = date(2012, 1, 1)
WRAP = 16  # characters per line in the sample pages' columns

# Lines of page furniture that belong to no article.
FURNITURE = re.compile(
    r"平湖发布|今平湖客户端|编辑/|版式/|校对/|热线|www\.|http|总第\d+期|叠[A-Z]|联办|DAILY|JIAXING|"
    r"下转|上接|法律顾问|未经本报授权"
)
ROLE_WORDS = re.compile(r"见习记者|记\s*者|通讯员|摄影|漫画|本报评论员")
CJK = re.compile(r"[\u4e00-\u9fff]")
SENTENCE_END = re.compile(r"(?<=[。！？；])")
KINDS = ["news"] * 6 + ["commentary", "photo", "interview", "feature", "brief"]


@dataclass
class Pool:
    paragraphs: list = field(default_factory=list)
    headlines: list = field(default_factory=list)
    names: list = field(default_factory=list)
    columns: list = field(default_factory=list)


@dataclass
class ArticleSpec:
    issue_date: date
    page_label: str
    position: int
    kind: str
    column: str
    title: str
    subtitle: str
    body: str  # paragraphs separated by a blank line
    credits: list  # [(name, role)]


def _dedouble(text):
    """Undo bold-type doubling in bylines: '记者记者 胡佳英胡佳英' -> '记者 胡佳英'."""
    return re.sub(r"(\S{2,})\1+", r"\1", text)


def _names_from_byline(line):
    line = _dedouble(line.lstrip("■ ").strip())
    names = []
    for chunk in ROLE_WORDS.split(line):
        tokens = chunk.split()
        # "王 强" is one name typeset with a space: glue single characters on.
        merged = []
        for token in tokens:
            if merged and (len(token) == 1 or len(merged[-1]) == 1):
                merged[-1] += token
            else:
                merged.append(token)
        names.extend(t for t in merged if 2 <= len(t) <= 4 and all(CJK.match(c) for c in t))
    return names


def load_pool(samples_dir=SAMPLES_DIR):
    pool = Pool()
    seen = set()
    for path in sorted(Path(samples_dir).glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for block in re.split(r"\n\s*\n", text):
            lines = [ln.strip() for ln in block.splitlines() if ln.strip()]
            if not lines:
                continue
            if lines[0].startswith("■"):
                pool.names.extend(_names_from_byline(" ".join(lines)))
                continue
            if len(lines) == 1 and "■" in lines[0]:
                # A headline glued to its byline: "标题■记者 杨晨燕".
                head, _, byline = lines[0].partition("■")
                pool.names.extend(_names_from_byline(byline))
                lines = [head]
            # Hard-wrapped lines join without a space in Chinese.
            joined = "".join(ln.lstrip("#").strip().replace("**", "") for ln in lines)
            if FURNITURE.search(joined) or joined in seen or not CJK.search(joined):
                continue
            seen.add(joined)
            if len(joined) >= 40 and joined[-1] in "。！？”\"）)":
                pool.paragraphs.append(joined)
            elif len(lines) == 1 and 4 <= len(joined) <= 26 and not re.search(r"[。■◆]|^——|[，,、；：]$", joined):
                (pool.columns if len(joined) <= 8 and " " in joined else pool.headlines).append(joined)
    pool.names = sorted(set(pool.names))
    if not pool.columns:
        pool.columns = ["一把手访谈", "砥砺实干 镇在突破"]
    if not (pool.paragraphs and pool.headlines and pool.names):
        raise ValueError(f"no usable paragraphs, headlines or bylines in {samples_dir}")
    return pool


def _people(pool, rnd):
    """Real bylined names plus recombinations of their surnames and given names."""
    surnames = sorted({n[0] for n in pool.names})
    given = sorted({n[1:] for n in pool.names})
    people = list(pool.names)
    people += sorted({s + g for s in surnames for g in given} - set(people))
    rnd.shuffle(people)
    return people[:200]


def _body(pool, rnd, budget):
    parts, size = [], 0
    while size < budget:
        paragraph = rnd.choice(pool.paragraphs)
        if size + len(paragraph) > budget + 60:
            # Cut at a sentence end so the article still reads as sentences.
            sentences = [s for s in SENTENCE_END.split(paragraph) if s]
            cut = ""
            for sentence in sentences:
                if size + len(cut) + len(sentence) > budget + 60:
                    break
                cut += sentence
            paragraph = cut or paragraph[: max(budget - size, 20)]
        parts.append(paragraph)
        size += len(paragraph)
    return "\n\n".join(parts)


def generate(count, seed=1, pool=None, chars=ARTICLE_CHARS):
    """Yield ``count`` ArticleSpec in archive order; the same seed gives the same archive."""
    pool = pool or load_pool()
    rnd = random.Random(seed)
    people = _people(pool, rnd)
    per_issue = ARTICLES_PER_PAGE * PAGES_PER_ISSUE
    for number in range(count):
        issue, rest = divmod(number, per_issue)
        page, position = divmod(rest, ARTICLES_PER_PAGE)
        title = rnd.choice(pool.headlines)
        subtitle = "——" + rnd.choice(pool.headlines) if rnd.random() < 0.2 else ""
        kind = rnd.choice(KINDS)
        credits = [(rnd.choice(people), "reporter")]
        if rnd.random() < 0.4:
            credits.append((rnd.choice(people), "correspondent"))
        if kind == "photo":
            credits = [(rnd.choice(people), "photographer")]
        credits = list(dict.fromkeys(credits))
        budget = chars - len(title) - len(subtitle)
        yield ArticleSpec(
            issue_date=FIRST_DATE + timedelta(days=issue),
            page_label=str(page + 1),
            position=position + 1,
            kind=kind,
            column=rnd.choice(pool.columns) if rnd.random() < 0.15 else "",
            title=title,
            subtitle=subtitle,
            body=_body(pool, rnd, budget - 30),
            credits=credits,
        )


ROLE_LABELS = {"reporter": "记者", "correspondent": "通讯员", "photographer": "摄影"}


def _wrap(paragraph):
    return "\n".join(paragraph[i : i + WRAP] for i in range(0, len(paragraph), WRAP))


def render_page(articles):
    """One page file's text: headline, byline, hard-wrapped body, as in the samples."""
    out = []
    for spec in articles:
        if spec.column:
            out.append(spec.column)
        out.append(spec.title)
        if spec.subtitle:
            out.append(spec.subtitle)
        byline, last = "■", None
        for name, role in spec.credits:
            if role != last:
                byline += ("" if last is None else " ") + ROLE_LABELS[role]
                last = role
            byline += " " + name
        out.append(byline)
        out.extend(_wrap(p) for p in spec.body.split("\n\n"))
    return "\n\n".join(out) + "\n"


def pages(specs):
    """Group specs by (date, page label), in order."""
    group, key = [], None
    for spec in specs:
        spec_key = (spec.issue_date, spec.page_label)
        if group and spec_key != key:
            yield key, group
            group = []
        key = spec_key
        group.append(spec)
    if group:
        yield key, group


def write_page_files(specs, out_dir):
    """Write page files and a manifest.csv (file,date,page,note) like data/samples."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rows = ["file,date,page,note"]
    written = 0
    for (day, label), group in pages(specs):
        name = f"{day:%Y%m%d}_{label}.txt"
        (out_dir / name).write_text(render_page(group), encoding="utf-8")
        rows.append(f"{name},{day.isoformat()},{label},synthetic")
        written += 1
    (out_dir / "manifest.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return written
