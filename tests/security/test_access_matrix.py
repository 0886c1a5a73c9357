"""Access matrix generated from the URL configuration: every view × every role × inside/outside the subtree.

The URL patterns are walked with `get_resolver()`, so a new view is covered as soon as it is routed:

* a view WITHOUT URL kwargs is checked with a default expectation (anonymous → login, staff → 200/403/404,
  never a 500, never foreign data) and may be registered in SPECS for an exact one;
* a view WITH URL kwargs must be registered in SPECS with a sample builder (kwargs from the demo data for
  objects owned by units inside and outside each user's subtree), else `test_every_url_is_registered`
  fails, naming it.

For each sample the owner unit decides the expected answer for each user:

| relation of the owner to the user's unit | expected |
|---|---|
| anonymous user | 302 to the login page (public views: their own answer) |
| inside the subtree, user has the role for the view's action | `ok` (200 unless registered otherwise) |
| inside, no such role | `denied` (403/404) |
| above (an ancestor: a commune looking at its district's plan) | `above` (404 unless registered otherwise) |
| outside (another province, a sibling commune) | 404, for GET and for POST, and the POST changes nothing |

POST views are also tried by users inside the subtree who lack the role (an entry officer accepting, a leader
entering figures, the province reviewer editing a district's report): 403/404 (or the page again with an
error), and no row changes.

and no response (HTML, JSON, CSV, Excel, PDF) may name a unit outside the user's subtree and its ancestors
(e.g. "Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh Hà Tĩnh" for a Tam Đường user, or Bình Lư for Khun Há).

The demo is seeded once for this module (demo.seed.run_demo_seed) inside a transaction that is rolled back at
the end, plus a mirror of it in Hà Tĩnh (plans, submissions, a signed report) so that Lai Châu users have
foreign objects to try.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import html
import io
import json
import re
import secrets
import zipfile
from collections.abc import Callable

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

# Each test also runs in its own transaction (rolled back) inside the module's seeded one.
pytestmark = pytest.mark.django_db

ANON = "anonymous"
# Users by level: commune (Khun Há), district (Tam Đường), province (Lai Châu), another province (Hà Tĩnh).
USERS = [
    ANON,
    "tam-duong-khun-ha.entry", "tam-duong-khun-ha.reviewer", "tam-duong-khun-ha.leader",
    "tam-duong.entry", "tam-duong.reviewer", "tam-duong.leader", "tam-duong.admin",
    "lai-chau.entry", "lai-chau.reviewer", "lai-chau.leader",
    "ha-tinh-khoi.entry", "ha-tinh-khoi.reviewer", "ha-tinh-khoi.leader", "ha-tinh.reviewer",
    "admin",
]
# Users inside the subtree who lack a role (no review for an entry officer, no data entry for a leader, no
# own-unit rights for the province): their POSTs must be refused and change nothing either.
# The report's own reviewer (may not receive it for the level above) and the upper level's leader (no reviewer)
# are one role away from receiving a report, signing it, issuing it.
ROLE_PROBERS = ["tam-duong.entry", "tam-duong.leader", "tam-duong.reviewer", "lai-chau.reviewer", "lai-chau.leader"]
# Views that render a PDF are asked by fewer users (each 200 is a render): one per relation and province.
HEAVY_USERS = [ANON, "tam-duong-khun-ha.entry", "tam-duong.leader", "ha-tinh-khoi.reviewer"]
# Which users try POSTs to foreign objects (all of them would be slow and add nothing).
POST_PROBERS = ["tam-duong-khun-ha.entry", "tam-duong.reviewer", "lai-chau.leader", "ha-tinh-khoi.reviewer",
                "ha-tinh.reviewer"]

ROLE_FLAGS = {
    "view": (),
    "enter": ("is_entry", "is_reviewer"),
    "review": ("is_reviewer",),
    "approve": ("is_leader",),
    "sign": ("is_leader",),
    "admin": ("is_unit_admin",),
    "edit": ("is_reviewer",),  # a reviewer of the unit itself (writes its own consolidated report)
    # A reviewer of the level the report answers (Sample.actor: the unit that issued the plan) accepts or returns it.
    "receive": ("is_reviewer",),
    "issue": ("is_clerk",),  # the văn thư of the issuing unit numbers and seals a signed draft
}
OWN_UNIT_ACTIONS = {"approve", "sign", "edit", "receive", "issue"}


@dataclasses.dataclass(frozen=True)
class Sample:
    """One way to call a view: its kwargs (and query), and the unit that owns the object they point at."""

    owner: str | tuple[str, ...] | None  # unit code(s) the object belongs to; None: not one unit's object
    kwargs: dict = dataclasses.field(default_factory=dict)
    query: dict = dataclasses.field(default_factory=dict)
    label: str = ""
    # A combination that makes no sense (a unit the plan does not ask): 403/404 even for those inside.
    invalid: bool = False
    # For own-unit actions: the unit whose staff hold the role, when not the owner (receiving a report: the level
    # above, which issued the plan).
    actor: str | None = None
    # The object belongs to one person (a notification, a one-time signing link): only they have the role, not
    # their colleagues in the same unit, nor a superuser.
    only: str | None = None
    # What the POST probes send (a real block/index for a typed number), instead of the generic form.
    post_data: dict | None = None


@dataclasses.dataclass(frozen=True)
class Spec:
    """What a view does and answers. `samples(data)` gives the Samples; `action` is the role it needs."""

    action: str = "view"  # view / enter / review / approve / sign / admin / login (any logged-in user)
    samples: Callable[[Data], list[Sample]] | None = None
    get: bool = True  # False: POST only, a GET answers 405
    post: bool = False  # the view accepts POST (probed with foreign objects: must be 404, change nothing)
    ok: frozenset = frozenset({200})
    denied: frozenset = frozenset({403, 404})
    above: frozenset = frozenset({404})
    public: bool = False  # answers anonymous users itself (login page, health check)
    anon: frozenset = frozenset({302})  # for anonymous users: to the login page (403 for a JSON endpoint)
    heavy: bool = False  # renders a PDF: asked by HEAVY_USERS only


def S(*codes):  # noqa: N802 - a frozenset of statuses
    return frozenset(codes)


class Data:
    """Objects of the demo (and of the Hà Tĩnh mirror) that samples point at, built lazily."""

    def __init__(self):
        from reports.plans.models import Plan
        from reports.submissions.models import Submission
        from units.models import Unit

        self.units = {u.code: u for u in Unit.objects.all()}
        self.plan = {p.reference: p for p in Plan.objects.all()}
        self.Submission = Submission
        self.errors: dict[str, BaseException] = {}
        self.cache: dict[str, object] = {}

    def submission(self, reference: str, unit_code: str):
        return self.Submission.objects.get(plan=self.plan[reference], unit__code=unit_code)

    def lazy(self, name: str, build: Callable[[], object]):
        if name not in self.cache and name not in self.errors:
            try:
                with transaction.atomic():
                    self.cache[name] = build()
            except Exception as error:  # noqa: BLE001 - reported by the tests that need it
                self.errors[name] = error
        if name in self.errors:
            raise RuntimeError(f"could not build sample data {name!r}: {self.errors[name]!r}") from self.errors[name]
        return self.cache[name]

    # Reports (documents.Report) and signed documents, made through the owners' services.
    def report(self, unit_code: str):
        return self.lazy(f"report:{unit_code}", lambda: _make_report(self, unit_code))

    def signed(self, unit_code: str):
        return self.lazy(f"signed:{unit_code}", lambda: _make_signed(self, unit_code))

    def returned(self):
        return self.lazy("returned", lambda: _make_returned(self))

    def typed(self):
        return self.lazy("typed", lambda: _make_typed(self))

    def link(self, unit_code: str):
        return self.lazy(f"link:{unit_code}", lambda: _make_link(self, unit_code))

    def draft(self):
        return self.lazy("draft", lambda: _make_draft(self))

    def notes(self):
        return self.lazy("notes", lambda: _make_notes(self))


def _user(username: str):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


# The plan each report owner answers, and who writes and signs it.
REPORTS = {
    "tam-duong": ("132-HD/BTGTU", "tam-duong.reviewer", "tam-duong.leader"),
    "ha-tinh-khoi": ("HT-12-HD/BTGTU", "ha-tinh-khoi.reviewer", "ha-tinh-khoi.leader"),
}


def _make_report(data: Data, unit_code: str):
    from reports.documents.services import report_get_or_create

    reference, reviewer, _leader = REPORTS[unit_code]
    return report_get_or_create(plan=data.plan[reference], unit=data.units[unit_code], user=_user(reviewer))


def _make_signed(data: Data, unit_code: str):
    from reports.signing.models import SignedDocument
    from reports.signing.services import report_approve, report_send_for_approval
    from tests.signing.helpers import sign_and_issue

    _reference, reviewer, leader = REPORTS[unit_code]
    report = data.report(unit_code)
    existing = SignedDocument.objects.filter(entry__report=report).first()
    if existing:
        return existing
    report_send_for_approval(report=report, user=_user(reviewer))
    report_approve(report=report, user=_user(leader))
    return sign_and_issue(report, _user(leader))


def _make_returned(data: Data):
    """Tam Đường's signed report for 168-HD/BTGTU, returned by the province with a reason: to be corrected."""
    from reports.documents.services import report_get_or_create, report_receive
    from reports.signing.services import report_approve, report_send_for_approval
    from tests.signing.helpers import sign_and_issue

    reviewer, leader = _user("tam-duong.reviewer"), _user("tam-duong.leader")
    report = report_get_or_create(plan=data.plan["168-HD/BTGTU"], unit=data.units[TD], user=reviewer)
    report_send_for_approval(report=report, user=reviewer)
    report_approve(report=report, user=leader)
    sign_and_issue(report, leader)
    report.refresh_from_db()
    report_receive(report=report, user=_user("lai-chau.reviewer"), accept=False, reason="Thiếu số liệu khối cơ sở")
    return report


