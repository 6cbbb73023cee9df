"""The SSRF guard (Judge0 CVE-2024-29021): internal addresses are refused, whether
written as literals, reached through a DNS name, or disguised; the admin allow-list
is the only way past it."""

from __future__ import annotations

import pytest

from backend.services.webhooks_guard import CallbackRefused, check_url

REFUSED = [
    "http://127.0.0.1/hook",
    "http://127.1.2.3:8080/",
    "http://10.0.0.5/",
    "http://172.16.3.4/",
    "http://192.168.1.1/",
    "http://169.254.169.254/latest/meta-data/",  # cloud metadata (link-local)
    "http://100.64.0.1/",  # shared address space (CGNAT)
    "http://0.0.0.0/",
    "http://[::1]/",
    "http://[fe80::1]/",
    "http://[fc00::1]/",
    "http://[::ffff:127.0.0.1]/",  # IPv4-mapped loopback
    "http://[::ffff:169.254.169.254]/",
    "http://[64:ff9b::a9fe:a9fe]/",  # NAT64 of 169.254.169.254
    "http://224.0.0.1/",
    "http://localhost:9/",  # a DNS name that resolves to loopback
    "http://LOCALHOST./",
    "http://2130706433/",  # 127.0.0.1 as one decimal number, resolved by the system
]


@pytest.mark.parametrize("url", REFUSED)
def test_internal_addresses_are_refused(url: str) -> None:
    with pytest.raises(CallbackRefused, match="internal address"):
        check_url(url, allowed_hosts=[])


@pytest.mark.parametrize(
    "url", ["ftp://example.org/", "file:///etc/passwd", "gopher://x/", "http://", "http://u:p@h/"]
)
def test_only_plain_http_urls_are_taken(url: str) -> None:
    with pytest.raises(CallbackRefused):
        check_url(url, allowed_hosts=[])


def test_public_addresses_pass_and_the_checked_address_is_the_one_to_use() -> None:
    target = check_url("https://93.184.215.14:8443/hook?x=1", allowed_hosts=[])
    assert (target.address, target.port, target.scheme) == ("93.184.215.14", 8443, "https")


def test_a_name_is_judged_by_every_address_it_resolves_to() -> None:
    """A name with one public and one private address is refused (the system could
    connect to either)."""

    def resolve(host: str, port: int) -> list[str]:
        return ["93.184.215.14", "10.1.2.3"]

    with pytest.raises(CallbackRefused, match="10.1.2.3"):
        check_url("http://mixed.example/", allowed_hosts=[], resolve=resolve)


def test_the_allow_list_names_hosts_exactly() -> None:
    assert check_url("http://127.0.0.1:8080/", allowed_hosts=["127.0.0.1"]).allow_listed
    assert check_url("http://LocalHost/", allowed_hosts=["localhost"]).address.startswith(
        ("127.", "::1")
    )
    with pytest.raises(CallbackRefused):
        check_url("http://localhost/", allowed_hosts=["127.0.0.1"])  # the name is not listed
