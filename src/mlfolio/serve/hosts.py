"""Which Host headers the preview answers: a guard against DNS rebinding.

A web page on attacker.example can make its own name resolve to 127.0.0.1 after the page has loaded; the
browser then sends that page's requests to the preview, with `Host: attacker.example:8000`, and lets the page
read the answers (drafts, the site's sources as served). The one thing such a request cannot fake is the Host
header, so the preview answers only Host headers that name the address it listens on.
"""
from __future__ import annotations

import ipaddress

LOOPBACK_NAMES = frozenset({"localhost"})
WILDCARDS = frozenset({"", "0.0.0.0", "::", "::0"})


def host_name(header: str) -> str | None:
    """The host of a Host header without its port, lowercased, IPv6 without brackets; None when malformed."""
    header = header.strip().lower()
    if header.startswith("["):                       # [::1] or [::1]:8000
        end = header.find("]")
        if end < 0 or (header[end + 1:] and not _is_port(header[end + 1:])):
            return None
        return header[1:end]
    name, colon, port = header.partition(":")
    if colon and not _is_port(colon + port):
        return None
    return name or None


def _is_port(text: str) -> bool:
    return text.startswith(":") and text[1:].isdigit() and len(text) <= 6


def _ip(name: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(name)
    except ValueError:
        return None


class HostCheck:
    """Allows the names of the address serve listens on: localhost, loopback addresses, and the --host given.

    An address literal is safe from rebinding (no name to re-resolve), so on a wildcard address (0.0.0.0,
    shared with the network on purpose) any address of this machine is allowed; a name still has to be
    localhost or the one given with --host. Any port is allowed: rebinding cannot change the name, and a
    forwarded port (ssh -L 9000:localhost:8000) keeps working.
    """

    def __init__(self, listen_host: str):
        self.listen_host = listen_host.strip("[]").lower()
        self.wildcard = self.listen_host in WILDCARDS
        self.listen_ip = _ip(self.listen_host)

    def allows(self, header: str | None) -> bool:
        name = host_name(header or "")
        if name is None:
            return False
        if name in LOOPBACK_NAMES or name == self.listen_host:
            return True
        ip = _ip(name)
        if ip is None:
            return False
        return ip.is_loopback or self.wildcard or ip == self.listen_ip
