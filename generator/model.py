"""The shape of the data, defined once.

Every data file in `data/` is checked against these models; the JSON Schemas for
editors (`data/schema/*.schema.json`) and the field reference page are generated
from them (`scorecard schema`). Rules that need more than one file (unknown ids,
dates against the as-of date, scope) live in `check.py`.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints
from pydantic_core import PydanticCustomError

from . import registry, rules

# The vocabulary is defined in registry.py; re-exported here, where the data models use it.
from .registry import Kind as Kind
from .registry import Level as Level
from .registry import Outcome as Outcome
from .registry import Provenance as Provenance
from .registry import StatedLevel as StatedLevel
from .registry import Status as Status

Slug = Annotated[
    str,
    StringConstraints(pattern=rules.SLUG_PATTERN, max_length=rules.SLUG_MAX),
    Field(description="Lowercase kebab-case identifier (letters, digits, hyphens).", examples=["signal"]),
]


def _one_line(value: str) -> str:
    if "\n" in value or "\r" in value or "\t" in value:
        raise PydanticCustomError("one_line", "must be one line (no line breaks or tabs)")  # its kind chooses the hint (check.HINTS)
    return value


class _Prose:
    """Marks a field as free text (see `text_fields`): a plain YAML scalar there must not be cut by ` #`."""


PROSE = _Prose()
Text = Annotated[str, StringConstraints(min_length=1, max_length=rules.TEXT_MAX, strip_whitespace=True), PROSE]
# Names and titles end up in page titles, image text and file headers: one line only.
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=rules.SHORT_TEXT_MAX, strip_whitespace=True), AfterValidator(_one_line), PROSE]
Language = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$", max_length=35)]
SITE_PATTERN = r"^[a-z0-9.-]+\.[a-z]{2,}(/[A-Za-z0-9._-]+)?$"
SiteRef = Annotated[str, StringConstraints(pattern=SITE_PATTERN)]
CsfCategory = Annotated[str, StringConstraints(pattern=r"^(GV|ID|PR|DE|RS|RC)\.[A-Z]{2}$")]


def _https(value: str) -> str:
    problem = rules.url_problem(value, allow_mailto=False)
    if problem:
        raise PydanticCustomError("https_url", "{problem}", {"problem": problem})
    return value


# Links are https:// only; the pattern helps editors, the validator is the real check.
HttpsUrl = Annotated[str, StringConstraints(pattern=r"^https://\S+$"), AfterValidator(_https)]


class Strict(BaseModel):
    # Unknown fields are errors: a typo must not silently drop evidence.
    model_config = ConfigDict(extra="forbid", frozen=True)


# The vocabulary (kinds, levels, statuses, outcomes, provenance) and how each is shown: generator/registry.py.


class Source(Strict):
    """A public page the curator read. Exactly one of `published`, `seen_current` or `undated: true`."""

    url: HttpsUrl = Field(description="Exact https:// address of the page, as found.", examples=["https://signal.org/bigbrother/"])
    title: ShortText = Field(description="The page's title, in full (quote it if it contains ' #').")
    publisher: ShortText = Field(description="Who published the page (company, outlet, researcher).")
    kind: Literal["primary", "secondary"] = Field(
        description="primary: the provider's own domain or repository; secondary: press, researchers, auditors, platforms."
    )
    supports: list[Slug] = Field(
        default_factory=list,
        description="Ids of the criterion's requirements this page shows (needed for every met or contradicted requirement). "
        "Empty only on a not-disclosed claim, where the page documents where you looked.",
        examples=[["scope", "safe-harbour"]],
    )
    published: dt.date | None = Field(None, description="Date of the statement, if the page states one (YYYY-MM-DD).")
    seen_current: dt.date | None = Field(
        None, description="For a living page without a date of its own (policy, help page): the date you saw it current (YYYY-MM-DD)."
    )
    undated: bool = Field(False, description="true for an undated document that is not a living page. Never borrow a date.")
    accessed: dt.date = Field(description="When the curator read the page (YYYY-MM-DD).")
    language: Language | None = Field(
        None,
        description="BCP 47 language tag of the page you read, e.g. de or pt-BR. Omit for English; prefer the English original.",
        examples=["de"],
    )
    archive_url: HttpsUrl | None = Field(None, description="An archived copy you actually saw (https://).")
    content_sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")] | None = Field(
        None,
        description="SHA-256 of the page's raw bytes when `scorecard collect` read it (64 hex digits); a later run "
        "that reads other bytes flags the claim for re-review. Written by the collector, not by hand.",
    )


class VendorResponse(Strict):
    """The provider's public reply to this assessment (right of reply)."""

    stance: Literal["agrees", "disputes", "clarifies"] = Field(description="What the provider says about the finding.")
    url: HttpsUrl = Field(description="Where the response is published (https://).")
    date: dt.date = Field(description="Date of the response (YYYY-MM-DD).")
    text: Text = Field(description="The response, quoted or summarised.")


