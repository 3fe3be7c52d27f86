"""Reads of the matching domain, with what their callers render already joined."""

from accounts.roles import VIEW_STATISTICS, has_perm

from .models import Challenge


def headline_figures() -> dict:
    """The district's headline figures, from the one implementation in statistics."""
    from .statistics import headline

    figures = headline()
    return {k: figures[k] for k in ("researchers", "companies", "deal_value", "outcomes")}


def challenge_list_public(*, limit: int = 10):
    return (Challenge.objects.published()
            .select_related("company", "industry")
            .order_by("-published_at")[:limit])


def _current_scores():
    from .engine import ENGINE_VERSION
    from .models import MatchScore

    return MatchScore.objects.filter(engine_version=ENGINE_VERSION)


def matches_for_challenge(*, challenge, limit: int | None = None):
    """The researchers who best fit a need, best first, each marked whether they
    applied: the one match list of the website, the API and the admin. Only the
    researchers companies may be shown (`ResearcherProfile.objects.matchable()`)."""
    from django.db.models import Exists, OuterRef

    from accounts.models import ResearcherProfile

    from .models import Application

    rows = (_current_scores().filter(challenge=challenge,
                                     researcher__in=ResearcherProfile.objects.matchable())
            .select_related("researcher__user", "researcher__institution", "challenge__industry")
            .annotate(applied=Exists(Application.objects.filter(
                challenge=challenge, researcher=OuterRef("researcher"))))
            .order_by("-score", "researcher_id"))
    return rows[:limit] if limit else rows


def applicant_scores(*, challenge, researcher_ids):
    """The stored scores of a need's applicants (every applicant has one)."""
    return _current_scores().filter(challenge=challenge, researcher__in=researcher_ids)


def application_score():
    """An application's current match score, as an annotation (NULL if unscored)."""
    from django.db.models import OuterRef, Subquery

    return Subquery(_current_scores().filter(
        challenge=OuterRef("challenge_id"), researcher=OuterRef("researcher_id"),
    ).values("score")[:1])


def recommendations_for(*, researcher, limit: int | None = None):
    """The open needs that best fit a researcher ("recommended for you"): the one
    query of the website and the API."""
    rows = (_current_scores().filter(researcher=researcher,
                                     challenge__status=Challenge.Status.PUBLISHED)
            .select_related("challenge__company", "challenge__industry")
            .order_by("-score", "challenge_id"))
    return rows[:limit] if limit else rows


# --- what a user may see ---------------------------------------------------------------------
# Each returns a queryset filtered by subqueries, so scoping costs no query of its own.

def _my_companies(user):
    from accounts.models import Company

    return Company.objects.for_member(user).values("pk")


def _my_offices(user):
    """The institutions whose office (科研处) the user acts for."""
    from accounts.models import InstitutionOffice

    return InstitutionOffice.objects.filter(user=user).values("institution")


def challenges_visible_to(user):
    """Staff who may view needs: all. Everyone: published needs. Members: also their companies' needs in
    every state."""
    from django.db.models import Q

    if has_perm(user, "matching.view_challenge"):
        return Challenge.objects.all()
    visible = Q(status=Challenge.Status.PUBLISHED)
    if user.is_authenticated:
        visible |= Q(company__in=_my_companies(user))
    return Challenge.objects.filter(visible)


def challenges_owned_by(user):
    """The needs `user` may act on as a company member (staff: all)."""
    if has_perm(user, "matching.view_challenge"):
        return Challenge.objects.all()
    return Challenge.objects.filter(company__in=_my_companies(user))


def applications_visible_to(user):
    """A researcher's own applications and the applications to the user's companies'
    needs; never another researcher's proposal to another company."""
    from django.db.models import Q

    from .models import Application

    if has_perm(user, "matching.view_application"):
        return Application.objects.all()
    return Application.objects.filter(
        Q(researcher__user=user) | Q(challenge__company__in=_my_companies(user)))


