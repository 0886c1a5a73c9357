"""Units to and from files (CSV, XLSX, JSON): reading, writing and whole-file validation.

A file is a whole reorganisation (docs/history.md, "A reorganisation in one file"). Unit rows: `code`,
`name`, `kind` (kind code), `parent` (parent code, empty for a root), `valid_from` (the date from which
the row's name, kind and parent hold), `short_name` (optional), `dissolved_on` (the unit ends that day),
`successor` (with `dissolved_on`: merged into it), `split_into` (with `dissolved_on`: split into these new
units, codes separated by ";", each a new unit row of the file dated that day; the subordinate units go
to the part their row names as `parent`). Issuing body rows (`type` = "body"): `code`, `valid_from` and
either `predecessor` (the body it succeeds from that day, with the values that change: `name`, `unit`,
`citation_name`, `superior_line`, `own_line`, `board_line`, `place_name`, `code_suffix`,
`signer_authority`, `signer_title`, `signer_name`, `recipients` with lines separated by "|") or
`dissolved_on` (the body issues nothing from that day). The export writes the unit columns only.

`import_plan()` checks every row against the file and the database and returns either a list of
errors (each with its row) or a plan of changes; `units.services.units_import` applies a plan.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from core.formatting import format_date_short, parse_date
from core.spreadsheets import csv_field, csv_unescape, workbook_bytes
from units.models import IssuingBody, Unit, UnitKind, UnitVersion
from units.selectors import hierarchy_as_of

COLUMNS = ["code", "name", "kind", "parent", "valid_from", "short_name", "dissolved_on", "successor", "split_into"]
REQUIRED = ["code", "name", "kind", "parent", "valid_from"]
REQUIRED_WITH_TYPE = ["code", "valid_from"]  # a file with a `type` column may hold issuing body rows only
BODY_TYPES = ("body", "co-quan-ban-hanh")
BODY_COLUMNS = ["name", "citation_name", "superior_line", "own_line", "board_line", "place_name", "code_suffix",
                "signer_authority", "signer_title", "signer_name", "recipients"]
FORMATS = ("json", "csv", "xlsx")
CODE_RE = re.compile(r"^[-a-zA-Z0-9_]+$")


class ImportFileError(Exception):
    """The file cannot be read at all (format, encoding, columns)."""


# ----------------------------------------------------------------------------------------------
# export
# ----------------------------------------------------------------------------------------------


def export_rows(*, root: Unit | None = None, on: dt.date | None = None) -> list[dict[str, str]]:
    """The subtree of `root` (every unit when None) in hierarchy order, as plain rows (two queries).

    With `on`, the tree as it stood that day (`units.selectors.hierarchy_as_of`): each unit with the
    name, kind and parent it had then and the start of that period; units made later are left out,
    units dissolved later are in (with their `dissolved_on`). Empty when `root` did not exist then.
    """
    if on is not None:
        return _export_rows_as_of(root=root, on=on)
    units = Unit.objects.select_related("kind").order_by("path")
    if root is not None:
        units = units.filter(path__startswith=root.path)
    units = list(units)
    code_by_path = {u.path: u.code for u in units}
    missing = {u.parent_path for u in units if u.depth > 1} - set(code_by_path)
    if missing:  # the root's own parent
        code_by_path.update(Unit.objects.filter(path__in=missing).values_list("path", "code"))
    starts = _open_version_starts(units)
    successors = dict(Unit.objects.filter(pk__in={u.successor_id for u in units if u.successor_id})
                      .values_list("pk", "code"))
    parts = _split_parts([u.pk for u in units if u.dissolved_on])
    return [
        {
            "code": u.code,
            "name": u.name,
            "kind": u.kind.code,
            "parent": code_by_path.get(u.parent_path, "") if u.depth > 1 else "",
            "valid_from": starts.get(u.pk, u.valid_from).isoformat(),
            "short_name": u.short_name,
            "dissolved_on": u.dissolved_on.isoformat() if u.dissolved_on else "",
            "successor": successors.get(u.successor_id, ""),
            "split_into": parts.get(u.pk, ""),
        }
        for u in units
    ]


def _export_rows_as_of(*, root: Unit | None, on: dt.date) -> list[dict[str, str]]:
    tree = hierarchy_as_of(on=on)
    if root is not None:
        ids = [root.pk, *tree.descendant_ids(root.pk)] if tree.exists(root.pk) else []
    else:
        ids = sorted(tree.nodes, key=lambda pk: tree.order[pk])
    wanted = set(ids) | {tree.parent_id(pk) for pk in ids if tree.parent_id(pk)}
    units = Unit.objects.in_bulk(list(wanted))
    starts = dict(
        UnitVersion.objects.filter(unit_id__in=ids, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on)).values_list("unit_id", "valid_from")
    )
    successors = dict(Unit.objects.filter(pk__in={u.successor_id for u in units.values() if u.successor_id})
                      .values_list("pk", "code"))
    parts = _split_parts([pk for pk in ids if units[pk].dissolved_on])
    rows = []
    for pk in ids:
        node, unit = tree.nodes[pk], units[pk]
        parent = units.get(node.parent_id) if node.parent_id else None
        rows.append({
            "code": node.code, "name": node.name, "kind": node.kind_code,
            "parent": parent.code if parent else "",
            "valid_from": starts.get(pk, unit.valid_from).isoformat(),
            "short_name": node.short_name,
            "dissolved_on": unit.dissolved_on.isoformat() if unit.dissolved_on else "",
            "successor": successors.get(unit.successor_id, ""),
            "split_into": parts.get(pk, ""),
        })
    return rows


def _split_parts(ids: list[int]) -> dict[int, str]:
    """{unit id: "part-1;part-2"} for the split units among `ids` (`Unit.split_into`, one query)."""
    out: dict[int, list[str]] = {}
    for pk, code in Unit.split_into.through.objects.filter(from_unit_id__in=ids).order_by(
            "to_unit__path").values_list("from_unit_id", "to_unit__code"):
        out.setdefault(pk, []).append(code)
    return {pk: ";".join(codes) for pk, codes in out.items()}


def _open_version_starts(units: list[Unit]) -> dict[int, dt.date]:
    """When each unit's current period began (its last version's start)."""
    from django.db.models import Max

    ids = [u.pk for u in units]
    starts: dict[int, dt.date] = {}
    for chunk in range(0, len(ids), 900):
        starts.update(
            UnitVersion.objects.filter(unit_id__in=ids[chunk:chunk + 900])
            .values("unit_id").annotate(start=Max("valid_from")).values_list("unit_id", "start")
        )
    return starts


def render(rows: list[dict[str, str]], fmt: str) -> bytes:
    """The rows in the given format, as bytes (UTF-8 for the text formats)."""
    if fmt == "json":
        return (json.dumps(rows, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows({c: csv_field(v) for c, v in row.items()} for row in rows)
        return buffer.getvalue().encode("utf-8")
    if fmt == "xlsx":
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "don-vi"
        sheet.append(COLUMNS)
        for row in rows:
            sheet.append([row[c] for c in COLUMNS])
        for letter, width in zip("ABCDEFGHI", (34, 60, 20, 30, 12, 30, 12, 34, 40), strict=True):
            sheet.column_dimensions[letter].width = width
        return workbook_bytes(workbook)
    raise ValueError(fmt)


# ----------------------------------------------------------------------------------------------
# reading
# ----------------------------------------------------------------------------------------------


@dataclass
class Row:
    """One row of an import file, with the number shown in messages."""

    number: int
    data: dict[str, str]


def read_file(path: str | Path) -> tuple[str, list[Row]]:
    """The rows of a CSV, XLSX or JSON file (by its extension) and the word for "row" in messages."""
    path = Path(path)
    suffix = path.suffix.lower().lstrip(".")
    if not path.exists():
        raise ImportFileError(_("Không tìm thấy tệp %(path)s.") % {"path": path})
    if suffix in TEXT_FORMATS:
        return read_bytes(path.read_bytes(), path.name)
    if suffix == "xlsx":
        try:
            workbook = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a broken file
            raise ImportFileError(_("Tệp Excel không đọc được: %(error)s") % {"error": exc}) from exc
        sheet = workbook.worksheets[0]
        lines = sheet.iter_rows(values_only=True)
        header = [str(c).strip() if c is not None else "" for c in next(lines, ())]
        _check_columns(header)
        rows = []
        for n, values in enumerate(lines, start=2):
            if all(v is None or str(v).strip() == "" for v in values):
                continue
            rows.append(Row(n, _clean(dict(zip(header, values, strict=False)))))
        workbook.close()
        return _("dòng"), rows
    raise ImportFileError(_("Chỉ nhận tệp .csv, .xlsx hoặc .json (tệp đã cho: %(name)s).") % {"name": path.name})


TEXT_FORMATS = ("csv", "json")


def read_bytes(data: bytes, name: str) -> tuple[str, list[Row]]:
    """The rows of a CSV or JSON file given as bytes (an upload), by the extension of `name`."""
    suffix = Path(name).suffix.lower().lstrip(".")
    if suffix not in TEXT_FORMATS:
        raise ImportFileError(_("Chỉ nhận tệp .csv hoặc .json (tệp đã cho: %(name)s).") % {"name": Path(name).name})
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(_("Tệp phải mã hóa UTF-8.")) from exc
    if suffix == "json":
        try:
            items = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ImportFileError(_("Tệp JSON không đọc được: %(error)s") % {"error": exc}) from exc
        if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
            raise ImportFileError(_("Tệp JSON phải là một danh sách các đối tượng (mỗi đơn vị một đối tượng)."))
        return _("mục"), [Row(n, _clean(item)) for n, item in enumerate(items, start=1)]
    reader = csv.DictReader(io.StringIO(text))
    _check_columns(reader.fieldnames or [])
    return _("dòng"), [Row(n, _clean({k: csv_unescape(v) for k, v in item.items()}))
                       for n, item in enumerate(reader, start=2)]


def _check_columns(header: list[str]) -> None:
    missing = [c for c in (REQUIRED_WITH_TYPE if "type" in header else REQUIRED) if c not in header]
    if missing:
        raise ImportFileError(_("Tệp thiếu cột: %(cols)s.") % {"cols": ", ".join(missing)})


def _clean(item: dict) -> dict[str, str]:
    cleaned = {}
    for key, value in item.items():
        if key is None:
            continue
        if isinstance(value, dt.datetime):
            value = value.date().isoformat()
        elif isinstance(value, dt.date):
            value = value.isoformat()
        cleaned[str(key).strip()] = "" if value is None else str(value).strip()
    return cleaned


def _cell_date(text: str) -> dt.date | None:
    """`core.formatting.parse_date` for an import cell: None when empty or not a date (the caller says which)."""
    try:
        return parse_date(text)
    except ValueError:
        return None


# ----------------------------------------------------------------------------------------------
# validation
# ----------------------------------------------------------------------------------------------


@dataclass
class RowPlan:
    """What one valid row will do."""

    number: int
    code: str
    name: str
    short_name: str | None  # None: the file has no short_name column (keep the unit's)
    kind: UnitKind
    parent_code: str
    valid_from: dt.date
    dissolved_on: dt.date | None = None
    has_dissolved: bool = False  # whether the file says anything about dissolution
    unit: Unit | None = None  # existing unit, None for a new one
    rename: bool = False
    move: bool = False
    successor_code: str = ""
    dissolve: bool = False  # an active unit the file dissolves on `dissolved_on` (with `successor_code`)
    split_codes: list[str] = field(default_factory=list)  # the new units it is split into on `dissolved_on`
    children: dict[str, str] = field(default_factory=dict)  # split: subordinate unit code -> part code
    parts: list[RowPlan] = field(default_factory=list)  # split: the rows of the new units


@dataclass
class BodyRowPlan:
    """What one issuing body row will do: a new period after `predecessor_code`, or the end of `code`."""

    number: int
    code: str
    on: dt.date
    predecessor_code: str = ""  # succeed: the open row it follows
    unit_code: str = ""  # succeed: the body's unit from `on` (empty: the predecessor's)
    changes: dict[str, str] = field(default_factory=dict)
    end: bool = False


@dataclass
class ImportPlan:
    """The changes a valid file will make (nothing is saved while planning)."""

    creates: list[RowPlan] = field(default_factory=list)
    renames: list[RowPlan] = field(default_factory=list)
    moves: list[RowPlan] = field(default_factory=list)
    dissolves: list[RowPlan] = field(default_factory=list)
    splits: list[RowPlan] = field(default_factory=list)
    bodies: list[BodyRowPlan] = field(default_factory=list)
    unchanged: int = 0
    word: str = "dòng"  # how messages name a row ("dòng", "mục")

    @property
    def change_count(self) -> int:
        return (len(self.creates) + len(self.renames) + len(self.moves) + len(self.dissolves) + len(self.splits)
                + len(self.bodies))

    def where(self, *numbers: int) -> str:
        """"Dòng 3" / "Dòng 3, 5": the start of a message about these rows."""
        return _("%(word)s %(n)s") % {"word": self.word.capitalize(), "n": ", ".join(str(n) for n in numbers)}

    def describe(self) -> list[str]:
        """One line per change, in the file's order, each with its row (for the dry run)."""
        lines: list[tuple[int, str]] = []

        def add(number: int, text: str) -> None:
            lines.append((number, f"{self.where(number)}: {text}"))

        for p in self.creates:
            add(p.number, _("Thành lập %(code)s “%(name)s” dưới %(parent)s từ %(date)s")
                % {"code": p.code, "name": p.name, "parent": p.parent_code or "—",
                   "date": format_date_short(p.valid_from)})
        for p in self.renames:
            add(p.number, _("Đổi tên, loại %(code)s: “%(old)s” → “%(name)s” (%(kind)s) từ %(date)s")
                % {"code": p.code, "old": p.unit.name, "name": p.name, "kind": p.kind.name,
                   "date": format_date_short(p.valid_from)})
        for p in self.moves:
            add(p.number, _("Chuyển %(code)s về %(parent)s từ %(date)s")
                % {"code": p.code, "parent": p.parent_code, "date": format_date_short(p.valid_from)})
        for p in self.splits:
            add(p.number, _("Chia tách %(code)s từ %(date)s thành: %(parts)s%(children)s")
                % {"code": p.code, "date": format_date_short(p.dissolved_on),
                   "parts": ", ".join(f"{part.code} “{part.name}”" for part in p.parts),
                   "children": (_("; đơn vị trực thuộc chuyển về: %(moves)s") % {"moves": ", ".join(
                       f"{child} → {part}" for child, part in p.children.items())}) if p.children else ""})
        for p in self.dissolves:
            add(p.number, _("Giải thể %(code)s từ %(date)s%(successor)s")
                % {"code": p.code, "date": format_date_short(p.dissolved_on),
                   "successor": (_(", kế thừa: %(s)s") % {"s": p.successor_code}) if p.successor_code else ""})
        for b in self.bodies:
            if b.end:
                add(b.number, _("Cơ quan ban hành %(code)s thôi ban hành văn bản từ %(date)s")
                    % {"code": b.code, "date": format_date_short(b.on)})
                continue
            changed = ", ".join(f"{IssuingBody._meta.get_field(k).verbose_name}: “{v.replace(chr(10), ' | ')}”"
                                for k, v in b.changes.items()) or _("giữ nguyên các giá trị")
            add(b.number, _("Cơ quan ban hành %(old)s → %(code)s từ %(date)s%(unit)s (%(changed)s); văn bản đã ban "
                            "hành giữ tên và số cũ")
                % {"old": b.predecessor_code, "code": b.code, "date": format_date_short(b.on),
                   "unit": (_(", thuộc %(u)s") % {"u": b.unit_code}) if b.unit_code else "", "changed": changed})
        return [text for _number, text in sorted(lines, key=lambda line: line[0])]