class Assessment(Strict):
    """One claim: how a provider fares on one criterion, requirement by requirement, with sources."""

    criterion: Slug = Field(description="Id of a criterion in data/criteria/.", examples=["id-security-contact"])
    requirements: dict[Slug, Status] | None = Field(
        None,
        description="Every requirement of the criterion with its status: met | not-found | contradicted. "
        "Left out only for an outcome (n/a, no-known-incidents).",
        examples=[{"scope": "met", "timelines": "not-found"}],
    )
    outcome: Outcome | None = Field(
        None, description="Instead of requirements: n/a (the criterion cannot apply) or no-known-incidents (incident-based criteria only)."
    )
    reason: Text | None = Field(None, description="Required with an outcome: why it applies.")
    level: StatedLevel | None = Field(None, description=registry.levels_help())
    summary: Text | None = Field(
        None,
        description="Your own neutral words: what is met and what was not found (who, what, when). Required unless there is an outcome.",
    )
    sources: list[Source] = Field(default_factory=list, description="Pages you read; each lists the requirements it `supports`.")
    reviewed: dt.date = Field(description="When a person last checked this claim against its sources (YYYY-MM-DD).")
    second_review: dt.date | None = Field(None, description="When an independent second reviewer re-checked it (YYYY-MM-DD).")
    provenance: Provenance = Field(
        description="vendor-asserted: the provider's own claim; third-party: press, researchers or platforms; "
        "independently-verified: an independent audit or certification body."
    )
    vendor_response: VendorResponse | None = Field(None, description="The provider's public reply, if any.")
    collected: bool = Field(False, description="true: proposed by `scorecard collect` and not yet confirmed by a person.")


class Context(Strict):
    """Unscored context shown on the provider page."""

    jurisdiction: ShortText | None = Field(None, description="Where the operator is incorporated.", examples=["Switzerland"])
    funding: ShortText | None = Field(None, description="How the provider is funded.", examples=["Non-profit foundation funded by donations"])
    open_source: Literal["all", "clients", "server", "partial", "none"] | None = Field(
        None, description="Which parts are open source: all, clients, server, partial or none."
    )
    notes: Text | None = Field(None, description="Other context a reader should know.")


RepoId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$", max_length=140)]


class OsvPackage(Strict):
    ecosystem: Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9.:-]*$", max_length=40)] = Field(
        description="OSV ecosystem, e.g. PyPI, npm, Go, Maven.", examples=["PyPI"]
    )
    name: Annotated[str, StringConstraints(pattern=r"^\S+$", max_length=200)] = Field(
        description="Package name in that ecosystem.", examples=["matrix-synapse"]
    )


