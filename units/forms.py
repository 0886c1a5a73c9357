"""Forms of the hierarchy pages and the admin: they only validate input."""
from __future__ import annotations

from django import forms
from django.contrib.auth.forms import PasswordChangeForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.dates import VnDateField
from core.login_throttle import password_recheck
from units.models import UnitKind
from units.services import NewUnit


class AsOfForm(forms.Form):
    """The "as of date" selector of the hierarchy page (`?ngay=2023-10-30`)."""

    ngay = VnDateField(label=_("Xem cây đơn vị tại ngày"), required=False)

    q = forms.CharField(label=_("Tìm theo tên hoặc mã"), required=False, max_length=100)

    def clean_ngay(self):
        value = self.cleaned_data["ngay"]
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("Chỉ xem được cây đơn vị đến hôm nay."))
        return value


class ReorganiseForm(forms.Form):
    """Merge the selected units into one, or dissolve them, from an effective date (admin actions)."""

    effective = VnDateField(label=_("Ngày hiệu lực"))
    target = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Đơn vị tiếp nhận (có sẵn)"),
        help_text=_("Bỏ trống để thành lập đơn vị mới bên dưới."),
    )
    new_code = forms.SlugField(label=_("Mã đơn vị mới"), required=False)
    new_name = forms.CharField(label=_("Tên đơn vị mới"), required=False, max_length=255)
    new_short_name = forms.CharField(label=_("Tên gọi trong văn bản"), required=False, max_length=255)
    new_kind = forms.ModelChoiceField(queryset=None, required=False, label=_("Loại đơn vị mới"))
    new_parent = forms.ModelChoiceField(queryset=None, required=False, label=_("Cấp trên của đơn vị mới"))
    note = forms.CharField(label=_("Căn cứ, ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    keep_activity = forms.BooleanField(
        label=_("Vẫn áp dụng dù trước hoạt động đã có: giữ các văn bản, báo cáo đã có với đơn vị của chúng"),
        required=False,
        help_text=_("Chỉ chọn khi đã xem danh sách các mục bị ảnh hưởng (hiện khi ngày hiệu lực trước các hoạt "
                    "động này)."),
    )

    def __init__(self, *args, units_in_scope=None, mode: str = "merge", **kwargs):
        super().__init__(*args, **kwargs)
        self.mode = mode
        active = units_in_scope.filter(dissolved_on__isnull=True).order_by("path")
        self.fields["target"].queryset = active
        self.fields["new_parent"].queryset = active
        self.fields["new_kind"].queryset = UnitKind.objects.all()
        self.fields["effective"].initial = timezone.localdate()
        if mode == "dissolve":
            self.fields["target"].label = _("Đơn vị kế thừa, nhận các đơn vị trực thuộc (nếu có)")
            self.fields["target"].help_text = ""
            for name in ("new_code", "new_name", "new_short_name", "new_kind", "new_parent"):
                del self.fields[name]

    def clean(self):
        data = super().clean()
        on = data.get("effective")
        if on and on > timezone.localdate():
            self.add_error("effective", _("Ngày hiệu lực ở tương lai: chỉ ghi thay đổi đã có hiệu lực."))
        if self.mode == "merge" and not data.get("target"):
            for name in ("new_code", "new_name", "new_kind"):
                if not data.get(name):
                    self.add_error(name, _("Cần khi thành lập đơn vị mới."))
        if self.mode == "merge" and data.get("target") and data.get("new_code"):
            self.add_error("new_code", _("Chọn đơn vị có sẵn hoặc khai báo đơn vị mới, không cả hai."))
        return data


class SplitForm(forms.Form):
    """Split one unit into new units from an effective date (admin action).

    The new units are a fixed number of rows (`PARTS`); an empty row (no code, name or short name)
    is ignored. Each active direct subordinate of the source has a select of the row it goes to.
    The service (`units.services.unit_split`) checks the rest: at least two parts, codes free.
    """

    PARTS = 4
    PART_FIELDS = ("code", "name", "short_name", "kind")

    effective = VnDateField(label=_("Ngày hiệu lực"))
    parent = forms.ModelChoiceField(queryset=None, label=_("Cấp trên của các đơn vị mới"))
    note = forms.CharField(label=_("Căn cứ, ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    keep_activity = forms.BooleanField(
        label=_("Vẫn áp dụng dù trước hoạt động đã có: giữ các văn bản, báo cáo đã có với đơn vị của chúng"),
        required=False,
        help_text=_("Chỉ chọn khi đã xem danh sách các mục bị ảnh hưởng (hiện khi ngày hiệu lực trước các hoạt "
                    "động này)."),
    )


    def __init__(self, *args, source, units_in_scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.source = source
        self.fields["effective"].initial = timezone.localdate()
        parents = (units_in_scope.filter(dissolved_on__isnull=True).exclude(path__startswith=source.path)
                   .order_by("path"))
        self.fields["parent"].queryset = parents
        current_parent = source.get_parent()
        if current_parent is not None and parents.filter(pk=current_parent.pk).exists():
            self.fields["parent"].initial = current_parent
        if not parents.exists():
            self.fields["parent"].help_text = _("Trong phạm vi quản trị không có đơn vị nào ngoài đơn vị này để làm "
                                                "cấp trên: việc chia tách do cấp trên thực hiện.")
        kinds = UnitKind.objects.all()
        for n in self.part_numbers:
            self.fields[f"part{n}_code"] = forms.SlugField(label=_("Mã"), required=False, max_length=80)
            self.fields[f"part{n}_name"] = forms.CharField(label=_("Tên"), required=False, max_length=255)
            self.fields[f"part{n}_short_name"] = forms.CharField(
                label=_("Tên gọi trong văn bản"), required=False, max_length=255)
            self.fields[f"part{n}_kind"] = forms.ModelChoiceField(
                queryset=kinds, label=_("Loại"), required=False, initial=source.kind_id)
        self.children = list(source.get_children().filter(dissolved_on__isnull=True).order_by("path"))
        choices = [("", _("– chọn đơn vị mới –"))] + [(str(n), self._part_label(n)) for n in self.part_numbers]
        for child in self.children:
            self.fields[f"child_{child.pk}"] = forms.ChoiceField(
                label=f"{child.name} ({child.code})", choices=choices,
                error_messages={"required": _("Hãy chọn đơn vị mới tiếp nhận đơn vị này.")},
            )
        self.fields["note"] = self.fields.pop("note")  # last, after the rows and the subordinate units

    @property
    def part_numbers(self) -> range:
        return range(1, self.PARTS + 1)

    def _part_label(self, n: int) -> str:
        """The label of row `n` in the selects ("Đơn vị mới 2"), with its code once the form is posted back."""
        label = _("Đơn vị mới %(n)s") % {"n": n}
        code = (self.data.get(self.add_prefix(f"part{n}_code")) or "").strip() if self.is_bound else ""
        return f"{label} ({code})" if code else label

    # --- for the template

    def part_rows(self):
        """Per row: its number and bound fields in the order of `PART_FIELDS`."""
        return [(n, [self[f"part{n}_{name}"] for name in self.PART_FIELDS]) for n in self.part_numbers]

    def child_rows(self):
        """Per active subordinate unit of the source: the unit and the bound select of its new unit."""
        return [(child, self[f"child_{child.pk}"]) for child in self.children]

    # --- validation

    def _row_is_empty(self, data, n: int) -> bool:
        return not any(data.get(f"part{n}_{name}") for name in ("code", "name", "short_name"))

    def clean(self):
        data = super().clean()
        on = data.get("effective")
        if on and on > timezone.localdate():
            self.add_error("effective", _("Ngày hiệu lực ở tương lai: chỉ ghi thay đổi đã có hiệu lực."))
        filled = []
        for n in self.part_numbers:
            if f"part{n}_code" not in data or self._row_is_empty(data, n):
                continue  # an invalid code already has its error; an empty row is ignored
            filled.append(n)
            for name in ("code", "name", "kind"):
                if not data.get(f"part{n}_{name}"):
                    self.add_error(f"part{n}_{name}", _("Cần khi thành lập đơn vị mới."))
        for child in self.children:
            chosen = data.get(f"child_{child.pk}")
            if chosen and int(chosen) not in filled and not self.has_error(f"part{chosen}_code"):
                self.add_error(f"child_{child.pk}", _("Chưa khai báo đơn vị mới %(n)s.") % {"n": chosen})
        self.filled_parts = filled
        return data

    def parts(self):
        """The declared new units, for `unit_split` (after `is_valid()`)."""
        data = self.cleaned_data
        return [NewUnit(data[f"part{n}_code"], data[f"part{n}_name"], data[f"part{n}_kind"],
                        data[f"part{n}_short_name"]) for n in self.filled_parts]

    def children_map(self) -> dict[str, str]:
        """Code of each subordinate unit -> code of the new unit it goes to (after `is_valid()`)."""
        data = self.cleaned_data
        return {child.code: data[f"part{data[f'child_{child.pk}']}_code"] for child in self.children}


class IssuingBodySucceedForm(forms.Form):
    """A new period of an issuing body from a date (name, header, place, suffix, signer, recipients)."""

    effective = VnDateField(label=_("Ngày hiệu lực"))
    code = forms.SlugField(label=_("Mã của giai đoạn mới"), max_length=80,
                           help_text=_("Mã không trùng, ví dụ lai-chau-btgdv."))
    name = forms.CharField(label=_("Tên đầy đủ"), max_length=255)
    citation_name = forms.CharField(label=_("Tên khi trích dẫn"), max_length=255)
    superior_line = forms.CharField(label=_("Dòng cơ quan cấp trên"), max_length=120, required=False)
    own_line = forms.CharField(label=_("Dòng tên cơ quan"), max_length=120)
    board_line = forms.CharField(label=_("Dòng tên ban"), max_length=120, required=False)
    place_name = forms.CharField(label=_("Địa danh"), max_length=80)
    code_suffix = forms.CharField(label=_("Ký hiệu"), max_length=20)
    signer_authority = forms.CharField(label=_("Quyền hạn ký"), max_length=80, required=False)
    signer_title = forms.CharField(label=_("Chức vụ người ký"), max_length=80)
    signer_name = forms.CharField(label=_("Họ tên người ký"), max_length=120)
    recipients = forms.CharField(label=_("Nơi nhận mặc định"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    FIELDS = ("name", "citation_name", "superior_line", "own_line", "board_line", "place_name", "code_suffix",
              "signer_authority", "signer_title", "signer_name", "recipients")

    def __init__(self, *args, body, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.FIELDS:
            self.fields[name].initial = getattr(body, name)
        self.fields["effective"].initial = timezone.localdate()

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.FIELDS}


class UnitImportForm(forms.Form):
    """A reorganisation file uploaded in the admin (the format of `import_units`, CSV or JSON)."""

    MAX_BYTES = 2 * 1024 * 1024

    file = forms.FileField(label=_("Tệp sắp xếp tổ chức (.csv hoặc .json)"),
                           help_text=_("Định dạng như lệnh import_units (xem manage.py import_units --help); tệp "
                                       "Excel hãy lưu thành CSV UTF-8. Tối đa 2 MB."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("Tệp quá lớn (%(size)s byte; tối đa %(max)s byte).")
                                        % {"size": upload.size, "max": self.MAX_BYTES})
        if not upload.name.lower().endswith((".csv", ".json")):
            raise forms.ValidationError(_("Chỉ nhận tệp .csv hoặc .json."))
        return upload


class ThrottledPasswordChangeForm(PasswordChangeForm):
    """Django's password change, with the old password checked like a login (counted and throttled)."""

    def __init__(self, user, *args, request=None, **kwargs):
        self.request = request
        super().__init__(user, *args, **kwargs)

    def clean_old_password(self):
        old_password = self.cleaned_data["old_password"]
        refused = password_recheck(request=self.request, user=self.user, password=old_password,
                                   wrong_message=self.error_messages["password_incorrect"])
        if refused:
            raise forms.ValidationError(refused, code="password_incorrect")
        return old_password

