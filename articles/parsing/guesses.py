"""Review reasons for guesses, each naming what was guessed.

Every decision the page does not prove (where an article starts or ends,
which headline line is which part, whom a credit belongs to) is said in a
review reason that starts with the kind of guess, so that the review queue
shows it and a person knows what to check.
"""

BOUNDARY = "分篇存疑"  # where an article starts or ends
HEADLINE = "标题存疑"  # how a headline splits into column, kicker, title, subtitle
CREDIT = "署名存疑"  # a credit, its role or its article

KINDS = (BOUNDARY, HEADLINE, CREDIT)


def guess(kind, text):
    assert kind in KINDS
    return f"{kind}：{text}"
