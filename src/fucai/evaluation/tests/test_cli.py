"""`fucai evaluate`: the published cases through the command line to 3 decimals, JSON keys as
issue 13 fixes them, bad cells named by file, row and column (in Chinese by default)."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from fucai.evaluation.tests.conftest import SCHEMES, TZENG_HUANG_CSV, tzeng_huang

DRINKS_CSV = """criterion,coffee,wine,tea,beer,soda,milk,water
coffee,1,9,5,2,1,1,1/2
wine,1/9,1,1/3,1/9,1/9,1/9,1/9
tea,1/5,3,1,1/3,1/4,1/3,1/9
beer,1/2,9,3,1,1/2,1,1/3
soda,1,9,4,2,1,2,1/2
milk,1,9,3,1,1/2,1,1/3
water,2,9,9,3,2,3,1
"""


def run(*args) -> str:
    out = io.StringIO()
    call_command("evaluate", *args, stdout=out)
    return out.getvalue()


def test_ahp_on_saatys_drinks_gives_the_published_weights_and_cr(tmp_path):
    matrix = tmp_path / "drinks.csv"
    matrix.write_text(DRINKS_CSV, encoding="utf-8")
    data = json.loads(run("ahp", "--matrix", str(matrix), "--ri", "saaty", "--format", "json"))
    assert set(data) >= {"weights", "lambda_max", "ci", "cr", "consistent"}
    assert {k: round(v, 3) for k, v in data["weights"].items()} == {
        "coffee": 0.177, "wine": 0.019, "tea": 0.042, "beer": 0.116,
        "soda": 0.190, "milk": 0.129, "water": 0.327,
    }  # fmt: skip
    assert round(data["cr"], 3) == 0.022 and data["consistent"] is True
    assert round(data["lambda_max"], 3) == 7.177 and round(data["ci"], 3) == 0.029


def test_ahp_flags_an_inconsistent_matrix(tmp_path):
    matrix = tmp_path / "circular.csv"
    matrix.write_text(",a,b,c\na,1,5,1/5\nb,1/5,1,5\nc,5,1/5,1\n", encoding="utf-8")
    data = json.loads(run("ahp", "--matrix", str(matrix), "--format", "json"))
    assert data["consistent"] is False and data["cr"] > 0.1
    assert "不一致" in run("ahp", "--matrix", str(matrix))


def test_a_bad_cell_is_named_by_file_row_and_column(tmp_path):
    matrix = tmp_path / "bad.csv"
    matrix.write_text(",a,b,c\na,1,3,x\nb,1/3,1,2\nc,1/5,1/2,1\n", encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        run("ahp", "--matrix", str(matrix), "--format", "json")
    assert str(caught.value) == f"{matrix}，第 2 行，c 列：'x' 不是正数或分数"
    matrix.write_text(",a,b\na,1,3\nb,1/2,1\n", encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        run("ahp", "--matrix", str(matrix))
    assert str(caught.value).startswith(f"{matrix}，第 3 行，a 列：")


def test_entropy_and_critic_weights_through_the_command(tmp_path):
    data = tmp_path / "small.csv"
    data.write_text("id,x,y\nA,1,2\nB,3,1\nC,2,4\n", encoding="utf-8")
    entropy = json.loads(
        run("weights", "--method", "entropy", "--data", str(data), "--directions", "b,c",
            "--format", "json")
    )  # fmt: skip
    assert {k: round(v, 3) for k, v in entropy["weights"].items()} == {"x": 0.521, "y": 0.479}
    critic = json.loads(
        run("weights", "--method", "critic", "--data", str(data), "--directions", "b,c",
            "--format", "json")
    )  # fmt: skip
    assert {k: round(v, 3) for k, v in critic["weights"].items()} == {"x": 0.495, "y": 0.505}
    with pytest.raises(CommandError) as caught:
        run("weights", "--method", "critic", "--data", str(data), "--directions", "b")
    assert "--directions" in str(caught.value) and "x, y" in str(caught.value)


def test_run_reproduces_tzeng_and_huangs_topsis_to_three_decimals(tmp_path):
    scheme = tmp_path / "th.json"
    scheme.write_text(json.dumps(tzeng_huang()), encoding="utf-8")
    data = tmp_path / "th.csv"
    data.write_text(TZENG_HUANG_CSV, encoding="utf-8")
    result = json.loads(
        run("run", "--scheme", str(scheme), "--data", str(data), "--format", "json")
    )
    assert result["weights"] == {"c1": 0.3, "c2": 0.4, "c3": 0.3}
    rows = result["alternatives"]
    assert [round(r["score"], 3) for r in rows] == [0.504, 0.658, 0.748, 0.334]
    assert [(r["id"], r["rank"], r["grade"]) for r in rows] == [
        ("A1", 3, "B"), ("A2", 2, "B"), ("A3", 1, "A"), ("A4", 4, "B"),
    ]  # fmt: skip
    for row in rows:
        assert set(row) >= {"id", "score", "rank", "grade", "eliminated", "pay_factor",
                            "contributions", "distance_ideal", "distance_anti_ideal"}  # fmt: skip
        assert row["eliminated"] is False and row["pay_factor"] is None
        assert sum(row["contributions"].values()) == pytest.approx(row["score"])


def test_run_writes_the_managers_scheme_to_excel_with_its_robustness(tmp_path):
    from openpyxl import load_workbook

    data = tmp_path / "m.csv"
    names = [
        "target_completion", "ytd_yoy_growth", "instant_growth", "net_new_stations",
        "core_urban_new_outlets", "closures", "visits_per_station_month", "onboarding_overdue",
        "compliance_incidents", "training_hours", "welfare_activities", "station_satisfaction",
    ]  # fmt: skip
    data.write_text(
        "id," + ",".join(names) + "\n"
        "M1,1.1,0.5,1.6,12,3,0,1.0,0,0,40,6,100\n"
        "M2,0.95,0.15,0.9,5,1.5,2.5,0.8,10,1.5,20,3,80\n"
        "M3,0.8,-0.2,0.2,-2,0,5,0.6,20,3,0,0,60\n",
        encoding="utf-8",
    )
    out = tmp_path / "m.xlsx"
    scheme = SCHEMES / "market_managers_2023.yaml"
    run("run", "--scheme", str(scheme), "--data", str(data), "--robustness", "--format", "xlsx",
        "--out", str(out))  # fmt: skip
    wb = load_workbook(out)
    assert wb.sheetnames == ["结果", "原始值", "标准化值", "权重", "稳健性", "说明"]
    rows = list(wb["结果"].iter_rows(values_only=True))
    assert rows[0][:3] == ("编号", "名称", "城市") and rows[0][5:8] == (
        "等级",
        "如不淘汰的等级",
        "淘汰",
    )
    rows = [(r[0], *r[3:]) for r in rows]  # a data file has no names nor cities: left empty
    # M2 (50) and M3 (0) are below 60: the quotas are among M1 alone — 20 %, 30 %, 40 % of 1
    # round to 0 —, so M1 is 四级 (the rest), and not eliminated its grade is its own
    assert rows[1][:6] == ("M1", 100.0, 1, "四级", "四级", None)
    # were M2 not eliminated it would be second of two (M1, M2): of 2, 一级 gets 0 (20 %),
    # 二级 1 (30 %: M1), 三级 1 (40 %: M2) — the explanation's grade_if_kept
    assert rows[2][3:6] == ("不合格", "三级", "是")
    # M3 scores 0: eliminated, graded 不合格 (kept, second of M1 and M3: 三级), paid the floor
    assert rows[3][:6] == ("M3", 0.0, 3, "不合格", "三级", "是")
    assert rows[2][1] == pytest.approx(50.0)  # M2 sits half-way between every goalpost
    assert rows[3][6] == 0.6 and rows[3][7] == 1800  # elimination.pay: floor (a number)


def test_run_names_a_missing_column_and_a_bad_cell(tmp_path):
    scheme = tmp_path / "th.json"
    scheme.write_text(json.dumps(tzeng_huang()), encoding="utf-8")
    data = tmp_path / "th.csv"
    data.write_text("id,c1,c2\nA1,5,8\nA2,7,6\n", encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        run("run", "--scheme", str(scheme), "--data", str(data), "--format", "json")
    assert str(caught.value) == f"{data}：缺少列：c3"
    data.write_text("id,c1,c2,c3\nA1,5,8,4\nA2,7,?,8\n", encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        run("run", "--scheme", str(scheme), "--data", str(data), "--format", "json")
    assert str(caught.value) == f"{data}，第 3 行，c2 列：'?' 不是数字"


def test_run_refuses_a_scheme_with_a_missing_setting_naming_its_path(tmp_path):
    broken = tzeng_huang()
    del broken["aggregation"]["normalisation"]
    scheme = tmp_path / "th.json"
    scheme.write_text(json.dumps(broken), encoding="utf-8")
    data = tmp_path / "th.csv"
    data.write_text(TZENG_HUANG_CSV, encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        run("run", "--scheme", str(scheme), "--data", str(data), "--format", "json")
    assert str(caught.value) == f"{scheme}: aggregation.normalisation: 必填：方案必须写明"


def test_run_eliminates_the_bottom_k_of_two_periods_running_given_the_previous_period(tmp_path):
    scheme_data = tzeng_huang()
    scheme_data["elimination"] = {
        "rules": [{"rule": "bottom_k", "k": 1, "periods": 2}],
        "grade": "B",
        "pay": "none",
        "quotas": None,
    }
    scheme = tmp_path / "th.json"
    scheme.write_text(json.dumps(scheme_data), encoding="utf-8")
    data = tmp_path / "th.csv"
    data.write_text(TZENG_HUANG_CSV, encoding="utf-8")
    args = ("run", "--scheme", str(scheme), "--data", str(data), "--format", "json")
    first = json.loads(run(*args))["alternatives"]
    assert [(r["in_elimination_zone"], r["eliminated"]) for r in first if r["id"] == "A4"] == [
        (True, False)
    ]
    previous = tmp_path / "previous.json"
    previous.write_text('{"A4": 1, "A1": 1}', encoding="utf-8")
    again = json.loads(run(*args, "--previous", str(previous)))["alternatives"]
    assert [r["id"] for r in again if r["eliminated"]] == ["A4"]  # A1 is not in the bottom 1
    previous.write_text('{"A4": "once"}', encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        run(*args, "--previous", str(previous))
    assert str(caught.value) == f"{previous}：须为“编号 → 连续期数（非负整数）”的对象"


def test_the_evaluate_command_starts_without_numpy_pydantic_or_the_libraries():
    """Start-up is a budget (docs/architecture.md): the command's module and the app import
    none of the maths."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    import fucai

    code = (
        "import sys, django; django.setup(); "
        "import fucai.evaluation.management.commands.evaluate, fucai.evaluation.access; "
        "print(sorted(m for m in ('numpy', 'pydantic', 'pymcdm', 'ahpy', 'yaml', 'openpyxl') "
        "if m in sys.modules))"
    )
    src = str(Path(fucai.__file__).resolve().parent.parent)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "fucai.settings_command", "PYTHONPATH": src}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.stdout.strip() == "[]", out.stderr
