"""Staff import companies and researchers from Excel: all rows or none."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from accounts.imports import COMPANY_COLUMNS, RESEARCHER_COLUMNS
from accounts.models import Company, ResearcherProfile
from tests.factories import credit_code


def xlsx(columns, rows, name="file.xlsx"):
    book = Workbook()
    book.active.append(columns)
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue())


COMPANIES = [
    ["杭州钱塘光伏科技有限公司", credit_code(11), "钱塘芯谷", "集成电路", "芯", "小型",
     "钱塘区1号大街", "张三", "0571-86000000", "zhang@pv.cn"],
    ["浙江临江新材料有限公司", credit_code(12), "临江高科园", "", "化", "", "", "", "", ""],
]
RESEARCHERS = [
    ["李四", "lisi@zju.edu.cn", "浙江大学", "材料学院", "副教授", "博士", "材料科学与工程",
     "钙钛矿、封装", "研究钙钛矿电池", "2"],
    ["王五", "wangwu@hdu.edu.cn", "杭州电子科技大学", "电子学院", "讲师", "", "电子科学与技术",
     "传感器", "", ""],
]


def post(client, model, upload):
    return client.post(reverse(f"admin:accounts_{model}_import"), {"file": upload}, follow=True)


def test_a_valid_company_file_imports_and_a_reimport_updates(superuser, client):
    client.force_login(superuser)
    page = post(client, "company", xlsx(COMPANY_COLUMNS, COMPANIES)).content.decode()
    assert "新增 2 条" in page
    assert Company.objects.count() == 2
    pv = Company.objects.get(credit_code=credit_code(11))
    assert (pv.platform.name, pv.cluster.name, pv.size) == ("钱塘芯谷", "集成电路", "small")
    changed = [row[:] for row in COMPANIES]
    changed[0][6] = "钱塘区2号大街"
    post(client, "company", xlsx(COMPANY_COLUMNS, changed))
    assert Company.objects.count() == 2
    assert Company.objects.get(credit_code=credit_code(11)).address == "钱塘区2号大街"


def test_one_bad_row_imports_nothing_and_names_the_row_and_column(superuser, client):
    client.force_login(superuser)
    bad = [row[:] for row in COMPANIES]
    bad[1][1] = bad[1][1][:-1] + ("0" if bad[1][1][-1] != "0" else "1")  # wrong check character
    bad[1][2] = "不存在的平台"
    page = post(client, "company", xlsx(COMPANY_COLUMNS, bad)).content.decode()
    errors = page.split('id="import-errors"')[1]
    assert "<td>3</td><td>统一社会信用代码</td>" in errors
    assert "<td>3</td><td>链主产业平台</td>" in errors
    assert not Company.objects.exists()


def test_researchers_import_with_their_lists_and_reimport_updates(superuser, client):
    client.force_login(superuser)
    post(client, "researcherprofile", xlsx(RESEARCHER_COLUMNS, RESEARCHERS))
    li = ResearcherProfile.objects.get(user__email="lisi@zju.edu.cn")
    assert (li.user.full_name, li.title, li.keywords, li.capacity) == (
        "李四", "associate_professor", ["钙钛矿", "封装"], 2)
    assert not li.user.has_usable_password()
    again = [row[:] for row in RESEARCHERS]
    again[0][4] = "教授"
    post(client, "researcherprofile", xlsx(RESEARCHER_COLUMNS, again))
    assert ResearcherProfile.objects.count() == 2
    assert ResearcherProfile.objects.get(user__email="lisi@zju.edu.cn").title == "professor"


@pytest.mark.parametrize("column, value", [("电子邮箱", "not-an-email"), ("职称", "院士"),
                                           ("高校/院所", "火星大学"), ("可同时服务数", "很多")])
def test_a_bad_researcher_row_is_reported_and_nothing_is_imported(superuser, client, column,
                                                                  value):
    client.force_login(superuser)
    rows = [row[:] for row in RESEARCHERS]
    rows[1][RESEARCHER_COLUMNS.index(column)] = value
    page = post(client, "researcherprofile", xlsx(RESEARCHER_COLUMNS, rows)).content.decode()
    assert f"<td>3</td><td>{column}</td>" in page.split('id="import-errors"')[1]
    assert not ResearcherProfile.objects.exists()


def test_a_file_that_is_not_excel_is_refused_clearly(superuser, client):
    client.force_login(superuser)
    page = post(client, "company", SimpleUploadedFile("x.xlsx", b"not a workbook")).content.decode()
    assert "Excel" in page and not Company.objects.exists()


# --- Issue 14: choices as the website shows them, a template to fill in, a file error -----

def test_a_size_typed_as_the_website_shows_it_is_accepted_in_either_language(superuser, client):
    client.force_login(superuser)
    rows = [[*COMPANIES[0][:5], "小型（20–99人）", *COMPANIES[0][6:]],
            [*COMPANIES[1][:5], "medium (100–999 staff)", *COMPANIES[1][6:]]]
    page = post(client, "company", xlsx(COMPANY_COLUMNS, rows)).content.decode()
    assert "import-errors" not in page
    assert sorted(Company.objects.values_list("size", flat=True)) == ["medium", "small"]


def test_titles_and_degrees_are_accepted_by_label_and_by_code(superuser, client):
    client.force_login(superuser)
    rows = [[*RESEARCHERS[0][:4], "associate_professor", "doctorate", *RESEARCHERS[0][6:]],
            [*RESEARCHERS[1][:4], "lecturer", "硕士", *RESEARCHERS[1][6:]]]
    page = post(client, "researcherprofile", xlsx(RESEARCHER_COLUMNS, rows)).content.decode()
    assert "import-errors" not in page
    assert sorted(ResearcherProfile.objects.values_list("title", "degree")) == [
        ("associate_professor", "doctorate"), ("lecturer", "master")]


def test_the_template_has_an_example_row_and_drop_downs_and_imports_as_it_is(superuser, client):
    from openpyxl import load_workbook

    client.force_login(superuser)
    answer = client.get(reverse("admin:accounts_company_import_template"))
    book = load_workbook(io.BytesIO(answer.content))
    sheet = book.active
    assert [c.value for c in sheet[1]] == COMPANY_COLUMNS
    example = dict(zip(COMPANY_COLUMNS, [c.value for c in sheet[2]], strict=True))
    assert example["规模"] == "小型（20–99人）" and example["企业名称"]
    validated = {str(v.sqref).split(":")[0].rstrip("0123456789")
                 for v in sheet.data_validations.dataValidation}
    letters = {c: sheet.cell(row=1, column=i).column_letter
               for i, c in enumerate(COMPANY_COLUMNS, start=1)}
    assert {letters[c] for c in ["链主产业平台", "产业集群", "主导产业", "规模"]} <= validated
    assert "小型（20–99人）" in [c.value for c in book["选项"][letters["规模"]]]
    # The untouched template imports nothing and reports nothing: the example is skipped.
    page = post(client, "company", SimpleUploadedFile("t.xlsx", answer.content)).content.decode()
    assert "import-errors" not in page and not Company.objects.exists()


def test_a_file_that_is_not_excel_is_a_file_error_not_a_row(superuser, client):
    client.force_login(superuser)
    page = post(client, "company", SimpleUploadedFile("x.csv", b"a,b\n1,2")).content.decode()
    assert 'id="import-file-error"' in page and "import-errors" not in page
