"""The bottom layer: what every app may use and that knows no app of the domain (the
published-data version, number parsing, URL converters, the site's address)."""
