"""A deterministic demo district at the scale the district reports.

About 258 companies over the five platforms and clusters, about 850
researchers from the Xiasha universities whose works are real Chinese papers
(CSL, Apache-2.0), a few hundred needs in every programme and state,
applications, placements in six cohorts and outcomes: 847 researchers placed
into 258 companies, 4,000 万元 of verified technology contracts and 300+
verified outcomes.

Dates: the district's own are fixed (cohorts from 2019, the sixth in 2024–25;
the tech-VP appointments of March 2025); everything else is relative to the day
the demo is built (timezone.localdate()): a placement whose term has ended by
then is completed, outcomes fall within their placement's term and never after
that day, deadlines of open needs lie ahead of it. Built twice on one day, the
demo is the same.

Rows are written in bulk and every password shares one hash, so the whole
district builds in seconds on SQLite. Writes here bypass the services on
purpose: the demo sets up the past (cohorts, decisions made years ago) that no
service would let a user create today. Each row of a model with history gets
its first history row all the same (simple_history's bulk_create_with_history),
attributed to the demo's administrator with the reason "demo", so the history
of every demo record starts where the record does.
"""

import datetime
import json
import random
import re
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history
from stdnum.cn import uscc

from accounts.models import (
    Company,
    CompanyMembership,
    IndustryCluster,
    IndustryPlatform,
    Institution,
    LeadingIndustry,
    ResearcherProfile,
    User,
    Work,
)
from accounts.reference_data import FUNDING_PROGRAMMES
from accounts.roles import Role

from . import demo_bounties, demo_plan, demo_privacy, demo_service
from .demo_reports import demo_outcome_extras, freeze_demo_report, patent_number
from .models import Application, Challenge, Cohort, Outcome, Placement, Programme
from .search import challenge_search_index

PASSWORD = "qiantang-demo-2025"
STAFF_EMAIL = "staff@demo.qiantang.local"
REVIEWER_EMAIL = "reviewer@demo.qiantang.local"
COMPANY_EMAIL = "company@demo.qiantang.local"
RESEARCHER_EMAIL = "researcher@demo.qiantang.local"

N_COMPANIES = 258
N_RESEARCHERS = 850
N_PLACED = 847
DEAL_TOTAL = Decimal("4000.00")
PAPERS = Path(__file__).parent / "demo_data" / "csl-papers.jsonl"

# Which CSL disciplines feed each leading industry, and where its companies sit.
INDUSTRY_DISCIPLINES = {
    "vehicles": ["交通运输工程", "机械工程", "动力工程及工程热物理", "电气工程", "控制科学与工程"],
    "pharma": ["中医学/中药学", "药学", "基础医学/临床医学", "生物学/生物科学与工程",
               "食品科学与工程", "公共卫生与预防医学"],
    "chips": ["电子科学与技术", "信息与通信工程", "计算机科学与技术", "光学工程", "物理学"],
    "chemicals": ["材料科学与工程", "化学/化学工程与技术", "纺织科学与工程", "环境科学与工程",
                  "冶金工程"],
    "aerospace": ["兵器科学与技术", "航空宇航科学与技术", "船舶与海洋工程", "力学",
                  "测绘科学与技术"],
}
INDUSTRY_HOME = {  # industry → (platform, cluster)
    "vehicles": ("qianjin-park", "nev"),
    "pharma": ("medicine-port", "biomedicine"),
    "chips": ("chip-valley", "ic"),
    "chemicals": ("linjiang-park", "furniture-appliances"),
    "aerospace": ("dachuang-town", "iot"),
}
COMPANY_WORDS = {
    "vehicles": ["新能源汽车", "动力电池", "电驱科技", "汽车零部件", "智能驾驶", "热管理"],
    "pharma": ["生物医药", "医疗器械", "药业", "基因科技", "诊断技术", "制药"],
    "chips": ["微电子", "半导体", "芯片科技", "光电科技", "集成电路", "传感技术"],
    "chemicals": ["新材料", "化工科技", "高分子材料", "纺织科技", "涂层科技", "环保科技"],
    "aerospace": ["航空科技", "精密机械", "卫星科技", "无人机", "航天装备", "智能装备"],
}
NAME_PREFIXES = ["杭州", "浙江", "钱塘", "杭州钱塘", "浙江钱江", "杭州下沙", "杭州江东", "浙江临江"]
NAME_CORES = ["华", "瑞", "博", "中", "新", "远", "恒", "启", "睿", "众", "科", "卓", "泰", "安",
              "明", "宏", "达", "信", "联", "创", "光", "海", "天", "正"]
SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓"
            "曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢")
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红建文辉力斌宇浩凯晨瑶琳雪梅鹏飞志远博思"
TITLES = [ResearcherProfile.Title.PROFESSOR, ResearcherProfile.Title.ASSOCIATE_PROFESSOR,
          ResearcherProfile.Title.LECTURER, ResearcherProfile.Title.RESEARCH_FELLOW,
          ResearcherProfile.Title.POSTDOC, ResearcherProfile.Title.PHD]


def already_seeded() -> bool:
    return User.objects.filter(email=STAFF_EMAIL).exists()


def _credit_code(rng: random.Random, n: int) -> str:
    # 9 = registered by the market regulator, 1 = enterprise, 330114 = 钱塘区.
    body = f"91330114{rng.randrange(10**6):06d}{n:03d}"[:17]
    return body + uscc.calc_check_digit(body)


def _person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2])))


def _load_papers() -> dict[str, list[dict]]:
    by_discipline = defaultdict(list)
    with PAPERS.open(encoding="utf-8") as f:
        for line in f:
            paper = json.loads(line)
            by_discipline[paper["discipline"]].append(paper)
    return by_discipline


# A research group is two to four researchers of one discipline; each CSL paper
# is credited to the one group that wrote it, never to researchers elsewhere.
GROUP_SIZE = 2


