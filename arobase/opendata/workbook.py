"""arobase.xlsx: every table in one workbook, a sheet per table, the columns of
schema.SHEETS, in constant memory (openpyxl's write-only mode)."""

from arobase.actions.models import Action
from arobase.core.xlsx_files import xlsx_cell

from .action_table import action_chunks, action_row
from .palmares_table import palmares_chunks
from .schema import SHEETS
from .workbook_tables import actor_chunks, link_chunks, place_chunks, service_rows

def write_xlsx(target, demo=False, base_url=""):
    """The workbook into the binary file `target`: each sheet goes to disk as it is written."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    chunks = {
        "Actions": ([action_row(out) for out in outs] for outs in action_chunks(demo, base_url)),
        "Services": [service_rows()],
        "Lieux": place_chunks(demo),
        "Acteurs": actor_chunks(demo, base_url),
        "Palmarès": palmares_chunks(demo),
        "Actions_Services": link_chunks(Action.services.through, "service", demo),
        "Actions_Acteurs": link_chunks(Action.actors.through, "actor", demo),
    }
    book = Workbook(write_only=True)
    bold = Font(bold=True)
    for title, _, fields in SHEETS:
        sheet = book.create_sheet(title)
        sheet.freeze_panes = "A2"
        header = []
        for spec in fields:
            cell = WriteOnlyCell(sheet, value=spec["name"])
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        for rows in chunks[title]:
            for row in rows:
                sheet.append([xlsx_cell(value) for value in row])
    book.save(target)
    return target
