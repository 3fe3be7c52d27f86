"""The district's figures on a hand-built data set whose answers are known, for
every filter; the admin page, the home page and the exports agree."""

import csv
import datetime as dt
import io
import json
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import IndustryCluster, IndustryPlatform, Institution, LeadingIndustry
from matching import statistics
from matching.models import Outcome, Placement, StatsSnapshot
from tests.factories import (
    CohortFactory,
    CompanyFactory,
    OutcomeFactory,
    PlacementFactory,
    ResearcherFactory,
)

D = dt.date
K = Outcome.Kind


@pytest.fixture
def district(db):
    ref = {"p1": IndustryPlatform.objects.get(code="medicine-port"),
           "p2": IndustryPlatform.objects.get(code="chip-valley"),
           "c1": IndustryCluster.objects.get(code="biomedicine"),
           "c2": IndustryCluster.objects.get(code="ic"),
           "pharma": LeadingIndustry.objects.get(code="pharma"),
           "chips": LeadingIndustry.objects.get(code="chips"),
           "u1": Institution.objects.get(name="浙江大学"),
           "u2": Institution.objects.get(name="杭州电子科技大学"),
           "k5": CohortFactory(number=5), "k6": CohortFactory(number=6)}
    a = CompanyFactory(platform=ref["p1"], cluster=ref["c1"], leading_industry=ref["pharma"])
    b = CompanyFactory(platform=ref["p2"], cluster=ref["c2"], leading_industry=ref["chips"])
    r1, r2, r3 = (ResearcherFactory(institution=ref[u]) for u in ("u1", "u2", "u1"))
    active, done = Placement.Status.ACTIVE, Placement.Status.COMPLETED
    p1 = PlacementFactory(company=a, researcher=r1, programme="phd", cohort=ref["k5"],
                          starts_on=D(2024, 1, 1), ends_on=D(2024, 12, 31), status=done)
    p2 = PlacementFactory(company=b, researcher=r2, programme="phd", cohort=ref["k6"],
                          starts_on=D(2025, 1, 1), ends_on=D(2025, 12, 31), status=active)
    p3 = PlacementFactory(company=a, researcher=r3, programme="tech_vp",
                          starts_on=D(2025, 3, 20), ends_on=D(2027, 3, 19), status=active)
    PlacementFactory(company=b, researcher=r1, status=Placement.Status.PENDING)  # not counted
    verified = Outcome.Status.VERIFIED
    OutcomeFactory(placement=p1, kind=K.TECH_CONTRACT, amount=100, achieved_on=D(2024, 6, 1),
                   status=verified)
    OutcomeFactory(placement=p2, kind=K.TECH_CONTRACT, amount=50, achieved_on=D(2025, 5, 1),
                   status=verified)
    OutcomeFactory(placement=p2, kind=K.INVENTION_PATENT, amount=None, patent_status="granted",
                   achieved_on=D(2025, 6, 1), status=verified)
    OutcomeFactory(placement=p3, kind=K.FUNDED_PROJECT, amount=30, achieved_on=D(2025, 7, 1),
                   status=verified, funding_programme="杭州市重大科技创新项目")
    OutcomeFactory(placement=p1, kind=K.TECH_CONTRACT, amount=999, achieved_on=D(2024, 7, 1))
    OutcomeFactory(placement=p2, kind=K.TECH_CONTRACT, amount=7, achieved_on=D(2025, 7, 1),
                   status=Outcome.Status.REJECTED)
    return ref


def figures(**f):
    h = statistics.headline(statistics.StatsFilter(**f))
    return h["researchers"], h["companies"], h["deal_value"], h["outcomes"]


@pytest.mark.parametrize("name, value, expected", [
    (None, None, (3, 2, Decimal("150.00"), 4)),
    ("cohort", "k5", (1, 1, Decimal("100.00"), 1)),
    ("cohort", "k6", (1, 1, Decimal("50.00"), 2)),
    ("programme", "tech_vp", (1, 1, Decimal("0.00"), 1)),
    ("platform", "p1", (2, 1, Decimal("100.00"), 2)),
    ("cluster", "c2", (1, 1, Decimal("50.00"), 2)),
    ("leading_industry", "pharma", (2, 1, Decimal("100.00"), 2)),
    ("institution", "u1", (2, 1, Decimal("100.00"), 2)),
    ("institution", "u2", (1, 1, Decimal("50.00"), 2)),
])
def test_headline_figures_for_every_filter(district, name, value, expected):
    kwargs = {name: value if name == "programme" else district[value].pk} if name else {}
    assert figures(**kwargs) == expected


