"""The per-address request limit: which address counts, and the fixed window."""

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from core.ratelimit import client_address, seconds_until_allowed


def request_from(remote="203.0.113.7", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/verify/", **extra)


@pytest.mark.parametrize(
    ("proxies", "forwarded", "address"),
    [
        pytest.param(0, "198.51.100.1", "10.0.0.2", id="no proxy: the header is ignored"),
        pytest.param(1, "198.51.100.1", "198.51.100.1", id="one proxy: what it saw"),
        pytest.param(1, "6.6.6.6, 198.51.100.1", "198.51.100.1", id="a forged hop is skipped"),
        pytest.param(2, "198.51.100.1, 10.0.0.9", "198.51.100.1", id="two proxies"),
        pytest.param(2, "10.0.0.9", "10.0.0.2", id="fewer hops than proxies: the connection"),
    ],
)
def test_the_client_address_is_the_one_the_outermost_trusted_proxy_saw(
    settings, proxies, forwarded, address
):
    settings.TRUSTED_PROXY_COUNT = proxies
    assert client_address(request_from("10.0.0.2", forwarded)) == address


@pytest.mark.django_db
def test_a_window_allows_the_limit_then_says_how_long_to_wait():
    cache.clear()
    now = 60 * 16_667 + 20.0  # 20 s into a 60 s window
    asks = [seconds_until_allowed(request_from(), "t", 2, 60, now=now) for _ in range(3)]
    assert asks == [0, 0, 40]
    assert seconds_until_allowed(request_from("203.0.113.8"), "t", 2, 60, now=now) == 0
    assert seconds_until_allowed(request_from(), "t", 2, 60, now=now + 40) == 0, "next window"