def _make_typed(data: Data):
    """Tam Đường's draft report for 222-KH/TU with a number typed into its text (not bound to the figure)."""
    from reports.documents.services import report_get_or_create, report_typed_numbers, report_update_text

    reviewer = _user("tam-duong.reviewer")
    report = report_get_or_create(plan=data.plan["222-KH/TU"], unit=data.units[TD], user=reviewer)
    block = next(b for b in report.blocks if b.get("text") and b["key"] != "citation")
    report = report_update_text(report=report, user=reviewer,
                                texts={block["key"]: block["text"] + " Đã tổ chức 17 hội nghị quán triệt."})
    typed = next(n for n in report_typed_numbers(report=report) if not n.resolved)
    return report, {"block": typed.block, "index": typed.index, "action": "confirm", "reason": "thử"}


def _make_link(data: Data, unit_code: str):
    """A live one-time signing link of the unit's leader (a letter of its body, not yet signed)."""
    from reports.signing.services import document_request_create
    from tests.signing.helpers import tiny_pdf
    from units.models import IssuingBody

    body = IssuingBody.objects.filter(unit=data.units[unit_code]).order_by("-is_default", "code").first()
    return document_request_create(issuing_body=body, user=_user(f"{unit_code}.leader"), kind="CV",
                                   summary="Công văn thử", rendered=tiny_pdf("Công văn thử"))


