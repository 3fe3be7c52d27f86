"""Roles are groups of Django permissions; code checks permissions, never a role's
name or `is_staff`.

Every surface asks the same question the same way: a service calls
`require_perm(by, "matching.review_challenge")`, an API view lists
`perm_required("matching.review_challenge")` in its permission classes, an admin
view or action names the permission it needs. `is_staff` only opens the admin's
door; what a person may do inside is what their groups grant.

The groups and what they grant are declared here and written to the database
after every `migrate` (see `roles_sync`), so a deployment, a test database and a
flushed transactional test all have the same roles.
"""

from django.utils.translation import gettext as _

from .errors import DomainError

# The permissions a decision needs, declared on the models (Meta.permissions).
VERIFY_COMPANY = "accounts.verify_company"
VERIFY_RESEARCHER = "accounts.verify_researcher"
REVIEW_CHALLENGE = "matching.review_challenge"
APPROVE_PLACEMENT = "matching.approve_placement"
MANAGE_PLACEMENT = "matching.manage_placement"
VERIFY_OUTCOME = "matching.verify_outcome"
RUN_COHORT = "matching.run_cohort"
DEPLOY_COHORT = "matching.deploy_cohort"
REBUILD_MATCHES = "matching.rebuild_matches"
VIEW_STATISTICS = "matching.view_statistics"
EXPORT_STATISTICS = "matching.export_statistics"
# After the approval (issue 16): grading a year's service, deciding subsidy claims,
# writing the subsidy policy (administrators only).
GRADE_EVALUATION = "matching.grade_evaluation"
APPROVE_SUBSIDY = "matching.approve_subsidy"
MANAGE_SUBSIDY_POLICY = "matching.manage_subsidy_policy"
# Freezing a period's report is signing it: administrators only (issue 18).
FREEZE_REPORT = "matching.freeze_report"
# Personal information (issue 15): publishing a new notice or agreement, erasing a person.
PUBLISH_LEGAL_TEXT = "accounts.publish_legaltext"
ERASE_PERSONAL_DATA = "accounts.carry_out_deletionrequest"
# 揭榜挂帅 selection (issue 17): the expert pool, panels, publicity (公示).
MANAGE_EXPERT = "matching.manage_expert"
FORM_PANEL = "matching.form_panel"
PUBLISH_RESULT = "matching.publish_result"
REVIEW_AS_EXPERT = "matching.review_as_expert"
# Links to the 55830 plan (issue 18): reviewers tag what they verify.
TAG_PLAN_ACTION = "matching.tag_plan_action"


class Role:
    """The group names staff see in the admin."""

    ADMINISTRATOR = "管理员 (administrators)"
    REVIEWER = "审核员 (reviewers)"
    # Given to an expert when staff approve them, taken back on suspension.
    EXPERT = "评审专家 (experts)"
    # Room for the roles of the programmes' later stages, which add their own
    # permissions here: 高校科研处 (university offices).


# Reviewers act on the queues and read everything the queues need; they do not
# create cohorts, run the solver, deploy placements or start rebuilds.
_REVIEWER_DECISIONS = {VERIFY_COMPANY, VERIFY_RESEARCHER, REVIEW_CHALLENGE, APPROVE_PLACEMENT,
                       VERIFY_OUTCOME, VIEW_STATISTICS, EXPORT_STATISTICS,
                       GRADE_EVALUATION, APPROVE_SUBSIDY, MANAGE_EXPERT, FORM_PANEL,
                       PUBLISH_RESULT, TAG_PLAN_ACTION}
# Experts are not staff: they review on the website, and see nothing else.
_EXPERT_PERMISSIONS = {REVIEW_AS_EXPERT}
OUR_APPS = ("accounts", "matching")


def role_permissions(role: str, available: list[str]) -> set[str]:
    """The permissions ("app.codename") a role grants, out of those that exist."""
    if role == Role.ADMINISTRATOR:
        return {p for p in available if p.split(".")[0] in (*OUR_APPS, "auth", "authtoken", "axes")}
    if role == Role.REVIEWER:
        return {p for p in available
                if p in _REVIEWER_DECISIONS
                or (p.split(".")[0] in OUR_APPS and p.split(".")[1].startswith("view_")
                    and p != "accounts.view_user")}
    if role == Role.EXPERT:
        return {p for p in available if p in _EXPERT_PERMISSIONS}
    return set()


ROLES = (Role.ADMINISTRATOR, Role.REVIEWER, Role.EXPERT)


def roles_sync(**_kwargs) -> None:
    """Give each role exactly the permissions it grants (after every migrate)."""
    from django.contrib.auth.models import Group, Permission

    permissions = {f"{app}.{codename}": pk for pk, app, codename in
                   Permission.objects.values_list("pk", "content_type__app_label", "codename")}
    for role in ROLES:
        group, _created = Group.objects.get_or_create(name=role)
        group.permissions.set([permissions[p] for p in role_permissions(role, list(permissions))])


def has_perm(user, perm: str) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.has_perm(perm))


def require_perm(user, perm: str) -> None:
    """Refuse, with a message for the user, unless `user` holds `perm`."""
    if not has_perm(user, perm):
        raise DomainError(_("You do not have permission to do this."), code="forbidden")
