"""`{% onboarding_section station %}` on the station page and `{% my_overdue_onboarding %}` on
the landing page (the network overview): the 四帮 plan and the user's own overdue tasks, both
read through the user's scope (fucai.network.onboarding)."""

from __future__ import annotations

from django import template
from django.utils import timezone

register = template.Library()

MY_OVERDUE_SHOWN = 10


@register.inclusion_tag("network/includes/onboarding_section.html", takes_context=True)
def onboarding_section(context, station):
    from fucai.network import onboarding
    from fucai.network.onboarding_views import plan_tasks, task_rows

    user = context["request"].user
    tasks = plan_tasks(user, station)
    return {
        "station": station,
        "rows": task_rows(tasks, timezone.localdate()),
        "refusal": onboarding.opening_refusal(station, "open") if tasks else None,
    }


@register.inclusion_tag("network/includes/my_onboarding.html", takes_context=True)
def my_overdue_onboarding(context):
    from fucai.network import onboarding
    from fucai.network.forms import default_as_of

    user = context["request"].user
    day = default_as_of()  # the day the overview opens on
    overdue = onboarding.my_tasks(user).filter(onboarding.overdue_q(day)).order_by("due_on", "pk")
    return {"mine": list(overdue[:MY_OVERDUE_SHOWN]), "count": overdue.count()}
