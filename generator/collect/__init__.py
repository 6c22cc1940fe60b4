"""Collectors for machine-readable disclosures (`scorecard collect`, issue 17).

fetch       the only network access: https only, public addresses only, size and time limits,
            no credentials or cookies; `Replay` serves recorded responses for --offline
securitytxt, matrix, statuspage, advisories, endoflife, bounty, csaf, insights
            one module per source kind: fetch, parse hostile input, set named signals
checks      data/collect/checks.yaml: which requirement status each signal proves
run         proposals per provider, sorted against the current claims; link-rot flags
archive     Wayback Machine captures for new or changed sources
write       --write: apply proposals to data/providers/*.yaml, validate, roll back on problems
report      the Markdown report; fetched text only as quoted, cleaned code spans
"""
