"""Who changed whose roles or password (`AccessChange`): the acting user of the request, kept in a
context variable by `ActorMiddleware`; role changes caught on every Staff save, password changes on
every User save that changes the stored hash, whatever page or command made them. An invitation to
set one's password is recorded by `record_invitation`; a password set through its link (inside
`password_set_through_link`) is recorded as such, made by the user itself."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from units.models import AccessChange, Staff

ROLE_FIELDS = ("is_entry", "is_reviewer", "is_leader", "is_clerk", "is_unit_admin")
# Roles a unit administrator never grants: who signs and who issues are set by a superuser.
RESERVED_ROLES = ("is_leader", "is_clerk")

_actor: ContextVar = ContextVar("access_actor", default=None)
_password_kind: ContextVar = ContextVar("access_password_kind", default=AccessChange.Kind.PASSWORD)


def roles_of(staff) -> list[str]:
    return [name for name in ROLE_FIELDS if getattr(staff, name, False)]


def grantable_roles(user) -> set[str]:
    """The roles `user` may give (to anyone, itself included): a superuser any; a unit administrator
    only those it holds itself, never leader or văn thư."""
    if user.is_superuser:
        return set(ROLE_FIELDS)
    staff = getattr(user, "staff", None)
    return {name for name in roles_of(staff) if name not in RESERVED_ROLES} if staff else set()


class ActorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        token = _actor.set(user if user is not None and user.is_authenticated else None)
        try:
            return self.get_response(request)
        finally:
            _actor.reset(token)


@contextmanager
def password_set_through_link(user) -> Iterator[None]:
    """A password saved inside is recorded as set through an invitation link, by `user` itself (the
    page is anonymous: whoever holds the link acts for the user it was mailed to)."""
    actor, kind = _actor.set(user), _password_kind.set(AccessChange.Kind.LINK)
    try:
        yield
    finally:
        _password_kind.reset(kind)
        _actor.reset(actor)


def record_invitation(*, user) -> None:
    """An invitation to set the password was mailed to `user` (by the acting user)."""
    _record(user=user, unit=_unit_of(user), kind=AccessChange.Kind.INVITED, before=[], after=[user.email])


def _unit_of(user):
    staff = Staff.objects.filter(user=user).select_related("unit").first()
    return staff.unit if staff else None


def _record(*, user, unit, kind: str, before, after) -> None:
    actor = _actor.get()
    AccessChange.objects.create(user=user, unit=unit, kind=kind, before=before, after=after,
                                changed_by=actor if actor is not None and actor.pk else None)


@receiver(pre_save, sender=Staff)
def _remember_roles(sender, instance: Staff, **kwargs) -> None:
    old = Staff.objects.filter(pk=instance.pk).first() if instance.pk else None
    instance._roles_before = roles_of(old) if old is not None else []


@receiver(post_save, sender=Staff)
def _record_roles(sender, instance: Staff, **kwargs) -> None:
    before, after = getattr(instance, "_roles_before", []), roles_of(instance)
    if before != after:
        _record(user=instance.user, unit=instance.unit, kind=AccessChange.Kind.ROLES, before=before, after=after)


@receiver(pre_save, sender=settings.AUTH_USER_MODEL)
def _remember_password(sender, instance, **kwargs) -> None:
    old = sender.objects.filter(pk=instance.pk).values_list("password", flat=True).first() if instance.pk else None
    # A user created without a usable password (to be invited) has set nothing yet.
    created_unusable = old is None and not instance.has_usable_password()
    instance._password_changed = bool(instance.password) and old != instance.password and not created_unusable


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def _record_password(sender, instance, created: bool, **kwargs) -> None:
    """Record a password set or changed (never the password or its hash)."""
    if not getattr(instance, "_password_changed", False):
        return
    instance._password_changed = False
    _record(user=instance, unit=_unit_of(instance), kind=_password_kind.get(), before=[], after=[])
