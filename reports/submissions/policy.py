"""Who may do what with a submission that is already within their scope (see core.scoping).

Scoping decides what a user can see at all (anything else is a 404); these rules decide which
buttons a user gets on a submission they can see:

* enter / submit: entry staff (or reviewers) of the unit itself; entry staff and reviewers of an ancestor
  unit on the unit's behalf (recorded as such, with how the figures came: phone, paper, e-mail);
* accept / return / reopen: reviewers of an ancestor unit; a unit's own figures on a plan its own
  body issued (the district's own conferences) are reviewed by the same unit's reviewers.
"""
from __future__ import annotations

from core.scoping import get_staff
from reports.submissions.models import Submission


def _is_below(unit, ancestor) -> bool:
    return unit.path.startswith(ancestor.path) and unit.pk != ancestor.pk


def may_enter(user, submission: Submission) -> bool:
    """May type figures into (and submit) this submission, whatever its status."""
    if user.is_superuser:
        return True
    staff = get_staff(user)
    if staff is None:
        return False
    unit = submission.unit
    if unit.pk == staff.unit_id:
        return staff.is_entry or staff.is_reviewer
    return (staff.is_entry or staff.is_reviewer) and _is_below(unit, staff.unit)


def may_review(user, submission: Submission) -> bool:
    """May accept, return or reopen this submission."""
    if user.is_superuser:
        return True
    staff = get_staff(user)
    if staff is None or not staff.is_reviewer:
        return False
    unit = submission.unit
    if unit.pk == staff.unit_id:
        return submission.plan.issuing_body.unit_id == unit.pk
    return _is_below(unit, staff.unit)


def is_on_behalf(user, unit) -> bool:
    """Whether `user` acts for a unit other than their own."""
    staff = get_staff(user)
    return staff is None or staff.unit_id != unit.pk


def can_edit_now(user, submission: Submission) -> bool:
    return submission.is_editable and may_enter(user, submission)
