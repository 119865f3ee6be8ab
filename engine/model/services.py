"""The service directory: who delivers which approaches in a country of return.

Kept per country in ``rules/services/`` so a referral in a plan names a real provider with
a contact, and the worksheet can say who offers an approach where the returnee lives. An
entry the project made up to show the format says so (``illustrative``), and every
document that names it says so too.
"""

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from engine.model.base import Id, RuleModel, Sourced

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]


class ServiceEntry(Sourced):
    """A provider (referrals) or another programme (inclusion) and what it offers."""

    id: Id
    name: Text
    kind: Literal["provider", "programme"]
    approaches: list[Id] = Field(min_length=1)
    """The approaches it can deliver (a grid's approach ids)."""
    services: Text
    contact: Text | None = None
    """How to reach the organisation (an office, a phone line): never a person's own data."""
    places: list[Text] = []
    """Places of return it serves; empty: the whole country."""
    illustrative: bool
    """A made-up entry showing the format, to be replaced by the office's own directory."""


class ServiceDirectory(RuleModel):
    """One country's directory."""

    country: Text
    entries: list[ServiceEntry]

    def serving(self, approach: str) -> list[ServiceEntry]:
        return [e for e in self.entries if approach in e.approaches]
