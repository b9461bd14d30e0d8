"""The station file layout (站点台账): the columns a city agency keeps, in Chinese, and the words
allowed in them. Shared by the import and the export, so that an export can be re-imported.

The layout is a contract with the people who fill the files in: its headers and vocabulary are
fixed Chinese words, whatever the language of the user interface. See docs/station-import.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.utils import translation

from fucai.network.choices import StationOperation, StationScene, StationStatus


@dataclass(frozen=True)
class StationColumn:
    """One column of the station file: internal key, Chinese header, required or not, example."""

    key: str
    header: str
    required: bool
    example: str


COLUMNS: tuple[StationColumn, ...] = (
    StationColumn("code", "站点编号", True, "36110214"),
    StationColumn("name", "站点名称", True, "兴国县潋江镇福彩投注站"),
    StationColumn("city", "所属城市", False, "赣州市"),
    StationColumn("county", "所属县区", True, "兴国县"),
    StationColumn("address", "详细地址", True, "兴国县潋江镇将军大道88号"),
    StationColumn("lon", "经度", True, "115.363189"),
    StationColumn("lat", "纬度", True, "26.337937"),
    StationColumn("scene", "场景", True, "传统街边店"),
    StationColumn("operation", "经营方式", True, "专营"),
    StationColumn("brand", "品牌", False, ""),
    StationColumn("staff", "从业人数", False, "3"),
    StationColumn("terminals", "终端数", False, "1"),
    StationColumn("owner_name", "业主姓名", False, "赵红梅"),
    StationColumn("owner_phone", "业主电话", False, "13800005678"),
    StationColumn("owner_id", "业主身份证号", False, "360732199001011234"),
    StationColumn("party", "是否党员", False, "是"),
    StationColumn("veteran", "是否退役军人", False, "是"),
    StationColumn("consent", "是否同意公开党员身份", False, "是"),
    StationColumn("partner", "合作单位", False, ""),
    StationColumn("status", "状态", True, "营业中"),
    StationColumn("status_date", "状态日期", True, "2022-05-01"),
)
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}
COLUMN_BY_HEADER = {c.header: c for c in COLUMNS}
OWNER_KEYS = ("owner_phone", "owner_id", "party", "veteran", "consent")

# The lifecycle words of the file (also the zh-hans translations of StationStatus).
STATUS_NAMES: dict[str, str] = {
    StationStatus.PLANNED: "规划中",
    StationStatus.SURVEYED: "已勘察",
    StationStatus.BUILDING: "建设中",
    StationStatus.OPEN: "营业中",
    StationStatus.SUSPENDED: "暂停",
    StationStatus.CLOSED: "已关闭",
}
YES, NO = "是", "否"
YES_WORDS = frozenset({"是", "y", "yes", "true", "1", "√", "✓"})
NO_WORDS = frozenset({"否", "n", "no", "false", "0", "×", "✗", ""})


def _chinese_labels(choices) -> dict[str, str]:
    with translation.override("zh-hans"):
        return {value: str(label) for value, label in choices.choices}


@cache
def scene_names() -> dict[str, str]:
    """Scene value -> the Chinese word in the file (传统街边店, 商超, …)."""
    return _chinese_labels(StationScene)


@cache
def operation_names() -> dict[str, str]:
    """Operation value -> 专营 / 兼营."""
    return _chinese_labels(StationOperation)


def _lookup(names: dict[str, str], extra_labels: dict[str, str] | None = None) -> dict[str, str]:
    """Accepted word (lower case) -> value: the Chinese word, the stored value, other labels."""
    table = {value.lower(): value for value in names}
    table.update({label.lower(): value for value, label in (extra_labels or {}).items()})
    table.update({label.lower(): value for value, label in names.items()})
    return table


@cache
def scene_lookup() -> dict[str, str]:
    return _lookup(scene_names())


@cache
def operation_lookup() -> dict[str, str]:
    return _lookup(operation_names())


@cache
def status_lookup() -> dict[str, str]:
    """Chinese words, English labels ("Open") and stored values ("open") are all accepted."""
    english = {
        value: label
        for value, label in zip(StationStatus.values, _english_status_labels(), strict=True)
    }
    return _lookup(STATUS_NAMES, english)


def _english_status_labels() -> list[str]:
    with translation.override("en"):
        return [str(label) for label in StationStatus.labels]
