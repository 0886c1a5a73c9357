"""The organisation's key in a hardware security module, reached through PKCS#11 (SIGNING_HSM_*).

Only seals are here (SIGNING_ORGANISATION_KEY = "hsm"); personal keys never are. The demo uses the
SoftHSM2 token that seed_demo makes under DEMO_TOKEN_DIR (its own softhsm2.conf, never /etc).
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from agent.pkcs11token import TokenConfig, TokenError, find_module, open_session

SOFTHSM_CONF_NAME = "softhsm2.conf"


def demo_token_conf() -> Path:
    return Path(settings.DEMO_TOKEN_DIR) / SOFTHSM_CONF_NAME


def use_demo_token_conf() -> None:
    """Point SoftHSM2 at the project's demo token directory (before the module is first loaded)."""
    conf = demo_token_conf()
    if conf.exists():
        os.environ["SOFTHSM2_CONF"] = str(conf)


def hsm_config() -> TokenConfig:
    module = settings.SIGNING_HSM_MODULE
    if not module:  # the demo: SoftHSM2 with the project's token directory
        use_demo_token_conf()
    try:
        return TokenConfig(module=find_module(module), token_label=settings.SIGNING_HSM_TOKEN_LABEL)
    except TokenError as exc:
        raise ValidationError(str(exc)) from exc


def hsm_pin() -> str:
    pin = os.environ.get(settings.SIGNING_HSM_PIN_ENV)
    if pin:
        return pin
    if not settings.SIGNING_HSM_MODULE and settings.SIGNING_HSM_TOKEN_LABEL == settings.DEMO_TOKEN_LABEL:
        return settings.DEMO_TOKEN_PIN
    raise ValidationError(_("Chưa đặt biến môi trường %(name)s chứa mã PIN của HSM.")
                          % {"name": settings.SIGNING_HSM_PIN_ENV})


@contextmanager
def hsm_session():
    try:
        with open_session(hsm_config(), hsm_pin()) as session:
            yield session
    except TokenError as exc:
        raise ValidationError(str(exc)) from exc
