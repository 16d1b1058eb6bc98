"""The one way to write a CSV file, and the one rule that keeps a cell from being a formula.

Every table the site hands out (open data, the staff's exports, the press kit) may hold
text typed by anyone; a spreadsheet would run the text `=HYPERLINK(…)` as a formula.
So every text cell goes through `safe_cell`, in CSV and XLSX alike (CONTRACT §7).
"""

import csv
import io
import re
from datetime import UTC, date, datetime

from django.http import StreamingHttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A spreadsheet may split a cell where the file did not mean it to: French Excel opens a
# CSV on « ; », others on tabs, and a line end starts a row. Whatever follows one of
# these may be read as a cell of its own, so it is made safe too.
INNER_FORMULA = re.compile(r"([;\t\r\n])([=+\-@])")


def safe_cell(value):
    """`value` as text that a spreadsheet keeps as text: « ' » before a formula's first
    character, at the start and after every « ; », tab or line end. None is the empty text."""
    text = "" if value is None else str(value)
    text = INNER_FORMULA.sub(r"\1'\2", text)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def utc(moment):
    """An aware or naive (taken as UTC) datetime, in UTC."""
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def utc_text(moment):
    return utc(moment).strftime("%Y-%m-%dT%H:%M:%SZ")


def csv_cell(value):
    """A typed value as CSV text: numbers as written, booleans as true/false, dates in
    ISO 8601, datetimes in UTC; any other value is text, made safe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return utc_text(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float):
        return str(value)
    return safe_cell(value)


def csv_stream(header, chunks, *, excel=False):
    """UTF-8 CSV as bytes, comma-separated: the header, then one block per chunk (a list
    of rows), every value through `csv_cell`. Memory holds one chunk at a time.

    Two kinds of readers, so one switch. `excel=True` is for the files the staff open
    with a double click (the dashboard's and the press kit's exports): a BOM first,
    without which Excel takes UTF-8 for Windows-1252 and garbles every accent, and CRLF
    line ends, as Excel writes them. Open data (the default) is read by programs
    (frictionless, pandas, `arobase import_palmares`) and declared plain UTF-8 in its
    Data Package: no BOM, which such a reader would glue to the first column's name,
    and LF line ends.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n" if excel else "\n")

    def flush():
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text.encode()

    if excel:
        buffer.write("\ufeff")
    writer.writerow(header)
    yield flush()
    for rows in chunks:
        writer.writerows([csv_cell(value) for value in row] for row in rows)
        yield flush()


def csv_download(name, header, rows):
    """A staff export, streamed row by row, as a file for Excel (see `csv_stream`)."""
    response = StreamingHttpResponse(csv_stream(header, ([row] for row in rows), excel=True), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