def _make_draft(data: Data):
    """A letter Tam Đường's leader has signed on the token, waiting for the văn thư to number it."""
    from reports.signing.services import signature_accept
    from tests.signing.helpers import token_sign

    request = _make_link(data, TD)
    return signature_accept(token=request.token, data=token_sign(request), user=_user("tam-duong.leader"))


def _make_notes(data: Data):
    """One notification for each of two users (a district reviewer, a Hà Tĩnh reviewer)."""
    from notifications.models import Kind
    from notifications.services import notifications_create

    notes = {}
    for username in ("tam-duong.reviewer", "ha-tinh-khoi.reviewer"):
        [note] = notifications_create(users=[_user(username)], kind=Kind.REMINDER, title="Nhắc gửi báo cáo",
                                      url=reverse("plans:list"))
        notes[username] = note
    return notes


def seed_ha_tinh_mirror() -> None:
    """Hà Tĩnh gets what Tam Đường has: a province guidance relayed by the bloc committee, submissions."""
    from demo.plans import STUDY_SECTIONS
    from reports.plans.models import Plan, Section
    from reports.submissions import services as submission_services
    from units.models import IssuingBody, Unit

    sections = Section.objects.filter(code__in=STUDY_SECTIONS)
    top, _ = Plan.objects.get_or_create(
        reference="HT-12-HD/BTGTU",
        defaults=dict(kind="HD", number=12, issuing_body=IssuingBody.objects.get(code="ha-tinh-tu"),
                      issued_on=dt.date(2026, 11, 2), title="về học tập, quán triệt các văn bản mới (Hà Tĩnh)",
                      topic="Văn bản mới của Trung ương", period_start=dt.date(2026, 10, 1),
                      period_end=dt.date(2026, 12, 31), deadline=dt.date(2026, 12, 20),
                      scope=Plan.Scope.DIRECT, include_own=False),
    )
    top.sections.set(sections)
    relay, _ = Plan.objects.get_or_create(
        reference="HT-7-CV/ĐUK",
        defaults=dict(kind="CV", number=7, issuing_body=IssuingBody.objects.get(code="ha-tinh-khoi-duk"),
                      issued_on=dt.date(2026, 11, 5), title="về học tập, quán triệt các văn bản mới (Khối)",
                      topic=top.topic, period_start=top.period_start, period_end=top.period_end,
                      deadline=dt.date(2026, 12, 10), scope=Plan.Scope.DIRECT, include_own=True, relays=top),
    )
    relay.sections.set(sections)
    entry = _user("ha-tinh-khoi.entry")
    reviewer = _user("ha-tinh-khoi.reviewer")
    cells = list(Unit.objects.filter(path__startswith=Unit.objects.get(code="ha-tinh-khoi").path, depth=3)
                 .order_by("path")[:3])
    for index, unit in enumerate(cells):
        submission = submission_services.submission_get_or_create(plan=relay, unit=unit, user=reviewer)
        submission_services.submission_save_values(
            submission=submission, user=reviewer, values={"conference.count": 2 + index},
            source="form:conference",
        )
        if index < 2:
            submission_services.submission_submit(submission=submission, user=reviewer)
        if index == 0:
            submission_services.submission_accept(submission=submission, user=reviewer)
    del entry


def _ht_cell(data: Data, index: int = 0) -> str:
    cells = sorted((u for u in data.units.values() if u.code.startswith("ha-tinh-khoi-")), key=lambda u: u.path)
    return cells[index].code


# ---------------------------------------------------------------------------------------------------------
# Sample builders. Owners: khun-ha (a commune), binh-lu (its sibling), tam-duong (the district),
# lai-chau (the province), ha-tinh-khoi / its cells (another province).
KH, BL, TD, LC, HTK = "tam-duong-khun-ha", "tam-duong-binh-lu", "tam-duong", "lai-chau", "ha-tinh-khoi"


def units_by_code(data: Data) -> list[Sample]:
    return [Sample(code, {"code": code}) for code in (KH, BL, TD, LC, HTK, "ha-tinh")]


