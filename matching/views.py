from django.shortcuts import render

from . import selectors


def home(request):
    return render(request, "matching/home.html", {
        "figures": selectors.headline_figures(),
        "challenges": selectors.challenge_list_public(limit=10),
    })
