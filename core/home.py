"""What the home page shows each role: a registry of panels that domain apps fill in.

How to add a panel (e.g. the report app's "reports waiting for approval or signature" for leaders):

1. In your app, write a builder in `<app>/home.py`; it gets the user and returns a dict, or None when
   the panel does not apply to that user (wrong role, nothing to show is still a panel if useful):

       from core.home import register_panel
       from core.scoping import get_staff

       @register_panel(order=10)
       def reports_to_sign(user):
           staff = get_staff(user)
           if staff is None or not staff.is_leader:
               return None
           return {
               "title": _("Báo cáo chờ duyệt, ký"),      # card header (Vietnamese, gettext)
               "template": "documents/panels/to_sign.html",  # rendered with `panel` in the context
               "items": list(...),                         # anything the template needs
               "framed": True,                              # the page draws the card (see below)
               "link": reverse("documents:list"),          # optional "Xem tất cả" link (framed only)
               "count": 3,                                  # optional badge in the header (framed only)
           }

   With "framed": True the home page draws a Bootstrap card with the title, count and link, and the
   template renders only the card's body (e.g. a table with class "mb-0"); without it the template
   renders the whole panel itself (its own card).

2. Import that module in your AppConfig.ready() (`from reports.documents import home  # noqa: F401`),
   as `reports.plans.apps.PlansConfig` does.

Builders run in `order` (then registration order); each should use a fixed number of queries (no
per-unit loops) and read through selectors scoped with `restrict(user, ...)`. The page lays panels out
in two columns; a panel with "wide": True takes the full width.

Panels registered by reports.plans: open requests and returned submissions (entry staff), submissions
waiting for review and units still missing per open plan (reviewers). Leaders' panels belong to the
report/signing apps.
"""
from __future__ import annotations

from collections.abc import Callable

PanelBuilder = Callable[[object], dict | None]
_builders: list[tuple[int, int, PanelBuilder]] = []


def register_panel(builder: PanelBuilder | None = None, *, order: int = 100):
    """Decorator: `builder(user)` returns {"title", "template", ...} or None when it does not apply.

    Usable bare (`@register_panel`) or with an order (`@register_panel(order=10)`; lower comes first).
    Registering the same function twice (a module imported again) is a no-op.
    """

    def add(fn: PanelBuilder) -> PanelBuilder:
        key = (fn.__module__, fn.__qualname__)
        if not any((b.__module__, b.__qualname__) == key for _o, _n, b in _builders):
            _builders.append((order, len(_builders), fn))
            _builders.sort(key=lambda item: (item[0], item[1]))
        return fn

    return add(builder) if builder is not None else add


def home_panels(user) -> list[dict]:
    """The panels that apply to `user`, in order."""
    panels = []
    for _order, _n, builder in _builders:
        panel = builder(user)
        if panel:
            panels.append(panel)
    return panels


def registered_builders() -> list[PanelBuilder]:
    return [builder for _o, _n, builder in _builders]
