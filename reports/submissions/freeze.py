"""The freeze after signing: one rule, used by every write path of a submission.

Once a consolidated report answering a plan is SIGNED by a unit (the submission's own unit or one above
it), that signed document is the answer to the plan for the whole subtree, and the live data must not
contradict it:

* a submission ACCEPTED when the report was signed (or SUBMITTED, when the report counted submitted
  figures too) is part of it: its figures are in the signed document. It can be neither edited,
  returned nor reopened; a correction goes into a new document.
* every other submission of that plan in the subtree (a draft, a returned one, one submitted but not
  yet accepted, one started later) is NOT in the signed report. It is closed too: it can no longer be
  edited, submitted, accepted or returned, because accepting it now would show "accepted" next to a
  signed report that does not contain it. The message says that it is not in the report.

Callers: `services.submission_save_values`, `submission_submit`, `submission_accept`,
`submission_return`, `submission_reopen` and the bulk save of the district workbook, through
`refuse_if_frozen` / `frozen_reasons`. The signed reports live in the documents app, above this one:
it registers its finder here at start-up (`DocumentsConfig.ready`), as it does for `answers`.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.formatting import format_date_short
from reports.plans.models import Plan
from reports.plans.selectors import plan_hierarchy
from reports.submissions.models import Submission
from units.models import Unit

# finder(*, plan_ids, unit_ids) -> the SIGNED reports whose `plan_id` or `source_plan_id` is in plan_ids
# (of units in unit_ids, or of any unit when None); each with `plan_id`, `source_plan_id`, `unit_id`,
# `unit` (its name is shown), `signed_at` and `include_submitted` (the report counted submitted, not yet
# accepted, figures too).
SignedReportFinder = Callable[..., list[Any]]
_finder: SignedReportFinder | None = None


def signed_reports_register(finder: SignedReportFinder) -> SignedReportFinder:
    """Set the function that finds signed reports (the documents app's, at start-up)."""
    global _finder
    _finder = finder
    return finder


@dataclass(frozen=True)
class Frozen:
    """Why a submission may no longer change: the signed report above it, and whether it is part of it."""

    report: Any
    included: bool

    @property
    def message(self) -> str:
        signed = self.report.signed_at
        facts = {"unit": self.report.unit.name,
                 "when": (_(" ngày %(date)s") % {"date": format_date_short(signed)}) if signed else ""}
        if self.included:
            return _("Số liệu này đã được tổng hợp vào báo cáo của %(unit)s đã ký số%(when)s, không thể sửa, "
                     "trả lại hay mở lại; nếu cần điều chỉnh, cấp trên ban hành văn bản mới.") % facts
        return _("Báo cáo của %(unit)s theo kế hoạch này đã ký số%(when)s mà không có số liệu của báo cáo này "
                 "(báo cáo chưa được tiếp nhận khi ký). Kế hoạch đã khép lại: không thể sửa, gửi, tiếp nhận hay "
                 "trả lại báo cáo này nữa; nếu cần bổ sung, liên hệ cấp trên.") % facts


def frozen_reasons(submissions: Iterable[Submission]) -> dict[int, Frozen]:
    """{submission id: why it is frozen} for those of `submissions` that are.

    Which units are "above" a submission is read in the tree of its plan (`plan_hierarchy`: as of the
    day the plan was issued), as the roll-up that the signed report froze read it: a commune that moved
    to the province in 2025 stays behind the district's report on a 2023 plan. One query when no report
    of these plans is signed (the usual case while units are still entering figures), a few otherwise.
    """
    submissions = [s for s in submissions if s.pk is not None]
    if not submissions or _finder is None:
        return {}
    plan_ids = {s.plan_id for s in submissions}
    by_plan: dict[int, list[Any]] = defaultdict(list)
    for report in _finder(plan_ids=plan_ids, unit_ids=None):
        for plan_id in {report.plan_id, getattr(report, "source_plan_id", None)} & plan_ids:
            by_plan[plan_id].append(report)
    if not by_plan:
        return {}
    trees = {plan.pk: plan_hierarchy(plan) for plan in Plan.objects.filter(pk__in=set(by_plan))}
    reasons: dict[int, Frozen] = {}
    for s in submissions:
        if s.plan_id not in trees:
            continue
        tree = trees[s.plan_id]
        if tree.exists(s.unit_id):
            chain = {s.unit_id, *tree.ancestor_ids(s.unit_id)}
        else:  # a unit made after the plan was issued: today's tree
            chain = {s.unit_id, *Unit.objects.filter(path__in=s.unit.ancestor_paths()).values_list("pk", flat=True)}
        reports = [r for r in by_plan[s.plan_id] if r.unit_id in chain]
        if not reports:
            continue
        report = min(reports, key=lambda r: (r.signed_at is None, r.signed_at))  # the first signature closed it
        reported = {Submission.Status.ACCEPTED} | (
            {Submission.Status.SUBMITTED} if getattr(report, "include_submitted", False) else set())
        since = s.accepted_at if s.status == Submission.Status.ACCEPTED else s.submitted_at
        included = s.status in reported and (since is None or report.signed_at is None or since <= report.signed_at)
        reasons[s.pk] = Frozen(report=report, included=included)
    return reasons


def frozen_reason(submission: Submission) -> Frozen | None:
    return frozen_reasons([submission]).get(submission.pk)


def refuse_if_frozen(submission: Submission) -> None:
    """ValidationError with the true reason when a signed report above has closed this submission."""
    reason = frozen_reason(submission)
    if reason is not None:
        raise ValidationError(reason.message)
