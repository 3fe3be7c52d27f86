"""The demo district reads as a true past (issue 14): terms that ended are
completed, nothing is dated after today, need texts end in whole sentences, a
paper is credited to the group that wrote it; the headline figures stay the
district's. The demo is built relative to today's date (timezone.localdate());
the district's own dates (cohorts 2019–2025, the March 2025 tech-VP
appointments) are fixed."""

import json
from collections import defaultdict

import pytest
from django.db import transaction
from django.utils import timezone

from accounts.models import Work
from matching.demo import PAPERS, DemoBuilder, _whole_sentences
from matching.models import Challenge, Outcome, Placement

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield DemoBuilder().build()
        transaction.set_rollback(True)


def test_the_headline_figures_are_the_districts(demo):
    assert (demo["headline_researchers"], demo["headline_companies"],
            demo["headline_deal_value"], demo["headline_outcomes"]) == (847, 258, 4000, 320)


def test_a_placement_whose_term_ended_is_completed_and_one_still_running_is_not(demo):
    today = timezone.localdate()
    approved = Placement.objects.filter(status__in=[Placement.Status.ACTIVE,
                                                    Placement.Status.COMPLETED])
    assert not approved.filter(status=Placement.Status.ACTIVE, ends_on__lt=today).exists()
    assert not approved.filter(status=Placement.Status.COMPLETED, ends_on__gte=today).exists()
    assert not approved.filter(starts_on__gt=today).exists()
    # The sixth cohort (2024–25) has ended; the March 2025 tech VPs serve until 2027.
    sixth = Placement.objects.filter(cohort__number=6)
    assert sixth.exists()
    assert set(sixth.values_list("status", flat=True)) == (
        {Placement.Status.COMPLETED} if sixth[0].ends_on < today else {Placement.Status.ACTIVE})
    assert approved.filter(status=Placement.Status.ACTIVE).exists()


def test_no_outcome_is_dated_after_today_or_outside_its_placements_term(demo):
    today = timezone.localdate()
    dates = list(Outcome.objects.values_list("achieved_on", "placement__starts_on",
                                             "placement__ends_on"))
    assert len(dates) == 360
    assert all(start <= achieved <= min(end, today) for achieved, start, end in dates)


def test_need_texts_end_in_whole_sentences(demo):
    abstracts = [json.loads(line)["abstract"].strip() for line in PAPERS.open(encoding="utf-8")]
    backgrounds = set(Challenge.objects.values_list("background", flat=True))
    assert len(backgrounds) > 100
    for text in backgrounds:
        assert text[-1] in "。.！？!?", text
        # Whole sentences of a real abstract, not its first 400 characters.
        assert any(a.startswith(text.rstrip("。")) for a in abstracts), text
    for goals, indicators in Challenge.objects.values_list("goals", "indicators"):
        assert goals.endswith("。") and indicators.endswith("。")


def test_whole_sentences_cut_at_a_full_stop_not_inside_a_number():
    assert _whole_sentences("效率提升3.5倍。寿命延长一倍.其余很长的一句话", 12) == "效率提升3.5倍。"
    assert _whole_sentences("效率提升3.5倍。寿命延长一倍.其余", 20) == "效率提升3.5倍。寿命延长一倍."
    assert _whole_sentences("没有句号的一段文字", 4) == "没有句号的一段文字。"


def test_each_paper_is_credited_to_the_one_group_that_wrote_it(demo):
    authors, papers_of = defaultdict(set), defaultdict(set)
    for identifier, researcher, institution in Work.objects.values_list(
            "identifier", "researcher", "researcher__institution"):
        authors[identifier].add((researcher, institution))
        papers_of[researcher].add(identifier)
    sizes = [len(a) for a in authors.values()]
    assert max(sizes) <= 4 and min(sizes) >= 1
    for group in authors.values():
        # Co-authors work at one institution and share their group's papers.
        assert len({institution for _, institution in group}) == 1
        assert len({frozenset(papers_of[r]) for r, _ in group}) == 1
    # Every researcher has papers to be matched on.
    assert len(papers_of) == 850
