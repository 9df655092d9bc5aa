from .roles import get_roles


def roles(request):
    """The current user's roles, for the navigation of every page."""
    user = getattr(request, "user", None)
    if user is None:
        return {}
    return {"user_roles": get_roles(user)}
