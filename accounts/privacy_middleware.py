"""After staff publish a new privacy notice or user agreement, a signed-in person
is sent to accept it before they use the website further (PIPL Art. 14: consent
is asked again when what it covers changes)."""

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

from .models import LegalText

# The pages a person who has not accepted yet still reaches: the texts, the page
# asking, signing out, the language switch. The admin and the API answer on their
# own terms (the API reports what is missing on `me/consents/`).
OPEN_PAGES = {"legal_texts", "consent_renew", "logout", "set_language", "login"}
OPEN_NAMESPACES = {"api", "admin"}


class ConsentRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if (not request.user.is_authenticated or match is None
                or match.url_name in OPEN_PAGES or OPEN_NAMESPACES & set(match.namespaces)):
            return None
        if not LegalText.objects.not_accepted_by(request.user).exists():
            return None
        return redirect(f"{reverse('accounts:consent_renew')}?"
                        f"{urlencode({'next': request.get_full_path()})}")
