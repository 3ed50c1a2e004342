"""Presentation helpers for templates: money, dates, roles, badges, progress bars and heat cells."""

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.conf import settings
from django.template.defaultfilters import date as date_filter
from django.utils.html import format_html

from core.roles import ROLE_PRECEDENCE, Role

register = template.Library()

CURRENCY_SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$", "CAD": "$", "AUD": "$", "INR": "₹"}

# Status words of the payroll and coverage pages -> badge modifier class.
STATUS_CLASSES = {
    "NEW": "badge--info",
    "UP": "badge--success",
    "SAME": "badge--neutral",
    "DOWN": "badge--warning",
    "REMOVED": "badge--danger",
    "LAPSED": "badge--danger",
    "EXPIRED": "badge--danger",
    "EXPIRING": "badge--warning",
    "VALID": "badge--success",
    "REVOKED": "badge--neutral",
    "OVERDUE": "badge--danger",
    "PASSED": "badge--success",
    "FAILED": "badge--danger",
}

# Number of heat-map steps above zero; counts at or above it use the darkest cell.
HEAT_STEPS = 5


def _currency() -> str:
    return getattr(settings, "TRACKER", {}).get("CURRENCY", "GBP")


@register.filter
def money(value, currency: str = "") -> str:
    """`Decimal("1.5")` -> "£1.50"; blank for None. Unknown currencies are written by code."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return str(value)
    code = currency or _currency()
    sign = "−" if amount < 0 else ""
    digits = f"{abs(amount):,.2f}"
    symbol = CURRENCY_SYMBOLS.get(code)
    if symbol:
        return f"{sign}{symbol}{digits}"
    return f"{sign}{digits} {code}"


@register.filter
def day(value) -> str:
    """A date as people write it: "3 Mar 2026". Blank for None."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date()
    return date_filter(value, "j M Y")


# Expiry urgency has one colour everywhere: red within this many days (or past), amber after.
EXPIRY_SOON_DAYS = 14


def expiry_class(days_left: int) -> str:
    return "badge--danger" if days_left <= EXPIRY_SOON_DAYS else "badge--warning"


@register.simple_tag
def expiry_badge(days_left, text: str = ""):
    """How soon something expires, as a badge in the urgency's colour: "in 9 days"."""
    days_left = int(days_left)
    if not text:
        if days_left < 0:
            text = f"{-days_left} day{'' if days_left == -1 else 's'} ago"
        elif days_left == 0:
            text = "today"
        else:
            text = f"in {days_left} day{'' if days_left == 1 else 's'}"
    return format_html('<span class="badge {}">{}</span>', expiry_class(days_left), text)


@register.filter
def hours(value) -> str:
    """Hours without trailing zeros: 12.50 -> "12.5", 20.00 -> "20"."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value)).normalize()
    except (InvalidOperation, ValueError):
        return str(value)
    text = f"{number:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@register.filter
def role_label(value) -> str:
    """A role name in words: "manager" -> "Manager"; unknown values are shown as they are."""
    if not value:
        return ""
    try:
        return Role(value).label
    except ValueError:
        return str(value)


@register.filter
def status_class(value) -> str:
    """The badge modifier class for a status word such as LAPSED, NEW, UP or DOWN."""
    return STATUS_CLASSES.get(str(value).upper(), "badge--neutral")


@register.simple_tag
def status_badge(value):
    """A status word as a coloured badge: {% status_badge row.change %}."""
    if not value:
        return ""
    return format_html('<span class="badge {}">{}</span>', status_class(value), str(value).upper())


@register.simple_tag
def tier_badge(rank, name=""):
    """A tier as a badge coloured by rank; rank 0 reads "No tier"."""
    try:
        rank = int(rank or 0)
    except (TypeError, ValueError):
        rank = 0
    label = name or ("No tier" if rank == 0 else f"Tier {rank}")
    return format_html(
        '<span class="badge badge--tier tier-{}">{}</span>', min(rank, HEAT_STEPS), label
    )


@register.filter
def heat_class(count) -> str:
    """The heat-map cell class for a head count: heat-0 (nobody) up to heat-5 (five or more)."""
    try:
        count = int(count or 0)
    except (TypeError, ValueError):
        count = 0
    return f"heat-{max(0, min(count, HEAT_STEPS))}"


@register.inclusion_tag("core/includes/progress.html")
def progress_bar(value, maximum, unit: str = "", label: str = ""):
    """An accessible progress bar with its words: "12.5 of 20 cross-training hours"."""
    try:
        current = Decimal(str(value or 0))
        top = Decimal(str(maximum or 0))
    except (InvalidOperation, ValueError):
        current, top = Decimal(0), Decimal(0)
    percent = 100 if top <= 0 else int(min(Decimal(100), current * 100 / top))
    text = label or f"{hours(current)} of {hours(top)}{' ' + unit if unit else ''}"
    return {
        "value": current,
        "maximum": top,
        "percent": max(percent, 0),
        "text": text,
        "complete": top > 0 and current >= top,
    }


def person_name(user) -> str:
    """The name to greet a login by: its own full name, its employee's, else the username."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ""
    full = user.get_full_name().strip()
    if full:
        return full
    employee = getattr(user, "employee", None)
    if employee is not None:
        return employee.full_name
    return user.get_username()


@register.simple_tag
def display_name(user) -> str:
    """{% display_name user %} -> "Ada Lovelace" (or the username when no name is known)."""
    return person_name(user)


@register.filter
def initials(name) -> str:
    """The avatar letters of a name: "Ada Lovelace" -> "AL", "admin" -> "A"."""
    parts = [part for part in str(name or "").split() if part]
    if not parts:
        return "?"
    if len(parts) == 1:
        return parts[0][0].upper()
    return (parts[0][0] + parts[-1][0]).upper()


@register.filter
def role_list(roles) -> str:
    """A set of role names as words, most senior first: "Manager, Trainer"."""
    names = set(roles or ())
    order = [role for role in ROLE_PRECEDENCE if role in names]
    order += sorted(names - set(order))
    return ", ".join(role_label(name) for name in order)
