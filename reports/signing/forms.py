from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.login_throttle import password_recheck

MAX_VERIFY_BYTES = 30 * 1024 * 1024


class VerifyForm(forms.Form):
    file = forms.FileField(label=_("Tệp PDF cần kiểm tra"))
    number = forms.CharField(label=_("Số, ký hiệu văn bản (nếu biết)"), max_length=60, required=False,
                             help_text=_("Ví dụ: 164-BC/BTGHU"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_VERIFY_BYTES:
            raise forms.ValidationError(_("Tệp quá lớn (tối đa 30 MB)."))
        return upload


class SignedUploadForm(forms.Form):
    file = forms.FileField(label=_("Tệp PDF đã ký"), help_text=_(
        "Tệp đã tải về ở trên, ký thêm bằng phần mềm ký số (Adobe Acrobat, Foxit, phần mềm của nhà cung cấp), "
        "không sửa gì khác."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_VERIFY_BYTES:
            raise forms.ValidationError(_("Tệp quá lớn (tối đa 30 MB)."))
        return upload


class ReauthForm(forms.Form):
    password = forms.CharField(label=_("Mật khẩu"), strip=False, widget=forms.PasswordInput(
        attrs={"autocomplete": "current-password", "autofocus": True}))

    def __init__(self, *args, user=None, request=None, **kwargs):
        self.user, self.request = user, request
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if self.user is None or self.request is None:
            raise forms.ValidationError(_("Mật khẩu không đúng."))
        refused = password_recheck(request=self.request, user=self.user, password=password)
        if refused:
            raise forms.ValidationError(refused)
        return password


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("Lý do trả lại"), widget=forms.Textarea(attrs={"rows": 3}))


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Ý kiến"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
