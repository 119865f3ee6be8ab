"""What a returnee agreed to: the consent fields a case records and plan rules cite."""

from __future__ import annotations

from datetime import date
from typing import Literal

from engine.model.base import RuleModel


class Consent(RuleModel):
    """What the returnee agreed to, recorded when the case was opened."""

    data_processing: bool
    share_with_service_providers: bool = False
    recorded_on: date | None = None
    given_by: Literal["returnee", "guardian"] = "returnee"
    """A child's consent is given by the guardian (the plan rules say when that applies)."""
