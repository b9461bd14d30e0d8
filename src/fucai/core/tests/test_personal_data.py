"""Personal data (fucai.core.personal): encrypted at rest, masked by one function everywhere
(pages, exports, API, audit trail), every full view audited, and no oracle in the station import."""

from __future__ import annotations

import io

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook

from fucai.core import personal
from fucai.core.choices import ChangeAction
from fucai.core.context import acting_as
from fucai.core.models import ObjectChange
from fucai.core.personal import ID_NUMBER, NAME, PHONE, equal_to, mask
from fucai.core.tests.test_settings import IMPORT_SETTINGS, start
from fucai.network.exports import stations_workbook
from fucai.network.imports import import_stations
from fucai.network.models import PartnerOrganisation, Station, StationOwner
from fucai.network.tests.test_imports import edited, good_rows

PHONE_1, ID_1 = "13800005678", "360732199001011234"  # the network fixture's owner (赣州)
JJ_PHONE, JJ_ID = "18912347722", "360403198001015678"  # a 九江 owner made here
IMPORT_PHONE, IMPORT_ID = "13712340000", "360702199202021111"  # an owner in stations_good.csv


def _all_stored_text() -> str:
    """Every value of every table, as the database holds it (a dump, as sqlite3 would show)."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        return "\n".join(connection.connection.iterdump())
    quote = connection.ops.quote_name
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {quote(table)}")
            chunks.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(chunks)


@pytest.fixture
def jiujiang_owner(network, jiujiang):
    owner = StationOwner.objects.create(
        name="测试业主戊", phone=JJ_PHONE, id_number=JJ_ID, city=jiujiang
    )
    station = network["stations"]["xunyang"]
    station.owner = owner
    station.save()
    return owner


@pytest.fixture
def partner(ganzhou):
    return PartnerOrganisation.objects.create(name="测试商业集团", city=ganzhou)


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("root", "root@example.invalid", "pw-root-1")


# -- one mask per kind --------------------------------------------------------------------------


def test_each_kind_keeps_its_own_visible_part_and_masking_twice_changes_nothing():
    assert mask("13800005678", PHONE) == "138****5678"
    assert mask("360732199001011234", ID_NUMBER) == "3607**********1234"
    assert mask("张三丰", NAME) == "张**"
    assert mask(mask("13800005678", PHONE), PHONE) == "138****5678"
    assert mask("", PHONE) == ""


# -- encrypted at rest --------------------------------------------------------------------------


def test_no_clear_phone_or_id_number_is_stored_in_any_table(
    client, network, jiujiang_owner, superuser, province_admin, ganzhou_user, partner
):
    with acting_as(province_admin, "web"):
        manager = network["manager"]
        manager.phone = "13512345678"
        manager.save()
    # Through the station import (as a city agency) and through the admin form.
    result = import_stations(io.BytesIO(edited(good_rows(), "x")), "good.csv", ganzhou_user)
    assert result.ok, [str(e) for e in result.errors]
    client.force_login(superuser)
    response = client.post(
        reverse("admin:network_stationowner_add"),
        {
            "name": "测试业主己",
            "phone": "13311112222",
            "id_number": "360702197001011111",
            "city": network["stations"]["zhanggong"].city_id,
        },
    )
    assert response.status_code == 302
    owner = StationOwner.objects.get(name="测试业主己")
    assert (owner.phone, owner.id_number) == ("13311112222", "360702197001011111")

    stored = _all_stored_text()

    for clear in (
        PHONE_1,
        ID_1,
        JJ_PHONE,
        JJ_ID,
        IMPORT_PHONE,
        IMPORT_ID,
        "13512345678",
        "13311112222",
        "360702197001011111",
    ):
        assert clear not in stored
    assert ObjectChange.objects.filter(object_type__model="stationowner").count() >= 4
    assert "138****5678" in stored  # the audit trail keeps the masked value


def test_filtering_on_an_encrypted_value_is_refused_and_the_blind_index_finds_it(network):
    with pytest.raises(FieldError, match="equal_to"):
        list(StationOwner.objects.filter(id_number=ID_1))
    found = StationOwner.objects.filter(equal_to(StationOwner, "id_number", " 3607321990010112 34"))
    assert list(found) == [network["veteran"]]
    assert StationOwner.objects.filter(phone="").count() == 0


def test_rotating_the_key_reencrypts_every_value_so_the_old_key_can_be_dropped(network, settings):
    old = list(settings.FIELD_KEYS)
    new = Fernet.generate_key().decode()
    with override_settings(FIELD_KEYS=[new, *old]):
        call_command("personal-data", "reencrypt", stdout=io.StringIO())
    with override_settings(FIELD_KEYS=[new]):
        owner = StationOwner.objects.get(pk=network["veteran"].pk)
        assert (owner.phone, owner.id_number) == (PHONE_1, ID_1)
        assert list(StationOwner.objects.filter(equal_to(StationOwner, "id_number", ID_1))) == [
            owner
        ]


@pytest.mark.parametrize(
    ("value", "message"),
    [("not-a-key", "FUCAI_FIELD_KEY: key 1 is not a Fernet key"), (" , ", "no key given")],
)
def test_a_bad_field_key_stops_start_up_naming_the_variable(tmp_path, value, message):
    result = start(IMPORT_SETTINGS, tmp_path / "data", FUCAI_FIELD_KEY=value)
    assert result.returncode != 0
    assert message in result.stderr
    assert value.strip(" ,") == "" or value not in result.stderr


def test_without_a_field_key_one_is_generated_once_into_the_data_directory(tmp_path):
    data = tmp_path / "data"
    assert start(IMPORT_SETTINGS, data).returncode == 0
    key = (data / "field_key").read_text()
    assert start(IMPORT_SETTINGS, data).returncode == 0
    assert (data / "field_key").read_text() == key
    Fernet(key.encode())


# -- masked in every view of the audit trail ----------------------------------------------------


def _clear_audit_row(owner) -> None:
    """An audit row as written before personal data was masked in the trail."""
    from django.contrib.contenttypes.models import ContentType

    ObjectChange.objects.create(
        action=ChangeAction.UPDATE,
        object_type=ContentType.objects.get_for_model(StationOwner),
        object_id=str(owner.pk),
        object_repr=owner.name,
        city_id=owner.city_id,
        changes={"phone": [PHONE_1, "13800009999"], "id_number": [None, ID_1]},
    )


def test_the_audit_page_and_its_export_show_owners_phone_and_id_masked(
    client, network, province_admin
):
    with acting_as(province_admin, "web"):
        owner = network["veteran"]
        owner.phone = "13800009999"
        owner.save()
    _clear_audit_row(owner)
    client.force_login(province_admin)

    page = client.get(reverse("core:audit")).content.decode()
    export = client.get(reverse("core:audit"), {"format": "xlsx"})
    cells = " ".join(
        str(c.value)
        for row in load_workbook(io.BytesIO(export.content)).active.iter_rows()
        for c in row
    )

    for shown in (page, cells):
        assert PHONE_1 not in shown and ID_1 not in shown and "13800009999" not in shown
        assert "138****5678" in shown and "3607**********1234" in shown


def test_the_audit_api_masks_with_the_same_function(client, network, province_admin):
    _clear_audit_row(network["veteran"])
    client.force_login(province_admin)
    response = client.get("/api/audit/changes", {"object_type": "network.stationowner"})
    body = response.content.decode()
    assert response.status_code == 200
    assert PHONE_1 not in body and ID_1 not in body
    assert "138****5678" in body


# -- every full view is audited -----------------------------------------------------------------


def test_showing_the_owners_phone_on_the_station_page_is_audited(client, network, ganzhou_user):
    client.force_login(ganzhou_user)
    url = reverse("network:owner_phone", args=["36110214"])

    page = client.get(reverse("network:station_detail", args=["36110214"])).content.decode()
    response = client.post(url, headers={"HX-Request": "true"})

    assert url in page and PHONE_1 not in page
    assert response.status_code == 200
    assert PHONE_1 in response.content.decode()
    viewed = ObjectChange.objects.get(action=ChangeAction.VIEW)
    assert viewed.user_name == "ganzhou_user"
    assert viewed.changes["phone"] == [None, "138****5678"]
    assert viewed.object_id == str(network["veteran"].pk)


def test_only_users_who_may_change_the_station_can_show_the_phone(
    client, network, jiujiang_user, market_manager_user
):
    url = reverse("network:owner_phone", args=["36110214"])
    for user, status in ((jiujiang_user, 404), (market_manager_user, 403)):
        client.force_login(user)
        assert client.post(url).status_code == status
    assert not ObjectChange.objects.filter(action=ChangeAction.VIEW).exists()


def test_opening_an_owner_in_the_admin_is_audited(client, network, superuser):
    client.force_login(superuser)
    owner = network["veteran"]
    response = client.get(reverse("admin:network_stationowner_change", args=[owner.pk]))
    assert response.status_code == 200
    assert PHONE_1 in response.content.decode()
    viewed = ObjectChange.objects.get(action=ChangeAction.VIEW)
    assert set(viewed.changes) == {"phone", "id_number", "reason"}
    assert viewed.changes["id_number"] == [None, "3607**********1234"]


# -- no oracle in the station import ------------------------------------------------------------


def _ganzhou_row_with_owner_id(id_number: str) -> bytes:
    return edited(good_rows(), "36110301", 业主身份证号=id_number)


def test_a_city_dry_run_answers_alike_for_another_citys_id_number_and_an_unknown_one(
    network, jiujiang_owner, ganzhou_user, partner
):
    unknown = "360403198001019999"
    results = [
        import_stations(io.BytesIO(_ganzhou_row_with_owner_id(i)), "x.csv", ganzhou_user, True)
        for i in (JJ_ID, unknown)
    ]
    assert [(r.ok, r.created, [str(e) for e in r.errors]) for r in results] == [(True, 3, [])] * 2


def test_a_city_import_of_another_citys_id_number_makes_a_new_owner_of_its_own_city(
    network, jiujiang_owner, ganzhou_user, partner
):
    result = import_stations(io.BytesIO(_ganzhou_row_with_owner_id(JJ_ID)), "x.csv", ganzhou_user)
    assert result.ok, [str(e) for e in result.errors]
    owners = StationOwner.objects.filter(equal_to(StationOwner, "id_number", JJ_ID))
    assert sorted(o.city.name for o in owners) == ["九江市", "赣州市"]
    jiujiang_owner.refresh_from_db()
    assert jiujiang_owner.name == "测试业主戊"  # the other city's record is untouched


def _jiujiang_file(**cells: str) -> bytes:
    """九江's export of station 36040001 (masked, as a city agency gets it), cells changed."""
    workbook = stations_workbook(Station.objects.filter(code="36040001"))
    sheet = workbook.worksheets[0]
    header = [c.value for c in sheet[1]]
    for name, value in cells.items():
        sheet.cell(row=2, column=header.index(name) + 1, value=value)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _dry_run(user, data: bytes) -> list[str]:
    result = import_stations(io.BytesIO(data), "x.xlsx", user, dry_run=True)
    return [f"{e.column}: {e.message}" for e in result.errors]