def submissions(data: Data) -> list[Sample]:
    return [
        Sample(KH, {"pk": data.submission("251-CV/BTGHU", KH).pk}, label="draft"),
        Sample(BL, {"pk": data.submission("251-CV/BTGHU", BL).pk}, label="submitted"),
        Sample(TD, {"pk": data.submission("120-CV/BTGHU", TD).pk}, label="accepted"),
        Sample(KH, {"pk": data.submission("120-CV/BTGHU", KH).pk}, label="accepted"),
        Sample(_ht_cell(data), {"pk": data.submission("HT-7-CV/ĐUK", _ht_cell(data)).pk}, label="accepted"),
        Sample(_ht_cell(data, 2), {"pk": data.submission("HT-7-CV/ĐUK", _ht_cell(data, 2)).pk}, label="draft"),
    ]


def submission_sections(data: Data) -> list[Sample]:
    return [dataclasses.replace(s, kwargs={**s.kwargs, "section": "conference"}) for s in submissions(data)]


def plans(data: Data) -> list[Sample]:
    """A plan belongs to the unit of its issuing body."""
    return [
        Sample(TD, {"pk": data.plan["251-CV/BTGHU"].pk}),
        Sample(TD, {"pk": data.plan["120-CV/BTGHU"].pk}),
        Sample(LC, {"pk": data.plan["168-HD/BTGTU"].pk}),
        Sample(HTK, {"pk": data.plan["HT-7-CV/ĐUK"].pk}),
        Sample("ha-tinh", {"pk": data.plan["HT-12-HD/BTGTU"].pk}),
    ]


def plan_and_unit(data: Data) -> list[Sample]:
    """(plan, unit) pairs: the unit's own request. The owner is the unit."""
    return [
        Sample(KH, {"plan": data.plan["251-CV/BTGHU"].pk, "unit": KH}),
        Sample(BL, {"plan": data.plan["251-CV/BTGHU"].pk, "unit": BL}),
        Sample(TD, {"plan": data.plan["251-CV/BTGHU"].pk, "unit": TD}),
        Sample(_ht_cell(data, 1), {"plan": data.plan["HT-7-CV/ĐUK"].pk, "unit": _ht_cell(data, 1)}),
        # A foreign plan with one's own unit, and one's plan with a foreign unit: both foreign.
        Sample((KH, HTK), {"plan": data.plan["HT-7-CV/ĐUK"].pk, "unit": KH}, label="foreign plan", invalid=True),
        Sample((_ht_cell(data, 1), TD), {"plan": data.plan["251-CV/BTGHU"].pk, "unit": _ht_cell(data, 1)},
               label="foreign unit", invalid=True),
    ]


def plan_kw(data: Data) -> list[Sample]:
    return [Sample(s.owner, {"plan": s.kwargs["pk"]}) for s in plans(data)]


def reports(data: Data) -> list[Sample]:
    return [Sample(TD, {"pk": data.report(TD).pk}), Sample(HTK, {"pk": data.report(HTK).pk})]


def report_actions(data: Data) -> list[Sample]:
    return [dataclasses.replace(s, kwargs={**s.kwargs, "action": action})
            for s in reports(data) for action in ("gui-duyet", "duyet", "tra-lai", "ky", "cap-so")]


def signed_documents(data: Data) -> list[Sample]:
    return [Sample(TD, {"pk": data.signed(TD).pk}), Sample(HTK, {"pk": data.signed(HTK).pk})]


def register_entries(data: Data) -> list[Sample]:
    return [Sample(TD, {"pk": data.signed(TD).entry_id}), Sample(HTK, {"pk": data.signed(HTK).entry_id})]


def unit_exports(data: Data) -> list[Sample]:
    """The user's own subtree as a file: not one unit's object; the leak check does the work."""
    return [Sample(None, {"fmt": fmt}) for fmt in ("csv", "xlsx", "json")]


def status_exports(data: Data) -> list[Sample]:
    return [dataclasses.replace(s, kwargs={**s.kwargs, "fmt": fmt}) for s in plans(data) for fmt in ("csv", "xlsx")]


def rollup_json(data: Data) -> list[Sample]:
    return [
        Sample(TD, query={"plan": "132-HD/BTGTU", "unit": TD}),
        Sample(LC, query={"plan": "132-HD/BTGTU", "unit": LC}),
        Sample(HTK, query={"plan": "HT-12-HD/BTGTU", "unit": HTK}),
    ]


def signing_tokens(data: Data) -> list[Sample]:
    """A one-time signing link nobody was given: refused for everybody, anonymous or not."""
    return [Sample(None, {"token": secrets.token_urlsafe(32)}, label="unknown signing link")]


def signing_links(data: Data) -> list[Sample]:
    """Live one-time links bound to a leader: only that leader opens one (colleagues, superusers: 404)."""
    return [Sample(TD, {"token": data.link(TD).token}, only="tam-duong.leader", label="tam-duong.leader's link"),
            Sample(HTK, {"token": data.link(HTK).token}, only="ha-tinh-khoi.leader",
                   label="ha-tinh-khoi.leader's link"),
            Sample(None, {"token": secrets.token_urlsafe(32)}, only="-", label="unknown signing link")]


