"""Fixtures for the submission tests: the demo data set and its users."""
from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model


@pytest.fixture
def demo(db):
    """The full demo data set (hierarchy, users, plans, seed 004 figures, the open plan 251-CV/BTGHU)."""
    from demo.seed import run_demo_seed

    run_demo_seed()


@pytest.fixture
def user_named(demo):
    def get(username: str):
        return get_user_model().objects.select_related("staff__unit").get(username=username)

    return get


@pytest.fixture
def open_plan(demo):
    from reports.plans.models import Plan

    return Plan.objects.get(reference="251-CV/BTGHU")


@pytest.fixture
def khun_ha_draft(open_plan):
    from reports.submissions.models import Submission

    return Submission.objects.get(plan=open_plan, unit__code="tam-duong-khun-ha")


@pytest.fixture
def binh_lu_submitted(open_plan):
    from reports.submissions.models import Submission

    return Submission.objects.get(plan=open_plan, unit__code="tam-duong-binh-lu")
