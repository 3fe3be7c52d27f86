from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.contrib.auth.models import UserManager as AuthUserManager
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from config.constraints import FieldCheck
from config.parsers import BoundedJSONDecoder

from .validators import validate_credit_code, validate_phone, validate_work_year


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **extra)

    def with_perm(self, perm, **kwargs):
        """Active users holding `perm`, through their groups or directly."""
        kwargs.setdefault("backend", "django.contrib.auth.backends.ModelBackend")
        return AuthUserManager.with_perm(self, perm, **kwargs)


class User(AbstractUser):
    """A person who signs in with an e-mail address.

    A user is a company member, a researcher (with a ResearcherProfile) or
    district staff (is_staff); one person may be more than one.
    """

    username = None
    email = models.EmailField(_("e-mail"), unique=True)
    full_name = models.CharField(_("name"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True, validators=[validate_phone])
    # Messages and e-mails to this user are written in this language.
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES,
                                default="zh-hans")

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []
    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.full_name or self.email


class ReferenceItem(models.Model):
    """A named entry of the district's reference lists (platforms, clusters, industries)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=150)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    # Administrators keep the reference lists; every change is on record.
    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True
        ordering = ["sort_order", "code"]

    def __str__(self):
        return self.name


class IndustryPlatform(ReferenceItem):
    """链主产业平台, e.g. 杭州医药港."""

    class Meta(ReferenceItem.Meta):
        verbose_name = _("industry platform")
        verbose_name_plural = _("industry platforms")


class IndustryCluster(ReferenceItem):
    """Provincial 产业集群; core or collaborative area."""

    is_core = models.BooleanField(_("core area"), default=False)

    class Meta(ReferenceItem.Meta):
        verbose_name = _("industry cluster")
        verbose_name_plural = _("industry clusters")


class LeadingIndustry(ReferenceItem):
    """One of the five leading industries 车药芯化航."""

    class Meta(ReferenceItem.Meta):
        verbose_name = _("leading industry")
        verbose_name_plural = _("leading industries")


class Institution(models.Model):
    class Kind(models.TextChoices):
        UNIVERSITY = "university", _("university")
        INSTITUTE = "institute", _("research institute")

    name = models.CharField(_("name"), max_length=150, unique=True)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices,
                            default=Kind.UNIVERSITY)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")

    def __str__(self):
        return self.name


class InstitutionOffice(models.Model):
    """A person acting for an institution's office (高校科研处 / 成果转化办).

    The office endorses its staff's participation and co-signs their three-party
    agreements; it sees its own people's placements and outcomes. Staff appoint
    office members (accounts.services.institution_office_add).
    """

    institution = models.ForeignKey(Institution, models.CASCADE, related_name="offices",
                                    verbose_name=_("institution"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE,
                             related_name="institution_offices", verbose_name=_("user"))
    created_at = models.DateTimeField(_("appointed at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("university office member")
        verbose_name_plural = _("university office members")
        constraints = [
            models.UniqueConstraint(fields=["institution", "user"], name="institution_office_once"),
        ]

    def __str__(self):
        return f"{self.user} @ {self.institution}"


class CompanyQuerySet(models.QuerySet):
    def for_member(self, user):
        return self.filter(memberships__user=user)

    def visible_to(self, user):
        """Staff who may view companies: all; everyone else: their own companies."""
        from .roles import has_perm

        return self.all() if has_perm(user, "accounts.view_company") else self.for_member(user)


class Company(models.Model):
    class Size(models.TextChoices):
        MICRO = "micro", _("micro (under 20 staff)")
        SMALL = "small", _("small (20–99 staff)")
        MEDIUM = "medium", _("medium (100–999 staff)")
        LARGE = "large", _("large (1,000 staff or more)")

    name = models.CharField(_("company name"), max_length=200)
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, unique=True,
        validators=[validate_credit_code],
        help_text=_("The 18-character code on the business licence (统一社会信用代码)."))
    platform = models.ForeignKey(IndustryPlatform, models.PROTECT, null=True, blank=True,
                                 related_name="companies", verbose_name=_("industry platform"))
    cluster = models.ForeignKey(IndustryCluster, models.PROTECT, null=True, blank=True,
                                related_name="companies", verbose_name=_("industry cluster"))
    leading_industry = models.ForeignKey(LeadingIndustry, models.PROTECT, null=True, blank=True,
                                         related_name="companies",
                                         verbose_name=_("leading industry"))
    size = models.CharField(_("size"), max_length=10, choices=Size.choices, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=100, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True,
                                     validators=[validate_phone])
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    # Recorded for conflict-of-interest checks: a university spin-off must not
    # be matched with researchers of its founding institution without review.
    founding_institution = models.ForeignKey(
        Institution, models.SET_NULL, null=True, blank=True, related_name="founded_companies",
        verbose_name=_("founded by institution"))
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                    blank=True, related_name="+", verbose_name=_("verified by"))
    review_note = models.TextField(_("reviewer's note"), blank=True,
                                   help_text=_("Shown to the company when verification is refused."))
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    objects = CompanyQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        permissions = [
            ("verify_company", "Can verify or refuse companies"),
        ]
        ordering = ["name"]
        verbose_name = _("company")
        verbose_name_plural = _("companies")

    def __str__(self):
        return self.name

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None


class CompanyMembership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", _("owner")
        MEMBER = "member", _("member")

    company = models.ForeignKey(Company, models.CASCADE, related_name="memberships",
                                verbose_name=_("company"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE,
                             related_name="memberships", verbose_name=_("user"))
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(_("joined at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("company membership")
        verbose_name_plural = _("company memberships")
        constraints = [
            models.UniqueConstraint(fields=["company", "user"], name="membership_unique"),
        ]

    def __str__(self):
        return f"{self.user} @ {self.company} ({self.get_role_display()})"

    @property
    def is_owner(self) -> bool:
        return self.role == self.Role.OWNER


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=Invitation.Status.PENDING)

    def for_invitee(self, user):
        return self.filter(user=user)

    def awaiting(self, user):
        """What `user` has still to answer, with the company named."""
        return self.pending().for_invitee(user).select_related("company").order_by("created_at")


class Invitation(models.Model):
    """The owner asks a person with an account to join the company; they become a
    member (and see its needs' applicants) only once they accept."""

    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting an answer")
        ACCEPTED = "accepted", pgettext_lazy("invitation", "accepted")
        DECLINED = "declined", pgettext_lazy("invitation", "declined")
        REVOKED = "revoked", _("revoked")

    company = models.ForeignKey(Company, models.CASCADE, related_name="invitations",
                                verbose_name=_("company"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE,
                             related_name="invitations", verbose_name=_("invited person"))
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                   related_name="+", verbose_name=_("invited by"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.PENDING, db_index=True)
    created_at = models.DateTimeField(_("invited at"), auto_now_add=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            # One open invitation per person and company; answered ones stay as a record.
            models.UniqueConstraint(fields=["company", "user"], condition=Q(status="pending"),
                                    name="invitation_one_pending"),
        ]

    def __str__(self):
        return f"{self.user} → {self.company}"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING


class ResearcherQuerySet(models.QuerySet):
    def verified(self):
        """The one definition of a verified researcher: staff verified the profile
        and its account is active."""
        return self.filter(verified_at__isnull=False, user__is_active=True)

    def matchable(self):
        """The researchers companies may be shown: in a need's match list, among the
        researchers to invite, in the admin's best matches. The one rule every
        company-facing surface reads: verified, and holding the person's own consent
        to be shown to companies (PIPL Art. 23), given after signing in and not
        withdrawn. A researcher staff imported who never signed in has none."""

        return self.verified().filter(Exists(Consent.objects.active().visibility().filter(
            user=OuterRef("user"))))

    def visible_to(self, user):
        """Staff who may view researchers: all, awaiting verification included;
        everyone else: the public profiles of those companies may be shown
        (`matchable`), and their own."""
        from .roles import has_perm

        if has_perm(user, "accounts.view_researcherprofile"):
            return self.all()
        own = Q(user=user) if user.is_authenticated else Q(pk__in=[])
        return self.filter(Q(pk__in=self.matchable().values("pk")) | own)


class ResearcherProfile(models.Model):
    class Title(models.TextChoices):
        PROFESSOR = "professor", _("professor")
        ASSOCIATE_PROFESSOR = "associate_professor", _("associate professor")
        LECTURER = "lecturer", _("lecturer")
        RESEARCH_FELLOW = "research_fellow", _("research fellow")
        POSTDOC = "postdoc", _("postdoctoral researcher")
        PHD = "phd", _("PhD")

    class Degree(models.TextChoices):
        DOCTORATE = "doctorate", _("doctorate")
        MASTER = "master", _("master")
        BACHELOR = "bachelor", _("bachelor")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.CASCADE,
                                related_name="researcher", verbose_name=_("user"))
    institution = models.ForeignKey(Institution, models.PROTECT, related_name="researchers",
                                    verbose_name=_("institution"))
    department = models.CharField(_("department"), max_length=150, blank=True)
    title = models.CharField(_("academic title"), max_length=30, choices=Title.choices)
    degree = models.CharField(_("highest degree"), max_length=20, choices=Degree.choices,
                              default=Degree.DOCTORATE)
    disciplines = models.JSONField(_("disciplines"), default=list, blank=True,
                                   decoder=BoundedJSONDecoder,
                                   help_text=_("For example 材料科学与工程, 计算机科学与技术."))
    keywords = models.JSONField(_("expertise keywords"), default=list, blank=True,
                                decoder=BoundedJSONDecoder)
    bio = models.TextField(_("biography"), blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True,
                                 decoder=BoundedJSONDecoder,
                                 help_text=_("Language codes, e.g. zh-hans, en."))
    capacity = models.PositiveSmallIntegerField(
        _("placements at once"), default=1,
        help_text=_("How many active placements this researcher can take at the same time."))
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                    blank=True, related_name="+", verbose_name=_("verified by"))
    review_note = models.TextField(_("reviewer's note"), blank=True,
                                   help_text=_("Shown to the researcher when verification is "
                                               "refused."))
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ResearcherQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        permissions = [
            ("verify_researcher", "Can verify or refuse researchers"),
        ]
        verbose_name = _("researcher")
        verbose_name_plural = _("researchers")
        constraints = [
            FieldCheck(condition=Q(capacity__gte=1) & Q(capacity__lte=10),
                       name="researcher_capacity_1_to_10", field="capacity",
                       violation_error_message=_("Enter a number from 1 to 10.")),
        ]

    def __str__(self):
        return f"{self.user} ({self.institution})"

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None


