"""The language selector: switch either way, whatever the page's URL says.

Django's `set_language` stores the choice in a cookie and rewrites `next` to the
chosen language's URL with `translate_url`, which resolves `next` in the language
active for the selector's own request. That request has no prefix (/i18n/setlang/),
so it runs in the cookie's or the browser's language: from an `/en/` page under a
Chinese cookie `next` did not resolve, came back unchanged, and the `/en/` prefix
(which wins over the cookie) kept the page in English. Resolving `next` in the
language its own prefix names makes the rewrite work both ways.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.utils import translation
from django.views import i18n


def set_language(request):
    next_url = request.POST.get("next", request.GET.get("next")) or ""
    page_language = (translation.get_language_from_path(urlsplit(next_url).path)
                     or settings.LANGUAGE_CODE)
    with translation.override(page_language):
        return i18n.set_language(request)