def import_plan(rows: list[Row], *, word: str = "dòng", user=None) -> tuple[ImportPlan | None, list[str]]:
    """Check the whole file; return (plan, []) when every row is right, else (None, errors)."""
    errors: list[str] = []

    def error(row: Row, message: str) -> None:
        errors.append(_("%(word)s %(n)s: %(message)s") % {"word": word.capitalize(), "n": row.number,
                                                          "message": message})

    kinds = {k.code: k for k in UnitKind.objects.all()}
    kinds_by_name = {k.name.casefold(): k for k in kinds.values()}
    existing = {u.code: u for u in Unit.objects.select_related("kind").order_by("path")}
    path_code = {u.path: code for code, u in existing.items()}
    current_parent = {code: path_code.get(u.parent_path, "") for code, u in existing.items()}
    starts = _open_version_starts(list(existing.values()))
    allowed = None
    if user is not None and not user.is_superuser:
        allowed = set(Unit.objects.restrict(user, "admin").values_list("code", flat=True))
    today = timezone.localdate()

    seen: dict[str, int] = {}
    parsed: list[RowPlan] = []
    body_rows: list[Row] = []
    for row in rows:
        data = row.data
        row_type = data.get("type", "").strip().casefold()
        if row_type in BODY_TYPES:
            body_rows.append(row)
            continue
        if row_type not in ("", "unit", "don-vi"):
            error(row, _("loại dòng (type) “%(type)s” không có: để trống hoặc “unit” cho đơn vị, “body” cho cơ quan "
                         "ban hành.") % {"type": data.get("type", "")})
            continue
        ok = True
        code = data.get("code", "")
        name = data.get("name", "")
        if not code:
            error(row, _("thiếu mã đơn vị (code)."))
            ok = False
        elif not CODE_RE.match(code):
            error(row, _("mã “%(code)s” chỉ được gồm chữ không dấu, số, gạch ngang.") % {"code": code})
            ok = False
        elif code in seen:
            error(row, _("mã “%(code)s” trùng với %(word)s %(n)s.") % {"code": code, "word": word, "n": seen[code]})
            ok = False
        else:
            seen[code] = row.number
        if not name:
            error(row, _("thiếu tên đơn vị (name)."))
            ok = False
        kind_text = data.get("kind", "")
        kind = kinds.get(kind_text) or kinds_by_name.get(kind_text.casefold())
        if kind is None:
            error(row, _("loại đơn vị “%(kind)s” không có (các mã hợp lệ: %(codes)s).")
                  % {"kind": kind_text, "codes": ", ".join(sorted(kinds))})
            ok = False
        valid_from = _cell_date(data.get("valid_from", ""))
        if valid_from is None:
            error(row, _("ngày hiệu lực “%(value)s” không hợp lệ (viết 2023-10-30 hoặc 30/10/2023).")
                  % {"value": data.get("valid_from", "")})
            ok = False
        elif valid_from > today:
            error(row, _("ngày hiệu lực %(date)s ở tương lai.") % {"date": format_date_short(valid_from)})
            ok = False
        dissolved_text = data.get("dissolved_on", "")
        if dissolved_text and _cell_date(dissolved_text) is None:
            error(row, _("ngày giải thể “%(value)s” không hợp lệ.") % {"value": dissolved_text})
            ok = False
        if ok:
            parsed.append(RowPlan(row.number, code, name, data.get("short_name"), kind, data.get("parent", ""),
                                  valid_from, dissolved_on=_cell_date(dissolved_text) if dissolved_text else None,
                                  has_dissolved="dissolved_on" in data, unit=existing.get(code),
                                  successor_code=data.get("successor", "") or "",
                                  split_codes=[c.strip() for c in re.split(r"[;,]", data.get("split_into", "") or "")
                                               if c.strip()]))

    file_codes = {p.code for p in parsed} | set(seen)
    final_parent = dict(current_parent)
    for p in parsed:
        final_parent[p.code] = p.parent_code
    plan = ImportPlan()
    for p in parsed:
        row = Row(p.number, {})
        if p.parent_code and p.parent_code not in existing and p.parent_code not in file_codes:
            error(row, _("đơn vị cấp trên “%(parent)s” không có trong tệp cũng như trong hệ thống.")
                  % {"parent": p.parent_code})
            continue
        if p.parent_code and existing.get(p.parent_code) is not None and existing[p.parent_code].dissolved_on \
                and p.parent_code != current_parent.get(p.code):
            error(row, _("đơn vị cấp trên “%(parent)s” đã giải thể.") % {"parent": p.parent_code})
            continue
        if _has_cycle(p.code, final_parent):
            error(row, _("đơn vị “%(code)s” nằm dưới chính nó (vòng lặp cấp trên).") % {"code": p.code})
            continue
        if allowed is not None:
            outside = [c for c in (p.code, p.parent_code) if c and c in existing and c not in allowed]
            if outside or (p.unit is None and not p.parent_code):
                error(row, _("ngoài phạm vi đơn vị bạn được quản trị."))
                continue
        unit = p.unit
        if unit is None:
            if p.dissolved_on or p.split_codes:
                error(row, _("không thể tạo đơn vị đã giải thể; hãy bỏ cột dissolved_on hoặc bỏ dòng này."))
                continue
            plan.creates.append(p)
            continue
        if p.short_name is None:
            p.short_name = unit.short_name
        p.rename = (p.name, p.short_name, p.kind.pk) != (unit.name, unit.short_name, unit.kind_id)
        p.move = p.parent_code != current_parent[p.code]
        if p.has_dissolved and p.dissolved_on != unit.dissolved_on:
            if unit.dissolved_on is not None or p.dissolved_on is None:
                error(row, _("ngày giải thể khác với hệ thống (%(date)s); đơn vị đã giải thể không thể đổi ngày.")
                      % {"date": format_date_short(unit.dissolved_on) if unit.dissolved_on else "—"})
                continue
            if p.dissolved_on > today:
                error(row, _("ngày giải thể %(date)s ở tương lai.") % {"date": format_date_short(p.dissolved_on)})
                continue
            if p.successor_code and p.successor_code not in existing and p.successor_code not in file_codes:
                error(row, _("đơn vị kế thừa “%(code)s” không có trong tệp cũng như trong hệ thống.")
                      % {"code": p.successor_code})
                continue
            if p.split_codes and p.successor_code:
                error(row, _("một đơn vị chia tách (split_into) không có một đơn vị kế thừa (successor) duy nhất: "
                             "hãy bỏ một trong hai cột."))
                continue
            p.dissolve = not p.split_codes
        elif p.split_codes and not (p.has_dissolved and unit.dissolved_on and p.dissolved_on == unit.dissolved_on):
            error(row, _("chia tách (split_into) cần ngày chia tách ở cột dissolved_on."))
            continue
        if p.split_codes and unit.dissolved_on is None:
            p.dissolve = False
            plan.splits.append(p)
        if unit.dissolved_on and (p.rename or p.move):
            error(row, _("đơn vị “%(code)s” đã giải thể, không thể đổi tên hay chuyển.") % {"code": p.code})
            continue
        start = starts.get(unit.pk, unit.valid_from)
        if (p.rename or p.move) and p.valid_from < start:
            error(row, _("ngày hiệu lực %(date)s trước lần thay đổi gần nhất của đơn vị (%(start)s).")
                  % {"date": format_date_short(p.valid_from), "start": format_date_short(start)})
            continue
        if p.move and not p.parent_code:
            error(row, _("không thể đưa một đơn vị đang có cấp trên thành đơn vị gốc."))
            continue
        if p.rename:
            plan.renames.append(p)
        if p.move:
            plan.moves.append(p)
        if p.dissolve:
            plan.dissolves.append(p)
        if not (p.rename or p.move or p.dissolve or p in plan.splits):
            plan.unchanged += 1
    _plan_splits(plan, parsed, current_parent, error)
    _plan_bodies(plan, body_rows, error, unit_codes=set(existing) | file_codes, allowed=allowed, today=today)
    plan.word = word
    errors.sort(key=_row_number)
    return (None, errors) if errors else (plan, [])


