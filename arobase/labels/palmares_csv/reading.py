"""Reading a palmarès file: bytes to checked records, one line at a time.

Memory never grows with the file: lines are decoded and parsed as they come, and what
cannot be read is reported to the plan as `ligne N: reason` and skipped.
"""

import csv
import io
from itertools import chain

from .columns import COLUMNS

MAX_LINE_BYTES = 1024 * 1024  # a palmarès line is a hundred bytes; past this, it is refused
# Longer fields are refused. The csv module's limit is global to the process and other
# libraries raise it (frictionless does): the reader sets its own while it reads.
MAX_FIELD_CHARACTERS = 131_072


class PalmaresFileError(ValueError):
    """The header cannot be read: nothing after it can be checked."""

    def __init__(self, line, message):
        super().__init__(f"ligne {line}: {message}")
        self.line, self.message = line, message


def binary_stream(source):
    """bytes, str or a binary stream, as a binary stream."""
    if isinstance(source, str):
        source = source.encode("utf-8")
    return io.BytesIO(source) if isinstance(source, bytes | bytearray) else source


def text_lines(binary, plan):
    """Decoded lines, BOM dropped; an overlong line is reported and skipped without being
    held whole, an undecodable one is reported and ends the reading (a wrong encoding)."""
    number = 0
    while True:
        raw = binary.readline(MAX_LINE_BYTES + 1)
        if not raw:
            return
        number += 1
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            while (rest := binary.readline(MAX_LINE_BYTES)) and not rest.endswith(b"\n"):
                pass
            plan.add_error(number, f"ligne trop longue (plus de {MAX_LINE_BYTES // 1024} Kio) : est-ce bien un palmarès CSV ?")
            yield "\n"
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            plan.add_error(number, "le fichier n'est pas encodé en UTF-8 (enregistrez-le en « CSV UTF-8 »)")
            return  # the lines before are checked; the rest of the file cannot be trusted
        yield text.removeprefix("\ufeff") if number == 1 else text


def read_rows(lines, plan):
    """Yield (line where the record starts, {column: value}) after checking the header;
    unreadable records are reported to the plan and skipped."""
    previous_limit = csv.field_size_limit(MAX_FIELD_CHARACTERS)
    try:
        first_line = next(lines, "")
        if not first_line and plan.error_count:
            return  # the first line could not be decoded
        delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
        reader = csv.reader(chain([first_line], lines), delimiter=delimiter)
        try:
            header = [name.strip().lower() for name in next(reader, [])]
        except csv.Error as error:
            raise PalmaresFileError(1, f"en-tête illisible ({error})") from None
        missing = [name for name in COLUMNS if name not in header]
        if missing:
            raise PalmaresFileError(1, f"colonnes manquantes : {', '.join(missing)} (en-tête attendu : {','.join(COLUMNS)})")
        while True:
            start = reader.line_num + 1  # every record takes at least one line, a blank one too
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                plan.add_error(start, unreadable(error, start, reader.line_num))
                continue
            if not any(value.strip() for value in values):
                continue
            if any("\x00" in value for value in values):
                plan.add_error(start, "caractère nul dans la ligne : le fichier est-il bien un CSV texte ?")
                continue
            yield start, {name: (values[i].strip() if i < len(values) else "") for i, name in enumerate(header)}
    finally:
        csv.field_size_limit(previous_limit)


def unreadable(error, start, end):
    """After an error, the csv reader drops the rest of the current line and starts a new
    record at the next one: right after an unquoted field. A quoted field that crossed
    the limit lines after it opened leaves the reader inside it: the message names the
    lines lost, and each line that follows is checked, and reported, on its own."""
    if "field larger" not in str(error):
        return f"ligne CSV illisible ({error})"
    limit = MAX_FIELD_CHARACTERS
    if end == start:
        return f"champ trop long (plus de {limit} caractères) : est-ce bien un palmarès CSV ?"
    return f"champ trop long (plus de {limit} caractères, lignes {start} à {end}) : un guillemet n'est-il pas resté ouvert ?"
