"""Who may do what with a report or a signed document, now (one place; services and selectors ask here)."""
from __future__ import annotations

from reports.documents.models import Report
from reports.signing.models import RegisterEntry, SignedDraft


def _report_model():
    return Report


def _is_unit_staff(user, report, flag: str) -> bool:
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    staff = getattr(user, "staff", None)
    return staff is not None and staff.unit_id == report.unit_id and getattr(staff, flag)


def can_send(user, report) -> bool:
    Report = _report_model()
    editable = report.status in (Report.Status.DRAFT, Report.Status.RETURNED)
    return editable and _is_unit_staff(user, report, "is_reviewer")


def can_approve(user, report) -> bool:
    return report.status == _report_model().Status.PENDING and _is_unit_staff(user, report, "is_leader")


def _holds_role(user, report, flag: str) -> bool:
    """Signing and issuing need the role itself: a superuser is not a leader or a văn thư."""
    staff = getattr(user, "staff", None) if user is not None and user.is_authenticated else None
    return staff is not None and staff.unit_id == report.unit_id and getattr(staff, flag)


def pending_draft(report) -> SignedDraft | None:
    return SignedDraft.objects.filter(report=report, status=SignedDraft.Status.PENDING).first()


def can_sign(user, report) -> bool:
    """A leader of the unit signs an approved report not yet signed (no signature waiting for a number)."""
    return (report.status == _report_model().Status.APPROVED and _holds_role(user, report, "is_leader")
            and pending_draft(report) is None)


def can_issue(user, report) -> bool:
    """The unit's văn thư gives the number once the leader has signed."""
    return (report.status == _report_model().Status.APPROVED and _holds_role(user, report, "is_clerk")
            and pending_draft(report) is not None)


def can_return(user, report) -> bool:
    Report = _report_model()
    if report.status == Report.Status.PENDING:
        return _is_unit_staff(user, report, "is_leader") or _is_unit_staff(user, report, "is_reviewer")
    if report.status == Report.Status.APPROVED:
        # the leader, or the văn thư who finds a fault before numbering (the leader's signature is voided)
        return _is_unit_staff(user, report, "is_leader") or (
            pending_draft(report) is not None and _holds_role(user, report, "is_clerk"))
    return False


def can_issue_draft(user, draft: SignedDraft) -> bool:
    staff = getattr(user, "staff", None) if user is not None and user.is_authenticated else None
    return (draft.status == SignedDraft.Status.PENDING and staff is not None and staff.is_clerk
            and staff.unit_id == draft.issuing_body.unit_id)


def can_correct(user, entry: RegisterEntry) -> bool:
    """Only a leader of the issuing unit issues a correction of its document."""
    staff = getattr(user, "staff", None) if user is not None and user.is_authenticated else None
    return staff is not None and staff.is_leader and staff.unit_id == entry.issuing_body.unit_id
