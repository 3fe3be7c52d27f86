from django.utils import translation


class ApiLanguageMiddleware:
    """The API speaks the client's Accept-Language (zh-hans unless it asks for en).

    LocaleMiddleware gives every path without a language prefix the default
    language, because the site's Chinese pages carry no prefix; API paths have
    no prefix either, so their language is chosen here instead.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith("/api/"):
            return self.get_response(request)
        # For this request only: the thread's language is put back afterwards.
        with translation.override(translation.get_language_from_request(request)):
            request.LANGUAGE_CODE = translation.get_language()
            return self.get_response(request)
