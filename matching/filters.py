"""The open-needs filters, shared by the website's list and the API."""

from django.utils.translation import gettext_lazy
from django_filters import rest_framework as df

from accounts.models import IndustryCluster, IndustryPlatform, LeadingIndustry
from config.api import SearchFilter

from . import search as needs_search
from .models import Challenge, Programme
from .selectors import Viewer


class ChallengeFilter(df.FilterSet):
    platform = df.ModelChoiceFilter(field_name="company__platform",
                                    queryset=IndustryPlatform.objects.all(),
                                    label=gettext_lazy("industry platform"),
                                    help_text=gettext_lazy("Industry platform id."))
    cluster = df.ModelChoiceFilter(field_name="company__cluster",
                                   queryset=IndustryCluster.objects.all(),
                                   label=gettext_lazy("industry cluster"),
                                   help_text=gettext_lazy("Industry cluster id."))
    industry = df.ModelChoiceFilter(queryset=LeadingIndustry.objects.all(),
                                    label=gettext_lazy("leading industry"))
    programme = df.ChoiceFilter(choices=Programme.choices, label=gettext_lazy("programme"))
    reward_min = df.NumberFilter(field_name="reward", lookup_expr="gte",
                                 label=gettext_lazy("reward from (10,000 yuan)"),
                                 help_text=gettext_lazy("Reward at least (10,000 yuan)."))
    reward_max = df.NumberFilter(field_name="reward", lookup_expr="lte",
                                 label=gettext_lazy("reward up to (10,000 yuan)"),
                                 help_text=gettext_lazy("Reward at most (10,000 yuan)."))
    deadline_after = df.DateFilter(field_name="deadline", lookup_expr="gte",
                                   label=gettext_lazy("deadline from"))
    deadline_before = df.DateFilter(field_name="deadline", lookup_expr="lte",
                                    label=gettext_lazy("deadline until"))
    mine = df.BooleanFilter(method="filter_mine", help_text=gettext_lazy("Only your companies' needs."))

    class Meta:
        model = Challenge
        fields = ["programme", "status", "company", "cohort", "industry", "confidentiality"]

    def filter_mine(self, queryset, name, value):
        if value:
            return queryset.filter(company__memberships__user=self.request.user.pk)
        return queryset


def search(queryset, text: str, *, viewer: Viewer):
    """The needs matching `text`, most relevant first (matching/search.py); a
    confidential need's details only for viewers who may read them."""
    return needs_search.search(queryset, text, full=viewer.reads_full_text)


class ChallengeSearchFilter(SearchFilter):
    """The API's `search=`: the same search as the website's, ranked by relevance
    unless `ordering=` asks otherwise."""

    def filter_queryset(self, request, queryset, view):
        terms = " ".join(self.get_search_terms(request))
        if not terms:
            return queryset
        viewer = getattr(request, "_viewer", None) or Viewer(request.user)
        request._viewer = viewer
        return search(queryset, terms, viewer=viewer)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for p in parameters:
            p["description"] = ("Words, Chinese or English, all of which a need must "
                                "match (its text, company or industry; synonyms count); "
                                "results come most relevant first.")
        return parameters
