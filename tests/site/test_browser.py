"""One journey in a real browser (Debian's headless Chromium, driven by Selenium):
a company signs up and posts a need, staff approve it through a service call, a
researcher signs up and applies, and the company accepts - checking what is on
screen at each step, in Chinese, the site's default language.

CI installs chromium and chromium-driver (.ci/run); where they are missing the
test is skipped with that message, except under REQUIRE_SERVICES=1 (CI), where
it fails.
"""

import datetime
import shutil

import pytest
from django.conf import settings
from django.utils import timezone

from accounts import services as account_services
from accounts.models import Company, IndustryPlatform, Institution, LeadingIndustry
from matching.models import Application, Challenge, Placement
from matching.services import challenges as challenge_services

from ..factories import credit_code

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
PASSWORD = "a-long-enough-passphrase"


@pytest.fixture
def browser():
    if not (CHROMIUM and CHROMEDRIVER):
        message = ("needs Debian's chromium and chromium-driver "
                   "(apt-get install chromium chromium-driver)")
        if settings.REQUIRE_SERVICES:
            pytest.fail(message + " — REQUIRE_SERVICES=1 forbids skipping", pytrace=False)
        pytest.skip(message)
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = CHROMIUM
    for argument in ["--headless", "--no-sandbox", "--disable-gpu",
                     "--disable-background-networking", "--window-size=420,900",
                     "--lang=zh-CN"]:
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.implicitly_wait(5)
    yield driver
    driver.quit()


def fill(driver, **fields):
    from selenium.webdriver.support.ui import Select

    for name, value in fields.items():
        element = driver.find_element("name", name)
        if element.tag_name == "select":
            Select(element).select_by_value(str(value))
        else:
            element.clear()
            element.send_keys(value)


def click(driver, text):
    """Click the button or link showing `text` and wait for the next page."""
    follow(driver, driver.find_element("xpath", f"//button[normalize-space()='{text}'] | "
                                                f"//a[normalize-space()='{text}']"))


def follow(driver, element):
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    page = driver.find_element("tag name", "html")
    element.click()
    WebDriverWait(driver, 15).until(expected_conditions.staleness_of(page))


def choose_language(driver, code):
    """Pick a language in the header's selector, which sends itself on change."""
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import Select, WebDriverWait

    page = driver.find_element("tag name", "html")
    Select(driver.find_element("css selector", "form.lang select")).select_by_value(code)
    WebDriverWait(driver, 15).until(expected_conditions.staleness_of(page))


def on_screen(driver) -> str:
    return driver.find_element("tag name", "body").text