class MachineSources(Strict):
    """Machine-readable disclosures `scorecard collect` reads for this provider. It only proposes
    evidence; which requirement a check can prove is listed in data/collect/checks.yaml."""

    security_txt: list[HttpsUrl] = Field(
        default_factory=list, description="Origins whose /.well-known/security.txt is read (RFC 9116).", examples=[["https://matrix.org"]]
    )
    matrix_support: list[HttpsUrl] = Field(default_factory=list, description="Matrix servers whose /.well-known/matrix/support is read.")
    statuspage: list[HttpsUrl] = Field(
        default_factory=list,
        description="Atlassian Statuspage pages (base URL); their /api/v2 JSON is read.",
        examples=[["https://status.matrix.org"]],
    )
    github_advisories: list[RepoId] = Field(
        default_factory=list, description="GitHub repositories (owner/name) whose published security advisories are read."
    )
    osv: list[OsvPackage] = Field(default_factory=list, description="Packages whose OSV.dev vulnerability records are read.")
    endoflife: list[Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9._-]*$", max_length=80)]] = Field(
        default_factory=list, description="endoflife.date product ids.", examples=[["mattermost"]]
    )
    bounty_programmes: list[HttpsUrl] = Field(
        default_factory=list, description="Programme pages on HackerOne, Bugcrowd, Intigriti or YesWeHack, looked up in bounty-targets-data."
    )
    diodb: list[ShortText] = Field(default_factory=list, description="Programme names (or policy URLs) in disclose.io's diodb.")
    csaf: list[HttpsUrl] = Field(default_factory=list, description="Origins whose /.well-known/csaf/provider-metadata.json is read.")
    security_insights: list[HttpsUrl] = Field(default_factory=list, description="URLs of OpenSSF SECURITY-INSIGHTS.yml files.")


class Discontinued(Strict):
    """A product no longer offered, or server software no longer maintained. The provider keeps its page,
    its evidence and its old links, marked as archived; it leaves the per-kind rankings and medians."""

    since: dt.date = Field(description="When it was discontinued, or the last release of an unmaintained server (YYYY-MM-DD), as a source states it.")
    note: Text = Field(description="Your own neutral words: what happened and who said so.")
    source: HttpsUrl | None = Field(None, description="The announcement or page that says so (https://).")
    successor: Slug | None = Field(
        None, description="Id of a published provider that replaces it or that its users were moved to, if any.", examples=["signal"]
    )


class Provider(Strict):
    """A messaging service or self-hostable server, and its assessments."""

    id: Slug = Field(description="Same as the file name without .yaml.")
    name: ShortText = Field(description="Display name.", examples=["Signal"])
    kind: Kind = Field(description="service: a hosted service; software: self-hostable server software; both: assessed as both.")
    website: HttpsUrl = Field(description="Official website (https://).", examples=["https://signal.org/"])
    summary: Text = Field(description="One or two neutral sentences: what it is and who runs it.")
    aliases: list[Slug] = Field(
        default_factory=list,
        max_length=rules.MAX_ALIASES,
        description="Former ids of this provider in this project (not other names); each keeps its old URL working.",
    )
    official_sites: list[SiteRef] = Field(
        default_factory=list,
        description="Other sites that belong to the provider (host, or host/path for code forges); sources on them count as primary. "
        "The website's domain always counts.",
        examples=[["github.com/signalapp", "signal.group"]],
    )
    draft: bool = Field(
        False,
        description="true: work in progress. The file is validated but not published (no page, not in rankings, API or feeds) until this is removed.",
    )
    discontinued: Discontinued | None = Field(
        None,
        description="Only for a discontinued product or an unmaintained server: since when, and why. The page and its links stay; "
        "the provider leaves the rankings and medians of its kind.",
    )
    context: Context = Field(default_factory=Context, description="Unscored context.")
    assessments: Annotated[list[Assessment], BeforeValidator(lambda v: [] if v is None else v)] = Field(
        default_factory=list, description="Claims, one per criterion."
    )
    machine_sources: MachineSources | None = Field(None, description="Machine-readable disclosures read by `scorecard collect` (optional).")


