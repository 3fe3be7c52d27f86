"""The figures of a frozen report, computed from its rows alone, and the
checksum over both: plain functions over plain data (no ORM), so that anyone
holding a report's JSON can recompute and check what the district signed.

Rows are lists of dicts of strings, integers and None (money as "50.00"), so a
report read back from the database or from the API serialises to the same bytes.
"""

import hashlib
import json
from collections import Counter
from decimal import Decimal

TECH_CONTRACT = "tech_contract"
PATENTS = {"invention_patent", "utility_model"}
FUNDED_PROJECT = "funded_project"


def money(value) -> str:
    return str(Decimal(value or 0).quantize(Decimal("0.01")))


def figures_from_rows(rows: dict) -> dict:
    """Researchers placed, companies served, deal value (registered contracts),
    unregistered contracts apart, outcomes, patents and funded projects by level."""
    placements, outcomes = rows["placements"], rows["outcomes"]
    contracts = [o for o in outcomes if o["kind"] == TECH_CONTRACT]
    registered = [o for o in contracts if o["registration_number"]]
    unregistered = [o for o in contracts if not o["registration_number"]]
    funded = [o for o in outcomes if o["kind"] == FUNDED_PROJECT]
    return {
        "researchers": len({p["researcher_id"] for p in placements}),
        "companies": len({p["company_id"] for p in placements}),
        "deal_value": money(sum(Decimal(o["amount"] or 0) for o in registered)),
        "registered_contracts": len(registered),
        "unregistered_contracts": len(unregistered),
        "unregistered_value": money(sum(Decimal(o["amount"] or 0) for o in unregistered)),
        "outcomes": len(outcomes),
        "patents": sum(1 for o in outcomes if o["kind"] in PATENTS),
        "funded_projects": len(funded),
        "funded_by_level": dict(sorted(Counter(o["funded_level"] or "" for o in funded).items())),
    }


def canonical(*, period_start: str, period_end: str, version: int, reason: str, figures: dict,
              rows: dict) -> bytes:
    """The bytes the checksum is taken over: sorted keys, no spaces, UTF-8."""
    return json.dumps({"period_start": period_start, "period_end": period_end,
                       "version": version, "reason": reason, "figures": figures,
                       "rows": rows}, sort_keys=True, ensure_ascii=False,
                      separators=(",", ":")).encode("utf-8")


def checksum(**report) -> str:
    return hashlib.sha256(canonical(**report)).hexdigest()
