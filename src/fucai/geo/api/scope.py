"""Which cities' map a user sees: the geographic face of the row scope in fucai.core.scope."""

from __future__ import annotations


def visible_city_codes(user) -> set[str] | None:
    """Adcodes of the cities whose boundaries the user's maps show; None means the whole province.

    Derived from the stations' row scope (fucai.core.scope), not restated: unrestricted there
    (the provincial centre, a Party user without a city) means the whole province; otherwise the
    cities of the stations the user sees, plus the user's own city (a city agency's or Party
    user's, a market manager's, a station owner's), so that their map is there before any
    station is. Anyone else, inactive or anonymous: nothing.
    """
    from fucai.core.scope import scope_q
    from fucai.network.models import Station

    if scope_q(Station, user) is None:
        return None
    codes = set(Station.objects.restrict(user).values_list("city__code", flat=True).distinct())
    return codes | _home_cities(user)


def _home_cities(user) -> set[str]:
    """The adcodes of the cities the user belongs to: their own, their market manager's, their
    station owner's."""
    if user is None or not user.is_authenticated or not user.is_active:
        return set()
    cities = (
        user.city,
        getattr(user.market_manager, "city", None),
        getattr(user.station_owner, "city", None),
    )
    return {city.code for city in cities if city is not None}
