"""The SSRF guard of webhook callbacks (Judge0 CVE-2024-29021 was this bug).

A callback URL is allowed when its host is on the admin's allow-list
(`GRADEBOX_WEBHOOK_ALLOWED_HOSTS`), or when every address its host resolves to is a
public one. "Public" means not loopback, private, link-local, shared (CGNAT),
multicast, reserved, unspecified or documentation space, IPv4-mapped and NAT64
addresses judged by the IPv4 inside. The sender then connects to the address checked
here, never to a second resolution (that would let DNS rebinding swap it), and the
check runs again for every redirect.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from backend.errors import InvalidInput

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]

_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_SHARED = ipaddress.ip_network("100.64.0.0/10")


class CallbackRefused(InvalidInput):
    """The callback URL is malformed, or reaches an address the guard refuses."""

    code = "callback_refused"


@dataclass(frozen=True)
class Target:
    """Where a checked URL may be sent: the address to connect to, and the names the
    request must still carry (Host header, TLS server name)."""

    url: str
    scheme: str
    host: str
    port: int
    address: str
    allow_listed: bool


def system_resolver(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def is_internal(address: IPAddress) -> bool:
    """True for any address a callback must not reach by default."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return is_internal(address.ipv4_mapped)
        if address in _NAT64:
            return is_internal(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
        if address.sixtofour is not None:
            return is_internal(address.sixtofour)
    return (
        not address.is_global
        or address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or (isinstance(address, ipaddress.IPv4Address) and address in _SHARED)
    )


def _addresses(host: str, port: int, resolve: Resolver) -> list[IPAddress]:
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    try:
        found = resolve(host, port)
    except (OSError, UnicodeError) as exc:
        raise CallbackRefused(f"cannot resolve callback host {host}: {exc}") from None
    if not found:
        raise CallbackRefused(f"callback host {host} has no address")
    return [ipaddress.ip_address(a.split("%", 1)[0]) for a in found]


def check_url(
    url: str, *, allowed_hosts: Sequence[str], resolve: Resolver = system_resolver
) -> Target:
    """The target of `url`, or `CallbackRefused` saying why not."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise CallbackRefused(f"callback_url is not a valid URL: {exc}") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise CallbackRefused("callback_url must be an http or https URL")
    host = (parts.hostname or "").rstrip(".").lower()
    if not host:
        raise CallbackRefused("callback_url has no host")
    if parts.username is not None or parts.password is not None:
        raise CallbackRefused("callback_url must not carry credentials")
    port = port or (443 if scheme == "https" else 80)
    allowed = host in {h.rstrip(".").lower() for h in allowed_hosts}
    addresses = _addresses(host, port, resolve)
    if not allowed:
        for address in addresses:
            if is_internal(address):
                raise CallbackRefused(
                    f"callback to {host} refused: it resolves to the internal address "
                    f"{address} (an admin may allow the host in GRADEBOX_WEBHOOK_ALLOWED_HOSTS)"
                )
    return Target(
        url=url,
        scheme=scheme,
        host=host,
        port=port,
        address=str(addresses[0]),
        allow_listed=allowed,
    )