def _plan_splits(plan: ImportPlan, parsed: list[RowPlan], current_parent: dict[str, str], error) -> None:
    """Check each split row against the rows of its parts and of its subordinate units: the parts are new
    units of the file dated the split day under one parent (the split makes them); a subordinate unit whose
    row puts it under a part is moved by the split (its row must carry the split day)."""
    by_code = {p.code: p for p in parsed}
    claimed: dict[str, int] = {}
    for p in plan.splits:
        row = Row(p.number, {})
        parts = [by_code.get(code) for code in p.split_codes]
        if len(p.split_codes) < 2 or len(set(p.split_codes)) != len(p.split_codes):
            error(row, _("chia tách cần ít nhất hai đơn vị mới khác nhau (split_into)."))
            continue
        wrong = [code for code, part in zip(p.split_codes, parts, strict=True)
                 if part is None or part.unit is not None or part not in plan.creates]
        if wrong:
            error(row, _("đơn vị mới %(codes)s của cuộc chia tách phải là dòng đơn vị mới trong tệp.")
                  % {"codes": ", ".join(wrong)})
            continue
        taken = [code for code in p.split_codes if code in claimed]
        if taken:
            error(row, _("đơn vị mới %(codes)s đã thuộc cuộc chia tách ở %(word)s %(n)s.")
                  % {"codes": ", ".join(taken), "word": plan.word, "n": claimed[taken[0]]})
            continue
        late = [part.code for part in parts if part.valid_from != p.dissolved_on]
        if late:
            error(row, _("đơn vị mới %(codes)s phải có ngày hiệu lực (valid_from) là ngày chia tách %(date)s.")
                  % {"codes": ", ".join(late), "date": format_date_short(p.dissolved_on)})
            continue
        if len({part.parent_code for part in parts}) != 1 or parts[0].parent_code in p.split_codes:
            error(row, _("các đơn vị mới của một cuộc chia tách phải cùng một cấp trên (cột parent)."))
            continue
        for code in p.split_codes:
            claimed[code] = p.number
        for child in parsed:
            moved_by_split = current_parent.get(child.code) == p.code and child.parent_code in p.split_codes
            if child.unit is not None and moved_by_split:
                if child.valid_from != p.dissolved_on:
                    error(Row(child.number, {}), _("đơn vị chuyển về đơn vị mới khi chia tách %(code)s phải có ngày "
                                                   "hiệu lực là ngày chia tách %(date)s.")
                          % {"code": p.code, "date": format_date_short(p.dissolved_on)})
                    continue
                p.children[child.code] = child.parent_code
                if child in plan.moves:
                    plan.moves.remove(child)
        for part in parts:
            plan.creates.remove(part)
        p.parts = parts