def drafts(data: Data) -> list[Sample]:
    """A signed draft waits for the văn thư of its unit; a missing one is 404 for everybody."""
    return [Sample(TD, {"pk": data.draft().pk}, label="signed by the leader, waiting for a number"),
            Sample(TD, {"pk": 10**9}, label="no such signed draft", invalid=True)]


def receivable(data: Data) -> list[Sample]:
    """Signed reports not yet received: the reviewer of the level that issued the plan accepts or returns them."""
    return [Sample(TD, {"pk": data.report(TD).pk}, actor=LC, label="signed, waiting for the province"),
            Sample(HTK, {"pk": data.report(HTK).pk}, actor="ha-tinh", label="signed, waiting for Hà Tĩnh")]


def returned_reports(data: Data) -> list[Sample]:
    """A signed report returned by the level above (its own reviewer writes the replacement), and a foreign one."""
    return [Sample(TD, {"pk": data.returned().pk}, label="returned by the province"),
            Sample(HTK, {"pk": data.report(HTK).pk})]


def typed_reports(data: Data) -> list[Sample]:
    report, post = data.typed()
    return [Sample(TD, {"pk": report.pk}, post_data=post, label="draft with a typed number"),
            Sample(HTK, {"pk": data.report(HTK).pk}, post_data=post)]


def notifications(data: Data) -> list[Sample]:
    """A notification is one person's: another user, even of the same unit and role, gets 404."""
    notes = data.notes()
    return [Sample(TD, {"pk": notes["tam-duong.reviewer"].pk}, only="tam-duong.reviewer"),
            Sample(HTK, {"pk": notes["ha-tinh-khoi.reviewer"].pk}, only="ha-tinh-khoi.reviewer")]


def invitation_links(data: Data) -> list[Sample]:
    """A password-setting link nobody was mailed (a demo user's id, a made-up token): the page that says the
    link is spent or wrong, for everybody, and a POST sets no password."""
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    uidb64 = urlsafe_base64_encode(force_bytes(_user("tam-duong.leader").pk))
    return [Sample(None, {"uidb64": uidb64, "token": "cz5-" + secrets.token_hex(16)}, label="made-up invitation link")]


def upload_tokens(data: Data) -> list[Sample]:
    """Nobody's token (a random one): 404 for everybody."""
    return [Sample(HTK, {"token": secrets.token_urlsafe(16)}, label="unknown token")]


