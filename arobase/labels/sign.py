"""The road sign (panneau d'entrée de ville): the one function that draws it.

A printable SVG: a white panel with the red border of French entry signs, the label's
name for the category, one to five @ (the last one green for the ecological
transition mention) and the year. `role="img"` and a <title> make it accessible.
"""

from html import escape

from arobase.territories import rules as territory_rules

CATEGORY_TITLES = {
    territory_rules.VILLAGE: "Village Internet",
    territory_rules.VILLE: "Ville Internet",
    territory_rules.TERRITOIRE: "Territoire Internet",
}
RED, BLUE, GREEN = "#c1121f", "#0b4f9c", "#1b7f3b"
WIDTH, HEIGHT = 600, 300


def sign_title(category):
    return CATEGORY_TITLES.get(category, "Territoire Internet")


def render_sign(category, arobases, year, green=False, territory_name=""):
    """SVG text of the sign; `arobases` None means hors concours."""
    title = sign_title(category)
    if arobases is None:
        level_text, description = "Hors concours", f"{title}, hors concours, label {year}"
        glyphs = f'<text x="300" y="185" text-anchor="middle" font-size="48" font-weight="700" fill="{BLUE}">Hors concours</text>'
    else:
        level_text = f"{arobases} @"
        description = f"{title}, {arobases} arobase{'s' if arobases > 1 else ''}, label {year}"
        if green:
            description += ", dont une @ verte pour la transition écologique"
        size = 84
        start = WIDTH / 2 - (arobases - 1) * size / 2
        glyphs = "".join(
            f'<text x="{start + i * size:.0f}" y="200" text-anchor="middle" font-size="{size}" font-weight="700" '
            f'fill="{GREEN if green and i == arobases - 1 else BLUE}">@</text>'
            for i in range(arobases)
        )
    if territory_name:
        description = f"{territory_name} : {description}"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
        f'role="img" aria-labelledby="sign-title">'
        f'<title id="sign-title">{escape(description)}</title>'
        f'<rect x="6" y="6" width="{WIDTH - 12}" height="{HEIGHT - 12}" rx="28" fill="#fff" stroke="{RED}" stroke-width="12"/>'
        f'<text x="300" y="82" text-anchor="middle" font-family="Arial, Helvetica, sans-serif" font-size="50" '
        f'font-weight="700" fill="#1e1e1e">{escape(title)}</text>'
        f'<g font-family="Arial, Helvetica, sans-serif" aria-label="{escape(level_text)}">{glyphs}</g>'
        f'<text x="300" y="262" text-anchor="middle" font-family="Arial, Helvetica, sans-serif" font-size="40" '
        f'font-weight="700" fill="#1e1e1e">{year}</text>'
        "</svg>"
    )
