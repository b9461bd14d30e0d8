"""The audit trail (fucai.core.audit): every create, change and delete of master data is recorded
by signals with who, from where, and field by field what changed; the trail is scoped."""

from __future__ import annotations

import datetime as dt
import json

from django.contrib.contenttypes.models import ContentType
from django.test import Client, RequestFactory
from django.utils import timezone

from fucai.accounts.models import ApiToken
from fucai.cli import main as fucai_main
from fucai.conftest import make_station
from fucai.core.context import acting_as
from fucai.core.middleware import CurrentUserMiddleware
from fucai.core.models import ObjectChange
from fucai.network.models import PartnerOrganisation, Station, StationOwner


def changes_of(obj) -> list[ObjectChange]:
    """The records of one object, oldest first."""
    kind = ContentType.objects.get_for_model(obj)
    return list(
        ObjectChange.objects.filter(object_type=kind, object_id=str(obj.pk)).order_by("time", "pk")
    )


def test_creating_a_station_records_every_field_with_user_source_and_city(
    network, ganzhou_user, ganzhou
):
    with acting_as(ganzhou_user, "web"):
        station = make_station("36110300", "360732", opened=None, staff=4)
    [record] = changes_of(station)
    assert (record.action, record.user, record.user_name, record.source) == (
        "create",
        ganzhou_user,
        "ganzhou_user",
        "web",
    )
    assert (record.city, record.station_id) == (ganzhou, station.pk)
    assert record.object_repr == "36110300 兴国县0300投注站"
    assert record.changes["code"] == [None, "36110300"]
    assert record.changes["staff_count"] == [None, 4]
    assert record.changes["lon"] == [None, str(station.lon)]
    assert "created" not in record.changes and "updated" not in record.changes


def test_changing_a_station_records_only_the_changed_fields_before_and_after(network, ganzhou_user):
    station = Station.objects.get(code="36110001")
    station.address, station.staff_count = "章贡区红旗大道1号", 5
    with acting_as(ganzhou_user, "web"):
        station.save()
    record = changes_of(station)[-1]
    assert record.action == "update"
    assert record.changes == {
        "address": ["章贡区人民路001号", "章贡区红旗大道1号"],
        "staff_count": [2, 5],
    }


def test_a_save_without_change_records_nothing(network, ganzhou_user):
    station = Station.objects.get(code="36110001")
    owner = StationOwner.objects.get()
    before = ObjectChange.objects.count()
    with acting_as(ganzhou_user, "web"):
        station.save()
        owner.save()
    assert ObjectChange.objects.count() == before


def test_deleting_a_station_records_its_last_values(network, ganzhou_user):
    station = make_station("36110300", "360732", opened=None)
    pk = station.pk
    with acting_as(ganzhou_user, "web"):
        station.delete()
    record = ObjectChange.objects.filter(
        object_id=str(pk), action="delete", object_type__model="station"
    ).get()
    assert record.user == ganzhou_user
    assert record.changes["code"] == ["36110300", None]
    assert record.city.code == "360700"


def test_a_status_change_is_recorded_with_the_station_for_scope(network, ganzhou_user):
    station = Station.objects.get(code="36110214")
    with acting_as(ganzhou_user, "web"):
        change = station.transition("suspended", dt.date(2023, 10, 1), user=ganzhou_user)
    [record] = changes_of(change)
    assert (record.action, record.station_id, record.city.code) == ("create", station.pk, "360700")
    assert record.changes["status"] == [None, "suspended"]
    assert changes_of(station)[-1].changes["status"] == ["open", "suspended"]


def test_an_owners_create_change_and_delete_are_recorded(network, ganzhou_user, ganzhou):
    with acting_as(ganzhou_user, "web"):
        owner = StationOwner.objects.create(name="测试业主丁", phone="13700001111", city=ganzhou)
        owner.phone = "13700002222"
        owner.is_party_member = True
        owner.save()
        pk = owner.pk
        owner.delete()
    records = ObjectChange.objects.filter(
        object_type__model="stationowner", object_id=str(pk)
    ).order_by("pk")
    assert [r.action for r in records] == ["create", "update", "delete"]
    assert records[1].changes == {
        "phone": ["137****1111", "137****2222"],
        "is_party_member": [False, True],
    }
    assert records[2].changes["name"] == ["测试业主丁", None]
    assert {r.city_id for r in records} == {ganzhou.pk}
    assert {r.user_name for r in records} == {"ganzhou_user"}


def test_a_partners_create_change_and_delete_are_recorded(network, jiujiang_user, jiujiang):
    with acting_as(jiujiang_user, "web"):
        partner = PartnerOrganisation.objects.create(name="九江商业集团", city=jiujiang)
        partner.contact_name = "测试联系人"
        partner.save()
        pk = partner.pk
        partner.delete()
    records = ObjectChange.objects.filter(
        object_type__model="partnerorganisation", object_id=str(pk)
    )
    assert [r.action for r in records.order_by("pk")] == ["create", "update", "delete"]
    # the contact is personal data: the trail keeps it masked
    assert records.get(action="update").changes == {"contact_name": ["", "测****"]}
    assert {r.city_id for r in records} == {jiujiang.pk}


def test_a_web_request_records_its_user_with_source_web(network, ganzhou_user):
    request = RequestFactory().post("/network/stations/36110001/edit")
    request.user = ganzhou_user

    def view(request):
        station = Station.objects.get(code="36110001")
        station.brand = "临川四梦"
        station.save()

    CurrentUserMiddleware(view)(request)
    record = changes_of(Station.objects.get(code="36110001"))[-1]
    assert (record.user, record.source, record.changes) == (
        ganzhou_user,
        "web",
        {"brand": ["", "临川四梦"]},
    )


