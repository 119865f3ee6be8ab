"""Community profiles: the 25 community indicators of a place of return and the services
present there, and the rules by which a profile answers grid questions once per place.

The two condition kinds a profile answer can test (a service count, an indicator's value)
are ``Condition`` classes like the case path's, compiled to the same ``Check``; they read
profile facts named ``service.<id>`` and ``indicator.<id>[.<part>]``.
"""

import re
from typing import Annotated, Any, ClassVar

from pydantic import (
    AfterValidator,
    Discriminator,
    Field,
    Strict,
    StringConstraints,
    Tag,
    model_validator,
)

from engine.model.base import Id, Provenance, RuleModel, Sourced, Term, form_by_keys
from engine.model.checks import FactKind, Operator
from engine.model.conditions import N_, Condition, ConditionDefaults, PartKind, Reference

_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""Control characters and bidirectional overrides: no place for them in a description."""


def _plain(value: str) -> str:
    problem = plain_text_problem(value)
    if problem:
        raise ValueError(problem)
    return value


TEXT_LIMIT = 500


def plain_text_problem(value: str) -> str | None:
    """Why a description cannot be printed as it is, or None."""
    if _CONTROLS.search(value):
        return "holds a control character or a text-direction override: write plain text"
    if len(value) > TEXT_LIMIT:
        return f"is longer than {TEXT_LIMIT} characters: shorten it"
    return None


PlainText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                             max_length=TEXT_LIMIT), AfterValidator(_plain)]
"""A short description written by an officer: bounded, printable, direction left to the text."""
PlaceName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                             max_length=120), AfterValidator(_plain)]


class Scale(Sourced):
    choices: list[Id] = Field(min_length=2)


class IndicatorPart(RuleModel):
    id: Id
    name: str


class Indicator(Sourced):
    """One community indicator; exactly one of ``choices``, ``scale``, ``share`` or ``text``
    says what value a profile gives it."""

    id: Id
    group: Id
    number: int = Field(ge=1, le=99)
    name: str
    choices: list[Id] | None = None
    scale: Id | None = None
    share: bool = False
    text: bool = False
    parts: list[IndicatorPart] = []

    @model_validator(mode="after")
    def _one_kind(self) -> "Indicator":
        kinds = [self.choices is not None, self.scale is not None, self.share, self.text]
        if sum(kinds) != 1:
            raise ValueError("give exactly one of choices, scale, share: true or text: true")
        return self


class IndicatorVocabulary(Sourced):
    scales: dict[Id, Scale]
    groups: list[Term]
    indicators: list[Indicator]
    services: list[Term]

    def indicator(self, indicator_id: str) -> Indicator | None:
        return next((i for i in self.indicators if i.id == indicator_id), None)

    def allowed(self, indicator: Indicator) -> list[str] | None:
        """The values a choice or scale indicator takes (None for a share or text)."""
        if indicator.choices is not None:
            return indicator.choices
        scale = self.scales.get(indicator.scale or "")
        return scale.choices if scale else None


class ServiceAtLeast(Condition):
    """Holds when the profile counts at least this many services of a kind in the place."""

    tag: ClassVar[str] = "community_service"
    keys: ClassVar[frozenset[str]] = frozenset({"service", "at_least"})
    fact: ClassVar[FactKind] = "profile"
    reads: ClassVar[str | None] = "value"
    op: ClassVar[Operator] = "gte"
    phrase: ClassVar[str] = N_("%(service)s in the place: at least %(count)s")
    parts: ClassVar[dict[str, PartKind]] = {"count": "number"}

    service: Id
    at_least: Annotated[int, Strict()] = Field(ge=0, le=10_000)

    def subject(self) -> str:
        return f"service.{self.service}"

    def operand(self, defaults: ConditionDefaults) -> int:
        return self.at_least

    def references(self) -> list[Reference]:
        return []  # services are checked by the community loader, not the grid loader


class IndicatorIn(Condition):
    """Holds when a community indicator (or one part of it) has one of these values."""

    tag: ClassVar[str] = "community_indicator"
    keys: ClassVar[frozenset[str]] = frozenset({"indicator", "in"})
    fact: ClassVar[FactKind] = "profile"
    reads: ClassVar[str | None] = "value"
    op: ClassVar[Operator] = "in"
    phrase: ClassVar[str] = N_("%(indicator)s in the place: %(values)s")
    parts: ClassVar[dict[str, PartKind]] = {}

    indicator: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)?$")]
    """An indicator id, or ``indicator.part`` for one part of it."""
    values: list[Id] = Field(alias="in", min_length=1)

    def subject(self) -> str:
        return f"indicator.{self.indicator}"

    def operand(self, defaults: ConditionDefaults) -> tuple[str, ...]:
        return tuple(self.values)

    def references(self) -> list[Reference]:
        return []


COMMUNITY_CONDITIONS: tuple[type[Condition], ...] = (ServiceAtLeast, IndicatorIn)

CommunityCondition = Annotated[
    Annotated[ServiceAtLeast, Tag(ServiceAtLeast.tag)]
    | Annotated[IndicatorIn, Tag(IndicatorIn.tag)],
    Discriminator(form_by_keys({k.tag: k.keys for k in COMMUNITY_CONDITIONS}),
                  custom_error_type="bad_condition",
                  custom_error_message="unknown profile test: use {at_least, service} or "
                                       "{in, indicator}"),
]


class ProfileAnswerRule(Sourced):
    """A question a profile answers: "yes" when ``yes_when`` holds, "no" when it does not."""

    question: Id
    yes_when: CommunityCondition


class ProfileAnswerRules(RuleModel):
    answers: list[ProfileAnswerRule]


class Place(RuleModel):
    """Where the profile applies: a case returning to this country and place uses it."""

    country: PlaceName
    area: PlaceName


class CommunityProfile(RuleModel):
    """One place's profile, versioned: a result that used it names it and its version."""

    profile: Id
    version: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")]
    illustrative: bool
    """True for an example that is not real data; every document that uses it says so."""
    place: Place
    source: PlainText
    """Who collected it and how (a survey, a mapping exercise), or that it is illustrative."""
    provenance: Provenance
    """``derived`` for the project's own (the illustrative ones); ``verbatim`` only for values
    copied as they are from a published profiling exercise."""
    indicators: dict[Id, Any] = {}
    """Each indicator's value, of the kind its definition says (checked by the loader against
    the vocabulary, value by value, so each mistake gets its own line)."""
    services: dict[Id, Annotated[int, Strict(), Field(ge=0, le=10_000)] | None] = {}

    def facts(self, vocabulary: IndicatorVocabulary) -> dict[str, Any]:
        """The profile's known values by the subject a community check reads."""
        found: dict[str, Any] = {f"service.{k}": v for k, v in self.services.items()
                                 if v is not None}
        for key, value in self.indicators.items():
            if isinstance(value, dict):
                found |= {f"indicator.{key}.{part}": v for part, v in value.items()
                          if v is not None}
            elif value is not None:
                found[f"indicator.{key}"] = value
        return found


def share_value(value: Any) -> bool:
    """Whether a value is a share: a number from 0 to 1."""
    return isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value <= 1