def test_a_need_from_sign_up_to_acceptance_in_a_browser(browser, live_server, sam):
    site = live_server.url
    # A transactional test before this one may have flushed the reference data.
    platform = IndustryPlatform.objects.get_or_create(
        code="medical", defaults={"name": "杭州医药港", "name_en": "Hangzhou Medical Port"})[0]

    # A company manager signs up; the company awaits verification.
    browser.get(f"{site}/accounts/signup/company/")
    assert "企业注册" in on_screen(browser)
    fill(browser, full_name="王经理", email="mgr@pv.cn", password1=PASSWORD,
         password2=PASSWORD, name="杭州钱塘光伏科技有限公司", credit_code=credit_code(7016),
         platform=platform.pk)
    click(browser, "创建账号")
    assert "杭州钱塘光伏科技有限公司" in on_screen(browser)
    assert "正在等待区里工作人员认证" in on_screen(browser)
    company = Company.objects.get(name="杭州钱塘光伏科技有限公司")
    account_services.company_verify(company=company, by=sam)

    # The manager writes a need, previews it and submits it for review (a need under
    # review names its industry and deadline; the date is set as the picker would).
    industry = LeadingIndustry.objects.get_or_create(  # before the form lists the industries
        code="chemicals", defaults={"name": "化", "name_en": "Chemicals"})[0]
    click(browser, "发布新需求")
    fill(browser, title="钙钛矿组件湿热老化衰减", background="量产组件湿热老化后效率衰减明显。",
         required_expertise="钙钛矿、封装", reward="80", industry=industry.pk)
    deadline = timezone.localdate() + datetime.timedelta(days=45)
    browser.execute_script("arguments[0].value = arguments[1]",
                           browser.find_element("name", "deadline"), deadline.isoformat())
    click(browser, "保存草稿并预览")
    assert "已保存为草稿" in on_screen(browser)
    assert "量产组件湿热老化后效率衰减明显。" in on_screen(browser)
    click(browser, "提交审核")
    assert "已提交" in on_screen(browser) and "状态: 审核中" in on_screen(browser)

    # District staff publish it (a service call, as the admin makes it).
    need = Challenge.objects.get(company=company)
    challenge_services.challenge_publish(challenge=need, by=sam)

    # The language selector works both ways, from either URL (an /en/ prefix used to
    # win over the choice of Chinese).
    browser.get(f"{site}/needs/")
    choose_language(browser, "en")
    assert browser.current_url.endswith("/en/needs/") and "Open needs" in on_screen(browser)
    choose_language(browser, "zh-hans")
    assert browser.current_url == f"{site}/needs/" and "需求大厅" in on_screen(browser)

    # A researcher signs up, finds the need and applies (揭榜).
    browser.delete_all_cookies()
    institution = Institution.objects.get_or_create(name="杭州电子科技大学")[0]
    browser.get(f"{site}/accounts/signup/researcher/")
    fill(browser, full_name="李研究员", email="li@hdu.edu.cn", password1=PASSWORD,
         password2=PASSWORD, institution=institution.pk, title="lecturer",
         keywords="钙钛矿、封装、湿热老化")
    click(browser, "创建账号")
    assert "李研究员" in on_screen(browser)
    browser.get(f"{site}/needs/?q=钙钛矿")
    follow(browser, browser.find_element("link text", "钙钛矿组件湿热老化衰减"))
    click(browser, "我要揭榜")
    fill(browser, proposal="二维钝化层加原子层沉积封装", team="3人", budget="60",
         timeline="12个月")
    click(browser, "提交揭榜申请")
    assert "揭榜申请已提交" in on_screen(browser)
    # Withdrawing asks first; the researcher thinks again.
    browser.get(f"{site}/researcher/")
    follow(browser, browser.find_element("link text", "撤回…"))
    assert "确定撤回" in on_screen(browser)
    click(browser, "取消")
    assert Application.objects.filter(challenge=need, researcher__user__email="li@hdu.edu.cn",
                                      status="submitted").exists()

    # The company signs in, sees the applicant with the proposal, and accepts.
    browser.delete_all_cookies()
    browser.get(f"{site}/accounts/login/")
    fill(browser, username="mgr@pv.cn", password=PASSWORD)
    follow(browser, browser.find_element("css selector", "main form button[type=submit]"))
    assert "1 份新申请" in on_screen(browser)
    follow(browser, browser.find_element("link text", "钙钛矿组件湿热老化衰减"))
    assert "李研究员" in on_screen(browser)
    assert "二维钝化层加原子层沉积封装" in on_screen(browser)
    fill(browser, message="欢迎加入")
    click(browser, "接受")
    assert "已接受：该服务关系正等待区里审批" in on_screen(browser)
    placement = Placement.objects.get(challenge=need)
    assert (placement.status, placement.researcher.user.email) == ("pending", "li@hdu.edu.cn")


def test_staff_read_the_statistics_as_charts_on_a_phone(browser, live_server, sam):
    from ..factories import PASSWORD as STAFF_PASSWORD
    from ..factories import CohortFactory, PlacementFactory

    for number in (2, 1):
        cohort = CohortFactory(number=number, name=f"第{'一二'[number - 1]}期博士入企")
        PlacementFactory(programme="phd", cohort=cohort, status=Placement.Status.COMPLETED)
    # A long name in a narrow column wraps instead of widening the page.
    institution = Institution.objects.create(
        name="浙江省杭州市钱塘区下沙高等教育园区先进材料与智能制造协同创新研究院有限公司")
    PlacementFactory(programme="tech_vp", status=Placement.Status.ACTIVE,
                     researcher__institution=institution)

    # The window is a phone's (420 px wide, see the fixture).
    browser.get(f"{live_server.url}/admin/login/?next=/admin/statistics/")
    fill(browser, username=sam.email, password=STAFF_PASSWORD)
    follow(browser, browser.find_element("css selector", "input[type=submit], button[type=submit]"))
    assert "全区统计" in on_screen(browser)
    # Chart.js drew the breakdowns: each canvas holds a chart, with pixels.
    for key in ("platform", "cohort", "month"):
        assert browser.execute_script(
            "var c = document.getElementById(arguments[0]);"
            "return !!(window.Chart && Chart.getChart(c)) && c.width > 0;", f"chart-{key}")
    cohorts = browser.find_element("id", "by-cohort").text
    assert cohorts.index("第一期") < cohorts.index("第二期") < cohorts.index("不属于任何一期")
    # Nothing scrolls sideways, in Chinese or in English (longer headers).
    fits = "return document.documentElement.scrollWidth <= window.innerWidth;"
    assert browser.execute_script(fits)
    browser.get(f"{live_server.url}/en/admin/statistics/")
    assert "District statistics" in on_screen(browser)
    assert browser.execute_script(fits)
