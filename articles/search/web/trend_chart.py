"""The word-trends line chart as numbers the template draws into SVG: no script, no inline style.

Every coordinate is computed here, so the template only writes them out; the
colours of the lines come from their class (static/css/trends.css), which the
site's Content-Security-Policy allows where an inline style would need an
exception.
"""

import math

WIDTH, HEIGHT = 720, 320
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 44
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
Y_TICKS = 4
MAX_X_LABELS = 13


def nice_step(top, ticks=Y_TICKS):
    """The smallest 1, 2 or 5 times a power of ten that reaches ``top`` in ``ticks`` steps."""
    if top <= 0:
        return 1
    raw = top / ticks
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


def _number(value):
    return f"{value:g}" if isinstance(value, float) else str(value)


def period_label(period, short=False):
    """"2023-08" -> "2023年8月" ("8月" when ``short``); "2023" -> "2023年"."""
    if len(period) == 4:
        return f"{period}年"
    month = f"{int(period[5:])}月"
    return month if short else f"{period[:4]}年{month}"


def _x_labels(periods, xs):
    """[(x, text)] under the axis: every month of a short span, each January or every k-th year of a long one."""
    if not periods:
        return []
    if len(periods[0]) == 4:
        step = max(1, math.ceil(len(periods) / MAX_X_LABELS))
        return [(xs[i], periods[i]) for i in range(0, len(periods), step)]
    if len(periods) <= 12:
        return [(xs[i], period_label(p, short=i and p[5:] != "01")) for i, p in enumerate(periods)]
    years = [i for i, p in enumerate(periods) if p.endswith("-01") or i == 0]
    step = max(1, math.ceil(len(years) / MAX_X_LABELS))
    return [(xs[i], periods[i][:4]) for i in years[::step]]


def chart(periods, lines):
    """The chart of ``lines`` [(label, [value or None per period], [link per period], [tooltip per period])].

    None values (no article printed that period, per 100) are drawn at zero.
    """
    if not periods or not lines:
        return None
    n = len(periods)
    xs = [round(LEFT + (PLOT_W * i / (n - 1) if n > 1 else PLOT_W / 2), 1) for i in range(n)]
    top = max((v or 0 for _, values, _, _ in lines for v in values), default=0)
    step = nice_step(top)
    ceiling = step * max(1, math.ceil(top / step))

    def y(value):
        return round(TOP + PLOT_H * (1 - (value or 0) / ceiling), 1)

    series = []
    for index, (label, values, links, tips) in enumerate(lines):
        points = [{"x": x, "y": y(v), "href": link, "title": tip, "zero": not v}
                  for x, v, link, tip in zip(xs, values, links, tips)]
        series.append({"index": index, "label": label, "points": points,
                       "polyline": " ".join(f"{p['x']},{p['y']}" for p in points)})
    y_ticks = []
    for k in range(round(ceiling / step) + 1):
        value = round(k * step, 10)
        y_ticks.append({"y": y(value), "label": _number(int(value) if value == int(value) else value)})
    return {
        "width": WIDTH, "height": HEIGHT, "left": LEFT, "right": WIDTH - RIGHT, "top": TOP,
        "bottom": HEIGHT - BOTTOM, "label_y": HEIGHT - BOTTOM + 18, "y_label_x": LEFT - 6,
        "series": series, "y_ticks": y_ticks,
        "x_labels": [{"x": x, "label": text} for x, text in _x_labels(periods, xs)],
    }
