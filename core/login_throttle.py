"""Login throttling on top of django-axes: per user name and per address separately, with a growing delay.

django-axes records every failed login (`AccessAttempt`: user name, address, count, time), shows the
lockout page and offers the admin and the `axes_reset_*` commands. What it cannot express alone is
decided here, through its `AXES_FAILURE_LIMIT` callable:

* a user name is throttled after LOGIN_USER_FAILURES failures from any address, an address after
  LOGIN_ADDRESS_FAILURES failures for any user names (a shared office address is not locked by a few
  typing mistakes of its colleagues, and one address cannot try user names without limit);
* the delay grows: LOGIN_DELAY_MINUTES after the limit, doubled by every further failure, at most
  AXES_COOLOFF_MINUTES (1, 2, 4, 8, 16, 30 minutes by default). Someone who knows a user name can
  hold that account only for a minute with a few tries; a guesser meets a half-hour wall after ten;
* failures are forgotten after LOGIN_FORGET_HOURS without a new one, and a user's own successful login
  forgets the failures of that user name (not those of the address: logging into one's own account
  must not reset the count of an address that guesses another's password);
* the client address is REMOTE_ADDR unless the request comes from one of TRUSTED_PROXIES; only then
  is X-Forwarded-For read, from the right, skipping the trusted proxies (a client reaching gunicorn
  directly cannot forge it).
"""
from __future__ import annotations

import datetime as dt
import ipaddress
from dataclasses import dataclass

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in
from django.db.models import Max, Sum
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

# Larger than any real count: "not locked" for axes' comparison failures >= limit.
_OPEN = 10**9


@dataclass(frozen=True)
class Throttle:
    """Failures counted for a user name and for an address, and until when each is held back."""

    user_failures: int
    address_failures: int
    until: dt.datetime | None

    @property
    def locked(self) -> bool:
        return self.until is not None and timezone.now() < self.until

    @property
    def wait_minutes(self) -> int:
        if not self.locked:
            return 0
        return max(1, int((self.until - timezone.now()).total_seconds() + 59) // 60)


def delay(excess: int) -> dt.timedelta:
    """The wait after the limit is reached and `excess` more failures (0 = just reached)."""
    base = settings.LOGIN_DELAY_MINUTES
    return dt.timedelta(minutes=min(settings.AXES_COOLOFF_MINUTES, base * 2 ** min(excess, 20)))


def _username(request: HttpRequest, credentials: dict | None) -> str | None:
    if credentials and credentials.get("username"):
        return credentials["username"]
    return request.POST.get(settings.AXES_USERNAME_FORM_FIELD) if request.method == "POST" else None


def throttle_for(request: HttpRequest, credentials: dict | None = None) -> Throttle:
    """The counts and the end of the delay for this request's user name and address (two queries)."""
    username = _username(request, credentials)
    address = getattr(request, "axes_ip_address", None) or client_ip(request)
    until = None
    counts = []
    for field, value, limit in (("username", username, settings.LOGIN_USER_FAILURES),
                                ("ip_address", address, settings.LOGIN_ADDRESS_FAILURES)):
        if not value:
            counts.append(0)
            continue
        row = AccessAttempt.objects.filter(**{field: value}).aggregate(n=Sum("failures_since_start"),
                                                                       last=Max("attempt_time"))
        failures = row["n"] or 0
        counts.append(failures)
        if failures >= limit and row["last"] is not None:
            end = row["last"] + delay(failures - limit)
            until = end if until is None else max(until, end)
    return Throttle(user_failures=counts[0], address_failures=counts[1], until=until)


def failure_limit(request: HttpRequest, credentials: dict | None = None) -> int:
    """AXES_FAILURE_LIMIT: axes locks when its count reaches this number; the rule above decides it."""
    return 0 if throttle_for(request, credentials).locked else _OPEN


def lockout_response(request: HttpRequest, credentials: dict | None = None) -> HttpResponse:
    """The Vietnamese page (HTTP 429) shown instead of the login form while held back."""
    throttle = throttle_for(request, credentials)
    context = {"wait_minutes": throttle.wait_minutes or settings.LOGIN_DELAY_MINUTES,
               "by_address": throttle.address_failures >= settings.LOGIN_ADDRESS_FAILURES,
               "max_minutes": settings.AXES_COOLOFF_MINUTES}
    response = render(request, "registration/lockout.html", context, status=429)
    response.headers["Retry-After"] = str(60 * context["wait_minutes"])
    return response


def _networks() -> list:
    return [ipaddress.ip_network(item, strict=False) for item in settings.TRUSTED_PROXIES]


def _is_trusted(address: str, networks: list) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_ip(request: HttpRequest) -> str | None:
    """AXES_CLIENT_IP_CALLABLE: the client's address as the trusted proxies saw it (see the module doc)."""
    remote = request.META.get("REMOTE_ADDR")
    networks = _networks()
    if not networks or not remote or not _is_trusted(remote, networks):
        return remote
    forwarded = [part.strip() for part in request.headers.get("X-Forwarded-For", "").split(",") if part.strip()]
    for address in reversed(forwarded):
        if not _is_trusted(address, networks):
            try:
                return str(ipaddress.ip_address(address))
            except ValueError:
                return remote  # garbage in the header: count the proxy rather than a made-up name
    return remote


@receiver(user_logged_in, dispatch_uid="core.login_throttle.forget_user_failures")
def forget_user_failures(sender, request, user, **kwargs) -> None:
    """A successful login forgets the failures of that user name (all addresses), not the address's."""
    AccessAttempt.objects.filter(username=user.get_username()).delete()


def password_recheck(*, request: HttpRequest, user, password: str, wrong_message: str | None = None) -> str | None:
    """Check a password asked again inside a session (before signing or issuing, the old password when changing
    it): None when it is `user`'s, else the Vietnamese reason. It goes through authenticate(), so a wrong one
    counts as a failed login of that user name (django-axes records it) and the same throttle holds it back:
    someone at an unattended open session cannot guess the password without limit."""
    credentials = {"username": user.get_username()}
    throttle = throttle_for(request, credentials)
    if throttle.locked:
        return _("Đã nhập sai mật khẩu quá nhiều lần; hãy thử lại sau %(n)s phút.") % {"n": throttle.wait_minutes}
    if authenticate(request, username=user.get_username(), password=password) is None:
        return wrong_message or _("Mật khẩu không đúng.")
    return None

