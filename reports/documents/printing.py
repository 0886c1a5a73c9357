"""The report as a `PrintDocument` for the PDF renderer (reports/documents/pdf) and the signing app.

`report_print_document(report)` maps `reports.documents.text.report_document(report)` (the contract in
that module's docstring) onto the print layer's dataclasses: header, title, body blocks with footnotes
(``^[…]`` inline markup), closing, and the attached tables (Biểu) with raw values that the renderer
formats through core.formatting.
"""
from __future__ import annotations

from reports.documents.text import report_document

BLOCK_KINDS = {"heading1", "heading2", "heading3", "heading4", "paragraph", "item", "plain"}


def _escape(text: str) -> str:
    """Literal text for the print layer's inline markup (``*``, ``^`` and ``]`` are markup there)."""
    return text.replace("\\", "\\\\").replace("*", "\\*").replace("^", "\\^").replace("]", "\\]")


def _tables(data: dict, note: str):
    from reports.documents.pdf.document import Column, Table, TableRow

    tables = []
    for table in data["tables"]:
        header = table["header_rows"]
        # Column labels: the lowest header cell above each column; group = the merged cell above it.
        labels, groups = [], []
        top = header[0]
        bottom = list(header[1]) if len(header) > 1 else []
        for cell in top:
            if cell["colspan"] == 1:
                labels.append(cell["text"])
                groups.append("")
            else:
                for _ in range(cell["colspan"]):
                    labels.append(bottom.pop(0)["text"])
                    groups.append(cell["text"])
        columns = []
        for n, col in enumerate(table["columns"]):
            key = col["key"]
            kind = "stt" if key == "stt" else "text" if key == "name" else "rate" if key.startswith("rate:") else "int"
            columns.append(Column(key=key, label=labels[n], kind=kind, group=groups[n],
                                  width=0.6 if kind == "stt" else 4.0 if kind == "text" else 1.0))
        rows = tuple(
            TableRow(values=tuple(row["values"]), level=0, bold=not row["values"][0]) for row in table["rows"]
        )
        total = TableRow(values=tuple(table["total_row"]["values"]), bold=True)
        notes = " ".join([note] + list(table.get("notes", [])))
        tables.append(Table(label=table["label"], title=table["title"], subtitle=table["subtitle"].strip("()"),
                            columns=tuple(columns), rows=rows, total=total, note=notes,
                            landscape=table["landscape"]))
    return tuple(tables)


def report_print_document(report):
    """The `PrintDocument` of a report (its current text, figures from its snapshot, its tables)."""
    from reports.documents.pdf.document import Block, Closing, Header, PrintDocument

    data = report_document(report)
    header = Header(
        own_line=data["header"]["own_line"], number_line=data["number_line"],
        place_date_line=data["place_date_line"], superior_line=data["header"]["superior_line"],
        board_line=data["header"]["board_line"],
    )
    notes = {n["number"]: n["text"] for n in data["footnotes"]}
    blocks = [Block.of("paragraph", _escape(data["citation"]))] if data["citation"] else []
    for block in data["blocks"]:
        text = "".join(
            _escape(seg["text"]) if "text" in seg else f"^[{_escape(notes.get(seg['footnote'], ''))}]"
            for seg in block["segments"]
        )
        kind = block["kind"] if block["kind"] in BLOCK_KINDS else "paragraph"
        if kind == "item" and text.startswith("- "):
            text = text[2:]
        blocks.append(Block.of(kind, text))
    recipients = tuple(line.lstrip("-").strip() for line in data["recipients"]["lines"]) or ("Lưu.",)
    signer = data["signer"]
    closing = Closing(recipients=recipients, signer_title=signer["title"], signer_name=signer["name"],
                      authority=signer["authority"])
    return PrintDocument(
        header=header, doc_type=data["type"], summary=data["summary"], blocks=tuple(blocks), closing=closing,
        tables=_tables(data, data["as_of_line"] + "."), kind="report",
        title=f"Báo cáo {report.reference}".strip(), author=report.issuing_body.name,
        meta={"report": report.pk, "status": report.status},
    )
