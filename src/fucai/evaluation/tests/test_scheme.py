"""The scheme document: the seed schemes validate, and a missing method setting is an error
naming its path in the document (issue 13 point 2)."""

from __future__ import annotations

import copy

import pytest

from fucai.evaluation.scheme import SchemeError, load_scheme, validate_scheme
from fucai.evaluation.tests.conftest import SCHEMES


def errors_of(data) -> list[str]:
    with pytest.raises(SchemeError) as caught:
        validate_scheme(data)
    return caught.value.messages


def test_the_two_seed_schemes_validate_and_name_their_methods():
    cities = load_scheme(SCHEMES / "city_agencies_2023.yaml")
    assert (cities.population, len(cities.indicators)) == ("city_agencies", 9)
    assert cities.aggregation.normalisation == "vector"
    assert round(cities.ahp_result().cr, 3) == 0.009
    managers = load_scheme(SCHEMES / "market_managers_2023.yaml")
    assert [b.name for b in managers.grades.bands] == ["一级", "二级", "三级", "四级"]
    assert len(managers.indicators) == 12
    assert [r.rule for r in managers.elimination.rules] == ["below_score", "bottom_k"]
    assert (managers.elimination.grade, managers.elimination.pay) == ("不合格", "floor")
    assert managers.elimination.quotas == "among_non_eliminated"
    assert managers.grade_names() == ["一级", "二级", "三级", "四级", "不合格"]
    assert managers.partial_period.counts == cities.partial_period.counts == "scale_goalposts"
    assert "net_new_stations" in managers.partial_period.indicators
    assert "onboarding_overdue" not in managers.partial_period.indicators  # a stock


def test_what_elimination_does_and_the_partial_period_must_be_named(managers, cities):
    del managers["elimination"]["grade"], managers["elimination"]["pay"]
    del managers["elimination"]["quotas"]
    del managers["partial_period"]
    assert errors_of(managers) == [
        "elimination.grade: 必填：方案必须写明",
        "elimination.pay: 必填：方案必须写明",
        "elimination.quotas: 必填：方案必须写明",
        "partial_period: 必填：方案必须写明",
    ]
    del cities["partial_period"]["counts"]
    assert errors_of(cities) == ["partial_period.counts: 必填：方案必须写明"]


def test_elimination_settings_that_contradict_the_scheme_are_refused(managers, cities):
    bad = copy.deepcopy(managers)
    bad["elimination"]["quotas"] = None
    assert errors_of(bad) == [
        "elimination.quotas: 以配额定等级时必填（among_non_eliminated 或 among_all）"
    ]
    bad = copy.deepcopy(managers)
    bad["elimination"]["pay"] = "halved"
    (message,) = errors_of(bad)
    assert message.startswith("elimination.pay: ")
    cities["elimination"] = {
        "rules": [{"rule": "below_score", "score": 30}],
        "grade": "需改进",
        "pay": "floor",
        "quotas": None,
    }
    assert errors_of(cities) == ["elimination.pay: floor 需要薪酬规则（pay 为 null）"]


def test_a_partial_period_names_only_count_indicators_of_the_scheme(managers):
    bad = copy.deepcopy(managers)
    bad["partial_period"]["indicators"] = ["ytd_yoy_growth"]
    assert errors_of(bad) == [
        "partial_period.indicators[0]: ytd_yoy_growth 不是计数指标（比率和增长率不缩放）"
    ]
    managers["partial_period"]["indicators"] = ["nets"]
    assert errors_of(managers) == ["partial_period.indicators[0]: nets 不是方案的指标"]


def test_a_missing_topsis_normalisation_is_an_error_at_its_path(cities):
    del cities["aggregation"]["normalisation"]
    assert errors_of(cities) == ["aggregation.normalisation: 必填：方案必须写明"]


def test_a_missing_random_index_table_is_an_error_at_its_path(cities):
    del cities["weights"]["random_index"]
    assert errors_of(cities) == ["weights.random_index: 必填：方案必须写明"]


def test_a_missing_z_score_ddof_names_the_indicator(managers):
    managers["indicators"][2]["normalisation"] = {"method": "z_score"}
    assert errors_of(managers) == ["indicators[2].normalisation.ddof: 必填：方案必须写明"]


def test_a_weighted_sum_indicator_without_normalisation_is_refused(managers):
    del managers["indicators"][4]["normalisation"]
    (message,) = errors_of(managers)
    assert "indicators[4].normalisation" in message


def test_a_missing_cap_key_and_an_unknown_key_are_errors(managers):
    data = copy.deepcopy(managers)
    del data["indicators"][0]["cap"]
    data["aggregation"]["normalization"] = "vector"
    assert errors_of(data) == [
        "indicators[0].cap: 必填：方案必须写明",
        "aggregation.normalization: 未知字段",
    ]


def test_a_weights_method_missing_or_unknown_is_an_error(managers):
    del managers["weights"]["method"]
    assert errors_of(managers) == ["weights.method: 必填：方案必须写明"]
    managers["weights"]["method"] = "guess"
    (message,) = errors_of(managers)
    assert message.startswith("weights.method: 必须是以下之一：")
    assert "'ahp'" in message and "'entropy'" in message


def test_an_inconsistent_ahp_matrix_is_refused_unless_a_reason_is_given(cities):
    matrix = cities["weights"]["matrix"]
    matrix[0][1], matrix[1][0] = 9, "1/9"  # completion ≫ growth, but the rest says otherwise
    matrix[1][2], matrix[2][1] = "1/9", 9
    (message,) = errors_of(cities)
    assert message.startswith("weights.matrix: 一致性比率")
    cities["weights"]["override_reason"] = "2023年度领导小组会议决定"
    scheme = validate_scheme(cities)
    assert scheme.ahp_result().cr > 0.1


def test_a_non_reciprocal_matrix_names_the_cell(cities):
    cities["weights"]["matrix"][3][0] = 3
    (message,) = errors_of(cities)
    assert message == "weights.matrix[3][0]：不是正互反矩阵"


def test_direct_weights_must_cover_the_indicators_and_add_up_to_one(managers):
    managers["weights"]["values"]["target_completion"] = 0.5
    (message,) = errors_of(managers)
    assert "weights.values" in message


def test_pay_coefficients_must_name_every_grade(managers):
    del managers["pay"]["coefficients"]["四级"]
    (message,) = errors_of(managers)
    assert "pay.coefficients" in message and "四级" in message


def test_a_topsis_scheme_refuses_an_indicator_normalisation(cities):
    cities["indicators"][0]["normalisation"] = {"method": "min_max"}
    (message,) = errors_of(cities)
    assert "indicators[0].normalisation" in message and "TOPSIS" in message


def test_a_stored_document_from_before_the_elimination_and_partial_period_settings_is_upgraded(
    managers,
):
    import importlib

    upgrade = importlib.import_module("fucai.evaluation.migrations.0003_asof").upgrade
    old = copy.deepcopy(managers)
    del old["partial_period"]
    for key in ("grade", "pay", "quotas"):
        del old["elimination"][key]
    scheme = validate_scheme(upgrade(old))
    assert (scheme.elimination.grade, scheme.elimination.pay) == ("四级", "floor")
    assert scheme.elimination.quotas == "among_all" and scheme.partial_period.indicators == []
    assert upgrade(managers) == managers  # a current document is left as it is
