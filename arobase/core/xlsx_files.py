"""The one way to write an XLSX cell, and a small workbook for download: the press kit
and the open-data workbook share the rule of csv_files (text never a formula), and drop
the control characters that XLSX cannot hold."""

import io
from datetime import datetime

from django.http import HttpResponse

from .csv_files import safe_cell, utc

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_cell(value):
    """A typed cell: numbers, dates and booleans as such; text as text (never a formula)."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, datetime):
        return utc(value).replace(tzinfo=None)  # Excel has no time zones: UTC, as in the CSV
    if isinstance(value, str):
        text = ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters XLSX cannot hold
        return safe_cell(text) if text else None
    return value


def xlsx_download(name, sheet_title, header, rows):
    """One sheet, made in memory (a few hundred rows at most), as a file to download."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_title)
    sheet.append(header)
    for row in rows:
        sheet.append([xlsx_cell(value) for value in row])
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