def test_a_period_counts_placements_running_in_it_and_outcomes_achieved_in_it(district):
    assert figures(date_from=D(2025, 1, 1), date_to=D(2025, 12, 31)) == (
        2, 2, Decimal("50.00"), 3)
    h = statistics.headline(statistics.StatsFilter())
    assert (h["patents"], h["funded_projects"], h["funding"]) == (1, 1, Decimal("30.00"))
    assert h["by_kind"][K.TECH_CONTRACT] == 2


def test_breakdowns_add_up(district):
    rows = {r["label"]: (r["researchers"], r["outcomes"], r["deal_value"])
            for r in statistics.breakdown(statistics.StatsFilter(), "platform")}
    assert rows == {"杭州医药港": (2, 2, Decimal("100.00")), "钱塘芯谷": (1, 2, Decimal("50.00"))}
    months = {r["label"]: r["outcomes"] for r in statistics.breakdown(statistics.StatsFilter(),
                                                                      "month")}
    assert months == {"2024-01": 0, "2024-06": 1, "2025-01": 0, "2025-03": 0, "2025-05": 1,
                      "2025-06": 1, "2025-07": 1}


def test_the_admin_page_and_the_home_page_show_the_same_figures(district, superuser, client):
    client.force_login(superuser)
    page = client.get(reverse("admin-statistics"), {"cohort": district["k6"].pk})
    headline = page.content.decode().split('id="headline"')[1].split("</div>\n</div>")[0]
    assert "<strong>1</strong>入企人才" in headline
    assert "<strong>50.00</strong>技术交易额" in headline
    home = client.get("/").content.decode()
    assert "<strong>3</strong>入企人才" in home and "<strong>150</strong>" in home


@pytest.mark.parametrize("table, header", [("summary", "入企人才"), ("placements", "高校/院所"),
                                           ("outcomes", "金额（万元）")])
def test_exports_have_chinese_headers_in_excel_and_csv(district, superuser, client, table,
                                                       header):
    client.force_login(superuser)
    xlsx = client.get(reverse("admin-statistics"), {"export": "xlsx", "table": table})
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.values)
    assert header in rows[0]
    text = client.get(reverse("admin-statistics"), {"export": "csv", "table": table})
    lines = list(csv.reader(io.StringIO(text.content.decode("utf-8-sig"))))
    assert lines[0] == list(rows[0])
    assert len(lines) == len(rows)
    if table == "outcomes":
        assert len(rows) == 1 + 4  # verified only


def test_the_statistics_page_is_for_staff_only(client, alice):
    client.force_login(alice)
    assert client.get(reverse("admin-statistics")).status_code == 302


def test_the_api_gives_the_same_figures_for_the_same_filter(district, client):
    body = client.get(reverse("api:stats"), {"cohort": district["k6"].pk}).json()
    h = statistics.headline(statistics.StatsFilter(cohort=district["k6"].pk))
    assert (body["researchers_placed"], body["companies_served"], body["deal_value_wan_yuan"],
            body["outcomes"]) == (h["researchers"], h["companies"], str(h["deal_value"]),
                                  h["outcomes"]) == (1, 1, "50.00", 2)
    assert client.get(reverse("api:stats")).json()["researchers_placed"] == 3