def test_a_masked_phone_with_a_guessed_digit_gets_the_same_answer_right_or_wrong(
    network, jiujiang_owner, jiujiang_user
):
    def errors(phone: str) -> list[str]:
        return _dry_run(jiujiang_user, _jiujiang_file(业主电话=phone))

    assert errors("189****7722") == []  # exactly the export's mask: unchanged
    right, wrong = errors("1891***7722"), errors("1890***7722")
    assert right == wrong
    assert len(right) == 1


def test_a_masked_id_number_with_a_guessed_digit_gets_the_same_answer_right_or_wrong(
    network, jiujiang_owner, jiujiang_user
):
    def errors(id_number: str) -> list[str]:
        return _dry_run(jiujiang_user, _jiujiang_file(业主身份证号=id_number))

    assert errors("3604**********5678") == []
    right, wrong = errors("36040*********5678"), errors("36041*********5678")
    assert right == wrong
    assert len(right) == 1


# -- reference tables are audited, bulk replacements too ----------------------------------------


def test_games_brands_and_sales_suspensions_are_audited(db, province_admin):
    import datetime as dt

    from fucai.sales.models import Game, InstantBrand, SalesSuspension

    with acting_as(province_admin, "admin"):
        game = Game.objects.get(code="ssq")
        game.draw_weekdays = "2,4"
        game.save()
        brand = InstantBrand.objects.create(name="测试品牌", game=Game.objects.get(code="instant"))
        SalesSuspension.objects.create(
            name="测试休市", start=dt.date(2030, 2, 1), end=dt.date(2030, 2, 7)
        )
    changes = ObjectChange.objects.filter(user_name="province_admin").order_by("pk")
    assert [(c.object_type.model, c.action) for c in changes] == [
        ("game", "update"),
        ("instantbrand", "create"),
        ("salessuspension", "create"),
    ]
    assert changes[0].changes == {"draw_weekdays": ["2,4,7", "2,4"]}
    assert changes[1].object_id == str(brand.pk)


