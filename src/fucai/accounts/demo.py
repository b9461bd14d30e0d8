"""The demo's users: one per role, all with the documented demo password.

Demo users are recognised by their e-mail domain (an `.invalid` domain that can never receive
mail), so `fucai demo` replaces them but never touches anyone else's account.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.core.management.base import CommandError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fucai.accounts.choices import Role

DEMO_PASSWORD = "fucai-demo"
DEMO_EMAIL_DOMAIN = "demo.fucai.invalid"
SPECIAL_STATION_CODE = "36110214"


@dataclass(frozen=True)
class DemoUser:
    username: str
    roles: tuple[str, ...]
    description: object
    superuser: bool = False
    city_code: str = ""  # the agency the account belongs to, and the city of its city roles
    anchor: str = ""  # "manager" or "owner": anchored to station 36110214's manager or owner

    @property
    def email(self) -> str:
        return f"{self.username}@{DEMO_EMAIL_DOMAIN}"


DEMO_USERS = (
    DemoUser(
        "admin",
        (Role.PROVINCE,),
        _("provincial centre (superuser)"),
        superuser=True,
    ),
    DemoUser(
        "ganzhou",
        (Role.CITY, Role.ADMIN, Role.PARTY),
        _("赣州 city agency, its user administrator and Party secretary"),
        city_code="360700",
    ),
    DemoUser(
        "jiujiang",
        (Role.CITY,),
        _("九江 city agency"),
        city_code="360400",
    ),
    DemoUser(
        "manager",
        (Role.MANAGER,),
        _("market manager of the 赣州 territory of station 36110214"),
        anchor="manager",
    ),
    DemoUser(
        "owner",
        (Role.OWNER,),
        _("owner of station 36110214 (兴国县)"),
        anchor="owner",
    ),
    DemoUser("party", (Role.PARTY,), _("Party affairs, whole province")),
    DemoUser(
        "welfare",
        (Role.WELFARE,),
        _("赣州 welfare officer (public-welfare grants and their beneficiaries)"),
        city_code="360700",
    ),
)


DEMO_NAMES = tuple(spec.username for spec in DEMO_USERS)


def demo_users_exist() -> bool:
    from fucai.accounts.models import User

    return User.objects.filter(email__endswith=f"@{DEMO_EMAIL_DOMAIN}").exists()


def expected_anchors() -> dict[str, int | None]:
    """The ids the demo users hang off: cities, and station 36110214's current manager and owner."""
    from django.utils import timezone

    from fucai.geo.models import Division
    from fucai.network.models import Station, StationAssignment

    station = Station.objects.filter(code=SPECIAL_STATION_CODE).first()
    assignment = (
        StationAssignment.objects.active_on(timezone.localdate()).filter(station=station).first()
        if station
        else None
    )
    cities = dict(Division.objects.cities().values_list("code", "pk"))
    return {
        "manager": assignment.manager_id if assignment else None,
        "owner": station.owner_id if station else None,
        **{code: pk for code, pk in cities.items()},
    }


def split_name(name: str) -> tuple[str, str]:
    """(surname, given name) of a generated name (欧阳 is the one two-character surname)."""
    from fucai.network.demo.names import SURNAMES

    cut = 2 if name[:2] in SURNAMES else 1
    return name[:cut], name[cut:]


def display_names(seed: int, anchors: dict[str, int | None]) -> dict[str, tuple[str, str]]:
    """username -> fictional (surname, given name): the manager's and the owner's accounts carry
    the names of the market manager and the owner they are, the others names drawn from the
    seed (as the demo's owners and managers are: see network/demo/names.py)."""
    from fucai.network.demo.names import person_name
    from fucai.network.demo.plan import rng_for
    from fucai.network.models import MarketManager, StationOwner

    people = {
        "manager": MarketManager.objects.filter(pk=anchors["manager"]).first(),
        "owner": StationOwner.objects.filter(pk=anchors["owner"]).first(),
    }
    rng = rng_for(seed, "users")
    drawn = {spec.username: person_name(rng) for spec in DEMO_USERS}
    return {
        spec.username: split_name(
            people[spec.anchor].name if people.get(spec.anchor) else drawn[spec.username]
        )
        for spec in DEMO_USERS
    }


