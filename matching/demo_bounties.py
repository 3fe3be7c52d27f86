"""The demo district's 揭榜挂帅 selections at every stage (issue 17): an expert pool,
panels forming, reviewing and closed with their rankings, and published results
(公示) with an objection lodged and one dismissed.

Built through the services, after the district exists, so each stage is what
the real flow leaves behind; it adds no placement or outcome, so the headline
figures stay as they are. Deterministic: the same demo district gives the same
experts, panels and scores.
"""

import datetime

from django.utils import timezone

from accounts.history import acting
from accounts.models import Institution, User

from .models import Application, Challenge, Placement, Programme, Rubric
from .services import experts, panels, publicity

EXPERT_EMAIL = "expert@demo.qiantang.local"
# name, institution, keywords: a pool across the district's leading industries.
POOL = [
    ("陈立新", "浙江大学", ["钙钛矿", "光伏", "新能源材料"]),
    ("王海燕", "浙江工商大学", ["供应链", "数字化", "智能制造"]),
    ("李志强", "中国计量大学", ["计量", "传感器", "检测"]),
    ("赵晓峰", "浙江理工大学", ["纺织材料", "高分子", "复合材料"]),
    ("孙嘉怡", "杭州电子科技大学", ["集成电路", "芯片设计", "嵌入式"]),
    ("周文博", "浙江财经大学", ["技术经济", "成果转化", "知识产权"]),
    ("吴晨", "浙江传媒学院", ["数字媒体", "人工智能", "图像处理"]),
    ("郑永康", "浙江大学", ["生物医药", "药物制剂", "医疗器械"]),
    ("钱思远", "中国计量大学", ["新能源汽车", "电池管理", "电机控制"]),
    ("冯雅琴", "杭州电子科技大学", ["物联网", "通信", "边缘计算"]),
]


def build(builder) -> None:
    staff, today = builder.staff, timezone.localdate()
    pool = _pool(builder, staff)
    experts.expert_enrol(by=_user(builder, "expert.pending@demo.qiantang.local", "待审专家"),
                         keywords=["化工", "催化"], conflicts_declared="曾任某化工企业顾问。")
    bounties = list(Challenge.objects.filter(
        programme=Programme.BOUNTY, status=Challenge.Status.PUBLISHED,
        applications__status=Application.Status.SHORTLISTED).distinct().order_by("pk")[:20])
    candidates = iter(bounties)
    for stage in ["forming", "reviewing", "closed"]:
        # A need whose applicants' institutions leave too few free experts cannot
        # fill its panel: the next need is shown instead.
        any(_panel(challenge, stage, staff) for challenge in candidates)
    shown = list(Placement.objects.filter(programme=Programme.BOUNTY,
                                          status=Placement.Status.ACTIVE,
                                          challenge__isnull=False).order_by("pk")[:2])
    if shown:
        result = publicity.publicity_open(placement=shown[0], by=staff)
        publicity.objection_lodge(publicity=result, by=pool[-1].user,
                                  reasons="揭榜方团队成员与企业存在合作关系，请核实。")
    if len(shown) > 1:
        result = publicity.publicity_open(placement=shown[1], by=staff)
        objection = publicity.objection_lodge(publicity=result, by=pool[-2].user,
                                              reasons="请核实揭榜方的研究基础。")
        publicity.objection_dismiss(objection=objection, by=staff,
                                    note="经核查，揭榜方研究基础属实，异议不成立。")
        # Shown as published two weeks ago: its window has closed and the agreement
        # may follow. Demo backdating of dates, saved with a history row.
        result.opens_on = today - datetime.timedelta(days=14)
        result.closes_on = today - datetime.timedelta(days=8)
        acting(result, staff).save(update_fields=["opens_on", "closes_on"])


def _user(builder, email: str, name: str) -> User:
    return User.objects.create(email=email, full_name=name, password=builder.password)


def _pool(builder, staff):
    made = []
    for n, (name, at, keywords) in enumerate(POOL):
        email = EXPERT_EMAIL if n == 0 else f"expert{n}@demo.qiantang.local"
        user = _user(builder, email, name)
        made.append(experts.expert_import(
            user=user, by=staff, institution=Institution.objects.get_or_create(name=at)[0],
            title="教授", disciplines=[keywords[0]], keywords=keywords))
    return made


def _panel(challenge, stage, staff) -> bool:
    panel = panels.panel_form(challenge=challenge, by=staff, size=3)
    if panel.members.count() < panel.size:
        panels.panel_cancel(panel=panel, by=staff, note="可选专家不足（回避同单位）")
        return False
    if stage == "forming":
        first = panel.members.first()
        panels.panel_member_accept(member=first, by=first.expert.user)
        return True
    for member in panel.members.all():
        panels.panel_member_accept(member=member, by=member.expert.user)
    panel.refresh_from_db()
    criteria = list(Rubric.objects.get(programme=Programme.BOUNTY).criteria.all())
    shortlisted = challenge.applications.filter(status=Application.Status.SHORTLISTED)
    for m, member in enumerate(panel.members.all()):
        for a, application in enumerate(shortlisted.order_by("pk")):
            if stage == "reviewing" and m > 0:
                break  # the others have not reviewed yet
            scores = {c.pk: max(0, c.max_score - 1 - (a + m + i) % 4)
                      for i, c in enumerate(criteria)}
            panels.review_submit(member=member, application=application,
                                 by=member.expert.user, scores=scores,
                                 comment="技术路线清晰，团队基础较好。")
    if stage == "closed":
        panels.panel_close(panel=panel, by=staff)
    return True
