"""The bulletin as Word and PDF (fucai.reports.documents) with its charts, and their downloads.

The documents are laid out from a BulletinDocument written by hand from the seed's sentences
(bulletin_sample.py) and charts drawn from known figures; the charts' figures from the analytics
are checked on the permission matrix's small world (one sale per station, amounts known). The
downloads' tests stand in a hand-made bulletin for the writer's build_bulletin (monkeypatched):
minimal, to be pointed at the real writer when it lands. The PDF checks use poppler-utils
(pdftoppm, pdftotext, pdffonts, pdfimages), which .ci/run installs."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
import zipfile
from decimal import Decimal

import numpy as np
import pytest
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from PIL import Image

from fucai.analytics.results import Figures, GroupFigures, RankedGroup
from fucai.reports.documents import charts as charts_module
from fucai.reports.documents import render_document
from fucai.reports.documents.charts import (
    games_chart,
    map_chart,
    monthly_chart,
    ranking_chart,
)
from fucai.reports.documents.fonts import FontsMissing
from fucai.reports.documents.pdf import broken
from fucai.reports.tests.bulletin_sample import CITIES, PARAGRAPHS, seed_bulletin
from fucai.sales.tables.cockpit import MonthRow

AS_OF = dt.date(2023, 9, 3)
YI = 10**10  # fen in 亿元
CHART_TITLES = ("各市", "各县")


def _group(code: str, name: str, amount_fen: int, prior_fen: int) -> GroupFigures:
    return GroupFigures(code, name, {"city": code}, Figures(amount_fen, prior_fen))


@pytest.fixture(scope="module")
def charts():
    """The four charts from known figures (no database: the boundaries are package data)."""
    months = [
        MonthRow(dt.date(2023, m, 1), (30 + m) * 10**9, 25 * 10**9, 26 * 10**9, m == 9)
        for m in range(1, 10)
    ]
    cities = [
        _group("360100", "南昌市", 563 * 10**8, 464 * 10**8),
        _group("360700", "赣州市", 484 * 10**8, 372 * 10**8),
        _group("360400", "九江市", 237 * 10**8, 191 * 10**8),
    ]
    games = [_group("ssq", "双色球", 943 * 10**8, 800 * 10**8),
             _group("instant", "即开票", 575 * 10**8, 265 * 10**8)]  # fmt: skip
    categories = {"ssq": ("draw", "电脑票"), "instant": ("instant", "即开票")}
    regions = [{"code": g.key, "name": g.name, "amount_yuan": str(g.amount_fen // 100)}
               for g in cities]  # fmt: skip
    return (
        monthly_chart(months, AS_OF),
        ranking_chart([RankedGroup(n + 1, g) for n, g in enumerate(cities)], "city"),
        games_chart(games, categories),
        map_chart(regions, "city", None),
    )


@pytest.fixture(scope="module")
def docx_file(charts):
    return render_document(seed_bulletin(), "docx", charts)


@pytest.fixture(scope="module")
def pdf_file(charts, tmp_path_factory):
    path = tmp_path_factory.mktemp("pdf") / "bulletin.pdf"
    path.write_bytes(render_document(seed_bulletin(), "pdf", charts))
    return path


def _word(data: bytes):
    from docx import Document

    return Document(io.BytesIO(data))


def _squeezed(text: str) -> str:
    """Text without its line breaks and spaces (a PDF's lines break inside sentences)."""
    return re.sub(r"\s+", "", text)


def _poppler(*args) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


# -- the charts ---------------------------------------------------------------------------------
def test_each_chart_is_a_png_wide_enough_for_the_page(charts):
    assert [c.key for c in charts] == ["monthly", "ranking", "games", "map"]
    for chart in charts:
        with Image.open(io.BytesIO(chart.png)) as image:
            assert image.format == "PNG"
            assert image.width == 945  # 6.3 in at 150 dpi: the 15.6 cm text block
    assert all(c.title for c in charts)


def test_the_charts_amounts_are_in_yi_yuan_when_a_figure_reaches_one_yi():
    assert charts_module.Unit.of(YI).fen == YI
    assert charts_module.Unit.of(YI - 1).fen == 10**6  # 万元
    assert charts_module.Unit.of(YI).of_fen(2_606_000_000_00) == Decimal("26.06")


# -- the Word document --------------------------------------------------------------------------
def test_the_word_document_holds_the_title_number_every_paragraph_the_table_and_four_charts(
    docx_file,
):
    word = _word(docx_file)
    texts = [p.text for p in word.paragraphs]
    assert texts[0] == "江西省福利彩票工作简报"
    assert texts[1] == "赣福彩简〔2023〕9号"
    assert texts[2].startswith("江西省福利彩票发行中心\t")
    for paragraph in PARAGRAPHS:
        assert paragraph in texts
    headings = [p.text for p in word.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["一、销售情况", "二、突出政治建设引领发展", "三、突出思想建设跨界发展",
                        "四、突出组织建设转型发展"]  # fmt: skip
    (table,) = word.tables
    assert [c.text for c in table.rows[0].cells] == ["设区市", "销量（亿元）", "同比增幅",
                                                     "站点数（个）"]  # fmt: skip
    assert [tuple(c.text for c in row.cells) for row in table.rows[1:]] == list(CITIES)
    assert len(word.inline_shapes) == 4
    media = [n for n in zipfile.ZipFile(io.BytesIO(docx_file)).namelist() if "media" in n]
    assert len(media) == 4


def test_the_word_document_names_chinese_fonts_for_east_asian_text_and_numbers_its_pages(
    docx_file,
):
    from docx.oxml.ns import qn

    word = _word(docx_file)

    def east_asia(style: str) -> str:
        fonts = word.styles[style].element.rPr.rFonts
        return fonts.get(qn("w:eastAsia"))

    assert east_asia("Normal") == "仿宋"
    assert east_asia("Heading 1") == "黑体"
    assert east_asia("Title") == "宋体"
    assert word.styles["Normal"].font.size.pt == 16  # 三号
    section = word.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert (round(section.left_margin.mm), round(section.top_margin.mm)) == (28, 37)
    footer = section.footer._element.xml
    assert "PAGE" in footer and 'w:fldCharType="begin"' in footer
    assert "— " in section.footer.paragraphs[0].text
    assert word.core_properties.title == "江西省福利彩票工作简报"
    assert word.core_properties.author == "江西省福利彩票发行中心"


# -- the PDF ------------------------------------------------------------------------------------
def test_the_pdf_renders_to_pages_whose_text_is_the_bulletins_chinese_sentences(pdf_file, tmp_path):
    _poppler("pdftoppm", "-r", "60", "-png", str(pdf_file), str(tmp_path / "page"))
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == int(re.search(r"Pages:\s+(\d+)", _poppler("pdfinfo", str(pdf_file)))[1])
    assert len(pages) >= 3  # the text, then the table and the charts
    with Image.open(pages[0]) as first:
        assert abs(first.width - 496) <= 1 and abs(first.height - 702) <= 1  # A4 at 60 dpi
        pixels = np.asarray(first.convert("RGB")).astype(int)
        reds = ((pixels[..., 0] > 150) & (pixels[..., 1] < 80)).sum()
        assert reds > 200  # the red title and rule
    text = _squeezed(_poppler("pdftotext", str(pdf_file), "-"))
    for sentence in ("江西省福利彩票工作简报", "赣福彩简〔2023〕9号", *PARAGRAPHS):
        assert _squeezed(sentence) in text
    assert "南昌市5.6321.4%1012" in text  # the table's first row
    assert "—1—" in text and f"—{len(pages)}—" in text  # page numbers


def test_the_pdf_embeds_its_cjk_fonts_and_shows_the_four_charts(pdf_file):
    fonts = _poppler("pdffonts", str(pdf_file)).splitlines()[2:]
    embedded = {line.split()[0].split("+")[1] for line in fonts if " yes yes " in line}
    assert {"NotoSerifCJKSC", "NotoSerifCJKSCBold", "NotoSansCJKSC"} <= embedded
    images = _poppler("pdfimages", "-list", str(pdf_file)).splitlines()[2:]
    assert len(images) == 4


def test_chinese_lines_break_between_characters_but_never_inside_a_number():
    text = "截至9月3日，全省福利彩票销量26.06亿元，同比增幅26.6%，创历史新高。"
    for width in range(6, 20):
        lines = broken(text, width, len)
        assert "".join(lines) == text
        assert not any(line[0] in "，。%" for line in lines[1:])
        assert any("26.06" in line for line in lines)
        assert any("26.6%" in line for line in lines)


def test_an_unknown_format_is_refused():
    with pytest.raises(ValueError, match="docx, pdf"):
        render_document(seed_bulletin(), "odt")


def test_without_the_cjk_fonts_the_pdf_names_the_package_to_install(monkeypatch, tmp_path):
    from fucai.reports.documents import fonts

    monkeypatch.setattr(fonts, "DEBIAN_DIR", tmp_path)
    monkeypatch.setattr(fonts, "_fontconfig", lambda name: None)
    fonts._find.cache_clear()
    try:
        with pytest.raises(FontsMissing, match="fonts-noto-cjk"):
            render_document(seed_bulletin(), "pdf")
    finally:
        fonts._find.cache_clear()


# -- from the analytics, and the downloads (the permission matrix's small world) ----------------
@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The matrix's network, named users and one sale per station (fucai.core.testing.matrix),
    built once for the module and rolled back at its end."""
    from fucai.core.testing.matrix import build_world
    from fucai.sales.store import SalesStore

    data_dir = tmp_path_factory.mktemp("reports-data")
    with django_db_blocker.unblock(), override_settings(DATA_DIR=data_dir), transaction.atomic():
        yield build_world(SalesStore(data_dir / "sales"))
        transaction.set_rollback(True)


@pytest.fixture
def drawn(monkeypatch):
    """What each chart was drawn from: chart key → the figures bulletin_charts passed."""
    seen = {}
    for key in ("ranking", "map"):
        real = getattr(charts_module, f"{key}_chart")

        def spy(*args, _key=key, _real=real):
            seen[_key] = args
            return _real(*args)

        monkeypatch.setattr(charts_module, f"{key}_chart", spy)
    return seen


@pytest.mark.django_db
def test_the_province_charts_rank_the_cities_with_their_sales_from_the_analytics(world, drawn):
    from fucai.reports.documents.charts import bulletin_charts

    charts = bulletin_charts(world.users["province"], AS_OF, "province")
    assert len(charts) == 4
    entries, level = drawn["ranking"]
    assert level == "city"
    # 赣州: 3,141,592.65 + 2,718,281.83 yuan; 九江: 1,414,213.56 + 1,732,050.81 (matrix.SALES)
    assert [(e.group.name, e.group.amount_fen) for e in entries] == [
        ("赣州市", 585_987_448), ("九江市", 314_626_437)]  # fmt: skip
    regions, level, city = drawn["map"]
    assert (level, city) == ("city", None)
    assert {r["name"]: r["amount_yuan"] for r in regions} == {
        "赣州市": "5859874.48", "九江市": "3146264.37"}  # fmt: skip


@pytest.mark.django_db
def test_a_citys_charts_show_its_counties_and_nothing_of_another_city(world, drawn):
    from fucai.reports.documents.charts import bulletin_charts

    bulletin_charts(world.users["ganzhou"], AS_OF, "360700")
    entries, level = drawn["ranking"]
    assert level == "county"
    assert sum(e.group.amount_fen for e in entries) == 585_987_448
    regions, level, city = drawn["map"]
    assert (level, city) == ("county", "360700")
    assert "九江市" not in {r["name"] for r in regions}
    assert "兴国县" in {r["name"] for r in regions}


@pytest.fixture
def bulletin(monkeypatch):
    """The writer's build_bulletin stood in by the hand-made bulletin (see the module doc)."""
    import sys
    import types

    calls = []

    def build_bulletin(as_of, scope, user):
        calls.append((as_of, scope, user.username))
        return seed_bulletin(scope, "赣州市" if scope == "360700" else "江西省")

    module = sys.modules.get("fucai.reports.bulletin") or types.ModuleType("fucai.reports.bulletin")
    monkeypatch.setitem(sys.modules, "fucai.reports.bulletin", module)
    monkeypatch.setattr(module, "build_bulletin", build_bulletin, raising=False)
    return calls


@pytest.mark.django_db
def test_a_city_downloads_its_own_bulletin_and_no_other(world, bulletin, client):
    client.force_login(world.users["ganzhou"])
    url = reverse("reports:bulletin_pdf")
    response = client.get(url, {"as_of": "2023-09-03", "scope": "360700"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    assert 'filename="bulletin-360700-2023-09-03.pdf"' in response["Content-Disposition"]
    assert bulletin == [(AS_OF, "360700", world.users["ganzhou"].username)]
    for scope in ("360400", "province", "nowhere"):
        assert client.get(url, {"as_of": "2023-09-03", "scope": scope}).status_code == 404
    docx = client.get(reverse("reports:bulletin_docx"), {"as_of": "2023-09-03", "scope": "360700"})
    assert docx.status_code == 200
    assert len(_word(docx.content).inline_shapes) == 4


@pytest.mark.django_db
def test_a_date_that_is_not_one_is_refused_in_the_users_language(world, bulletin, client):
    client.force_login(world.users["province"])
    response = client.get(reverse("reports:bulletin_docx"), {"as_of": "2023-02-30"})
    assert response.status_code == 400
    assert response.content.decode() == "不是日期：“2023-02-30”；请写成 YYYY-MM-DD，如 2023-03-18。"
    assert bulletin == []


def test_a_chart_of_a_period_without_sales_is_still_drawn():
    chart = ranking_chart([], "county")
    assert chart.key == "ranking" and chart.png.startswith(b"\x89PNG")
