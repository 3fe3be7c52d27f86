"""Bulk import of companies and researchers from Excel, as the district and the
universities keep them: one row per company or person, Chinese headers.

Every row is validated before anything is written; a file with any invalid row
imports nothing and reports each bad row and field. A valid file imports in one
transaction, each row through the services staff use in the admin (history
naming the importer; a researcher's changed profile is rescored). A company is
matched by its credit code and a researcher by e-mail, so importing the same
file again updates instead of duplicating.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from . import services, signals
from .models import (
    Company,
    IndustryCluster,
    IndustryPlatform,
    Institution,
    LeadingIndustry,
    ResearcherProfile,
    User,
)
from .roles import require_perm
from .validators import validate_credit_code

COMPANY_COLUMNS = ["企业名称", "统一社会信用代码", "链主产业平台", "产业集群", "主导产业", "规模",
                   "地址", "联系人", "联系电话", "联系邮箱"]
RESEARCHER_COLUMNS = ["姓名", "电子邮箱", "高校/院所", "院系", "职称", "最高学位", "学科",
                      "专长关键词", "个人简介", "可同时服务数"]
LIST_SEPARATORS = "、，,;；"


def _normal(text: str) -> str:
    """A choice as typed, compared without spaces, case or full-width punctuation."""
    text = "".join(str(text).split()).lower()
    return text.translate(str.maketrans({"（": "(", "）": ")", "-": "–", "—": "–", "~": "–",
                                         "～": "–", "，": ","}))


def _choices(short: dict[str, str], choices) -> dict[str, str]:
    """What a cell may say for a choice → its code: the short Chinese name of the
    import's own list, the code itself, and the label the website shows, in
    Chinese and in English (小型、small、小型（20–99人）、small (20–99 staff))."""
    accepted = {_normal(k): v for k, v in short.items()}
    for code, label in choices:
        accepted[_normal(code)] = code
        for language in ("zh-hans", "en"):
            with translation.override(language):
                accepted[_normal(str(label))] = code
    return accepted


SIZES = {"微型": "micro", "小型": "small", "中型": "medium", "大型": "large"}
TITLES = {"教授": "professor", "副教授": "associate_professor", "讲师": "lecturer",
          "研究员": "research_fellow", "博士后": "postdoc", "博士": "phd"}
DEGREES = {"博士": "doctorate", "硕士": "master", "学士": "bachelor"}


def _choice(short: dict[str, str], choices, value: str, row, column, result) -> str | None:
    code = _choices(short, choices).get(_normal(value))
    if code is None:
        result.errors.append((row, column, _("Use one of: %(v)s") % {"v": "、".join(short)}))
    return code


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list[tuple[int, str, str]] = field(default_factory=list)  # (row, column, message)
    file_error: str = ""  # the upload as a whole could not be read


    @property
    def ok(self) -> bool:
        return not (self.errors or self.file_error)

    def count(self, existing) -> None:
        """One row written: a new record, or an update of `existing`."""
        if existing is None:
            self.created += 1
        else:
            self.updated += 1


# The template's second row shows how a row is filled in; the import skips it.
EXAMPLE_MARK = "（示例）"
EXAMPLES = {
    "企业名称": f"{EXAMPLE_MARK}杭州钱塘某某科技有限公司", "统一社会信用代码": "91330100XXXXXXXXXX",
    "链主产业平台": "钱塘芯谷", "产业集群": "集成电路", "主导产业": "芯", "规模": "小型（20–99人）",
    "地址": "杭州市钱塘区某某路1号", "联系人": "张三", "联系电话": "0571-8888 8888",
    "联系邮箱": "zhangsan@example.cn",
    "姓名": f"{EXAMPLE_MARK}李四", "电子邮箱": "lisi@example.edu.cn", "高校/院所": "浙江理工大学",
    "院系": "材料科学与工程学院", "职称": "副教授", "最高学位": "博士", "学科": "材料科学与工程",
    "专长关键词": "钙钛矿、封装、湿热老化", "个人简介": "研究钙钛矿太阳电池的稳定性。",
    "可同时服务数": "2",
}


def _options() -> dict[str, list[str]]:
    """The drop-down of each choice column: what the import accepts, as the
    website shows it in Chinese."""
    def names(model):
        return list(model.objects.order_by("name").values_list("name", flat=True))

    with translation.override("zh-hans"):
        return {"链主产业平台": names(IndustryPlatform), "产业集群": names(IndustryCluster),
                "主导产业": names(LeadingIndustry), "高校/院所": names(Institution),
                "规模": [str(label) for _code, label in Company.Size.choices],
                "职称": list(TITLES), "最高学位": list(DEGREES)}


def template(columns: list[str]) -> bytes:
    """An .xlsx with the headers, an example row, and a drop-down on every choice
    column (the choices on a second sheet, as a list may exceed Excel's 255
    characters written inline)."""
    import io

    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.append(columns)
    sheet.append([EXAMPLES.get(c, "") for c in columns])
    for cell in sheet[2]:
        cell.font = Font(italic=True, color="808080")
    lists, choices = book.create_sheet("选项"), _options()
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = 18
        options = choices.get(column)
        if not options:
            continue
        letter = get_column_letter(index)
        lists[f"{letter}1"] = column
        for n, option in enumerate(options, start=2):
            lists[f"{letter}{n}"] = option
        validation = DataValidation(
            type="list", formula1=f"'{lists.title}'!${letter}$2:${letter}${len(options) + 1}",
            allow_blank=True, showErrorMessage=True, error=_("Choose from the list."))
        validation.add(f"{letter}2:{letter}1000")
        sheet.add_data_validation(validation)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _rows(upload, columns: list[str], result: ImportResult) -> list[tuple[int, dict]]:
    try:
        sheet = load_workbook(upload, read_only=True, data_only=True).active
    except Exception:  # openpyxl raises many kinds for a file that is not xlsx
        result.file_error = _("This file is not an Excel workbook (.xlsx); save it from Excel "
                              "or WPS as .xlsx, or start from the template.")
        return []
    rows = sheet.iter_rows(values_only=True)
    header = [str(h).strip() if h is not None else "" for h in next(rows, ())]
    missing = [c for c in columns if c not in header]
    if missing:
        result.errors.append((1, "", _("Missing columns: %(c)s") % {"c": "、".join(missing)}))
        return []
    out = []
    for number, values in enumerate(rows, start=2):
        row = {h: ("" if v is None else str(v).strip()) for h, v in zip(header, values,
                                                                        strict=False)}
        if any(row.get(c) for c in columns) and not row.get(columns[0], "").startswith(
                EXAMPLE_MARK):
            out.append((number, row))
    return out


def _split(value: str) -> list[str]:
    for sep in LIST_SEPARATORS[1:]:
        value = value.replace(sep, LIST_SEPARATORS[0])
    return [v.strip() for v in value.split(LIST_SEPARATORS[0]) if v.strip()]


def _lookup(model, value, row, column, result, *, required=False):
    if not value:
        if required:
            result.errors.append((row, column, _("This column is required.")))
        return None
    found = model.objects.filter(name=value).first()
    if found is None:
        result.errors.append((row, column, _("“%(v)s” is not a known %(what)s.")
                              % {"v": value, "what": model._meta.verbose_name}))
    return found


def import_companies(upload, *, by: User) -> ImportResult:
    require_perm(by, "accounts.add_company")
    result = ImportResult()
    parsed, seen = [], {}
    for n, row in _rows(upload, COMPANY_COLUMNS, result):
        name, code = row["企业名称"], row["统一社会信用代码"].upper()
        if not name:
            result.errors.append((n, "企业名称", _("This column is required.")))
        try:
            validate_credit_code(code)
        except ValidationError as exc:
            result.errors.append((n, "统一社会信用代码", " ".join(exc.messages)))
        if code in seen:
            result.errors.append((n, "统一社会信用代码", _("Same code as row %(r)d.")
                                  % {"r": seen[code]}))
        seen.setdefault(code, n)
        size = row["规模"] and _choice(SIZES, Company.Size.choices, row["规模"], n, "规模", result)
        fields = {
            "name": name, "address": row["地址"], "contact_name": row["联系人"],
            "contact_phone": row["联系电话"], "contact_email": row["联系邮箱"],
            "size": size or "",
            "platform": _lookup(IndustryPlatform, row["链主产业平台"], n, "链主产业平台", result),
            "cluster": _lookup(IndustryCluster, row["产业集群"], n, "产业集群", result),
            "leading_industry": _lookup(LeadingIndustry, row["主导产业"], n, "主导产业", result)}
        if fields["contact_email"]:
            try:
                validate_email(fields["contact_email"])
            except ValidationError:
                result.errors.append((n, "联系邮箱", _("Enter a valid e-mail address.")))
        parsed.append((code, fields))
    if result.errors:
        return result
    existing = Company.objects.in_bulk([code for code, _fields in parsed], field_name="credit_code")
    with transaction.atomic():
        for code, fields in parsed:
            company = existing.get(code)
            if company is None:
                services.record_save(record=Company(credit_code=code, **fields), by=by)
            else:
                services.company_correct(company=company, by=by, **fields)
            result.count(company)
    return result


def import_researchers(upload, *, by: User) -> ImportResult:
    require_perm(by, "accounts.add_researcherprofile")
    result = ImportResult()
    parsed, seen = [], {}
    for n, row in _rows(upload, RESEARCHER_COLUMNS, result):
        email = row["电子邮箱"].lower()
        try:
            validate_email(email)
        except ValidationError:
            result.errors.append((n, "电子邮箱", _("Enter a valid e-mail address.")))
        if email in seen:
            result.errors.append((n, "电子邮箱", _("Same e-mail as row %(r)d.")
                                  % {"r": seen[email]}))
        seen.setdefault(email, n)
        if not row["姓名"]:
            result.errors.append((n, "姓名", _("This column is required.")))
        title = _choice(TITLES, ResearcherProfile.Title.choices, row["职称"], n, "职称", result)
        degree = _choice(DEGREES, ResearcherProfile.Degree.choices, row["最高学位"] or "博士", n,
                         "最高学位", result)
        capacity = row["可同时服务数"] or "1"
        if not capacity.isdigit() or not 1 <= int(capacity) <= 10:
            result.errors.append((n, "可同时服务数", _("A whole number from 1 to 10.")))
        institution = _lookup(Institution, row["高校/院所"], n, "高校/院所", result, required=True)
        parsed.append((email, row["姓名"], {
            "institution": institution, "department": row["院系"], "title": title,
            "degree": degree, "disciplines": _split(row["学科"]),
            "keywords": _split(row["专长关键词"]), "bio": row["个人简介"],
            "capacity": int(capacity) if capacity.isdigit() else 1}))
    if result.errors:
        return result
    with transaction.atomic():
        for email, name, fields in parsed:
            user = User.objects.filter(email=email).first()
            if user is None:
                # New people sign in after resetting their password by e-mail.
                user = services.user_create(email=email, password=None, full_name=name)
            elif user.full_name != name:
                user.full_name = name
                user.save(update_fields=["full_name"])
            existing = ResearcherProfile.objects.filter(user=user).first()
            if existing is None:
                profile = services.record_save(record=ResearcherProfile(user=user, **fields),
                                               by=by)
                # Scored once the import commits, like a sign-up or a profile edit.
                signals.researcher_changed.send(sender=ResearcherProfile, profile_id=profile.pk)
            else:
                services.researcher_update(profile=existing, by=by, **fields)
            result.count(existing)
    return result
