"""A workbook opened and saved again by LibreOffice Calc (as an officer would) still imports with no change."""
from __future__ import annotations

import shutil
import subprocess

import pytest

from reports.workbooks.export import build_unit_workbook
from reports.workbooks.services import workbook_import

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")]


def test_a_workbook_saved_again_by_libreoffice_changes_nothing(rich, user, tmp_path):
    source = tmp_path / "tam-duong.xlsx"
    source.write_bytes(build_unit_workbook(plan=rich.plan, unit=rich.unit))
    out = tmp_path / "resaved"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to",
                    "xlsx", "--outdir", str(out), str(source)], check=True, capture_output=True, timeout=180)
    resaved = (out / "tam-duong.xlsx").read_bytes()
    assert resaved != source.read_bytes()
    analysis = workbook_import(data=resaved, filename="tam-duong.xlsx", user=user("lai-chau.reviewer"), dry_run=True)
    assert analysis.errors == []
    assert analysis.changed_count == 0, [(c.indicator, c.old, c.new) for c in analysis.changes]