# Registered views. Views without kwargs need no entry (defaults apply); with kwargs they must have one.
SPECS: dict[str, Spec] = {
    "login": Spec(public=True, post=True),
    "logout": Spec(get=False, post=True, public=True, action="login"),
    "healthz": Spec(public=True, action="login"),
    # Every logged-in user changes its own password (a POST without the old password changes nothing).
    "password_change": Spec(action="login", post=True),
    "password_change_done": Spec(action="login"),
    # The one-time link of an invitation mail (units/invitations.py): answers anybody, refuses a made-up link.
    "password_set": Spec(samples=invitation_links, action="login", post=True, public=True, ok=S(200), anon=S(200)),
    "password_set_done": Spec(public=True, action="login"),
    "home": Spec(action="login"),
    "units:tree": Spec(),
    "units:detail": Spec(samples=units_by_code, above=S(404)),
    "units:export": Spec(samples=unit_exports),
    "plans:list": Spec(action="login"),
    "plans:create": Spec(action="review", post=True),
    "plans:my_requests": Spec(action="login"),
    "plans:detail": Spec(samples=plans, above=S(200)),
    "plans:relay": Spec(samples=plans, action="review", post=True, ok=S(200, 404), above=S(200, 404)),
    # The status board: the reviewers and the entry staff of the issuing unit's subtree (who phone the units).
    "plans:status": Spec(samples=plans, action="enter", above=S(404)),
    "plans:status_export": Spec(samples=status_exports, action="enter", above=S(404)),
    "plans:status_bulk": Spec(samples=plans, action="enter", get=False, post=True, above=S(404)),
    "submissions:list": Spec(action="login"),
    # 403: a unit the plan does not assign; entry staff above a unit start its submission on its behalf.
    "submissions:start": Spec(samples=plan_and_unit, action="enter", post=True, ok=S(200, 302, 403), above=S(404)),
    "submissions:detail": Spec(samples=submissions),
    "submissions:section": Spec(samples=submission_sections, post=True),
    "submissions:history": Spec(samples=submissions),
    "submissions:submit": Spec(samples=submissions, action="enter", get=False, post=True),
    "submissions:accept": Spec(samples=submissions, action="review", get=False, post=True),
    "submissions:return": Spec(samples=submissions, action="review", get=False, post=True),
    "submissions:reopen": Spec(samples=submissions, action="review", get=False, post=True),
    "submissions:behalf_source": Spec(samples=submissions, action="enter", get=False, post=True),
    "documents:list": Spec(action="login"),
    "documents:create": Spec(action="review", get=False, post=True),
    "documents:detail": Spec(samples=reports),
    "documents:refresh": Spec(samples=reports, action="review", get=False, post=True),
    "documents:edit": Spec(samples=reports, action="edit", post=True, ok=S(200, 302)),
    "documents:typed_number": Spec(samples=typed_reports, action="edit", get=False, post=True),
    "documents:receive": Spec(samples=receivable, action="receive", get=False, post=True),
    "documents:correct": Spec(samples=returned_reports, action="edit", get=False, post=True),
    "documents:pdf": Spec(samples=reports, heavy=True),
    "documents:report_pdf": Spec(samples=reports, heavy=True),
    "documents:report_xlsx": Spec(samples=reports),
    "documents:plan_pdf": Spec(samples=plans, heavy=True, above=S(200)),
    "documents:rollup_json": Spec(samples=rollup_json, action="view", ok=S(200), anon=S(403)),
    # The dashboard of a plan shows the user's own unit and below: also to units the plan was relayed to.
    "documents:dashboard": Spec(samples=plan_kw, above=S(200, 404)),
    # So với cùng kỳ: the dashboard's rows beside an earlier plan, scoped like the dashboard.
    "documents:comparison": Spec(samples=plan_kw, above=S(200, 404)),
    "signing:register": Spec(action="login"),
    "signing:verify": Spec(action="login", post=True),
    "signing:download": Spec(samples=signed_documents),
    "signing:correct": Spec(samples=register_entries, action="sign", get=False, post=True),
    "signing:report_action": Spec(samples=report_actions, action="review", get=False, post=True),
    "signing:draft_issue": Spec(samples=drafts, action="issue", get=False, post=True),
    # Re-posting the page without a file: the page again with the error (400), for its leader only.
    "signing:request_page": Spec(samples=signing_links, action="login", post=True),
    # The agent has no session: the unguessable one-time token is the credential (410: no such live link).
    "signing:request_spec": Spec(samples=signing_tokens, action="login", ok=S(410), anon=S(410)),
    "signing:request_pdf": Spec(samples=signing_tokens, action="login", ok=S(410), anon=S(410)),
    "signing:request_appearance": Spec(samples=signing_tokens, action="login", ok=S(410), anon=S(410)),
    "signing:request_upload": Spec(samples=signing_tokens, action="login", get=False, post=True, public=True,
                                   ok=S(400), anon=S(400)),
    # Opening one's notification marks it read and goes where it points.
    "notifications:open": Spec(samples=notifications, ok=S(302)),
    "notifications:mark_all_read": Spec(action="login", get=False, post=True),
    "workbooks:download_submission": Spec(samples=submissions),
    "workbooks:download_unit": Spec(samples=plan_and_unit),
    # One row per unit the user may enter figures for (their own unit for an entry officer, 404 if none).
    "workbooks:download_district": Spec(samples=plan_kw, ok=S(200, 404), above=S(200, 404)),
    "workbooks:upload": Spec(action="enter", post=True),
    "workbooks:upload_submission": Spec(samples=submissions, action="enter", post=True),
    "workbooks:upload_plan": Spec(samples=plan_kw, action="enter", post=True, above=S(200, 404)),
    "workbooks:confirm": Spec(samples=upload_tokens, action="enter", get=False, post=True),
    "workbooks:cancel": Spec(samples=upload_tokens, action="enter", get=False, post=True),
}
DEFAULT = Spec(action="login", ok=S(200, 403, 404))
SKIPPED_NAMESPACES = {"admin"}  # the Django admin: test_admin_is_for_admins_only


def walk(patterns=None, prefix: str = "", namespace: str | None = None) -> list[tuple[str, str, list[str]]]:
    """(name with namespace, route, kwarg names) of every named URL pattern."""
    found = []
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            if ns in SKIPPED_NAMESPACES:
                continue
            full_ns = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else ns
            found += walk(entry.url_patterns, prefix + str(entry.pattern), full_ns)
        elif isinstance(entry, URLPattern):
            route = prefix + str(entry.pattern)
            if entry.name is None:
                raise AssertionError(f"URL {route!r} has no name: name it so that the access matrix can test it")
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            pattern = entry.pattern
            params = list(getattr(pattern, "converters", {}) or pattern.regex.groupindex)
            found.append((name, route, params))
    return found


URLS = walk()


# ---------------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def data(django_db_setup, django_db_blocker):
    """The demo, seeded once for this module in a transaction rolled back at its end."""
    from demo.seed import run_demo_seed

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            run_demo_seed()
            seed_ha_tinh_mirror()
            built = Data()
            # Built here, outside the tests' own transactions (which are rolled back after each test).
            builds = [lambda code=code, build=build: build(code)
                      for code in REPORTS for build in (built.report, built.signed, built.link)]
            for build in [*builds, built.returned, built.typed, built.draft, built.notes]:
                try:
                    build()
                except RuntimeError:
                    pass  # reported by the tests whose samples need it
            yield built
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


