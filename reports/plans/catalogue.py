"""The catalogue of sections and indicators, kept as data in fixtures/catalogue.json.

Loaded by a data migration and by `seed_demo`; loading again updates labels and rules in place
(matched by the stable codes), so the admin's later edits are only overwritten on purpose.
"""
from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings

CATALOGUE_FILE = Path(settings.BASE_DIR) / "fixtures" / "catalogue.json"

# Row fields of each list indicator (the form, the workbook and the report all read these).
ROW_FIELDS: dict[str, list[tuple[str, str, str]]] = {
    # code: [(field, Vietnamese label, type)] ; type in date, text, int, choice:<name>
    "conference.rows": [
        ("date", "Ngày", "date"),
        ("title", "Tên hội nghị", "text"),
        ("level", "Cấp", "choice:level"),
        ("format", "Hình thức", "choice:format"),
        ("points", "Số điểm cầu", "int"),
        ("presenters", "Báo cáo viên", "text"),
        ("documents", "Văn bản được quán triệt", "text"),
        ("attendance", "Số người dự", "int"),
    ],
    "documents.rows": [
        ("number", "Số, ký hiệu", "text"),
        ("date", "Ngày", "date"),
        ("title", "Trích yếu", "text"),
    ],
    "model.rows": [
        ("name", "Tên mô hình", "text"),
        ("description", "Mô tả", "text"),
    ],
}
CHOICES: dict[str, list[tuple[str, str]]] = {
    "level": [("own", "Đơn vị tổ chức"), ("connected", "Kết nối hội nghị cấp trên")],
    "format": [("in_person", "Trực tiếp"), ("online", "Trực tuyến"), ("hybrid", "Trực tiếp kết hợp trực tuyến")],
}


def catalogue_load(apps=None) -> tuple[int, int]:
    """Create or update every section and indicator from the fixture; returns (sections, indicators)."""
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    Section = apps.get_model("plans", "Section")
    Indicator = apps.get_model("plans", "Indicator")
    data = json.loads(CATALOGUE_FILE.read_text(encoding="utf-8"))
    sections = {}
    for item in data["sections"]:
        defaults = {k: v for k, v in item.items() if k != "code"}
        section, _ = Section.objects.update_or_create(code=item["code"], defaults=defaults)
        sections[section.code] = section
    by_code = {}
    for item in data["indicators"]:
        fields = {k: v for k, v in item.items() if k not in ("code", "section", "denominator")}
        fields["section"] = sections[item["section"]]
        fields["denominator"] = by_code.get(item["denominator"]) if item["denominator"] else None
        indicator, _ = Indicator.objects.update_or_create(code=item["code"], defaults=fields)
        by_code[indicator.code] = indicator
    return len(sections), len(by_code)
