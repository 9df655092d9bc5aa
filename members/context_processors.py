import hashlib
from functools import cache

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from .roles import Roles, get_roles


@cache
def _release() -> str:
    """A stamp of the menus' template and translations: a cached menu of an earlier release
    (the cache may be a shared Redis) is never served after a change to either."""
    digest = hashlib.sha1(usedforsecurity=False)
    for template in ("base.html", "partials/nav_menus.html"):
        digest.update((settings.BASE_DIR / "templates" / template).read_bytes())
    for catalogue in sorted((settings.BASE_DIR / "locale").glob("*/LC_MESSAGES/django.mo")):
        digest.update(catalogue.read_bytes())
    return digest.hexdigest()[:12]


def roles(request):
    """The current user's roles, for the navigation of every page, and the key under which
    the rendered menus are cached (base.html): everything they depend on but the language.
    Both are read when a template first uses them (as Django's own csrf_token and messages
    are): a page without the application's layout — the Django admin's — reads no roles."""
    user = getattr(request, "user", None)
    if user is None:
        return {}
    user_roles = SimpleLazyObject(lambda: get_roles(user))
    return {"user_roles": user_roles, "nav_key": SimpleLazyObject(lambda: nav_key(request, user_roles))}


def nav_key(request, user_roles: Roles) -> str:
    if not request.user.is_authenticated:
        return ""
    flags = (
        user_roles.is_member,
        user_roles.is_admin,
        user_roles.is_group_leader,
        user_roles.is_committee,
        user_roles.is_masses_rater,
        user_roles.can_view_roster,
    )
    match = getattr(request, "resolver_match", None)
    section = match.app_name if match else ""
    member_pk = user_roles.member.pk if user_roles.member else 0
    # The two menu entries that are marked active by the exact page: the route that answered.
    here = ""
    if match is not None and match.view_name == "home":
        here = "home"
    elif match is not None and match.view_name == "members:detail" and match.kwargs.get("pk") == member_pk:
        here = "mine"
    return f"{_release()}:{''.join('1' if flag else '0' for flag in flags)}:{member_pk}:{section}:{here}"
