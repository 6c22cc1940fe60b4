"""Domain rules used everywhere: ids, URLs, allowed characters, size limits.

One module so the validator, the scaffold, the renderer and the tests agree.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from urllib.parse import urlsplit

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
SLUG_MAX = 60
TEXT_MAX = 4000
SHORT_TEXT_MAX = 300
MAX_FILE_BYTES = 256 * 1024
DEFAULT_FRESHNESS_MONTHS = 24

REQUIREMENTS_MIN, REQUIREMENTS_MAX = 2, 6

# Fields renamed by a methodology change: old name -> (new name, message). An old name in a data file
# gets a hint to the new one, and the new name is then not also reported as missing.
RENAMED_FIELDS = {
    "verified": ("reviewed", "renamed to `reviewed` in methodology 2.0"),
    "levels": ("requirements", "replaced by `requirements:` in methodology 2.0 (see docs/methodology/changelog.md)"),
}

# Bidirectional overrides and isolates can make text read differently from what it is
# ("Trojan Source"); zero-width characters hide content. None belong in evidence.
BIDI_AND_INVISIBLE = set("\u061c\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\u200c\u200d\u200e\u200f\u2060\ufeff")


# Candidates for `bad_character` (C0/C1 controls except tab/newline/CR, and the set above).
BAD_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff" + "".join(sorted(BIDI_AND_INVISIBLE)) + "]")

# Ids that would collide with a generated path: providers/index.md (the listing) and
# previews/site.png (the site's own preview image). See check.rule_reserved_ids.
RESERVED_IDS = frozenset({"index", "site"})
MAX_ALIASES = 20


def slugify(name: str) -> str:
    """Turn a display name into an id: "Rocket.Chat" -> "rocket-chat"."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:SLUG_MAX].rstrip("-")


def is_slug(value: str) -> bool:
    return bool(re.match(SLUG_PATTERN, value)) and len(value) <= SLUG_MAX


# A host name as browsers and Python both read it the same way: ASCII labels of letters, digits and
# inner hyphens, and a last label that starts with a letter (so it is never an IPv4 address in any of
# the forms browsers accept: 127.0.0.1, 2130706433, 0x7f.1). Non-ASCII hosts must be written in
# punycode (xn--), because browsers map look-alike dots ("．") to "." and Python does not.
_HOST = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$")

# One search each instead of a loop over the characters (tests/test_rules_equivalence.py tries every character):
# `\s` in a str pattern is exactly str.isspace(); C0 controls (ord < 32), and BAD_CHARACTERS, which holds BIDI_AND_INVISIBLE.
_WHITESPACE = re.compile(r"\s")
_URL_INVISIBLE = re.compile("[\x00-\x1f]|" + BAD_CHARACTERS.pattern)


@functools.lru_cache(maxsize=65536)  # a pure function; `serve` checks the same URLs on every save
def url_problem(url: str, *, allow_mailto: bool) -> str | None:
    """Why `url` is not an acceptable link, or None. Only https:// (and optionally mailto:).

    Browsers parse URLs by the WHATWG rules and Python's urlsplit does not; instead of a second
    parser, everything on which they disagree is refused: backslashes, user info (`user@host`),
    IP-address hosts, ports, percent-escapes and non-ASCII characters in the host."""
    if _WHITESPACE.search(url):
        return "URL contains whitespace"
    if _URL_INVISIBLE.search(url):
        return "URL contains control or invisible characters"
    if "\\" in url:
        return "URL contains a backslash (browsers read it as a slash, so the link would go elsewhere)"
    if any(ch in url for ch in '<>"`'):
        return "URL contains < > \" or ` (copy the address from the browser's address bar, where they are percent-encoded)"
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return "URL has an invalid host or port"
    if allow_mailto and parts.scheme == "mailto":
        return None if "@" in parts.path else "mailto: link without an address"
    if parts.scheme != "https":
        return f"URL must start with https:// (got {parts.scheme + ':' if parts.scheme else 'a relative address'})"
    if not url.lower().startswith("https://"):
        return "URL must start with https:// followed by the host"
    if "@" in parts.netloc:
        return "URL contains user info (name@host); browsers go to the part after the @"
    if port is not None or parts.netloc.endswith(":"):
        return "URL has a port; source links use the default https port"
    host = parts.netloc
    if not host or "." not in host:
        return "URL has no valid host"
    if not host.isascii():
        return "URL host has non-ASCII characters; write the punycode form (xn--...)"
    if not _HOST.match(host.lower()):
        if re.fullmatch(r"[0-9a-fA-FxX.:\[\]]+", host):
            return "URL host is an IP address; link to the site's name"
        return "URL has no valid host name"
    return None


def bad_character(ch: str) -> str | None:
    """Describe a character that must not appear in a data file, or None."""
    if ch in "\n\r\t":
        return None
    if ch in BIDI_AND_INVISIBLE:
        return f"bidirectional or invisible character U+{ord(ch):04X} ({unicodedata.name(ch, 'unnamed')})"
    if unicodedata.category(ch) == "Cc":
        return f"control character U+{ord(ch):04X}"
    if unicodedata.category(ch) == "Cs" or ch in "\ufffe\uffff":
        return f"character U+{ord(ch):04X}, which is not valid text (a lone surrogate or a noncharacter)"
    return None


def host_suffixes(host: str) -> list[str]:
    """ "a.b.example.org" -> ["a.b.example.org", "b.example.org", "example.org", "org"]."""
    parts = host.lower().rstrip(".").split(".")
    return [".".join(parts[i:]) for i in range(len(parts))]


def host_matches(host: str, domain: str) -> bool:
    """True when `host` is `domain` or one of its subdomains."""
    host, domain = host.lower().rstrip("."), domain.lower()
    return host == domain or host.endswith("." + domain)


def site_matches(url: str, site: str) -> bool:
    """Does `url` lie on `site` ("example.org", or "github.com/owner" for code forges)?"""
    parts = urlsplit(url)
    host, _, prefix = site.partition("/")
    if not parts.hostname or not host_matches(parts.hostname, host):
        return False
    if not prefix:
        return True
    segments = parts.path.strip("/").split("/")
    if segments[0] == "orgs" and len(segments) > 1:  # github.com/orgs/<owner>/...
        segments = segments[1:]
    return segments[0].lower() == prefix.lower()


CODE_FORGES = ("github.com", "gitlab.com", "codeberg.org")


def own_domain(website: str) -> str:
    """The site a provider's website stands for: its host without a leading www, or
    host/owner when the website is a project on a code forge (github.com is not theirs)."""
    parts = urlsplit(website)
    host = (parts.hostname or "").lower().removeprefix("www.")
    if host in CODE_FORGES:
        owner = parts.path.strip("/").split("/")[0]
        return f"{host}/{owner}" if owner else host
    return host
