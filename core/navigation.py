"""The navigation bar: one list of entries, each shown only where the access table allows it."""

from dataclasses import dataclass

from django.urls import reverse

from core.access import rule_for


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    # Other URL names under this entry, so it stays highlighted on their pages.
    section: tuple[str, ...] = ()


# Later features add their entries here; each shows only to the roles the access table allows.
NAV: tuple[NavEntry, ...] = (
    NavEntry("Home", "core:home"),
    NavEntry("Administration", "admin:index"),
)


def navigation_for(user, current_view_name: str) -> list[dict]:
    items = []
    for entry in NAV:
        rule = rule_for(entry.url_name)
        if rule is None or not rule.allows(user) or rule.public:
            continue
        active = current_view_name == entry.url_name or any(
            current_view_name.startswith(prefix) for prefix in entry.section
        )
        items.append({"label": entry.label, "url": reverse(entry.url_name), "active": active})
    return items
