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
        from .services import outbox

        outbox.connect_request_signals()
