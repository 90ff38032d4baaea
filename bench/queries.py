"""The fixed query mix: what readers of a local paper type, by category.

Terms were picked from the sample pages, so every one occurs in the
synthetic archive; filters use the stored kind and issue date.
"""

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class BenchQuery:
    category: str
    q: str
    kind: str = ""
    date_from: date | None = None
    date_to: date | None = None
    label: str = field(default="", compare=False)

    def describe(self):
        parts = [self.q]
        if self.kind:
            parts.append(f"kind={self.kind}")
        if self.date_from or self.date_to:
            parts.append(f"date={self.date_from}..{self.date_to}")
        return " ".join(parts)


QUERY_MIX = [
    BenchQuery("word", "营商环境"),
    BenchQuery("word", "生物医药"),
    BenchQuery("word", "招商引资"),
    BenchQuery("word", "党建强基"),
    BenchQuery("name", "林旭东"),
    BenchQuery("name", "李雨婷"),
    BenchQuery("name", "胡佳英"),
    BenchQuery("phrase", '"长三角一体化"'),
    BenchQuery("phrase", '"高质量发展"'),
    BenchQuery("phrase", '"可追溯系统"'),
    BenchQuery("one-char", "湖"),
    BenchQuery("one-char", "港"),
    BenchQuery("one-char", "税"),
    BenchQuery("two-char", "平湖"),
    BenchQuery("two-char", "外资"),
    BenchQuery("two-char", "消费"),
    BenchQuery("number", "120.4亿元"),
    BenchQuery("multi-word", "平湖 外资"),
    BenchQuery("filtered", "营商环境", kind="commentary"),
    # Early dates, so that the filter selects articles in every corpus size.
    BenchQuery("filtered", "平湖", date_from=date(2012, 1, 1), date_to=date(2012, 3, 31)),
    BenchQuery("filtered", "林旭东", kind="news", date_from=date(2012, 1, 1), date_to=date(2012, 12, 31)),
]