def _research_groups(disciplines: list[str], papers: dict[str, list[dict]]
                     ) -> list[tuple[int, list[dict]]]:
    """For each researcher (by index): their group's number and its papers. The
    researchers of a discipline are cut into groups of GROUP_SIZE (larger where a
    discipline has fewer papers than that would need), and the discipline's
    papers are dealt out to the groups, so that every group has at least one."""
    members = defaultdict(list)
    for n, discipline in enumerate(disciplines):
        members[discipline].append(n)
    out: list = [None] * len(disciplines)
    group_no = 0
    for discipline in sorted(members):
        people, own = members[discipline], papers[discipline]
        count = min(len(own), -(-len(people) // GROUP_SIZE))
        for g in range(count):
            for n in people[g::count]:
                out[n] = (group_no, own[g::count])
            group_no += 1
    return out


def _whole_sentences(text: str, limit: int) -> str:
    """The text cut to at most `limit` characters at the end of a sentence (a
    Chinese or Western full stop, question or exclamation mark; not the point of
    a decimal), ending with a full stop; the first sentence whole if it alone is
    longer."""
    ends = [m.end() for m in SENTENCE_END.finditer(text)]
    cut = max([e for e in ends if e <= limit], default=ends[0] if ends else len(text))
    sentences = text[:cut].strip()
    return sentences if SENTENCE_END.search(sentences[-1:] + " ") else sentences + "。"


SENTENCE_END = re.compile(r"[。！？!?]|\.(?!\d)")


class DemoBuilder:
    def __init__(self, seed: int = 2025):
        self.rng = random.Random(seed)
        self.today = timezone.localdate()
        self.password = make_password(PASSWORD)
        self.papers = _load_papers()

    def _bulk(self, model, objs) -> list:
        """Insert in bulk, with the first history row of each."""
        return bulk_create_with_history(list(objs), model, batch_size=500,
                                        default_user=self.staff, default_change_reason="demo")

    def build(self) -> dict:
        with transaction.atomic():
            self._staff()
            self._cohorts()
            self._companies()
            self._researchers()
            demo_privacy.build(self)  # consents to the texts in force (issue 15)
            self._challenges()
            self._placements()
            self._outcomes()
            demo_service.build(self)  # issue 16: agreements, logs, evaluations, claims
            demo_plan.build(self)  # issue 18: links to the 55830 plan
            freeze_demo_report(self.staff)
            self._next_cohort()
            demo_bounties.build(self)
            demo_privacy.consent_newcomers(self)  # the experts just added
        return self.summary()

    # --- people and organisations -------------------------------------------------
    def _user(self, email: str, name: str, **extra) -> User:
        return User(email=email, full_name=name, password=self.password, **extra)

    def _staff(self):
        from django.contrib.auth.models import Group

        self.staff = User.objects.create(email=STAFF_EMAIL, full_name="钱塘区经信科技局 管理员",
                                         password=self.password, is_staff=True,
                                         is_superuser=True)
        self.staff.groups.add(Group.objects.get(name=Role.ADMINISTRATOR))
        reviewer = User.objects.create(email=REVIEWER_EMAIL, full_name="钱塘区经信科技局 审核员",
                                       password=self.password, is_staff=True)
        reviewer.groups.add(Group.objects.get(name=Role.REVIEWER))

    def _cohorts(self):
        self.cohorts = self._bulk(Cohort, [
            Cohort(number=n, name=f"第{'一二三四五六'[n - 1]}期博士入企", year=2018 + n,
                   starts_on=datetime.date(2018 + n, 9, 1), ends_on=datetime.date(2019 + n, 8, 31))
            for n in range(1, 7)])

    def _companies(self):
        rng = self.rng
        platforms = {p.code: p for p in IndustryPlatform.objects.all()}
        clusters = {c.code: c for c in IndustryCluster.objects.all()}
        self.industries = {i.code: i for i in LeadingIndustry.objects.all()}
        codes = list(INDUSTRY_DISCIPLINES)
        companies, users, names = [], [], set()
        for n in range(N_COMPANIES):
            industry = codes[n % len(codes)]
            # Most companies sit on their industry's platform; some elsewhere.
            platform, cluster = INDUSTRY_HOME[industry]
            if rng.random() < 0.2:
                platform = rng.choice(list(platforms))
            while True:
                name = (rng.choice(NAME_PREFIXES) + "".join(rng.sample(NAME_CORES, 2))
                        + rng.choice(COMPANY_WORDS[industry]) + "有限公司")
                if name not in names:
                    names.add(name)
                    break
            contact = _person_name(rng)
            companies.append(Company(
                name=name, credit_code=_credit_code(rng, n), platform=platforms[platform],
                cluster=clusters[cluster], leading_industry=self.industries[industry],
                size=rng.choice(Company.Size.values), address=f"杭州市钱塘区{rng.randint(1, 30)}号大街"
                f"{rng.randint(1, 999)}号", contact_name=contact,
                contact_phone=f"0571-8{rng.randrange(10**6, 10**7)}",
                contact_email=f"contact{n}@company{n}.example.cn",
                # A handful stay unverified so the staff queue is not empty.
                verified_at=None if n % 50 == 7 else timezone.now(),
                verified_by=None if n % 50 == 7 else self.staff))
            email = COMPANY_EMAIL if n == 0 else f"company{n}@demo.qiantang.local"
            users.append(self._user(email, contact))
        self.companies = self._bulk(Company, companies)
        self.company_users = User.objects.bulk_create(users)
        self._bulk(CompanyMembership, [
            CompanyMembership(company=c, user=u, role=CompanyMembership.Role.OWNER)
            for c, u in zip(self.companies, self.company_users, strict=True)])

    def _researchers(self):
        rng = self.rng
        institutions = list(Institution.objects.all())
        codes = list(INDUSTRY_DISCIPLINES)
        # Each industry's researchers spread over its disciplines as the papers
        # do, so that every research group below has papers of its own.
        dealt = {code: self._disciplines(code, len(range(k, N_RESEARCHERS, len(codes))))
                 for k, code in enumerate(codes)}
        disciplines = [dealt[codes[n % len(codes)]][n // len(codes)] for n in range(N_RESEARCHERS)]
        teams = _research_groups(disciplines, self.papers)
        users, profiles, works = [], [], []
        self.researcher_industry = []
        for n, discipline in enumerate(disciplines):
            industry = codes[n % len(codes)]
            team, chosen = teams[n]
            keywords = list(dict.fromkeys(k for p in chosen for k in p["keywords"]))[:8]
            name = _person_name(rng)
            email = RESEARCHER_EMAIL if n == 0 else f"researcher{n}@demo.qiantang.local"
            title = TITLES[n % len(TITLES)]
            users.append(self._user(email, name))
            profiles.append(ResearcherProfile(
                # A research group works at one institution.
                institution=institutions[team % len(institutions)],
                department=f"{discipline.split('/')[0]}学院" if "学院" not in discipline else discipline,
                title=title,
                degree=ResearcherProfile.Degree.DOCTORATE,
                disciplines=[discipline], keywords=keywords,
                bio=f"主要从事{'、'.join(keywords[:3])}等方向的研究。",
                languages=["zh-hans", "en"] if n % 3 == 0 else ["zh-hans"],
                # Tech-VP appointees (see _placements) serve beside a cohort placement.
                capacity=2 if n % 170 == 1 else 1,
                verified_at=None if n % 100 == 99 else timezone.now()))
            works.append(chosen)
            self.researcher_industry.append(industry)
        self.researcher_users = User.objects.bulk_create(users)
        for profile, user in zip(profiles, self.researcher_users, strict=True):
            profile.user = user
        self.researchers = self._bulk(ResearcherProfile, profiles)
        # A paper's year is the paper's, the same for each of its authors.
        years = {p["id"]: 2012 + int(p["id"].rsplit("-", 1)[-1]) % 13
                 for ps in self.papers.values() for p in ps}
        self._bulk(Work, [
            Work(researcher=r, kind=Work.Kind.PAPER, title=p["title"][:300], abstract=p["abstract"],
                 keywords=p["keywords"], year=years[p["id"]], identifier=p["id"],
                 source="CSL", representative=i < 2)
            for r, papers in zip(self.researchers, works, strict=True)
            for i, p in enumerate(papers)])

    def _disciplines(self, industry: str, count: int) -> list[str]:
        """`count` disciplines of the industry, each in proportion to its papers
        (largest remainders), in a shuffled order."""
        pool = {d: len(self.papers[d]) for d in INDUSTRY_DISCIPLINES[industry] if self.papers.get(d)}
        total = sum(pool.values())
        quota = {d: count * n // total for d, n in pool.items()}
        for d in sorted(pool, key=lambda d: -(count * pool[d] % total))[:count - sum(quota.values())]:
            quota[d] += 1
        out = [d for d in pool for _ in range(quota[d])]
        self.rng.shuffle(out)
        return out

    # --- needs and applications ----------------------------------------------------
    def _challenges(self):
        rng = self.rng
        S = Challenge.Status
        plan = ([S.PUBLISHED] * 120 + [S.UNDER_REVIEW] * 25 + [S.DRAFT] * 20 + [S.REJECTED] * 10
                + [S.WITHDRAWN] * 8 + [S.EXPIRED] * 15 + [S.AWARDED] * 12
                + [S.IN_PROGRESS] * 25 + [S.COMPLETED] * 45)
        programmes = [Programme.BOUNTY] * 6 + [Programme.PHD] * 3 + [Programme.TECH_VP]
        # Accepted applicants of needs decided long ago come from the first five
        # cohorts, whose placements are completed, so no one exceeds capacity.
        first_in_cohort_6 = next(i for i in range(N_PLACED) if i * 6 // N_PLACED >= 5)
        by_industry, veterans = defaultdict(list), defaultdict(list)
        for i, ind in enumerate(self.researcher_industry):
            by_industry[ind].append(self.researchers[i])
            if i < first_in_cohort_6:
                veterans[ind].append(self.researchers[i])
        challenges = []
        for n, status in enumerate(plan):
            # The demo company gets a need in each interesting state.
            company = self.companies[0] if n % 25 == 0 else rng.choice(self.companies)
            industry = company.leading_industry.code
            paper = rng.choice(self.papers[rng.choice(
                [d for d in INDUSTRY_DISCIPLINES[industry] if self.papers.get(d)])])
            kw = paper["keywords"]
            programme = programmes[n % len(programmes)]
            published = status not in {S.DRAFT, S.UNDER_REVIEW, S.REJECTED}
            deadline = (self.today - datetime.timedelta(days=rng.randint(5, 400))
                        if status == S.EXPIRED else
                        self.today + datetime.timedelta(days=rng.randint(20, 180)))
            challenges.append(Challenge(
                company=company, programme=programme,
                cohort=self.cohorts[-1] if programme == Programme.PHD else None,
                title=f"{kw[0]}关键技术攻关" if programme != Programme.TECH_VP
                else f"聘请{kw[0]}方向科技副总",
                background=_whole_sentences(paper["abstract"], 400),
                goals=f"突破{'、'.join(kw[:2])}等关键技术，形成可产业化的解决方案。",
                indicators=f"关键性能指标提升{rng.randint(10, 40)}%以上；申请发明专利{rng.randint(1, 3)}项。",
                required_expertise=kw[:4], industry=company.leading_industry,
                reward=Decimal(rng.choice([0, 10, 20, 30, 50, 80, 100, 200, 300])),
                deadline=deadline, headcount=rng.choice([1, 1, 1, 2, 3]),
                preferred_disciplines=[paper["discipline"]],
                ip_terms="成果知识产权归企业所有，研究人员享有署名权。",
                confidentiality=(Challenge.Confidentiality.SUMMARY if n % 7 == 0
                                 else Challenge.Confidentiality.PUBLIC),
                status=status, created_by=self.company_users[self.companies.index(company)],
                review_note="需求描述不够具体，请补充技术指标。" if status == S.REJECTED else "",
                reviewed_by=self.staff if status not in {S.DRAFT, S.UNDER_REVIEW} else None,
                reviewed_at=timezone.now() if status not in {S.DRAFT, S.UNDER_REVIEW} else None,
                withdraw_reason="企业内部已立项解决。" if status == S.WITHDRAWN else "",
                published_at=(timezone.now() - datetime.timedelta(days=rng.randint(0, 60))
                              if published else None)))
        self.challenges = self._bulk(Challenge, challenges)
        challenge_search_index(challenges=self.challenges)
        self._applications(by_industry, veterans)

    def _applications(self, by_industry, veterans):
        rng = self.rng
        S, A = Challenge.Status, Application.Status
        owner_of = {c.pk: u for c, u in zip(self.companies, self.company_users, strict=True)}
        applications = []
        for challenge in self.challenges:
            if challenge.status in {S.DRAFT, S.UNDER_REVIEW, S.REJECTED}:
                continue
            code = challenge.industry.code
            decided = challenge.status in {S.AWARDED, S.IN_PROGRESS, S.COMPLETED}
            first = rng.choice(veterans[code]) if decided else None
            applicants = [first] if first else []
            applicants += [r for r in rng.sample(by_industry[code], rng.randint(1, 8))
                           if r is not first]
            for i, researcher in enumerate(applicants):
                if decided:
                    status = A.ACCEPTED if i == 0 else A.DECLINED
                else:
                    status = rng.choice([A.SUBMITTED, A.SUBMITTED, A.SHORTLISTED, A.WITHDRAWN])
                applications.append(Application(
                    challenge=challenge, researcher=researcher,
                    proposal=f"拟围绕{'、'.join(challenge.required_expertise[:2])}开展联合攻关，"
                             f"分三个阶段完成技术验证与中试。",
                    team=f"{researcher.user.full_name}（负责人）及课题组成员{rng.randint(2, 6)}人",
                    budget=Decimal(rng.randint(5, 100)), timeline="12个月", status=status,
                    decided_by=owner_of[challenge.company_id] if decided else None,
                    decided_at=timezone.now() if decided else None))
        self.applications = self._bulk(Application, applications)

    # --- placements and outcomes ----------------------------------------------------
    def _placements(self):
        rng = self.rng
        P = Placement.Status
        placements = []
        # 847 PhD placements over six cohorts; every company is served at least once.
        for i in range(N_PLACED):
            cohort = self.cohorts[min(5, i * 6 // N_PLACED)]
            company = self.companies[(i * 7) % N_COMPANIES]
            placements.append(Placement(
                programme=Programme.PHD, company=company, researcher=self.researchers[i],
                cohort=cohort, starts_on=cohort.starts_on, ends_on=cohort.ends_on,
                status=self._served(cohort.ends_on),
                approved_by=self.staff, approved_at=timezone.now()))
        # The March 2025 conference: five companies appointed five teachers tech VP.
        vp_researchers = [r for r in self.researchers if r.capacity == 2][:5]
        for k, researcher in enumerate(vp_researchers):
            placements.append(Placement(
                programme=Programme.TECH_VP, company=self.companies[k * 3], researcher=researcher,
                post="科技副总", starts_on=datetime.date(2025, 3, 20),
                ends_on=datetime.date(2027, 3, 19), status=self._served(datetime.date(2027, 3, 19)),
                approved_by=self.staff,
                approved_at=timezone.now()))
        # Accepted applications: pending while the need is awarded (starting soon),
        # active while it is in progress, completed (a term in the past) once it is.
        status_for = {Challenge.Status.AWARDED: P.PENDING, Challenge.Status.IN_PROGRESS: P.ACTIVE,
                      Challenge.Status.COMPLETED: P.COMPLETED}
        start_days = {P.PENDING: (-30, -7), P.ACTIVE: (0, 180), P.COMPLETED: (400, 700)}
        for app in self.applications:
            if app.status != Application.Status.ACCEPTED:
                continue
            challenge = app.challenge
            status = status_for[challenge.status]
            starts_on = self.today - datetime.timedelta(days=rng.randint(*start_days[status]))
            placements.append(Placement(
                programme=challenge.programme, company=challenge.company,
                researcher=app.researcher, challenge=challenge, application=app,
                starts_on=starts_on, ends_on=starts_on + datetime.timedelta(days=365),
                status=status))
        self.placements = self._bulk(Placement, placements)

    def _served(self, ends_on: datetime.date) -> str:
        """An approved placement is completed once its term has ended, active until."""
        return Placement.Status.COMPLETED if ends_on < self.today else Placement.Status.ACTIVE

    def _outcomes(self):
        rng = self.rng
        K, OS = Outcome.Kind, Outcome.Status
        counted = [p for p in self.placements if p.status in {Placement.Status.ACTIVE,
                                                              Placement.Status.COMPLETED}]
        hosts = rng.sample(counted, 300)
        # 96 verified technology contracts whose amounts add up to exactly 4,000 万元.
        weights = [rng.uniform(0.3, 3.0) for _ in range(96)]
        amounts = [(DEAL_TOTAL * Decimal(w / sum(weights))).quantize(Decimal("0.01"))
                   for w in weights]
        amounts[-1] += DEAL_TOTAL - sum(amounts)
        kinds = ([K.TECH_CONTRACT] * 96 + [K.INVENTION_PATENT] * 80 + [K.UTILITY_MODEL] * 40
                 + [K.SOFTWARE_COPYRIGHT] * 30 + [K.FUNDED_PROJECT] * 25 + [K.PAPER] * 30
                 + [K.PRODUCT] * 19)
        outcomes = []
        for n, kind in enumerate(kinds):
            placement = hosts[n % len(hosts)]
            amount = amounts[n] if kind == K.TECH_CONTRACT else (
                Decimal(rng.choice([50, 100, 200, 300])) if kind == K.FUNDED_PROJECT else None)
            outcomes.append(self._outcome(placement, kind, n, amount, OS.VERIFIED))
        # Reported-but-unverified and rejected outcomes do not count in the figures.
        for n in range(40):
            outcomes.append(self._outcome(rng.choice(counted), K.TECH_CONTRACT, 1000 + n,
                                          Decimal(rng.randint(5, 80)),
                                          OS.REPORTED if n < 30 else OS.REJECTED))
        self._bulk(Outcome, outcomes)

    def _outcome(self, placement, kind, n, amount, status):
        K = Outcome.Kind
        identifier = {
            K.INVENTION_PATENT: patent_number(f"20241{n:07d}"),
            K.UTILITY_MODEL: patent_number(f"20242{n:07d}"),
            K.SOFTWARE_COPYRIGHT: f"2024SR{n:07d}", K.TECH_CONTRACT: f"HT-QT-{n:05d}",
            K.FUNDED_PROJECT: f"XM-{n:05d}"}.get(kind, "")
        # Within the placement's term and never after today: spread over the days
        # from its start to its end or today, whichever is first.
        start = placement.starts_on
        span = (min(placement.ends_on, self.today) - start).days
        verified = status != Outcome.Status.REPORTED
        return Outcome(
            **demo_outcome_extras(placement, kind, n, status),
            placement=placement, kind=kind, identifier=identifier, amount=amount, status=status,
            title=f"{placement.company.name[:12]}{Outcome.Kind(kind).label}{n}",
            patent_status=(Outcome.PatentStatus.GRANTED if n % 3 == 0 else Outcome.PatentStatus.FILED)
            if kind == K.INVENTION_PATENT else "",
            funding_programme=FUNDING_PROGRAMMES[n % 2] if kind == K.FUNDED_PROJECT else "",
            achieved_on=start + datetime.timedelta(days=(30 + n % 300) % (span + 1)),
            reported_by=self.company_users[0], verified_by=self.staff if verified else None,
            review_note="合同金额与票据不符。" if status == Outcome.Status.REJECTED else "")

    def _next_cohort(self):
        """第七期 in preparation: open PhD needs and researchers free to serve, ready
        for staff to run the solver in the admin."""
        from .models import CohortNeed, CohortResearcher

        cohort = Cohort(
            number=7, name="第七期博士入企（筹备中）", year=2025,
            starts_on=datetime.date(2025, 9, 1), ends_on=datetime.date(2026, 8, 31),
            preferences_open_until=self.today + datetime.timedelta(days=30), min_score=0.05,
            fairness=0.15, institution_quota=40)
        self._bulk(Cohort, [cohort])
        needs = [c for c in self.challenges if c.status == Challenge.Status.PUBLISHED][:40]
        self._bulk(CohortNeed, (
            CohortNeed(cohort=cohort, challenge=c, min_researchers=1,
                       max_researchers=self.rng.choice([1, 1, 2, 3])) for c in needs))
        # Researchers whose cohort placements are completed may serve again.
        free = [r for r, status in zip(self.researchers, self._researcher_status(), strict=True)
                if status == "free"][:120]
        self._bulk(CohortResearcher, (
            CohortResearcher(cohort=cohort, researcher=r) for r in free))

    def _researcher_status(self):
        busy = {p.researcher_id for p in self.placements
                if p.status in {Placement.Status.ACTIVE, Placement.Status.PENDING}}
        return ["busy" if r.pk in busy else "free" for r in self.researchers]

    def summary(self) -> dict:
        from .selectors import headline_figures

        return {"companies": Company.objects.count(),
                "researchers": ResearcherProfile.objects.count(),
                "challenges": Challenge.objects.count(),
                "applications": Application.objects.count(),
                "placements": Placement.objects.count(),
                **{f"headline_{k}": v for k, v in headline_figures().items()}}


def score_matches():
    """Score the demo district so that its needs show their best researchers."""
    from .engine import ENGINE_VERSION
    from .models import MatchRun
    from .services import scoring

    run = MatchRun.objects.create(engine_version=ENGINE_VERSION, key="demo")
    scoring.match_run_claim(run_id=run.pk)
    return scoring.match_rebuild(run=run)
