"""Fixtures of the welfare tests: the sales tests' store fixtures (the fund raised is computed
from a small sales store); 赣州's three welfare officers, a project, a household."""

from __future__ import annotations

import pytest

from fucai.accounts.choices import Role
from fucai.conftest import make_user
from fucai.sales.tests.conftest import store, write_csv  # noqa: F401
from fucai.welfare.models import Household, Project

GZ_NAME, GZ_ID, GZ_PHONE = "测试受助甲", "360732198001011230", "19900003333"
GZ_ADDRESS = "兴国县测试镇测试村5号"


@pytest.fixture
def officers(ganzhou):
    """赣州's three welfare officers: an entrant, a reviewer, an approver."""
    return [make_user(f"gz_welfare_{n}", Role.WELFARE, city=ganzhou) for n in ("a", "b", "c")]


@pytest.fixture
def project(ganzhou):
    return Project.objects.create(
        city=ganzhou,
        name="测试困难家庭救助",
        kind="household_aid",
        budget_fen=300_000,
        source_year=2023,
    )


@pytest.fixture
def household(ganzhou):
    return Household.objects.create(
        city=ganzhou,
        village="测试村",
        name=GZ_NAME,
        id_number=GZ_ID,
        phone=GZ_PHONE,
        address=GZ_ADDRESS,
        circumstances="测试因病致困",
    )
