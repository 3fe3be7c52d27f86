"""What the needs' search reads: segmented documents and synonym groups."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .challenges import Challenge


class ChallengeSearch(models.Model):
    """A need's search documents: its text segmented as the matching engine segments
    it (jieba words and character bigrams, English words), tokens joined by
    spaces. Derived data, rewritten whenever the need is written
    (matching/search.py), so it has no history of its own.

    `public` leaves out a confidential need's details; `full` is for viewers who
    may read them. On PostgreSQL each has a GIN index over its tsvector
    (`simple` configuration: the text is segmented already), created by
    migration 0008.
    """

    challenge = models.OneToOneField(Challenge, models.CASCADE, primary_key=True,
                                     related_name="search", verbose_name=_("challenge"))
    public = models.TextField(_("public document"), blank=True)
    full = models.TextField(_("full document"), blank=True)
    # Title tokens weigh more in the ranking.
    title = models.TextField(_("title document"), blank=True)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")

    def __str__(self):
        return str(self.challenge_id)


class SearchSynonym(models.Model):
    """A group of terms a search treats as one: searching any of them finds needs
    that use any other (芯片 / 集成电路 / 半导体 / chip). Staff keep them in the admin."""

    terms = models.JSONField(_("terms"), default=list,
                             help_text=_("Two or more terms, Chinese or English, that mean "
                                         "the same thing in a search."))
    note = models.CharField(_("note"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("search synonym group")
        verbose_name_plural = _("search synonym groups")

    def __str__(self):
        return " / ".join(self.terms)
