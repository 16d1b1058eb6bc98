"""Free text typed in the season's forms, as stored: without NUL characters (PostgreSQL
refuses them in text columns) and within its length."""


def clean(value, limit):
    return (value or "").replace("\x00", "").strip()[:limit]