def placements_visible_to(user):
    from django.db.models import Q

    from .models import Placement

    if has_perm(user, "matching.view_placement"):
        return Placement.objects.all()
    return Placement.objects.filter(Q(researcher__user=user) | Q(company__in=_my_companies(user))
                                    | Q(researcher__institution__in=_my_offices(user)))


def outcomes_visible_to(user):
    from django.db.models import Q

    from .models import Outcome

    if has_perm(user, "matching.view_outcome"):
        return Outcome.objects.all()
    return Outcome.objects.filter(Q(placement__researcher__user=user)
                                  | Q(placement__company__in=_my_companies(user)))


class Viewer:
    """Who is asking, and the one rule of what a confidential need shows them.

    A confidential need's full text is for staff, its company and verified
    researchers. Read once per request, both facts together (two queries for a
    signed-in user, none for the public), so that a page's query count does not
    depend on which needs it happens to show.
    """

    def __init__(self, user):
        self.user = user
        self._loaded = False

    def _load(self):
        if not self._loaded:
            from accounts.models import ResearcherProfile

            signed_in = self.user.is_authenticated
            self._companies = set(self.user.memberships.values_list("company_id", flat=True)) \
                if signed_in else set()
            self._verified = signed_in and ResearcherProfile.objects.verified().filter(
                user=self.user).exists()
            self._loaded = True

    @property
    def company_ids(self) -> set:
        self._load()
        return self._companies

    @property
    def verified_researcher(self) -> bool:
        self._load()
        return self._verified

    @property
    def staff(self) -> bool:
        return has_perm(self.user, "matching.view_challenge")

    @property
    def reads_full_text(self) -> bool:
        """May search and read every confidential need's full text."""
        return self.staff or self.verified_researcher

    def owns(self, challenge) -> bool:
        return self.staff or challenge.company_id in self.company_ids

    def sees_details(self, challenge) -> bool:
        return (challenge.confidentiality == Challenge.Confidentiality.PUBLIC
                or self.reads_full_text or challenge.company_id in self.company_ids)


def agreements_visible_to(user):
    """Staff who may view agreements: all. Otherwise the agreements of the user's
    companies' placements, their own, and (for a university office) its people's."""
    from .models import Agreement

    if has_perm(user, "matching.view_agreement"):
        return Agreement.objects.all()
    return Agreement.objects.filter(placement__in=placements_visible_to(user))


# Issue 16: what follows an approved placement is seen by whoever sees the placement
# (its researcher, its company, the researcher's university office), staff by their
# view permission.

def service_logs_visible_to(user):
    from .models import ServiceLog

    if has_perm(user, "matching.view_servicelog"):
        return ServiceLog.objects.all()
    return ServiceLog.objects.filter(placement__in=placements_visible_to(user))


def evaluations_visible_to(user):
    from .models import Evaluation

    if has_perm(user, "matching.view_evaluation"):
        return Evaluation.objects.all()
    return Evaluation.objects.filter(placement__in=placements_visible_to(user))


def subsidy_claims_visible_to(user):
    from .models import SubsidyClaim

    if has_perm(user, "matching.view_subsidyclaim"):
        return SubsidyClaim.objects.all()
    return SubsidyClaim.objects.filter(placement__in=placements_visible_to(user))


def frozen_reports_visible_to(user):
    """Frozen reports, with their rows, are the district's: staff who read the
    statistics see them, nobody else (issue 18)."""
    from .models import FrozenReport

    if has_perm(user, VIEW_STATISTICS):
        return FrozenReport.objects.select_related("frozen_by")
    return FrozenReport.objects.none()


def frozen_report_latest():
    """The newest version of the latest frozen period, or None: the home page says
    which figures it signed (its period, version and checksum, not its rows)."""
    from .models import FrozenReport

    return FrozenReport.objects.order_by("-period_end", "-version").only(
        "period_start", "period_end", "version", "checksum", "frozen_at").first()


# --- 揭榜挂帅 selection by experts (issue 17) -----------------------------------------------
# An expert sees their own enrolment, panels and reviews, and (while their seat
# is accepted) the shortlisted applications their panel reviews; never another
# expert's scores. The company sees its needs' panels and, once closed, the
# ranking; the public sees published results.

