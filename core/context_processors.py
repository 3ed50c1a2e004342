"""Template context shared by every page: the signed-in person's roles and navigation."""

from core.navigation import MENU, navigation_for
from core.roles import primary_role, user_roles


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "menu_items": [], "user_roles": frozenset(), "primary_role": None}
    current = request.resolver_match.view_name if request.resolver_match else ""
    return {
        "nav_items": navigation_for(user, current),
        "menu_items": navigation_for(user, current, MENU),
        "user_roles": user_roles(user),
        "primary_role": primary_role(user),
    }
