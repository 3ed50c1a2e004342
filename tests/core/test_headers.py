"""Security headers: a content security policy with nothing inline allowed, a permissions
policy, and personal pages never cached."""

import base64
import hashlib
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from core.roles import Role
from tests.certificates import worlds
from tests.certificates.conftest import tier_world  # noqa: F401  (progress_world needs it)

pytestmark = pytest.mark.django_db
progress_world = worlds.progress_world

PAGES = [
    "core:home",
    "certificates:my-progress",
    "certificates:team",
    "certificates:payroll",
    "certificates:certificate-archive",
    "skills:coverage",
    "skills:expiring",
    "training:session-list",
    "training:session-create",
    "training:module-list",
    "training:new-hires",
    "skills:signoff-create",
    "buddies:suggestions",
    "buddies:pairings",
    "buddies:exclusions",
    "organisation:workbook-upload",
    "verify:form",
    "password_change",
]
INLINE = re.compile(rb'\sstyle="|<style[\s>]|<script(?![^>]*\ssrc=)[^>]*>|\son[a-z]+="')


def test_every_page_has_the_policies_and_nothing_inline(client, role_users, progress_world):
    client.force_login(role_users[Role.ADMINISTRATOR])
    for name in PAGES:
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        policy = response["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "'unsafe-inline'" not in policy, name
        assert "camera=()" in response["Permissions-Policy"], name
        assert response["Cache-Control"] == "private, no-store", name
        found = INLINE.findall(response.content)
        assert not found, f"{name}: inline {found[:3]}"


def test_the_progress_pages_draw_their_bars_without_inline_styles(client, progress_world):
    client.force_login(progress_world["ada"].user)
    html = client.get(reverse("certificates:my-progress")).content
    assert b'class="progress__bar-rect"' in html
    assert not INLINE.findall(html)


def test_downloads_are_not_cached_either(client, role_users, progress_world):
    client.force_login(role_users[Role.MANAGER])
    response = client.get(reverse("certificates:team-export"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_signed_out_pages_get_the_policies_too(client, db):
    response = client.get(reverse("login"))
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "camera=()" in response["Permissions-Policy"]


def test_the_500_page_s_own_style_is_the_one_the_policy_allows():
    template = (Path(settings.BASE_DIR) / "templates" / "500.html").read_text()
    (style,) = re.findall(r"<style>(.*?)</style>", template, re.S)
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    assert f"'sha256-{digest}'" == settings.ERROR_PAGE_STYLE_HASH
    assert (
        settings.ERROR_PAGE_STYLE_HASH
        in settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["style-src"]
    )
