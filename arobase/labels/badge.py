"""The badge (CONTRACT §5): a small SVG that towns embed on their websites, linking back
to their profile. Text and @ stay crisp at any zoom; `role="img"` and a <title> say it."""

from html import escape

from .sign import BLUE, GREEN, sign_title

WIDTH, HEIGHT = 180, 48


def render_badge(category, arobases, year, green=False, territory_name=""):
    """SVG text of the badge; `arobases` None means hors concours."""
    title = sign_title(category)
    if arobases is None:
        level, spoken = "HC", "hors concours"
    else:
        level = "@" * arobases
        spoken = f"{arobases} arobase{'s' if arobases > 1 else ''}"
    description = f"{territory_name + ' : ' if territory_name else ''}{title}, {spoken}, label {year}"
    if arobases and green:
        level_svg = f'{escape(level[:-1])}<tspan fill="{GREEN}">@</tspan>'
    else:
        level_svg = escape(level)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
        f'role="img" aria-labelledby="badge-title">'
        f'<title id="badge-title">{escape(description)}</title>'
        f'<rect x="1" y="1" width="{WIDTH - 2}" height="{HEIGHT - 2}" rx="6" fill="#fff" stroke="{BLUE}" stroke-width="2"/>'
        f'<rect x="1" y="1" width="58" height="{HEIGHT - 2}" rx="6" fill="{BLUE}"/>'
        f'<rect x="40" y="1" width="19" height="{HEIGHT - 2}" fill="{BLUE}"/>'
        f'<text x="30" y="31" text-anchor="middle" font-family="Arial, Helvetica, sans-serif" font-size="17" '
        f'font-weight="700" fill="#fff">{year}</text>'
        f'<text x="119" y="20" text-anchor="middle" font-family="Arial, Helvetica, sans-serif" font-size="12" '
        f'font-weight="700" fill="#1e1e1e">{escape(title)}</text>'
        f'<text x="119" y="40" text-anchor="middle" font-family="Arial, Helvetica, sans-serif" font-size="18" '
        f'font-weight="700" fill="{BLUE}" aria-hidden="true">{level_svg}</text>'
        "</svg>"
    )