class Who:
    """A user's unit path, roles and the unit names they must never see."""

    def __init__(self, username: str, data: Data):
        self.username = username
        self.user = None if username == ANON else _user(username)
        self.superuser = bool(self.user and self.user.is_superuser)
        staff = getattr(self.user, "staff", None) if self.user else None
        self.staff = staff
        self.path = staff.unit.path if staff else None
        self.unit_code = staff.unit.code if staff else None
        allowed_names, forbidden_names = set(), set()
        for unit in data.units.values():
            visible = self.superuser or (self.path is not None and (
                unit.path.startswith(self.path) or self.path.startswith(unit.path)))
            (allowed_names if visible else forbidden_names).add(unit.name)
        forbidden = sorted(forbidden_names - allowed_names, key=len, reverse=True)
        self.leak_re = re.compile("|".join(re.escape(name) for name in forbidden)) if forbidden else None

    def relation_to(self, owner, data: Data) -> str:
        """The farthest relation to the owner unit(s): outside beats above beats inside."""
        codes = (owner,) if isinstance(owner, str) else owner
        relations = {self.relation(data.units[code].path) for code in codes}
        for relation in ("none", "outside", "above", "inside"):
            if relation in relations:
                return relation
        raise AssertionError(relations)

    def relation(self, owner_path: str) -> str:
        if self.superuser:
            return "inside"
        if self.path is None:
            return "none"
        if owner_path.startswith(self.path):
            return "inside"
        if self.path.startswith(owner_path):
            return "above"
        return "outside"

    def has_role(self, action: str, sample: Sample) -> bool:
        owner = sample.owner
        owner_code = owner[0] if isinstance(owner, tuple) else owner
        if self.user is None:
            return False
        if sample.only is not None:
            return self.username == sample.only
        if self.superuser or action == "login":
            return True
        if self.staff is None:
            return False
        actor = sample.actor or owner_code
        if action in OWN_UNIT_ACTIONS and actor is not None and actor != self.unit_code:
            return False
        flags = ROLE_FLAGS[action]
        return not flags or any(getattr(self.staff, flag) for flag in flags)


def response_text(response) -> str:
    """The text a person would read in the response, whatever its type."""
    content_type = response.headers.get("Content-Type", "")
    if getattr(response, "streaming", False):
        body = b"".join(response.streaming_content)
    else:
        body = response.content
    if not body:
        return ""
    if "pdf" in content_type or body.startswith(b"%PDF"):
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(body))
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    if "spreadsheetml" in content_type or "zip" in content_type or body.startswith(b"PK"):
        return _zip_text(body)
    text = body.decode("utf-8", errors="replace")
    if "json" in content_type:
        try:
            return json.dumps(json.loads(text), ensure_ascii=False)
        except ValueError:
            return text
    return html.unescape(text)


def _zip_text(body: bytes) -> str:
    import openpyxl

    archive = zipfile.ZipFile(io.BytesIO(body))
    names = archive.namelist()
    if "xl/workbook.xml" in names:
        workbook = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
        return "\n".join(
            " ".join(str(value) for value in row if value is not None)
            for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True)
        )
    return "\n".join(_zip_text(archive.read(name)) if name.endswith((".xlsx", ".zip")) else
                     archive.read(name).decode("utf-8", errors="replace") for name in names)


def _table_counts() -> dict[str, int]:
    from django.apps import apps

    counts = {}
    for label in ("submissions", "plans", "documents", "signing", "notifications"):
        try:
            config = apps.get_app_config(label)
        except LookupError:
            continue
        for model in config.get_models():
            counts[model._meta.label] = model._default_manager.count()
    return counts


def _client_for(who: Who, clients: dict) -> Client:
    if who.username not in clients:
        client = Client()
        if who.user is not None:
            client.force_login(who.user)
        clients[who.username] = client
    return clients[who.username]


def _expected(spec: Spec, who: Who, sample: Sample, method: str, data: Data) -> frozenset:
    if method == "GET" and not spec.get and (who.user is not None or spec.public):
        if who.user is None:
            return S(405)
        # A POST-only view: 405, or 404 when it looks its object up before the method check.
        return S(405) if sample.owner is None or who.relation_to(sample.owner, data) == "inside" else S(404, 405)
    if who.user is None:
        return S(200) if spec.public and method == "GET" else spec.anon
    if sample.owner is None:
        return spec.ok if who.has_role(spec.action, sample) else spec.denied
    relation = who.relation_to(sample.owner, data)
    if relation == "outside":
        return S(404)
    if relation == "above":
        return spec.above if who.has_role(spec.action, sample) else spec.above | spec.denied
    if sample.invalid:
        return S(403, 404)
    return spec.ok if who.has_role(spec.action, sample) else spec.denied


