"""Signing and issuing ask for the password again when the last authentication is older than
SIGNING_REAUTH_SECONDS (besides the token PIN): a session left open on an office PC does not sign."""
from __future__ import annotations

import time
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponseRedirect
from django.urls import reverse

SESSION_KEY = "signing_authenticated_at"


def recently_authenticated(request) -> bool:
    at = request.session.get(SESSION_KEY)
    if at is None and request.user.last_login is not None:
        at = request.user.last_login.timestamp()
    return at is not None and time.time() - float(at) <= settings.SIGNING_REAUTH_SECONDS


def mark_authenticated(request) -> None:
    request.session[SESSION_KEY] = time.time()


def reauth_redirect(request, next_url: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(f"{reverse('signing:reauth')}?{urlencode({'next': next_url})}")
