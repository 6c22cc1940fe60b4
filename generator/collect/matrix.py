"""Matrix server support information: https://<server>/.well-known/matrix/support (Matrix spec,
server discovery): `contacts` with `role` (`m.role.admin`, `m.role.security`) and an
`email_address` or `matrix_id`, plus an optional `support_page`.

Signals: security-contact (a contact with role m.role.security and an address).
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

from .base import Finding, fetch_json, get
from .fetch import Fetcher, Limits, Request

KIND = "matrix-support"
SIGNALS = {"security-contact"}
LIMITS = Limits(max_bytes=64 * 1024)
PATH = "/.well-known/matrix/support"
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_MXID = re.compile(r"^@[^:\s]+:[^\s]+$")


def collect(server: str, fetcher: Fetcher, today: dt.date) -> list[Finding]:
    url = server.rstrip("/") + PATH
    host = urlsplit(url).hostname or ""
    finding = Finding(KIND, url, f"Matrix server support information of {host}")
    data = fetch_json(finding, fetcher, Request(url, accept="application/json"), LIMITS)
    if data is None:
        return [finding]
    contacts = get(data, "contacts", kind=list)
    if contacts is None:
        finding.problem("no `contacts` list")
        contacts = []
    for contact in contacts[:20]:
        role = get(contact, "role", kind=str)
        email = get(contact, "email_address", kind=str)
        mxid = get(contact, "matrix_id", kind=str)
        if role is None:
            finding.problem("a contact without a role")
            continue
        finding.fact(f"contact ({role[:40]})", email or mxid or "(no address)")
        if role == "m.role.security":
            if (email and _EMAIL.match(email)) or (mxid and _MXID.match(mxid)):
                finding.signals.add("security-contact")
            else:
                finding.problem("security contact without a valid e-mail address or Matrix ID", email or mxid or "")
    page = get(data, "support_page", kind=str)
    if page:
        finding.fact("support_page", page)
    if "security-contact" not in finding.signals and not finding.problems:
        finding.problem("no contact with role m.role.security")
    return [finding]
