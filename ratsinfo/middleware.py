from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


class SpracheMiddleware:
    """German for everyone unless the visitor chose another language with the language switch (a cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language, so an English browser would get
    English dates around German text; the site is German first, and English is a choice.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        sprache = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if sprache not in dict(settings.LANGUAGES):
            sprache = settings.LANGUAGE_CODE
        request.LANGUAGE_CODE = sprache
        # override() restores the thread's language afterwards: work done later on the same thread outside a
        # request (a task, a management command, the next test) must not inherit a visitor's English.
        with translation.override(sprache):
            antwort = self.get_response(request)
        antwort.headers.setdefault("Content-Language", sprache)
        patch_vary_headers(antwort, ["Cookie"])
        return antwort