def experts_visible_to(user):
    from .models import Expert

    if has_perm(user, "matching.view_expert"):
        return Expert.objects.all()
    return Expert.objects.filter(user=user) if user.is_authenticated else Expert.objects.none()


def panel_members_of(user):
    """The user's own seats on panels (an expert's invitations and acceptances)."""
    from .models import PanelMember

    if not user.is_authenticated:
        return PanelMember.objects.none()
    return PanelMember.objects.filter(expert__user=user)


def panels_visible_to(user):
    """Staff: all. An expert: the panels they were invited to. A company: its needs'."""
    from django.db.models import Q

    from .models import Panel

    if has_perm(user, "matching.view_panel"):
        return Panel.objects.all()
    if not user.is_authenticated:
        return Panel.objects.none()
    return Panel.objects.filter(Q(members__expert__user=user)
                                | Q(challenge__company__in=_my_companies(user))).distinct()


def reviews_visible_to(user):
    """Staff: all. An expert: their own reviews only (blind to the others)."""
    from .models import Review

    if has_perm(user, "matching.view_review"):
        return Review.objects.all()
    if not user.is_authenticated:
        return Review.objects.none()
    return Review.objects.filter(member__expert__user=user)


def applications_for_review(member):
    """The applications a seated, accepted expert reviews: the shortlisted ones."""
    from .models import Application, PanelMember
    from .services.panels import REVIEWED

    if member.status != PanelMember.Status.ACCEPTED:
        return Application.objects.none()
    return (Application.objects.filter(challenge=member.panel.challenge_id, status__in=REVIEWED)
            .select_related("researcher__user", "researcher__institution").order_by("pk"))


def panel_ranking(panel) -> list[dict]:
    """The shortlisted applicants by their aggregated expert score, best first:
    {"application", "score" (None until reviewed), "reviews"}."""
    from .aggregation import aggregate
    from .models import Review

    totals: dict[int, list] = {}
    for application_id, total in Review.objects.filter(
            member__panel=panel, member__status="accepted").values_list("application_id",
                                                                       "total"):
        totals.setdefault(application_id, []).append(total)
    rows = [{"application": a, "score": aggregate(totals.get(a.pk, [])),
             "reviews": len(totals.get(a.pk, []))}
            for a in panel.challenge.applications.filter(pk__in=totals.keys()).select_related(
                "researcher__user", "researcher__institution")]
    return sorted(rows, key=lambda r: (r["score"] is None, -(r["score"] or 0),
                                       r["application"].pk))


def objections_visible_to(user):
    """Staff: all. Everyone else: the objections they lodged."""
    from .models import Objection

    if has_perm(user, "matching.view_objection"):
        return Objection.objects.all()
    if not user.is_authenticated:
        return Objection.objects.none()
    return Objection.objects.filter(lodged_by=user)


def publicities_public():
    """Published selection results, newest first: the public page."""
    from .models import Publicity

    return Publicity.objects.select_related(
        "placement__company", "placement__researcher__user",
        "placement__researcher__institution", "placement__challenge")


def cohort_entry_of(user, cohort):
    """The user's own place in a 博士入企 cohort, where they rank needs; None if they
    take no part in it (staff included: they enter pairs in the admin)."""
    from .models import CohortResearcher

    if not user.is_authenticated:
        return None
    return CohortResearcher.objects.filter(cohort=cohort, researcher__user=user).first()


def cohort_needs_marked_by(user, cohort):
    """The cohort's needs of the user's companies: those they mark candidates for."""
    if not user.is_authenticated:
        return cohort.needs.none()
    return cohort.needs.filter(challenge__company__in=_my_companies(user))


def cohort_marks_of(needs):
    """The marks on `needs` (a company's cohort needs), with what a page shows of each."""
    from .models import CohortMark

    return CohortMark.objects.filter(need__in=needs).select_related(
        "need__challenge", "researcher__researcher__user").order_by("need", "researcher")