def test_a_change_through_the_api_records_the_api_user(network, ganzhou_user):
    _, key = ApiToken.issue(ganzhou_user, "audit-test")
    response = Client().patch(
        "/api/network/stations/36110002",
        json.dumps({"terminal_count": 3}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )
    assert response.status_code == 200, response.content
    record = changes_of(Station.objects.get(code="36110002"))[-1]
    assert (record.user, record.user_name, record.source) == (ganzhou_user, "ganzhou_user", "api")
    assert record.changes == {"terminal_count": [1, 3]}


def test_a_transition_through_the_api_records_the_api_user(network, ganzhou_user):
    _, key = ApiToken.issue(ganzhou_user, "audit-test")
    Client().post(
        "/api/network/stations/36110002/transitions",
        json.dumps({"status": "closed", "date": "2023-09-30"}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )
    record = ObjectChange.objects.filter(object_type__model="stationstatuschange").latest("pk")
    assert (record.user, record.source, record.changes["status"]) == (
        ganzhou_user,
        "api",
        [None, "closed"],
    )


def test_a_command_records_source_command(network, jiujiang, monkeypatch):
    # `fucai <command>` runs the command inside acting_as(None, "command"); the command itself is
    # replaced here because a real one closes the database connection when it ends.
    class Command:
        def __init__(self, argv):
            assert argv == ["fucai", "anything"]

        def execute(self):
            PartnerOrganisation.objects.create(name="命令伙伴", city=jiujiang)

    monkeypatch.setattr("fucai.cli.utility", Command)
    fucai_main(["anything"])
    record = ObjectChange.objects.get(object_repr="命令伙伴")
    assert (record.source, record.user, record.action) == ("command", None, "create")


def test_a_change_with_no_actor_is_recorded_as_system(network, jiujiang):
    partner = PartnerOrganisation.objects.create(name="无人伙伴", city=jiujiang)
    assert [(r.source, r.user) for r in changes_of(partner)] == [("system", None)]


def test_a_ganzhou_user_sees_no_jiujiang_changes(network, ganzhou_user, jiujiang_user):
    visible = ObjectChange.objects.restrict(ganzhou_user)
    assert visible.exists()
    assert set(visible.values_list("city__code", flat=True)) == {"360700"}
    jiujiang_station_ids = set(
        Station.objects.filter(city__code="360400").values_list("pk", flat=True)
    )
    assert not visible.filter(station_id__in=jiujiang_station_ids).exists()
    assert ObjectChange.objects.restrict(jiujiang_user).filter(city__code="360700").count() == 0
    # accounts' changes follow user administration (test_scope), not the network's scope
    with_a_city = (
        ObjectChange.objects.exclude(city=None).exclude(object_type__app_label="accounts").count()
    )
    assert visible.count() + ObjectChange.objects.restrict(jiujiang_user).count() == with_a_city


def test_a_manager_sees_the_changes_of_their_stations_only(network, market_manager_user):
    visible = ObjectChange.objects.restrict(market_manager_user)
    xingguo = network["stations"]["xingguo"]
    assert set(visible.values_list("station_id", flat=True)) == {xingguo.pk}
    # The station (created, then its status updated), its status changes and its assignment,
    # and its 四帮 plan (made on entering 规划) with its tasks (re-dated when it opened).
    kinds = set(visible.values_list("object_type__model", flat=True))
    assert kinds == {
        "station",
        "stationstatuschange",
        "stationassignment",
        "onboardingplan",
        "onboardingtask",
    }
    network["manager"].assignments.update(valid_to=timezone.localdate() - dt.timedelta(days=1))
    next_request_user = type(market_manager_user).objects.get(pk=market_manager_user.pk)
    assert not ObjectChange.objects.restrict(next_request_user).exists()


def test_an_owner_sees_the_changes_of_their_station_only(network, owner_user):
    visible = ObjectChange.objects.restrict(owner_user)
    assert set(visible.values_list("station_id", flat=True)) == {network["stations"]["xingguo"].pk}


def test_the_stored_object_text_is_in_the_default_language_whatever_the_users(
    ganzhou, ganzhou_welfare
):
    from django.utils import translation

    from fucai.welfare.models import Grant, Project

    project = Project.objects.create(
        city=ganzhou, name="测试项目", kind="other", budget_fen=100, source_year=2023
    )
    with translation.override("en"), acting_as(ganzhou_welfare, "web"):
        grant = Grant.objects.create(
            project=project,
            recipient_kind="organisation",
            organisation="测试养老院",
            year=2023,
            amount_fen=100,
            applied_on=dt.date(2023, 5, 2),
            entered_by=ganzhou_welfare,
        )
        assert str(grant) == f"Grant {grant.pk}"  # the user reads English
    [record] = changes_of(grant)
    assert record.object_repr == f"资助 {grant.pk}"


def test_a_personal_data_shown_record_reads_what_was_shown_and_where_not_as_a_change(
    client, network, ganzhou_user
):
    from django.urls import reverse

    from fucai.core.templatetags.fucai_ui import describe_changes

    client.force_login(ganzhou_user)
    client.post(reverse("network:owner_phone", args=["36110214"]), headers={"HX-Request": "true"})
    [record] = ObjectChange.objects.filter(action="view")
    rows = describe_changes(record, user=ganzhou_user)
    assert [(r["field"], r["shown"]) for r in rows] == [
        ("电话", "138****5678"),
        ("查看位置", "站点页面"),
    ]
    page = client.get("/audit/?action=view").content.decode()
    assert "查看位置" in page and "站点页面" in page and "— → 138" not in page
