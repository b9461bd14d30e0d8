"""The analytics never read stale dimensions or a stale store version."""

from __future__ import annotations

import datetime as dt

import pytest

from fucai.analytics.backends import AnalyticsContext
from fucai.analytics.runners import YearToDateRunner
from fucai.analytics.scope import Scope
from fucai.network.choices import StationScene
from fucai.sales.choices import ImportStatus
from fucai.sales.ingest.importer import import_files, reconcile_interrupted
from fucai.sales.models import SalesImport, SalesSuspension
from fucai.sales.tests.test_analytics import AS_OF, HISTORY

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def imported(network, store, write_csv):
    assert import_files(
        [write_csv("history.csv", HISTORY)], store=store, today=dt.date(2023, 12, 31)
    ).ok
    return store


def test_a_changed_station_is_seen_by_the_next_context(imported, network):
    before = YearToDateRunner(AnalyticsContext("duckdb", imported), Scope.province()).run(
        AS_OF, by="scene"
    )
    assert {g.key: g.amount_fen for g in before.groups}["street"] == 5_500_00
    station = network["stations"]["xunyang"]
    station.scene = StationScene.SUPERMARKET
    station.save()
    after = YearToDateRunner(AnalyticsContext("duckdb", imported), Scope.province()).run(
        AS_OF, by="scene"
    )
    assert {g.key: g.amount_fen for g in after.groups} == {
        "supermarket": 3_500_00,
        "street": 2_000_00,
        "shopping_complex": 1_000_00,
    }


def test_the_kept_context_follows_imports_and_network_changes(
    imported, network, write_csv, settings
):
    settings.ANALYTICS_RECHECK_SECONDS = 0
    first = AnalyticsContext.current("duckdb", imported)
    assert AnalyticsContext.current("duckdb", imported) is first
    total = YearToDateRunner(first, Scope.province()).run(AS_OF).total.amount_fen
    assert import_files(
        [write_csv("more.csv", [["36040001", "2023-09-02", "kl8", "100.00", "50"]])],
        store=imported,
        today=dt.date(2023, 12, 31),
    ).ok
    second = AnalyticsContext.current("duckdb", imported)
    assert second is not first
    assert YearToDateRunner(second, Scope.province()).run(AS_OF).total.amount_fen == total + 100_00
    network["stations"]["lushan"].transition("suspended", dt.date(2023, 9, 1))
    assert AnalyticsContext.current("duckdb", imported) is not second


def test_results_are_memoised_per_store_version(imported):
    context = AnalyticsContext("duckdb", imported)
    runner = YearToDateRunner(context, Scope.province())
    assert runner.run(AS_OF, by=["city"]) is runner.run(AS_OF, by=("city",))
    assert runner.run(AS_OF) is not YearToDateRunner(context, Scope.city("360700")).run(AS_OF)


def test_an_import_left_running_by_a_killed_process_is_settled(imported):
    applied = SalesImport.objects.get()
    orphan = SalesImport.objects.create(file_name="killed.csv", file_sha256="0" * 64, kind="daily")
    SalesImport.objects.filter(pk=applied.pk).update(status=ImportStatus.RUNNING)
    assert reconcile_interrupted(imported, batch=orphan.batch.__class__(int=0)) == 2
    assert (
        SalesImport.objects.get(pk=applied.pk).status == ImportStatus.SUCCEEDED
    )  # in the manifest
    assert SalesImport.objects.get(pk=orphan.pk).status == ImportStatus.INTERRUPTED


def test_an_import_waiting_for_the_store_lock_is_not_settled_as_interrupted_by_another(
    network, store, write_csv, monkeypatch
):
    """Its records are made once it holds the lock: while it waits it has none, so another
    import's start (which settles records left running) cannot mark it interrupted."""
    locked = store.locked
    seen: list[int] = []

    def locked_after_looking(*args, **kwargs):
        seen.append(SalesImport.objects.count())
        return locked(*args, **kwargs)

    monkeypatch.setattr(store, "locked", locked_after_looking)
    rows = [["36040001", "2023-08-01", "即开票", "5.00", "1"]]
    outcome = import_files([write_csv("one.csv", rows)], store=store, today=dt.date(2023, 12, 31))
    assert outcome.ok
    assert seen == [0]  # no record before the lock
    assert SalesImport.objects.get().status == ImportStatus.SUCCEEDED


def test_a_closure_added_in_the_admin_applies_to_the_next_import(network, store, write_csv):
    SalesSuspension.objects.create(
        name="台风停售",
        kind="other",
        start=dt.date(2023, 8, 1),
        end=dt.date(2023, 8, 2),
        draw_games_stop=True,
        instant_stops=True,
    )
    rows = [["36040001", "2023-08-01", "即开票", "5.00", "1"]]
    outcome = import_files([write_csv("storm.csv", rows)], store=store, today=dt.date(2023, 12, 31))
    assert [e.code for e in outcome.errors] == ["suspended"]


def test_a_new_process_takes_a_recently_confirmed_snapshot_without_rebuilding_it(
    imported, network, monkeypatch
):
    from fucai.sales import dimensions

    first = dimensions.current_dimensions(imported)
    built = []
    real = dimensions.build_dimension_tables
    monkeypatch.setattr(dimensions, "build_dimension_tables", lambda: built.append(1) or real())
    assert dimensions.current_dimensions(imported) == first  # same signature, just confirmed
    assert built == []
    station = network["stations"]["xunyang"]
    station.scene = StationScene.SUPERMARKET
    station.save()  # through the ORM: the signature moves, the next process checks in full
    second = dimensions.current_dimensions(imported)
    assert built == [1] and second.fingerprint != first.fingerprint
    assert dimensions.current_dimensions(imported, full=True) == second  # refresh-dimensions
    assert built == [1, 1]


def test_a_confirmation_older_than_the_full_check_interval_is_checked_again(
    imported, network, monkeypatch
):
    from fucai.analytics.backends import FULL_CHECK_SECONDS
    from fucai.sales import dimensions

    dimensions.current_dimensions(imported)
    later = dimensions.time.time() + FULL_CHECK_SECONDS + 1
    monkeypatch.setattr(dimensions.time, "time", lambda: later)
    built = []
    real = dimensions.build_dimension_tables
    monkeypatch.setattr(dimensions, "build_dimension_tables", lambda: built.append(1) or real())
    dimensions.current_dimensions(imported)
    assert built == [1]
