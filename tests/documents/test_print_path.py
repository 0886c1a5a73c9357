"""Issue 13.4: the report's print document is built once, typed, and the documents app does not import signing."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from reports.documents import printing
from reports.documents.pdf.document import Block, Footnote, PrintDocument, Run, Table

DOCUMENTS = Path(__file__).resolve().parents[2] / "reports" / "documents"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_the_documents_app_never_imports_signing():
    offenders = {str(p.relative_to(DOCUMENTS)): sorted(n for n in _imports(p) if n.startswith("reports.signing"))
                 for p in DOCUMENTS.rglob("*.py")}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_nothing_parses_markup_on_the_way_to_the_pdf():
    """No inline-markup parser is called by the report's print path (it was escaped and parsed back)."""
    for name in ("printing.py", "tables.py"):
        source = (DOCUMENTS / name).read_text(encoding="utf-8")
        assert "parse_inline" not in source and "Block.of(" not in source and "_escape" not in source


@pytest.fixture
def demo_report(demo):
    from django.contrib.auth import get_user_model

    from reports.documents.services import report_get_or_create
    from reports.plans.models import Plan
    from units.models import Unit

    return report_get_or_create(plan=Plan.objects.get(reference="132-HD/BTGTU"),
                                unit=Unit.objects.get(code="tam-duong"),
                                user=get_user_model().objects.get(username="tam-duong.reviewer"))


@pytest.mark.django_db
def test_one_typed_document_for_pdf_excel_and_web(demo_report):
    doc = printing.report_print_document(demo_report)
    assert isinstance(doc, PrintDocument) and all(isinstance(b, Block) for b in doc.blocks)
    assert all(isinstance(t, Table) for t in doc.tables)
    notes = doc.footnotes()
    assert [n.number for n in notes] == list(range(1, len(notes) + 1))  # numbered through the document
    # Literal markup characters in the text stay text: nothing re-reads them as emphasis or footnotes.
    assert all(isinstance(i, (Run, Footnote)) for b in doc.blocks for i in b.content)
    web = printing.report_document(demo_report, doc)
    assert [f["text"] for f in web["footnotes"]] == [n.text for n in notes]
    assert web["number_line"] == doc.header.number_line
