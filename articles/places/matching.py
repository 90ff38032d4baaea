"""Finding the places a text names: pure Python, names in, counts out.

The rules (docs/places.md, "Finding mentions"), each tested in
tests/places/test_place_matching.py:

1. Longest match first, left to right, no overlaps: 独山港经济开发区 is the
   zone, never 独山港 the town; 平湖经济技术开发区 is never 平湖.
2. The city is matched but never counted: 平湖 is printed in nearly every
   article, so it would say nothing; it still consumes its characters so
   金平湖 or 平湖市 do not leave a fragment behind.
3. A name that runs on into a road, bridge, school or company name is that
   thing, not the place: 当湖路, 乍浦路, 新仓中学, 东湖大桥, 当湖教育服务中心.
4. A name inside a person's name credited on the article is that person:
   the byline is not scanned, and the names are masked in the text.
"""

import re
from collections import Counter

# What follows a place name when it only names something else (rule 3).
NOT_A_PLACE_AFTER = re.compile(r"(?:路|大道|街(?!道)|弄|巷|大桥|桥(?!村|社区)|中学|小学|高中|大学|学校|教育|公司|集团|宾馆|酒店)")
MASK = "\u3000"


class Matcher:
    """Built once per gazetteer: ``names`` maps every name and alias to a place key."""

    def __init__(self, names, uncounted=()):
        self.names = {name: key for name, key in names.items() if len(name) >= 2}
        self.uncounted = set(uncounted)
        # Longest names first: at each position the regex takes the first
        # alternative that matches, so this is rule 1 at C speed.
        self.pattern = re.compile("|".join(map(re.escape, sorted(self.names, key=len, reverse=True)))) if self.names else None

    def find(self, text, people=()):
        """(key, start, end) of each place named in ``text``, the city's too (rule 2)."""
        if self.pattern is None:
            return []
        for person in sorted({p for p in people if p}, key=len, reverse=True):
            text = text.replace(person, MASK * len(person))
        return [(self.names[match.group()], match.start(), match.end())
                for match in self.pattern.finditer(text) if not NOT_A_PLACE_AFTER.match(text, match.end())]

    def count(self, text, people=()):
        """Place key -> number of mentions, the uncounted (the city) left out."""
        return Counter(key for key, _, _ in self.find(text, people) if key not in self.uncounted)
