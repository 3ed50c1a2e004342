"""The public verification pages: anyone holding a certificate's code sees its status.

Found or not, the answer has the same status code and the same page (only the words
differ), every answer counts towards the client address's limit, and search engines are asked
not to index any of it.
"""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.utils import timezone

from certificates import codes
from certificates.documents import LAPSED, REVOKED, VALID, certificate_settings, verification
from core.ratelimit import seconds_until_allowed

NOINDEX = "noindex, nofollow"


def limited(request):
    """A 429 answer when this client address has opened too many verification pages."""
    config = certificate_settings()
    wait = seconds_until_allowed(
        request,
        "verify",
        config["VERIFY_RATE_LIMIT"],
        config["VERIFY_RATE_WINDOW_SECONDS"],
    )
    if not wait:
        return None
    response = render(request, "certificates/verify_limited.html", {"wait": wait}, status=429)
    response["Retry-After"] = str(wait)
    response["X-Robots-Tag"] = NOINDEX
    return response


def verify_form(request):
    """A form to type a code; a code that cannot be one is said so here, in the same shape."""
    refused = limited(request)
    if refused:
        return refused
    typed = request.GET.get("code", "").strip()
    if typed:
        code = codes.normalised(typed)
        if code is not None:
            return redirect("verify:code", code=code)
    response = render(
        request,
        "certificates/verify.html",
        {"typed": typed, "malformed": bool(typed), "result": None, "asked": False},
    )
    response["X-Robots-Tag"] = NOINDEX
    return response


def shown_code(typed: str) -> str:
    """The code in its printed form, or as typed (cut short) when it cannot be one."""
    code = codes.normalised(typed)
    return codes.grouped(code) if code else typed[:40]


def verify_code(request, code: str):
    refused = limited(request)
    if refused:
        return refused
    result = verification(code, timezone.localdate())
    response = render(
        request,
        "certificates/verify.html",
        {
            "typed": shown_code(code),
            "result": result,
            "asked": True,
            "organisation": certificate_settings()["ORGANISATION_NAME"],
            "VALID": VALID,
            "REVOKED": REVOKED,
            "LAPSED": LAPSED,
        },
    )
    response["X-Robots-Tag"] = NOINDEX
    return response
