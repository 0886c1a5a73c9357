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

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.formatting import format_date_short
from reports.submissions.models import Submission
from units.models import Unit

# finder(*, plan_ids, unit_ids) -> the SIGNED reports whose `plan_id` or `source_plan_id` is in plan_ids,
# of units in unit_ids; each with `plan_id`, `source_plan_id`, `unit_id`, `unit` (its name is shown),
# `signed_at` and `include_submitted` (the report counted submitted, not yet accepted, figures too).
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
    """{submission id: why it is frozen} for those of `submissions` that are (two queries at most)."""
    submissions = [s for s in submissions if s.pk is not None]
    if not submissions or _finder is None:
        return {}
    paths = {s.pk: s.unit.ancestor_paths(include_self=True) for s in submissions}
    unit_ids = dict(Unit.objects.filter(path__in={p for ps in paths.values() for p in ps})
                    .values_list("path", "pk"))
    signed: dict[tuple[int, int], Any] = {}
    for report in _finder(plan_ids={s.plan_id for s in submissions}, unit_ids=set(unit_ids.values())):
        for plan_id in {report.plan_id, getattr(report, "source_plan_id", None)} - {None}:
            key = (plan_id, report.unit_id)
            if key not in signed or (report.signed_at and signed[key].signed_at
                                     and report.signed_at < signed[key].signed_at):
                signed[key] = report  # the first signature closed the plan
    reasons: dict[int, Frozen] = {}
    for s in submissions:
        reports = [signed[(s.plan_id, unit_ids[p])] for p in paths[s.pk]
                   if p in unit_ids and (s.plan_id, unit_ids[p]) in signed]
        if not reports:
            continue
        report = min(reports, key=lambda r: (r.signed_at is None, r.signed_at))
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