class Requirement(Strict):
    """One short, testable statement a reader can check on a public page."""

    id: Slug = Field(description="Unique within the criterion; the full id is <criterion-id>/<id>.", examples=["security-txt"])
    text: Text = Field(description="The requirement, as one checkable statement.")


class Reference(Strict):
    title: ShortText
    url: HttpsUrl | None = None


Function = Literal["govern", "identify", "protect", "detect", "respond", "recover"]
AssetClass = Literal["devices", "applications", "networks", "data", "users"]


class Criterion(Strict):
    """One thing a provider can disclose about defending its infrastructure."""

    id: Slug = Field(description="Function prefix (gv-, id-, pr-, de-, rs-, rc-) plus a short name; same as the file name.")
    title: ShortText
    function: Function = Field(description="The NIST CSF 2.0 function this criterion belongs to.")
    csf_categories: list[CsfCategory] = Field(min_length=1, description="NIST CSF 2.0 categories, e.g. DE.CM.")
    assets: list[AssetClass] = Field(min_length=1, description="Cyber Defense Matrix asset classes it concerns.")
    scope: list[Literal["service", "software"]] = Field(min_length=1, description="Which kinds of provider it applies to.")
    question: Text
    why: Text = Field(description="Why it matters for a defended infrastructure.")
    how_assessed: Text = Field(description="What evidence counts and where to look.")
    requirements: list[Requirement] = Field(
        min_length=rules.REQUIREMENTS_MIN,
        max_length=rules.REQUIREMENTS_MAX,
        description=f"{rules.REQUIREMENTS_MIN} to {rules.REQUIREMENTS_MAX} requirements; the level follows from which are met.",
    )
    no: Text | None = Field(None, description="What an explicit `no` (a contradicted requirement) looks like for this criterion.")
    remediation: Text = Field(description="What a provider could publish to improve.")
    known_limitations: Text | None = Field(None, description="Known false negatives or positives.")
    freshness_months: int = Field(
        rules.DEFAULT_FRESHNESS_MONTHS,
        ge=1,
        le=120,
        description="A claim whose evidence date is older than this many months is stale and counts half.",
    )
    references: list[Reference] = Field(default_factory=list, description="Standards and guidance.")
    allows_no_known_incidents: bool = Field(False, description="Whether `outcome: no-known-incidents` is allowed (incident-based criteria).")


class FrameworkFunction(Strict):
    id: Function
    code: Literal["GV", "ID", "PR", "DE", "RS", "RC"]
    title: ShortText
    group: Literal["structural", "situational"]
    meaning: Text


class AssetClassDef(Strict):
    id: AssetClass
    title: ShortText
    meaning: Text


class Group(Strict):
    id: Literal["structural", "situational"]
    title: ShortText
    nickname: ShortText
    meaning: Text


class Framework(Strict):
    """NIST CSF 2.0 functions, Cyber Defense Matrix asset classes and headline groups."""

    functions: list[FrameworkFunction] = Field(min_length=6, max_length=6)
    asset_classes: list[AssetClassDef] = Field(min_length=5, max_length=5)
    groups: list[Group] = Field(min_length=2, max_length=2)


class BlockedHost(Strict):
    host: Annotated[str, StringConstraints(pattern=r"^[a-z0-9.-]+\.[a-z]{2,}$")] = Field(description="Host; its subdomains are blocked too.")
    reason: ShortText = Field(description="Why sources there are not accepted.")


class SourcePolicy(Strict):
    """Hosts never accepted as sources (proxies, mirrors, re-hosted copies, content farms)."""

    blocked_hosts: list[BlockedHost] = Field(default_factory=list)


# Who runs the project and who pays for it (the generated "Who we are" page). Names are never
# invented: while the lists are empty the page says so.

