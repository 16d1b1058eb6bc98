"""The one way to read a whole number from a request or a file.

`str.isdigit()` accepts "²" and "①" (then `int()` fails: a 500), `int()` accepts "٢٠٢٤"
(a silent conversion), and an unbounded number overflows SQLite's integers. Every
number that comes from outside goes through `parse_int`: ASCII digits only, bounded.
"""

import re

ASCII_DIGITS = re.compile(r"[0-9]{1,18}")  # 18 digits always fit a 64-bit integer
YEAR_MIN, YEAR_MAX = 1000, 9999  # what a year parameter may hold before it is looked up
ID_MAX = 2**63 - 1  # a database id (BigAutoField)


def parse_int(text, minimum, maximum):
    """The number `text` spells in ASCII digits, if within [minimum, maximum]; else None.

    Surrounding ASCII spaces are ignored; signs, decimals, other scripts' digits,
    superscripts and anything longer than 18 digits are refused.
    """
    if not isinstance(text, str):
        return None
    text = text.strip(" \t")
    if not ASCII_DIGITS.fullmatch(text):
        return None
    number = int(text)
    return number if minimum <= number <= maximum else None


def parse_year(text):
    """A four-digit year, or None; whether that year exists is for the caller to say."""
    return parse_int(text, YEAR_MIN, YEAR_MAX)


def parse_id(text):
    """A database id posted by a form or put in a URL, or None."""
    return parse_int(text, 1, ID_MAX)


def parse_ids(values):
    """The ids among `values` (a form's list); anything else is dropped."""
    return [number for number in map(parse_id, values) if number is not None]
