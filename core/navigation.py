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
    NavEntry("My progress", "certificates:my-progress"),
    NavEntry(
        "Team",
        "certificates:team",
        (
            "certificates:team",
            "certificates:employee-progress",
            "certificates:certify",
            "certificates:certification-",
        ),
    ),
    NavEntry("Coverage", "skills:coverage", ("skills:coverage", "skills:expiring")),
    NavEntry(
        "Sessions",
        "training:session-list",
        ("training:session-", "skills:signoff-", "training:employee-"),
    ),
    NavEntry("Buddies", "buddies:suggestions", ("buddies:",)),
    NavEntry("Modules", "training:module-list", ("training:module-", "training:completion-")),
    NavEntry("New hires", "training:new-hires"),
    NavEntry("Payroll", "certificates:payroll", ("certificates:payroll",)),
    NavEntry("Certificates", "certificates:certificate-archive"),
    NavEntry("Import", "organisation:workbook-upload", ("organisation:workbook-",)),
    NavEntry(
        "Import",
        "organisation:roster-upload",
        ("organisation:roster-", "organisation:workbook-preview", "organisation:workbook-confirm"),
    ),
)

# Shown in the account menu rather than the bar, which is full.
MENU: tuple[NavEntry, ...] = (NavEntry("Administration", "admin:index"),)


def navigation_for(user, current_view_name: str, entries: tuple[NavEntry, ...] = NAV) -> list[dict]:
    """The entries `user` may follow, one per label (the first allowed wins)."""
    items = []
    labels: set[str] = set()
    for entry in entries:
        rule = rule_for(entry.url_name)
        if rule is None or not rule.allows(user) or rule.public or entry.label in labels:
            continue
        labels.add(entry.label)
        active = current_view_name == entry.url_name or any(
            current_view_name.startswith(prefix) for prefix in entry.section
        )
        items.append({"label": entry.label, "url": reverse(entry.url_name), "active": active})
    return items