GITHUB_ACCOUNT_PATTERN = r"^[A-Za-z0-9](?:-?[A-Za-z0-9]){0,38}$"
GitHubAccount = Annotated[str, StringConstraints(pattern=GITHUB_ACCOUNT_PATTERN, max_length=39)]


class Interest(Strict):
    """A declared interest: a tie that could bias a person or funder toward or against a provider."""

    provider: Slug | None = Field(None, description="Id of the assessed provider it concerns, if one (data/providers/<id>.yaml).")
    text: ShortText = Field(description="What the tie is: employment, contract, shares, grant, advisory role (one line).")
    since: dt.date | None = Field(None, description="Since when (YYYY-MM-DD), if known.")
    until: dt.date | None = Field(None, description="Until when (YYYY-MM-DD), if it has ended.")


class Maintainer(Strict):
    """A person who can merge changes to the scorecard."""

    name: ShortText = Field(description="The name the person chooses to be listed under.")
    github: GitHubAccount | None = Field(None, description="GitHub account, without @.", examples=["octocat"])
    role: ShortText = Field(description="What they do for the project.", examples=["Reviews evidence; maintains the generator"])
    since: dt.date = Field(description="Maintainer since (YYYY-MM-DD).")
    interests: list[Interest] = Field(
        description="Declared interests (conflicts of interest) with assessed providers or their competitors. "
        "Required: write `interests: []` to declare none."
    )


class Maintainers(Strict):
    """The project's maintainers (data/maintainers.yaml), shown on the "Who we are" page."""

    maintainers: list[Maintainer] = Field(default_factory=list, description="Everyone who can merge changes; empty while there is no one to list.")


class Funder(Strict):
    """Money or services the project received."""

    name: ShortText = Field(description="Who gave it.")
    url: HttpsUrl | None = Field(None, description="The funder's website (https://).")
    kind: Literal["grant", "donation", "sponsorship", "in-kind", "contract"] = Field(description="grant, donation, sponsorship, in-kind or contract.")
    purpose: ShortText | None = Field(None, description="What it pays for, as agreed.")
    amount: ShortText | None = Field(None, description="The amount as published by the project or the funder, with its currency.")
    since: dt.date = Field(description="First received (YYYY-MM-DD).")
    until: dt.date | None = Field(None, description="Last received or end of the agreement (YYYY-MM-DD).")
    interests: list[Interest] = Field(
        description="The funder's ties to assessed providers (ownership, partnerships, investments). Required: `interests: []` to declare none."
    )


class Funders(Strict):
    """Everyone who funds the project (data/funders.yaml), shown on the "Who we are" page."""

    funders: list[Funder] = Field(default_factory=list, description="Every funder, past and present; empty while there is none.")


# Which model each kind of data file is checked against; the schema files share these names.
MODELS: dict[str, type[Strict]] = {
    "framework": Framework,
    "criterion": Criterion,
    "provider": Provider,
    "source-policy": SourcePolicy,
    "maintainers": Maintainers,
    "funders": Funders,
}


@functools.cache
def text_fields() -> frozenset[str]:
    """Names of the free-text fields of every model (Text or ShortText)."""
    names: set[str] = set()
    seen: set[type] = set()

    def marked(annotation: object) -> bool:
        if any(m is PROSE for m in getattr(annotation, "__metadata__", ())):
            return True
        return any(marked(arg) for arg in getattr(annotation, "__args__", ()) or ())

    def visit(model: type) -> None:
        if model in seen or not isinstance(model, type) or not issubclass(model, BaseModel):
            return
        seen.add(model)
        for name, info in model.model_fields.items():
            if any(m is PROSE for m in info.metadata) or marked(info.annotation):
                names.add(name)
            for arg in _nested(info.annotation):
                visit(arg)

    for model in MODELS.values():
        visit(model)
    return frozenset(names)


def _nested(annotation: object) -> Iterator[type]:
    if isinstance(annotation, type):
        yield annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        yield from _nested(arg)