@pytest.mark.parametrize("name,route,params", URLS, ids=[u[0] for u in URLS])
def test_access_matrix(name, route, params, data, django_db_blocker):
    spec = SPECS.get(name)
    if spec is None:
        if params:
            pytest.fail(f"{name} ({route}) takes {params}: register its samples in SPECS "
                        f"(tests/security/test_access_matrix.py)")
        spec = DEFAULT
    samples = spec.samples(data) if spec.samples else [Sample(None)]
    for sample in samples:
        assert set(sample.kwargs) == set(params), f"{name}: sample kwargs {sorted(sample.kwargs)} != {params}"
    problems: list[str] = []
    clients: dict[str, Client] = {}
    login_url = reverse(settings.LOGIN_URL)
    for username in HEAVY_USERS if spec.heavy else USERS:
        who = Who(username, data)
        client = _client_for(who, clients)
        for sample in samples:
            url = reverse(name, kwargs=sample.kwargs or None)
            query = f"?{sample.query}" if sample.query else ""
            where = f"{username} GET {url}{query} [{sample.label or sample.owner}]"
            with transaction.atomic():
                response = client.get(url, sample.query)
                text = response_text(response) if response.status_code == 200 else response.content.decode(
                    "utf-8", errors="replace")
                transaction.set_rollback(True)
            expected = _expected(spec, who, sample, "GET", data)
            if response.status_code not in expected:
                problems.append(f"{where}: {response.status_code}, expected {sorted(expected)}")
            if response.status_code == 302 and who.user is None and not spec.public:
                if not response.url.startswith(login_url):
                    problems.append(f"{where}: redirects to {response.url}, not to the login page")
            if who.leak_re is not None and (leak := who.leak_re.search(text)):
                problems.append(f"{where}: shows {leak.group(0)!r}, outside the user's subtree")
    # POST: anonymous users go to the login page; foreign objects are 404 and nothing changes.
    if spec.post:
        for username in [ANON, *POST_PROBERS]:
            who = Who(username, data)
            client = _client_for(who, clients)
            for sample in samples:
                relation = "none" if sample.owner is None else who.relation_to(sample.owner, data)
                if who.user is not None and relation != "outside":
                    continue
                if who.user is None and spec.public:
                    continue
                url = reverse(name, kwargs=sample.kwargs or None)
                with transaction.atomic():
                    before = _table_counts()
                    response = client.post(url, sample.post_data or {"reason": "thử", "version": 1, "plan": "",
                                                                     "unit": ""})
                    after = _table_counts()
                    transaction.set_rollback(True)
                expected = S(302) if who.user is None else S(404)
                if response.status_code not in expected:
                    problems.append(f"{username} POST {url}: {response.status_code}, expected {sorted(expected)}")
                if before != after:
                    changed = {k: (before[k], after.get(k)) for k in before if before[k] != after.get(k)}
                    problems.append(f"{username} POST {url}: changed rows {changed}")
        # Inside the subtree without the role: refused (403/404, or back to the page with an error), no change.
        for username in ROLE_PROBERS:
            who = Who(username, data)
            client = _client_for(who, clients)
            for sample in samples:
                if sample.owner is not None and who.relation_to(sample.owner, data) != "inside":
                    continue
                if who.has_role(spec.action, sample):
                    continue
                url = reverse(name, kwargs=sample.kwargs or None)
                with transaction.atomic():
                    before = _table_counts()
                    response = client.post(url, sample.post_data or {"reason": "thử", "note": "thử", "text": "thử",
                                                                     "version": 1})
                    after = _table_counts()
                    transaction.set_rollback(True)
                if response.status_code not in S(302, 403, 404):
                    problems.append(f"{username} (no role) POST {url}: {response.status_code}")
                if before != after:
                    changed = {k: (before[k], after.get(k)) for k in before if before[k] != after.get(k)}
                    problems.append(f"{username} (no role) POST {url}: changed rows {changed}")
    assert not problems, f"{name}: {len(problems)} problem(s)\n" + "\n".join(problems[:60])


def test_every_url_is_registered():
    """A view with URL kwargs cannot be tested without samples: register it (this fails loudly, never skips)."""
    missing = [f"{name} ({route}) kwargs {params}" for name, route, params in URLS if params and name not in SPECS]
    assert not missing, "register samples in SPECS for:\n" + "\n".join(missing)
    stale = sorted(set(SPECS) - {name for name, _route, _params in URLS})
    assert not stale, f"SPECS names views that no longer exist: {stale}"


def test_admin_is_for_admins_only(data):
    """The Django admin: anonymous and non-staff users are sent to its login; unit admins and superusers get in."""
    index = reverse("admin:index")
    admin_login = reverse("admin:login")
    problems = []
    for username, expected in [(ANON, 302), ("tam-duong.entry", 302), ("tam-duong.reviewer", 302),
                               ("ha-tinh-khoi.leader", 302), ("tam-duong.admin", 200), ("admin", 200)]:
        client = Client()
        if username != ANON:
            client.force_login(_user(username))
        response = client.get(index)
        if response.status_code != expected:
            problems.append(f"{username}: admin index {response.status_code}, expected {expected}")
        if expected == 302 and not response.url.startswith(admin_login):
            problems.append(f"{username}: admin redirects to {response.url}")
    assert not problems, "\n".join(problems)


def test_unit_admin_sees_only_their_subtree_in_the_admin(data):
    """A district's unit admin manages their own units: the admin's unit list shows no other province."""
    client = Client()
    client.force_login(_user("tam-duong.admin"))
    who = Who("tam-duong.admin", data)
    problems = []
    for model in ("unit", "staff", "issuingbody"):
        try:
            url = reverse(f"admin:units_{model}_changelist")
        except Exception:  # noqa: BLE001 - model not registered in the admin
            continue
        response = client.get(url, {"all": ""})
        if response.status_code != 200:
            problems.append(f"{url}: {response.status_code}")
            continue
        if leak := who.leak_re.search(html.unescape(response.content.decode())):
            problems.append(f"{url} shows {leak.group(0)!r}")
    assert not problems, "\n".join(problems)
