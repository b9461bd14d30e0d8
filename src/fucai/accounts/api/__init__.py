"""The accounts part of the API: who am I, and what do I see."""

from __future__ import annotations

from ninja import Router, Schema

from fucai.core.api.auth import auth_user

router = Router(tags=["accounts"])


class MeOut(Schema):
    username: str
    roles: list[str]
    roles_label: str
    scope: str
    city: str | None
    can_edit: bool


@router.get("/me", response=MeOut, summary="The calling user and their scope")
def me(request):
    user = auth_user(request)
    return {
        "username": user.username,
        "roles": sorted({a.role for a in user.role_assignments.all()}),
        "roles_label": user.roles_label,
        "scope": user.scope_label,
        "city": user.city.code if user.city_id else None,
        "can_edit": user.can_edit_master_data,
    }
