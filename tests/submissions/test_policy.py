"""Who gets which buttons on a submission they can see (reports.submissions.policy)."""
from __future__ import annotations

from django.urls import reverse

from reports.submissions import policy
from reports.submissions.models import Submission


def test_buttons_by_role(user_named, khun_ha_draft):
    own_entry = user_named("tam-duong-khun-ha.entry")
    own_reviewer = user_named("tam-duong-khun-ha.reviewer")
    own_leader = user_named("tam-duong-khun-ha.leader")
    district_entry = user_named("tam-duong.entry")
    district_reviewer = user_named("tam-duong.reviewer")
    province_reviewer = user_named("lai-chau.reviewer")
    assert policy.may_enter(own_entry, khun_ha_draft) and not policy.may_review(own_entry, khun_ha_draft)
    assert policy.may_enter(own_reviewer, khun_ha_draft) and not policy.may_review(own_reviewer, khun_ha_draft)
    assert not policy.may_enter(own_leader, khun_ha_draft)
    assert policy.may_enter(district_entry, khun_ha_draft)  # on behalf: entry staff and reviewers above (issue 16)
    assert policy.may_enter(district_reviewer, khun_ha_draft) and policy.may_review(district_reviewer, khun_ha_draft)
    assert policy.may_review(province_reviewer, khun_ha_draft)  # an ancestor too
    assert policy.is_on_behalf(district_reviewer, khun_ha_draft.unit)
    assert not policy.is_on_behalf(own_entry, khun_ha_draft.unit)


def test_district_reviews_its_own_figures_on_its_own_plan(user_named):
    own = Submission.objects.get(plan__reference="120-CV/BTGHU", unit__code="tam-duong")
    assert policy.may_review(user_named("tam-duong.reviewer"), own)
    assert policy.may_enter(user_named("tam-duong.entry"), own)


def test_officer_starts_the_own_unit_submission_from_the_list(client, user_named, open_plan):
    officer = user_named("tam-duong-phong-noi-vu.entry")
    client.force_login(officer)
    html = client.get(reverse("submissions:list")).content.decode()
    start = reverse("submissions:start", args=[open_plan.pk, "tam-duong-phong-noi-vu"])
    assert start in html and "Bắt đầu nhập" in html
    response = client.post(start)
    sub = Submission.objects.get(plan=open_plan, unit__code="tam-duong-phong-noi-vu")
    assert response.status_code == 302
    assert not sub.events.get(action="create").on_behalf
    assert start not in client.get(reverse("submissions:list")).content.decode()