def user_fields(spec: DemoUser, anchors: dict[str, int | None], names: dict) -> dict:
    return {
        "email": spec.email,
        "last_name": names[spec.username][0],
        "first_name": names[spec.username][1],
        "is_superuser": spec.superuser,
        "is_staff": spec.superuser,
        "is_active": True,
        "city_id": anchors[spec.city_code] if spec.city_code else None,
    }


def role_rows(spec: DemoUser, anchors: dict[str, int | None]) -> set[tuple]:
    """(role, city, market manager, owner) of each of the demo user's role assignments."""
    city = anchors[spec.city_code] if spec.city_code else None
    return {
        (
            role,
            city if role in (Role.CITY, Role.ADMIN, Role.PARTY, Role.WELFARE) else None,
            anchors["manager"] if role == Role.MANAGER else None,
            anchors["owner"] if role == Role.OWNER else None,
        )
        for role in spec.roles
    }


def stored_role_rows(user) -> set[tuple]:
    return {
        (a.role, a.city_id, a.market_manager_id, a.station_owner_id)
        for a in user.role_assignments.all()
    }


class DemoUsersBuilder:
    """admin, ganzhou, jiujiang, manager, owner and party, password `fucai-demo`."""

    label = _("demo users")

    def is_current(self, ctx) -> bool:
        from fucai.accounts.models import User

        anchors = expected_anchors()
        names = display_names(ctx.seed, anchors)
        stored = {
            u.username: u for u in User.objects.filter(email__endswith=f"@{DEMO_EMAIL_DOMAIN}")
        }
        if sorted(stored) != sorted(spec.username for spec in DEMO_USERS):
            return False
        return all(
            getattr(stored[spec.username], field) == value
            for spec in DEMO_USERS
            for field, value in user_fields(spec, anchors, names).items()
        ) and all(
            stored_role_rows(stored[spec.username]) == role_rows(spec, anchors)
            for spec in DEMO_USERS
        )

    def foreign_data(self, ctx) -> str | None:
        from fucai.accounts.models import User

        taken = (
            User.objects.filter(username__in=[u.username for u in DEMO_USERS])
            .exclude(email__endswith=f"@{DEMO_EMAIL_DOMAIN}")
            .values_list("username", flat=True)
        )
        if taken:
            return gettext(
                "user(s) %(names)s exist and are not demo users; rename or remove them first"
            ) % {"names": ", ".join(sorted(taken))}
        return None

    def wipe(self, ctx) -> None:
        from fucai.accounts.models import User

        User.objects.filter(email__endswith=f"@{DEMO_EMAIL_DOMAIN}").delete()

    def build(self, ctx) -> None:
        from fucai.accounts.models import RoleAssignment, User

        anchors = expected_anchors()
        missing = [key for key in ("manager", "owner") if anchors[key] is None]
        if missing:
            raise CommandError(
                gettext("the demo network has no %(what)s for station %(code)s")
                % {"what": " / ".join(missing), "code": SPECIAL_STATION_CODE}
            )
        password = make_password(DEMO_PASSWORD)  # hashed once: the demo password is public anyway
        names = display_names(ctx.seed, anchors)
        users = [
            User(username=spec.username, password=password, **user_fields(spec, anchors, names))
            for spec in DEMO_USERS
        ]
        User.objects.bulk_create(users)
        by_name = {u.username: u for u in User.objects.filter(username__in=list(DEMO_NAMES))}
        RoleAssignment.objects.bulk_create(
            RoleAssignment(
                user=by_name[spec.username],
                role=role,
                city_id=city,
                market_manager_id=manager,
                station_owner_id=owner,
            )
            for spec in DEMO_USERS
            for role, city, manager, owner in sorted(role_rows(spec, anchors))
        )
        ctx.progress(gettext("demo users"), len(users))

    def logins(self) -> list[tuple[str, str, str]]:
        """(username, password, what the user is) for the command's closing message."""
        return [(spec.username, DEMO_PASSWORD, str(spec.description)) for spec in DEMO_USERS]
