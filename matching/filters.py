"""The open-needs filters, shared by the website's list and the API."""

from django.db.models import Q
from django.utils.translation import gettext_lazy
from django_filters import rest_framework as df

from accounts.models import IndustryCluster, IndustryPlatform, LeadingIndustry

from .models import Challenge, Programme

# What anyone may search; verified researchers and staff search the full text too.
PUBLIC_SEARCH = ["title", "company__name", "industry__name", "industry__name_en"]
FULL_SEARCH = [*PUBLIC_SEARCH, "background", "goals", "indicators", "required_expertise"]


class ChallengeFilter(df.FilterSet):
    platform = df.ModelChoiceFilter(field_name="company__platform",
                                    queryset=IndustryPlatform.objects.all(),
                                    label=gettext_lazy("industry platform"),
                                    help_text="Industry platform id.")
    cluster = df.ModelChoiceFilter(field_name="company__cluster",
                                   queryset=IndustryCluster.objects.all(),
                                   label=gettext_lazy("industry cluster"),
                                   help_text="Industry cluster id.")
    industry = df.ModelChoiceFilter(queryset=LeadingIndustry.objects.all(),
                                    label=gettext_lazy("leading industry"))
    programme = df.ChoiceFilter(choices=Programme.choices, label=gettext_lazy("programme"))
    reward_min = df.NumberFilter(field_name="reward", lookup_expr="gte",
                                 label=gettext_lazy("reward from (10,000 yuan)"),
                                 help_text="Reward at least (10,000 yuan).")
    reward_max = df.NumberFilter(field_name="reward", lookup_expr="lte",
                                 label=gettext_lazy("reward up to (10,000 yuan)"),
                                 help_text="Reward at most (10,000 yuan).")
    deadline_after = df.DateFilter(field_name="deadline", lookup_expr="gte",
                                   label=gettext_lazy("deadline from"))
    deadline_before = df.DateFilter(field_name="deadline", lookup_expr="lte",
                                    label=gettext_lazy("deadline until"))
    mine = df.BooleanFilter(method="filter_mine", help_text="Only your companies' needs.")

    class Meta:
        model = Challenge
        fields = ["programme", "status", "company", "cohort", "industry", "confidentiality"]

    def filter_mine(self, queryset, name, value):
        if value:
            return queryset.filter(company__memberships__user=self.request.user.pk)
        return queryset


def search(queryset, text: str, *, full: bool):
    """Every word (Chinese or English, split on spaces) in one of the searched fields."""
    fields = FULL_SEARCH if full else PUBLIC_SEARCH
    for word in text.replace("\x00", "").split():
        condition = Q()
        for name in fields:
            condition |= Q(**{f"{name}__icontains": word})
        queryset = queryset.filter(condition)
    return queryset
