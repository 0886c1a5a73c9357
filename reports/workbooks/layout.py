"""The shape of the workbooks: sheet names, rows, columns and the identity block, shared by export and import.

Unit workbook (one unit, one plan)::

    "Hướng dẫn"         instructions (locked)
    one sheet per collected section, e.g. "Hội nghị":
        row 1  section title, row 2 unit and plan
        row 4  header: Mã chỉ tiêu | Chỉ tiêu | Giá trị | Đơn vị tính | Tỷ lệ (%)
        row 5… one row per number/text indicator; column A holds the stable indicator code,
               column C the value (the only unlocked cell of the row)
        then, per list indicator: a marker row (A = indicator code), a header row (STT + field
        labels) and one row per item (all unlocked), with spare empty rows
    "_meta"             hidden: format, format version, kind, plan reference, unit code, versions

District workbook (many units, one plan): one sheet per section that has number indicators,
row 2 labels, row 3 indicator codes, one row per unit from row 4 (A = unit code).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from reports.plans.catalogue import CHOICES, ROW_FIELDS
from reports.plans.models import Indicator, Plan, Section

FORMAT_ID = "bao-cao-tuyen-giao/workbook"
FORMAT_VERSION = 1
KIND_UNIT = "unit"
KIND_DISTRICT = "district"

META_SHEET = "_meta"
INSTRUCTIONS_SHEET = "Hướng dẫn"
# Keys of the _meta sheet (column A), values in column B, from row 1.
META_KEYS = ["format", "format_version", "kind", "plan", "unit", "submission_version", "exported_at", "exported_by"]
# In a district workbook: from this row on, column A unit code, column B its submission version.
META_VERSIONS_ROW = 20
# Defined names pointing at the _meta cells (the identity is readable without opening _meta).
DEFINED_NAMES = {
    "BTG_FORMAT_VERSION": "format_version",
    "BTG_KIND": "kind",
    "BTG_PLAN": "plan",
    "BTG_UNIT": "unit",
    "BTG_SUBMISSION_VERSION": "submission_version",
}

# Short, stable sheet names per section (Excel allows at most 31 characters).
SHEET_NAMES = {
    "conference": "Hội nghị",
    "people": "Số người học tập",
    "propaganda": "Tuyên truyền",
    "personal_plan": "Làm theo, nêu gương",
    "inspection": "Kiểm tra, khen thưởng",
    "documents": "Văn bản đã ban hành",
    "narrative": "Đánh giá, kiến nghị",
}

# Unit workbook section sheets.
HEADER_ROW = 4
COL_CODE, COL_LABEL, COL_VALUE, COL_UNIT, COL_RATE = 1, 2, 3, 4, 5
SPARE_ROWS = 30  # empty editable rows below each list

# District workbook sheets.
D_LABEL_ROW, D_CODE_ROW, D_FIRST_ROW = 2, 3, 4
D_COL_UNIT, D_COL_NAME, D_COL_STATUS, D_FIRST_VALUE_COL = 1, 2, 3, 4



def sheet_name_for(section: Section) -> str:
    name = SHEET_NAMES.get(section.code) or re.sub(r"[\[\]:*?/\\]", " ", section.title)
    return name[:31]


@dataclass
class RowField:
    """One column of a list table: the row dict key, its Vietnamese label and its type."""

    name: str
    label: str
    kind: str  # date, text, int, choice:<name>

    @property
    def choices(self) -> list[tuple[str, str]]:
        return CHOICES[self.kind.split(":", 1)[1]] if self.kind.startswith("choice:") else []


@dataclass
class SheetSpec:
    """One section sheet: its name, the section, its scalar indicators and its list indicators."""

    name: str
    section: Section
    scalars: list[Indicator] = field(default_factory=list)
    lists: list[Indicator] = field(default_factory=list)

    @property
    def numbers(self) -> list[Indicator]:
        return [i for i in self.scalars if i.is_number]


def row_fields(indicator_code: str) -> list[RowField]:
    return [RowField(name, label, kind) for name, label, kind in ROW_FIELDS.get(indicator_code, [])]


def plan_sheets(plan: Plan) -> list[SheetSpec]:
    """The section sheets of a plan's unit workbook, in section order (two queries)."""
    sections = list(plan.sections.order_by("order", "code"))
    by_section: dict[int, SheetSpec] = {s.pk: SheetSpec(name=sheet_name_for(s), section=s) for s in sections}
    indicators = Indicator.objects.filter(section__in=sections).select_related("denominator").order_by(
        "section__order", "order", "code")
    for indicator in indicators:
        spec = by_section[indicator.section_id]
        (spec.lists if indicator.kind == Indicator.Kind.ROWS else spec.scalars).append(indicator)
    return [by_section[s.pk] for s in sections]


