"""The upload form: one .xlsx file, refused early when over the size limit."""
from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.formatting import format_number


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Tệp Excel (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument."
                                                         "spreadsheetml.sheet"}),
        error_messages={"required": gettext_lazy("Hãy chọn tệp Excel để tải lên."),
                        "empty": gettext_lazy("Tệp rỗng.")},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.WORKBOOK_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("Tệp quá lớn (%(size)s byte); giới hạn là %(limit)s byte.")
                % {"size": format_number(upload.size), "limit": format_number(limit)})
        return upload