def _plan_bodies(plan: ImportPlan, rows: list[Row], error, *, unit_codes: set[str], allowed, today) -> None:
    """Issuing body rows: a new period of an open body (`units.services.issuing_body_succeed`) or its end."""
    bodies = {b.code: b for b in IssuingBody.objects.select_related("unit")}
    seen: dict[str, int] = {}
    for row in rows:
        data = row.data
        code, predecessor = data.get("code", ""), data.get("predecessor", "")
        on = _cell_date(data.get("valid_from", ""))
        end = _cell_date(data.get("dissolved_on", "")) if data.get("dissolved_on") else None
        if not code or not CODE_RE.match(code):
            error(row, _("mã cơ quan ban hành “%(code)s” thiếu hoặc không hợp lệ (chữ không dấu, số, gạch ngang).")
                  % {"code": code})
            continue
        if code in seen:
            error(row, _("mã cơ quan ban hành “%(code)s” trùng với %(word)s %(n)s.")
                  % {"code": code, "word": plan.word, "n": seen[code]})
            continue
        seen[code] = row.number
        if predecessor:
            if on is None:
                error(row, _("ngày hiệu lực “%(value)s” không hợp lệ (viết 2025-07-01 hoặc 01/07/2025).")
                      % {"value": data.get("valid_from", "")})
                continue
            if on > today:
                error(row, _("ngày hiệu lực %(date)s ở tương lai.") % {"date": format_date_short(on)})
                continue
            if code in bodies:
                error(row, _("mã cơ quan ban hành “%(code)s” đã có: giai đoạn mới cần một mã mới.") % {"code": code})
                continue
            old = bodies.get(predecessor)
            if old is None and predecessor not in seen:
                error(row, _("cơ quan ban hành “%(code)s” (predecessor) không có trong hệ thống cũng như ở các dòng "
                             "trên.") % {"code": predecessor})
                continue
            unit_code = data.get("unit", "")
            if unit_code and unit_code not in unit_codes:
                error(row, _("đơn vị “%(code)s” (unit) không có trong tệp cũng như trong hệ thống.")
                      % {"code": unit_code})
                continue
            owners = {old.unit.code if old is not None else "", unit_code} - {""}
            if allowed is not None and owners - allowed:
                error(row, _("ngoài phạm vi đơn vị bạn được quản trị."))
                continue
            changes = {k: data[k] for k in BODY_COLUMNS if data.get(k)}
            if "recipients" in changes:
                changes["recipients"] = "\n".join(line.strip() for line in re.split(r"[|\n]", changes["recipients"])
                                                  if line.strip())
            plan.bodies.append(BodyRowPlan(row.number, code, on, predecessor_code=predecessor, unit_code=unit_code,
                                           changes=changes))
            continue
        if end is None:
            error(row, _("dòng cơ quan ban hành cần cột predecessor (giai đoạn mới từ valid_from) hoặc dissolved_on "
                         "(thôi ban hành từ ngày đó)."))
            continue
        if code not in bodies:
            error(row, _("không có cơ quan ban hành “%(code)s”.") % {"code": code})
            continue
        if end > today:
            error(row, _("ngày kết thúc %(date)s ở tương lai.") % {"date": format_date_short(end)})
            continue
        if allowed is not None and bodies[code].unit.code not in allowed:
            error(row, _("ngoài phạm vi đơn vị bạn được quản trị."))
            continue
        if bodies[code].valid_to == end:
            plan.unchanged += 1
            continue
        plan.bodies.append(BodyRowPlan(row.number, code, end, end=True))


def _row_number(message: str) -> int:
    match = re.search(r"(\d+)", message)
    return int(match.group(1)) if match else 0


def _has_cycle(code: str, parents: dict[str, str]) -> bool:
    seen = set()
    current = parents.get(code, "")
    while current:
        if current == code or current in seen:
            return True
        seen.add(current)
        current = parents.get(current, "")
    return False
