"""Where a push endpoint's host leads, as far as can be told without asking DNS: one rule
for the subscription (refused before it is stored) and the send (refused before each
message), so that a spelling one of them misreads cannot slip between the two."""

import ipaddress
import re

Address = ipaddress.IPv4Address | ipaddress.IPv6Address

# One number of an IPv4 address as inet_aton reads it (and so getaddrinfo): hex after 0x,
# octal after a 0, decimal otherwise.
NUMBER = re.compile(r"0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*")


def host_address(host: str) -> Address | None:
    """The address a resolver reads `host` as without a look-up, or None for a name.

    Besides the usual spellings that is every one inet_aton takes: one to four numbers,
    each decimal, octal or hex, the last filling the bytes left, so that 127.1,
    0177.0.0.1, 0x7f.1 and 2130706433 are all 127.0.0.1. A final dot is read past (it
    must not turn a refused address into a name that leads to it), and an IPv4 address
    inside IPv6 (::ffff:127.0.0.1) is that IPv4 address, where a connection goes."""
    host = host.removesuffix(".")
    address = _ipv4_numbers(host)
    if address is None:
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            return None
    return _unmapped(address)


def is_public(address: Address) -> bool:
    """Whether the server may post to `address`: a global one, neither this machine nor a
    private, link-local or reserved network."""
    return _unmapped(address).is_global


def is_local_name(host: str) -> bool:
    """Whether `host` is a name that always means this machine (RFC 6761)."""
    name = host.lower().removesuffix(".")
    return name == "localhost" or name.endswith(".localhost")


def leads_inside(host: str) -> bool:
    """Whether `host`, as written, leads into a private network or to this machine: an
    address in any spelling `host_address` reads that is not a public one, or a name for
    this machine. Any other name may lead anywhere: the send looks it up as well."""
    address = host_address(host)
    if address is None:
        return is_local_name(host)
    return not is_public(address)


def is_this_machine(host: str) -> bool:
    """Whether `host`, in any spelling, is this machine (a test push service, with DEBUG)."""
    address = host_address(host)
    return is_local_name(host) if address is None else address.is_loopback


def _ipv4_numbers(host: str) -> ipaddress.IPv4Address | None:
    numbers = host.split(".")
    if not 1 <= len(numbers) <= 4 or not all(NUMBER.fullmatch(number) for number in numbers):
        return None
    values = [_number(number) for number in numbers]
    *leading, last = values
    if any(value > 0xFF for value in leading) or last >= 1 << (8 * (5 - len(values))):
        return None
    value = last
    for place, byte in enumerate(leading):
        value += byte << (8 * (3 - place))
    return ipaddress.IPv4Address(value)


def _number(text: str) -> int:
    if text[:2].lower() == "0x":
        return int(text[2:], 16)
    if text.startswith("0"):
        return int(text, 8)
    return int(text)


def _unmapped(address: Address) -> Address:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address
