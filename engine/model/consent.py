"""What a returnee agreed to: the consent fields a case records and plan rules cite."""

from typing import Annotated, Literal

from pydantic import Strict

from engine.model.base import RuleModel
from engine.model.calendar import Day

Given = Annotated[bool, Strict()]
"""Consent is written true or false: 1, 0, "yes" or "y" may be a code or a typo, and a
wrong yes shares a returnee's data."""


class Consent(RuleModel):
    """What the returnee agreed to, recorded when the case was opened."""

    data_processing: Given
    share_with_service_providers: Given = False
    recorded_on: Day | None = None
    given_by: Literal["returnee", "guardian"] = "returnee"
    """A child's consent is given by the guardian (the plan rules say when that applies)."""
    child_view_heard: Given | None = None
    """For a child: whether the child's own view was heard before the guardian consented."""
