"""Geometry of the small SVG charts; templates draw them beside their data table."""

from dataclasses import dataclass

WIDTH, HEIGHT, MARGIN_LEFT, MARGIN_BOTTOM, MARGIN_TOP = 720, 260, 48, 28, 12
LEVEL_COLOURS = {"1": "#b3cde8", "2": "#7fa9d6", "3": "#4a84c2", "4": "#1f5fa6", "5": "#0b3d75"}


@dataclass
class Bar:
    label: str
    value: int
    x: float
    y: float
    width: float
    height: float
    colour: str = "#0b4f9c"


def _scale(maximum):
    return (HEIGHT - MARGIN_BOTTOM - MARGIN_TOP) / maximum if maximum else 0


def bar_chart(points, maximum=None):
    """points: [(label, value)] → bars and axis ticks in a WIDTH × HEIGHT box."""
    maximum = maximum or max((value for _, value in points), default=0)
    scale = _scale(maximum)
    slot = (WIDTH - MARGIN_LEFT) / max(len(points), 1)
    bars = [
        Bar(str(label), value, MARGIN_LEFT + i * slot + slot * 0.15, HEIGHT - MARGIN_BOTTOM - value * scale, slot * 0.7, value * scale)
        for i, (label, value) in enumerate(points)
    ]
    return {"bars": bars, "ticks": _ticks(maximum, scale), "width": WIDTH, "height": HEIGHT, "baseline": HEIGHT - MARGIN_BOTTOM}


def stacked_chart(rows):
    """rows: [(label, {"1": n, …, "5": n})] → one stacked bar per row, level 1 at the bottom."""
    totals = [sum(parts.values()) for _, parts in rows]
    maximum = max(totals, default=0)
    scale = _scale(maximum)
    slot = (WIDTH - MARGIN_LEFT) / max(len(rows), 1)
    stacks = []
    for i, (label, parts) in enumerate(rows):
        bottom = HEIGHT - MARGIN_BOTTOM
        segments = []
        for level, value in parts.items():
            height = value * scale
            bottom -= height
            segments.append(Bar(f"{label} : {level} @", value, MARGIN_LEFT + i * slot + slot * 0.15, bottom, slot * 0.7, height, LEVEL_COLOURS[level]))
        stacks.append({"label": str(label), "x": MARGIN_LEFT + i * slot + slot / 2, "segments": segments})
    return {"stacks": stacks, "ticks": _ticks(maximum, scale), "width": WIDTH, "height": HEIGHT,
            "baseline": HEIGHT - MARGIN_BOTTOM, "legend": LEVEL_COLOURS}


def _ticks(maximum, scale):
    """0 and up to five round steps (1, 2 or 5 × 10^n), labelled compactly."""
    if not maximum:
        return []
    step = next(m * 10**e for e in range(12) for m in (1, 2, 5) if maximum / (m * 10**e) <= 5)
    return [{"value": _compact(v), "y": HEIGHT - MARGIN_BOTTOM - v * scale} for v in range(0, int(maximum) + 1, step)]


def _compact(value):
    if value >= 1_000_000:
        return f"{value / 1_000_000:g} M"
    if value >= 10_000:
        return f"{value / 1000:g} k"
    return str(value)
