from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "matching"
    verbose_name = _("Matching and programmes")

    def ready(self):
        from accounts import signals

        from . import receivers

        signals.researcher_changed.connect(receivers.researcher_changed,
                                           dispatch_uid="matching.researcher_changed")
        signals.reviewed.connect(receivers.reviewed, dispatch_uid="matching.reviewed")
        signals.notify.connect(receivers.reviewed, dispatch_uid="matching.notify")
        self._invalidate_public_answers()
        from .services import outbox

        outbox.connect_request_signals()

    def _invalidate_public_answers(self):
        """A committed write to anything the public pages show bumps their cache
        version (matching/public_cache.py). Signals rather than a line in each
        service: admin writes, tasks (a need's expiry) and services to come are
        all covered, and a receiver cannot be forgotten."""
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from accounts.models import (
            Company,
            IndustryCluster,
            IndustryPlatform,
            Institution,
            LeadingIndustry,
        )

        from . import public_cache
        from .models import Challenge, Cohort, FrozenReport, Outcome, Placement

        for model in (Challenge, Company, Placement, Outcome, Cohort, FrozenReport, Institution,
                      LeadingIndustry, IndustryPlatform, IndustryCluster):
            for name, signal in (("save", post_save), ("delete", post_delete)):
                signal.connect(public_cache.bump_on_commit, sender=model,
                               dispatch_uid=f"public_cache.{name}.{model.__name__}")
        m2m_changed.connect(public_cache.bump_on_commit,
                            sender=Challenge.preferred_institutions.through,
                            dispatch_uid="public_cache.preferred_institutions")
