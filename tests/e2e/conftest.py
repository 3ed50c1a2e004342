"""Browser-journey setup: Playwright drives Debian's Chromium against pytest-django's live server.

No browser is ever downloaded: the tests use /usr/bin/chromium. Without it they are skipped on a
developer's machine and fail when the CI environment variable is set, so CI cannot go green by
silently running no journey at all.
"""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread, and Django refuses ORM calls from
# a thread with a running loop unless told that this is deliberate.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
E2E_DIR = Path(__file__).resolve().parent

MISSING_SKIP = f"{CHROMIUM} not found: install Debian's chromium package to run browser journeys"
MISSING_FAIL = (
    f"{CHROMIUM} not found and CI is set: browser journeys must run in CI. Install Debian's "
    "chromium package in the CI image (never `playwright install`)."
)


def in_ci() -> bool:
    return bool(os.environ.get("CI", "").strip())


def pytest_configure(config):
    # pytest-playwright's stand-in `base_url` fixture (used when pytest-base-url is not
    # installed) is a session fixture on an instance; pytest 9 warns about it on every run.
    config.addinivalue_line(
        "filterwarnings",
        "ignore:Session-scoped fixtures defined as instance methods"
        ":pytest.PytestRemovedIn10Warning",
    )


def _fail_without_chromium():
    pytest.fail(MISSING_FAIL, pytrace=False)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Marks every journey under tests/e2e as e2e, and decides here what a missing Chromium means.

    Missing outside CI: skipped. Missing in CI: each journey is swapped for a test that fails with
    the reason, so the run reports FAILED rather than an error inside the browser fixtures.
    """
    missing = not CHROMIUM.exists()
    for index, item in enumerate(items):
        if E2E_DIR not in Path(item.path).resolve().parents:
            continue
        if missing and in_ci():
            item = items[index] = pytest.Function.from_parent(
                item.parent, name=item.name, callobj=_fail_without_chromium
            )
        item.add_marker(pytest.mark.e2e)
        if missing and not in_ci():
            item.add_marker(pytest.mark.skip(reason=MISSING_SKIP))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright's launch options, pointed at the system Chromium."""
    if not CHROMIUM.exists():
        if in_ci():
            pytest.fail(MISSING_FAIL, pytrace=False)
        pytest.skip(MISSING_SKIP)
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture
def screenshot_dir(tmp_path) -> Path:
    """Where journeys save screenshots: $E2E_SCREENSHOT_DIR when set (to look at them), else tmp."""
    target = os.environ.get("E2E_SCREENSHOT_DIR")
    path = Path(target) if target else tmp_path / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path
