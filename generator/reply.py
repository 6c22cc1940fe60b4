"""Right of reply: the one documented path for a provider to respond to a claim.

A provider responds with the "Provider response" issue form, or, without a GitHub account, by
email to the contact address configured at deploy time (`SCORECARD_CONTACT_EMAIL`, like the site
URL); a maintainer then files the same form for them. The form's fields are the fields of
`model.VendorResponse`. These sentences are shown on every provider page, on the methodology
page and in the form, and stated in CONTRIBUTING.md (a test keeps them identical).
"""

from __future__ import annotations

import re

FORM = "provider-response.yml"
IDENTITY = (
    "Before a response is published, a maintainer checks that it comes from the provider: the same "
    "response appears on one of the provider's official sites, or it was sent from an email address "
    "on the provider's own domain."
)
TURNAROUND = (
    "A maintainer answers within 14 days; an accepted response is published with the next build. The claim itself changes only on public evidence."
)

_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")


def email_problem(address: str) -> str | None:
    """Why `address` is not a usable contact address, or None."""
    if not address:
        return None
    if not _EMAIL.match(address) or len(address) > 254:
        return f"{address!r} is not an email address (expected e.g. reply@example.org)"
    return None


def form_url(repository_url: str) -> str:
    return f"{repository_url}/issues/new?template={FORM}" if repository_url else ""
