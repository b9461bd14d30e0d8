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
    """The adcodes of the cities the user's grant is anchored in: its cities, its counties'
    cities, the cities of its market-manager and owner records."""
    from django.db.models import Q

    from fucai.core.grant import grant_for
    from fucai.geo.models import Division
    from fucai.network.models import MarketManager, StationOwner

    reach = grant_for(user).view
    if reach.is_empty:
        return set()
    city_ids = set(reach.cities)
    city_ids |= set(
        MarketManager.objects.filter(pk__in=reach.persons_of("manager")).values_list(
            "city_id", flat=True
        )
    )
    city_ids |= set(
        StationOwner.objects.filter(pk__in=reach.persons_of("owner")).values_list(
            "city_id", flat=True
        )
    )
    found = Division.objects.filter(Q(pk__in=city_ids) | Q(children__pk__in=reach.counties))
    return set(found.values_list("code", flat=True))
