"""Browser journey: an employee downloads their certificate; an anonymous visitor follows its
QR code, then types its code, and sees that it is valid."""

import io
import re

import pypdf
import pypdfium2
import pytest
import zxingcpp
from django.core.cache import cache
from playwright.sync_api import Browser, Page, expect

from tests.certificates import conftest as certificate_fixtures
from tests.certificates import worlds
from tests.e2e.test_progress_journeys import sign_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

tier_world = certificate_fixtures.tier_world
progress_world = worlds.progress_world


def test_employee_downloads_a_certificate_and_a_stranger_verifies_it(
    live_server, page: Page, browser: Browser, progress_world, settings, screenshot_dir
):
    settings.SITE_URL = live_server.url  # the address printed on the certificate and in its QR
    cache.clear()
    sign_in(page, live_server.url, "ada")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My progress").click()
    certificates = page.get_by_role("region", name="My certificates")
    expect(certificates).to_contain_text("Tier I")
    page.screenshot(path=screenshot_dir / "my-certificates.png", full_page=True)

    with page.expect_download() as download:
        certificates.get_by_role("link", name=re.compile("Download PDF")).click()
    assert re.fullmatch(r"CT-\d{4}-\d{6}\.pdf", download.value.suggested_filename)
    pdf = download.value.path().read_bytes()
    text = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Ada Tester" in text
    code = re.search(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", text).group(0)
    image = pypdfium2.PdfDocument(pdf)[0].render(scale=2).to_pil()
    (qr,) = zxingcpp.read_barcodes(image)
    assert qr.text.startswith(live_server.url + "/verify/")

    stranger = browser.new_context().new_page()  # no login, no cookies
    stranger.goto(qr.text)
    result = stranger.get_by_role("region", name="Valid")
    expect(result).to_contain_text("Ada Tester")
    expect(result).to_contain_text(download.value.suggested_filename.removesuffix(".pdf"))

    stranger.goto(live_server.url + "/verify/")
    stranger.get_by_label("Verification code").fill(code.lower().replace("-", " "))
    stranger.get_by_role("button", name="Verify").click()
    expect(stranger.get_by_role("heading", level=2)).to_have_text("Valid")
    stranger.screenshot(path=screenshot_dir / "verify-valid.png", full_page=True)
    stranger.context.close()