def test_a_bad_api_filter_names_the_field_in_the_requested_language(district, client):
    response = client.get(reverse("api:stats"), {"cohort": 999, "date_from": "2025-13-01"},
                          HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert {e["attr"] for e in errors} == {"cohort", "date_from"}
    assert "Enter a valid date." in {e["detail"] for e in errors}
    zh = client.get(reverse("api:stats"), {"date_from": "2025-05-01", "date_to": "2025-01-01"},
                    HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert zh.json()["errors"] == [{"code": "invalid", "detail": "结束日期必须晚于开始日期。",
                                    "attr": "date_to"}]


# --- issue 14: the statistics page as staff read it ----------------------------------

def test_a_filter_in_error_names_its_field_by_label_and_shows_no_figures(district, sam, client):
    client.force_login(sam)
    page = client.get(reverse("admin-statistics"), {"date_from": "2025-06-01",
                                                    "date_to": "2025-01-01", "cohort": 999})
    assert page.status_code == 400
    errors = page.content.decode().split('id="filter-errors"')[1].split("</div>")[0]
    assert "期间截止: " in errors and "期次: " in errors
    assert "date_to" not in errors and "cohort" not in errors
    assert "结束日期必须晚于开始日期" in errors
    # No unfiltered totals pretending to answer the filter: no figures, tables or charts.
    body = page.content.decode()
    assert 'id="headline"' not in body and 'id="by-platform"' not in body
    assert "stats-charts" not in body


def test_an_export_under_a_filter_in_error_is_refused_not_unfiltered(district, sam, client):
    client.force_login(sam)
    response = client.get(reverse("admin-statistics"), {"date_to": "2025-13-01",
                                                        "export": "csv", "table": "summary"})
    assert response.status_code == 400
    assert "期间截止" in response.content.decode()


def test_cohorts_come_in_their_order_and_rows_without_one_are_named(district, sam, client):
    for number in (1, 2, 3, 4):
        PlacementFactory(cohort=CohortFactory(number=number, name=f"第{'一二三四'[number - 1]}期"),
                         programme="phd", status=Placement.Status.COMPLETED,
                         starts_on=D(2019 + number, 9, 1), ends_on=D(2020 + number, 8, 31))
    district["k5"].name, district["k6"].name = "第五期", "第六期"
    district["k5"].save(), district["k6"].save()
    labels = [r["label"] for r in statistics.breakdown(statistics.StatsFilter(), "cohort")]
    assert labels == ["第一期", "第二期", "第三期", "第四期", "第五期", "第六期",
                      "不属于任何一期（科技副总、揭榜挂帅）"]
    client.force_login(sam)
    table = client.get(reverse("admin-statistics")).content.decode().split(
        'id="by-cohort"')[1].split("</table>")[0]
    assert "—" not in table
    assert table.index("第二期") < table.index("第五期") < table.index("不属于任何一期")


def test_months_still_to_come_never_appear(district):
    today = timezone.localdate()
    next_month = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    PlacementFactory(programme="tech_vp", status=Placement.Status.ACTIVE, starts_on=next_month,
                     ends_on=next_month + dt.timedelta(days=365))
    rows = statistics.breakdown(statistics.StatsFilter(), "month")
    assert next_month.strftime("%Y-%m") not in [r["label"] for r in rows]
    assert all(r["label"] <= today.strftime("%Y-%m") for r in rows)
    # It is an approved placement all the same: the totals count it.
    assert figures()[0] == 4


def test_the_page_draws_its_charts_from_a_json_script_and_a_served_chart_library(
        district, sam, client):
    client.force_login(sam)
    page = client.get(reverse("admin-statistics"))
    body = page.content.decode()
    charts = json.loads(body.split('id="stats-charts" type="application/json">')[1]
                        .split("</script>")[0])
    assert charts["platform"]["labels"] == ["杭州医药港", "钱塘芯谷"]
    assert [s["label"] for s in charts["platform"]["series"]] == ["入企人才", "合作成果"]
    assert charts["platform"]["series"][0]["data"] == [2, 1]
    for key in ("platform", "cluster", "cohort", "month", "institution"):
        assert f'data-chart="{key}"' in body
    # Scripts only from this site, none inline (the CSP's script-src 'self').
    scripts = re.findall(r"<script([^>]*)>", body)
    assert all("src=" in s or 'type="application/json"' in s for s in scripts)
    sources = re.findall(r'<script src="([^"]+)"', body)
    assert "/static/vendor/chartjs/chart.umd.min.js" in sources
    assert not [s for s in sources if not s.startswith("/static/")]
    assert finders.find("vendor/chartjs/chart.umd.min.js")
    assert finders.find("vendor/chartjs/LICENSE.md")
    policy = page["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-eval" not in policy
    # The bars say what they measure.
    assert "柱形：各行的入企人才（人）和合作成果（项）" in body


def test_the_trend_explains_how_it_fills_and_the_command_fills_it(district, sam, client):
    client.force_login(sam)
    body = client.get(reverse("admin-statistics")).content.decode()
    assert "python manage.py stats_snapshot" in body.split('id="trend-help"')[1].split("</p>")[0]
    assert 'data-chart="trend"' not in body
    call_command("stats_snapshot", stdout=io.StringIO())
    call_command("stats_snapshot", stdout=io.StringIO())  # the day's row, replaced
    assert StatsSnapshot.objects.count() == 1
    body = client.get(reverse("admin-statistics")).content.decode()
    charts = json.loads(body.split('id="stats-charts" type="application/json">')[1]
                        .split("</script>")[0])
    assert charts["trend"]["labels"] == [timezone.localdate().isoformat()]
    assert charts["trend"]["series"][0]["data"] == [3]
    assert 'data-chart="trend"' in body


def test_the_page_fits_a_phone_without_inline_styles(district, sam, client):
    client.force_login(sam)
    body = client.get(reverse("admin-statistics")).content.decode()
    main = body.split('id="content"')[1]
    assert "style=" not in main and "<style" not in body
    css = Path(finders.find("matching/statistics.css")).read_text()
    assert ".stats-table { width: 100%; table-layout: fixed; }" in css
    assert "overflow-wrap: anywhere" in css
def test_the_deal_value_counts_registered_contracts_only_and_shows_the_rest_apart(
        district, superuser, client):
    from matching.models import FundingProgramme

    p2 = Placement.objects.get(cohort=district["k6"])
    OutcomeFactory(placement=p2, kind=K.TECH_CONTRACT, amount=20, achieved_on=D(2025, 8, 1),
                   status=Outcome.Status.VERIFIED, registration_number="")
    OutcomeFactory(placement=p2, kind=K.FUNDED_PROJECT, amount=10, achieved_on=D(2025, 8, 1),
                   status=Outcome.Status.VERIFIED,
                   funded_under=FundingProgramme.objects.get(code="zj-jianbing-lingyan"))
    h = statistics.headline(statistics.StatsFilter(cohort=district["k6"].pk))
    assert (h["deal_value"], h["registered_contracts"]) == (Decimal("50.00"), 1)
    assert (h["unregistered_value"], h["unregistered_contracts"]) == (Decimal("20.00"), 1)
    assert h["funded_by_level"]["provincial"] == 1
    client.force_login(superuser)
    page = client.get(reverse("admin-statistics"), {"cohort": district["k6"].pk}).content.decode()
    contracts = page.split('id="contracts">')[1].split("</p>")[0]
    assert "1" in contracts and "20.00" in contracts


@pytest.mark.parametrize("filters", [{}, {"cohort": "k6"}, {"platform": "p1"},
                                     {"date_from": "2025-01-01", "date_to": "2025-12-31"}])
def test_every_figure_opens_the_rows_behind_it_and_the_export_carries_the_same_rows(
        district, superuser, client, filters):
    client.force_login(superuser)
    query = {k: (district[v].pk if v in district else v) for k, v in filters.items()}
    h = statistics.headline(statistics.StatsFilter(**query))
    for figure in statistics.FIGURE_ROWS:
        page = client.get(reverse("admin-statistics-rows"), {**query, "figure": figure})
        assert page.status_code == 200
        headers, rows = page.context["headers"], [row for _o, row in page.context["pairs"]]
        if figure in ("researchers", "companies"):
            column = 0 if figure == "researchers" else 2  # the researcher's, the company's
            assert len({r[column] for r in rows}) == h[figure]
        elif figure == "deal_value":
            assert sum((r[3] for r in rows), Decimal("0")) == h["deal_value"]
            assert len(rows) == h["registered_contracts"]
        elif figure == "unregistered":
            assert len(rows) == h["unregistered_contracts"]
        else:
            assert len(rows) == h[figure]
        export = client.get(reverse("admin-statistics-rows"),
                            {**query, "figure": figure, "export": "csv"})
        lines = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
        assert lines[0] == [str(x) for x in headers]
        assert lines[1:] == [["" if v is None else str(v) for v in row] for row in rows]


def test_the_statistics_page_links_each_figure_to_its_rows(district, superuser, client):
    client.force_login(superuser)
    page = client.get(reverse("admin-statistics"), {"cohort": district["k6"].pk}).content.decode()
    for figure in statistics.FIGURE_ROWS:
        assert f"cohort={district['k6'].pk}&amp;figure={figure}" in page


def test_the_rows_refuse_an_unknown_figure_or_a_bad_filter_and_are_for_staff(
        district, superuser, client, alice):
    client.force_login(superuser)
    url = reverse("admin-statistics-rows")
    assert client.get(url, {"figure": "salaries"}).status_code == 400
    assert client.get(url, {"figure": "outcomes", "cohort": "x"}).status_code == 400
    client.force_login(alice)
    assert client.get(url, {"figure": "outcomes"}).status_code == 302  # to the admin's sign-in
