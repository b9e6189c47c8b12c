"""The client's address, for throttling and security events: the one place that reads it.

Without `MADANG_TRUSTED_PROXIES` it is REMOTE_ADDR, the peer of the connection, and no header
is believed: a client talking to Madang directly could write any X-Forwarded-For it likes.

Behind a reverse proxy the peer is the proxy (or, on a unix socket, nobody: gunicorn gives an
empty REMOTE_ADDR), so every client would share one address and a per-address limit would
become a limit on the whole site. With the proxies listed, a request whose peer is one of them
(or a unix socket) is read from the header (`MADANG_CLIENT_ADDRESS_HEADER`, X-Forwarded-For by
default): hops are taken from the right, skipping the listed proxies, and the first hop that is
not a listed proxy is the client. The hops to its left were written by the client itself and are
never believed.
"""

from __future__ import annotations

import functools
import ipaddress

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network

MAX_LENGTH = 64


@functools.lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            raise ValueError(f"MADANG_TRUSTED_PROXIES: {entry!r} is not an address or a network") from None
    return tuple(networks)


def trusted_networks() -> tuple[Network, ...]:
    return _networks(tuple(e for e in getattr(settings, "MADANG_TRUSTED_PROXIES", []) if e.lower() != "unix"))


def _header_key() -> str:
    name = getattr(settings, "MADANG_CLIENT_ADDRESS_HEADER", "") or "X-Forwarded-For"
    return "HTTP_" + name.upper().replace("-", "_")


def _parse(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [v6]:port
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # v4:port
        text = text.partition(":")[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address, networks: tuple[Network, ...]) -> bool:
    return any(address.version == n.version and address in n for n in networks)


def is_unix_socket(peer: str) -> bool:
    return peer == "" or peer.lower().startswith("unix")


def client_address(request: HttpRequest) -> str:
    """The address of the client that sent this request, as text (at most 64 characters)."""
    peer = str(request.META.get("REMOTE_ADDR") or "")
    configured = getattr(settings, "MADANG_TRUSTED_PROXIES", [])
    if not configured:
        return peer[:MAX_LENGTH]
    networks = trusted_networks()
    peer_address = _parse(peer)
    if not (is_unix_socket(peer) or (peer_address is not None and _trusted(peer_address, networks))):
        return peer[:MAX_LENGTH]
    client = peer_address
    hops = str(request.META.get(_header_key(), "")).split(",")
    for hop in reversed(hops):
        if not hop.strip():
            continue
        address = _parse(hop)
        if address is None:
            break  # garbage from a hop we cannot place: stop at the last one we could
        client = address
        if not _trusted(address, networks):
            break
    return (str(client) if client is not None else peer or "unix")[:MAX_LENGTH]