def test_replacing_a_month_of_ministry_figures_writes_one_audit_row_with_the_counts(db):
    from fucai.sales.models import MofReport

    def rows(n: int) -> list:
        regions = ["江西", "全国", "湖南"][:n]
        return [MofReport(year=2023, month=8, region=r, lottery="welfare") for r in regions]

    MofReport.objects.replace_month(2023, 8, rows(2), source="mof-2023-08.xlsx")
    MofReport.objects.replace_month(2023, 8, rows(3), source="mof-2023-08-b.xlsx")

    records = ObjectChange.objects.filter(object_type__model="mofreport").order_by("pk")
    assert [(r.action, r.object_id, r.changes["rows"]) for r in records] == [
        ("replace", "2023-08", [0, 2]),
        ("replace", "2023-08", [2, 3]),
    ]
    assert records[1].changes["source"] == [None, "mof-2023-08-b.xlsx"]
    assert MofReport.objects.count() == 3


# -- existing rows are migrated -----------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("restore_migrated_data")  # the test ends with an empty database
def test_the_migration_encrypts_existing_clear_values_and_masks_the_trail_so_far():
    from django.db.migrations.executor import MigrationExecutor

    before = [("network", "0001_initial")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    city = old.get_model("geo", "Division").objects.get(code="360700")
    owner = old.get_model("network", "StationOwner").objects.create(
        name="测试业主庚", phone=PHONE_1, id_number=ID_1, city_id=city.pk
    )
    from django.contrib.contenttypes.models import ContentType

    kind = ContentType.objects.get_for_model(StationOwner)
    ObjectChange.objects.create(  # the trail's table is the same before and after
        action="create",
        object_type_id=kind.pk,
        object_id=str(owner.pk),
        object_repr="测试业主庚",
        changes={"phone": [None, PHONE_1], "id_number": [None, ID_1], "name": [None, "测试业主庚"]},
    )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert PHONE_1 not in _all_stored_text() and ID_1 not in _all_stored_text()
    migrated = StationOwner.objects.get(pk=owner.pk)
    assert (migrated.phone, migrated.id_number) == (PHONE_1, ID_1)
    assert StationOwner.objects.filter(equal_to(StationOwner, "id_number", ID_1)).get() == migrated
    trail = ObjectChange.objects.get(object_id=str(owner.pk), object_type_id=kind.pk)
    assert trail.changes == {
        "phone": [None, "138****5678"],
        "id_number": [None, "3607**********1234"],
        "name": [None, "测试业主庚"],
    }


def test_a_tampered_token_is_refused(settings):
    token = personal.encrypt("13800005678")
    tampered = token[:30] + ("A" if token[30] != "A" else "B") + token[31:]
    with pytest.raises(ImproperlyConfigured):
        personal.decrypt(tampered)