def district_sheets(plan: Plan) -> list[SheetSpec]:
    """The sheets of a district workbook: the sections with number indicators, numbers only."""
    specs = []
    for spec in plan_sheets(plan):
        if spec.numbers:
            specs.append(SheetSpec(name=spec.name, section=spec.section, scalars=spec.numbers))
    return specs


INSTRUCTIONS = [
    _("Cách điền tệp Excel báo cáo"),
    "",
    _("1. Mỗi trang tính là một mục của báo cáo. Chỉ nhập vào các ô trắng (ô có thể sửa); "
      "các ô mã, tên chỉ tiêu và tiêu đề đã được khóa."),
    _("2. Ô số: chỉ nhập số nguyên không âm (0, 1, 2 …), không nhập chữ, không dùng công thức."),
    _("3. Để trống nghĩa là chưa có số liệu; nhập 0 nghĩa là số liệu bằng không. Hai trường hợp này khác nhau."),
    _("4. Số người đã học tập (tử số) không được lớn hơn số người phải học tập (mẫu số)."),
    _("5. Danh sách (hội nghị, văn bản, mô hình): mỗi dòng một mục; ngày nhập theo dạng ngày/tháng/năm; "
      "Cấp và Hình thức chọn trong danh sách thả xuống. Dòng để trống được bỏ qua."),
    _("6. Không đổi tên, không xóa trang tính, không gộp ô, không thêm hoặc xóa cột."),
    _("7. Trang ẩn “_meta” ghi kế hoạch, đơn vị và phiên bản của tệp: không sửa. "
      "Tệp chỉ nhập được cho đúng đơn vị và kế hoạch này."),
    _("8. Khi tải lên, hệ thống kiểm tra toàn bộ tệp trước: nếu có lỗi, không có số liệu nào được lưu và "
      "mọi lỗi được liệt kê theo trang tính, ô và đơn vị; nếu không có lỗi, hệ thống hiển thị các thay đổi "
      "để bạn xác nhận."),
    _("9. Báo cáo đã được tiếp nhận thì đã khóa: muốn sửa, đề nghị cấp trên mở lại."),
]

DISTRICT_INSTRUCTIONS = [
    _("Cách điền tệp Excel tổng hợp nhiều đơn vị"),
    "",
    _("1. Mỗi trang tính là một mục có số liệu; mỗi dòng là một đơn vị (cột A là mã đơn vị, không sửa)."),
    _("2. Dòng 3 ghi mã chỉ tiêu của từng cột: không sửa, không thêm hoặc xóa cột."),
    _("3. Ô số: chỉ nhập số nguyên không âm, không nhập chữ, không dùng công thức. "
      "Để trống là chưa có số liệu; 0 là bằng không."),
    _("4. Tử số không được lớn hơn mẫu số (ví dụ số đảng viên đã học tập và số đảng viên phải học tập)."),
    _("5. Đơn vị có báo cáo đã gửi hoặc đã tiếp nhận thì không sửa được số liệu qua tệp này."),
    _("6. Khi tải lên, toàn bộ tệp được kiểm tra trước; có lỗi thì không lưu gì và mọi lỗi được liệt kê."),
]
