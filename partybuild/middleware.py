from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Simplified Chinese unless the person chose another language in the switcher.

    Django's LocaleMiddleware would follow the browser's Accept-Language, so an
    English-language browser on the intranet would get the English interface;
    the product speaks Chinese by default and changes only on request.
    """

    def process_request(self, request):
        supported = {code for code, _name in settings.LANGUAGES}
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
