from __future__ import annotations


def navigation(request) -> dict:
    """The navigation menu: only what exists and what the user's role may open."""
    from fucai.core.navigation import menu_for

    return {"nav_menu": menu_for(request.user) if request.user.is_authenticated else []}