class Work(models.Model):
    """A paper, patent or project that shows a researcher's expertise."""

    class Kind(models.TextChoices):
        PAPER = "paper", _("paper")
        PATENT = "patent", _("patent")
        PROJECT = "project", _("project")

    researcher = models.ForeignKey(ResearcherProfile, models.CASCADE, related_name="works",
                                   verbose_name=_("researcher"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PAPER)
    title = models.CharField(_("title"), max_length=300)
    abstract = models.TextField(_("abstract or description"), blank=True)
    keywords = models.JSONField(_("keywords"), default=list, blank=True,
                                decoder=BoundedJSONDecoder)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True,
                                            validators=[validate_work_year])
    identifier = models.CharField(_("identifier"), max_length=100, blank=True,
                                  help_text=_("DOI, patent number or project number."))
    source = models.CharField(_("source"), max_length=200, blank=True,
                              help_text=_("Journal, patent office or funding body."))
    representative = models.BooleanField(
        _("representative"), default=False,
        help_text=_("Marks the works that represent the researcher's current work."))
    # Part of the key under which the researcher's token features are cached.
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-representative", "-year", "id"]
        verbose_name = _("work")
        verbose_name_plural = _("works")

    def __str__(self):
        return self.title


from .privacy_models import (  # noqa: E402, F401  (Django finds them here)
    Consent,
    DeletionRequest,
    LegalText,
    PersonalDataExport,
)
