"""Forms of the hierarchy pages and the admin: they only validate input."""
from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class AsOfForm(forms.Form):
    """The "as of date" selector of the hierarchy page (`?ngay=2023-10-30`)."""

    ngay = forms.DateField(
        label=_("Xem cây đơn vị tại ngày"), required=False, input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Ngày không hợp lệ; hãy chọn ngày theo dạng 30/10/2023.")},
    )

    q = forms.CharField(label=_("Tìm theo tên hoặc mã"), required=False, max_length=100)

    def clean_ngay(self):
        value = self.cleaned_data["ngay"]
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("Chỉ xem được cây đơn vị đến hôm nay."))
        return value


class ReorganiseForm(forms.Form):
    """Merge the selected units into one, or dissolve them, from an effective date (admin actions)."""

    effective = forms.DateField(
        label=_("Ngày hiệu lực"), input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
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

    def __init__(self, *args, units_in_scope=None, mode: str = "merge", **kwargs):
        from units.models import UnitKind

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
