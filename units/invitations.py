"""A user created by a unit administrator sets its own password: the administrator never knows it.

`user_invite` mails the user a one-time link (Django's `default_token_generator`: the token is bound
to the stored password hash and the last login, so it is spent once the password is set, and expires
after PASSWORD_RESET_TIMEOUT) to `/dat-mat-khau/<uidb64>/<token>/` (`units.views.PasswordSetView`,
Django's `PasswordResetConfirmView`). Sending is recorded in AccessChange; so is the password set through the
link (units/access.py). There is no public "forgot password" page: a new link comes from an
administrator ("Gửi lại thư mời" in the admin) and only while the user has no usable password.
"""
from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from core.formatting import person_name
from units.access import record_invitation
from units.models import Staff


def invitation_link(user) -> str:
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    path = reverse("password_set", kwargs={"uidb64": uidb64, "token": default_token_generator.make_token(user)})
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def _valid_days() -> int:
    return max(1, round(settings.PASSWORD_RESET_TIMEOUT / 86400))


def user_invite(*, user) -> None:
    """Mail `user` the link to set its password (raises if the mail server refuses) and record it."""
    if not user.email:
        raise ValueError("an invitation needs an e-mail address")
    staff = Staff.objects.filter(user=user).select_related("unit").first()
    lines = [
        _("Kính gửi đồng chí %(name)s,") % {"name": person_name(user)}, "",
        _("Đồng chí được cấp tài khoản trong hệ thống báo cáo tuyên giáo%(unit)s.")
        % {"unit": f" ({staff.unit.name})" if staff else ""},
        _("Tên đăng nhập: %(username)s") % {"username": user.get_username()}, "",
        _("Để bắt đầu, đồng chí tự đặt mật khẩu tại địa chỉ sau (dùng được một lần, trong %(days)s ngày):")
        % {"days": _valid_days()},
        invitation_link(user), "",
        _("Không ai khác, kể cả quản trị viên, biết mật khẩu này. Nếu liên kết đã hết hạn, đồng chí đề nghị "
          "quản trị đơn vị gửi lại thư mời. Nếu đồng chí không đề nghị cấp tài khoản, hãy bỏ qua thư này."), "",
        _("Thư này do hệ thống báo cáo tuyên giáo gửi tự động."),
    ]
    EmailMessage(subject=f"[{_('Báo cáo tuyên giáo')}] {_('Mời đặt mật khẩu tài khoản')}", body="\n".join(lines),
                 to=[user.email]).send()
    record_invitation(user=user)

