"""What the home page shows each role. Domain apps register panel builders here."""
from __future__ import annotations

from collections.abc import Callable

PanelBuilder = Callable[[object], dict | None]
_builders: list[PanelBuilder] = []


def register_panel(builder: PanelBuilder) -> PanelBuilder:
    """Decorator: `builder(user)` returns {"title", "template", ...} or None when it does not apply."""
    _builders.append(builder)
    return builder


def home_panels(user) -> list[dict]:
    panels = []
    for builder in _builders:
        panel = builder(user)
        if panel:
            panels.append(panel)
    return panels
