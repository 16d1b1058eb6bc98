"""Path converters: a URL part that cannot be valid never reaches a view or the database."""


class YearConverter:
    """A label year: four ASCII digits (Django's `int` accepts any length, and a
    20-digit year overflowed SQLite's integers)."""

    regex = "[0-9]{4}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return f"{int(value):04d}"


class IdConverter:
    """A database id: at most 18 ASCII digits, so it always fits a 64-bit integer."""

    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(int(value))
