"""A grant's page and its project's in real Chromium at 390 × 844 (a phone): the recipient
masked, the steps in order with who did each, the step form; the project's figures, status
history and move form; nothing wider than the screen.

Screenshots: test-artifacts/welfare-grant-phone.png, welfare-project-phone.png.
Skipped without Chromium, unless
FUCAI_REQUIRE_BROWSER=1 (fucai.core.testing.browser)."""

from __future__ import annotations

import datetime as dt

from fucai.accounts.choices import Role
from fucai.conftest import make_user
from fucai.core.testing.browser import BROWSER_MARKS, log_in, shot
from fucai.welfare import workflow
from fucai.welfare.models import Household

PHONE = {"width": 390, "height": 844}

pytestmark = BROWSER_MARKS


def test_a_grants_steps_and_its_projects_page_fit_a_phone(
    live_server, ganzhou, ganzhou_welfare, browser_page
):
    clerk, reviewer = (make_user(n, Role.WELFARE, city=ganzhou) for n in ("clerk", "reviewer"))
    clerk.first_name, clerk.last_name = "小红", "李"
    clerk.save()
    draft = workflow.ProjectDraft(
        ganzhou, "2023年赣州市困难家庭公益金救助", "household_aid", 40_000_000, 2023
    )
    project = workflow.create_project(
        ganzhou_welfare, draft, status="open", on=dt.date(2023, 2, 1), note="局务会立项"
    )
    household = Household.objects.create(
        city=ganzhou,
        village="兴国县东坑村",
        name="测试浏览甲",
        id_number="360732198001011230",
        phone="19900005555",
    )
    grant = workflow.apply(
        clerk,
        project,
        amount_fen=105_000,
        applied_on=dt.date(2023, 8, 14),
        household=household,
        note="村委会推荐",
    )
    workflow.review(reviewer, grant, dt.date(2023, 8, 19), "材料齐全，情况属实")
    workflow.approve(ganzhou_welfare, grant, dt.date(2023, 8, 28), "同意")

    page, base = browser_page, live_server.url
    log_in(page, base, "ganzhou_welfare")
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/welfare/grants/{grant.pk}/")
    steps = page.locator("#grant-steps li").all_inner_texts()
    assert [s.split(" · ")[0].strip() for s in steps] == ["申请", "审核", "审批"]
    assert "李小红" in steps[0] and "村委会推荐" in steps[0]
    facts = page.inner_text("#grant-facts")
    assert "测****" in facts and "1,050.00" in facts and "测试浏览甲" not in facts
    assert page.inner_text("#payment-refusal").strip() == "该资助尚未公示。"
    width = page.evaluate("() => document.scrollingElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width} px wide"
    assert page.js_errors == []
    shot(page, "welfare-grant-phone")

    page.goto(f"{base}/welfare/projects/{project.pk}/")
    assert page.locator("#project-steps li").all_inner_texts() == [
        "2023-02-01 · 实施中 · ganzhou_welfare · 局务会立项"
    ]
    figures = page.inner_text("#project-figures")
    assert "400,000.00" in figures and "1,050.00" in figures  # budget, committed
    options = page.locator("#project-move-form select option").all_inner_texts()
    assert [o for o in options if o.strip("-").strip()] == ["已完成", "已结项"]
    width = page.evaluate("() => document.scrollingElement.scrollWidth")
    assert width <= PHONE["width"], f"the project page is {width} px wide"
    assert page.js_errors == []
    shot(page, "welfare-project-phone")
