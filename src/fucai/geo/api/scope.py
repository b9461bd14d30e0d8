"""Which cities' map a user sees: the geographic face of the row scope in fucai.core.scope."""

from __future__ import annotations

from fucai.accounts.choices import Role


def visible_city_codes(user) -> set[str] | None:
    """Adcodes of the cities whose boundaries the user's maps show; None means the whole province.

    Province (and a Party user without a city): everything. City agency (and a city's Party user):
    their city. Market manager and station owner: their own city and the cities of the stations
    they see. Anyone else, inactive or anonymous: nothing.
    """
    from fucai.network.models import Station

    if user is None or not user.is_authenticated or not user.is_active:
        return set()
    if user.is_provincial:
        return None
    if user.role in (Role.CITY, Role.PARTY) and user.city_id:
        return {user.city.code}
    if user.role == Role.PARTY:
        return None
    codes = set(Station.objects.restrict(user).values_list("city__code", flat=True).distinct())
    anchor = _anchor_city(user)
    return codes | {anchor} if anchor else codes


def _anchor_city(user) -> str | None:
    if user.role == Role.MANAGER and user.market_manager_id:
        return user.market_manager.city.code
    if user.role == Role.OWNER and user.station_owner_id:
        return user.station_owner.city.code
    return None
