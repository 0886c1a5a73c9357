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

    def clean_ngay(self):
        value = self.cleaned_data["ngay"]
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("Chỉ xem được cây đơn vị đến hôm nay."))
        return value
