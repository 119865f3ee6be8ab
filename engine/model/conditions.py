"""The condition vocabulary: every test a rule can make on what is known of a returnee.

Each kind is one class that owns everything about it: its rule-file form (its keys), what
it names (so the loader can check every reference), the fact it reads and, for a fact of
the returnee's profile, how that fact is observed on a case (``observe``), how it compiles
to an engine-neutral ``Check`` (whose operator every backend maps), and how it is worded,
as a condition and as the reason a safeguard applies (an English phrase with named parts,
translated and filled in only by the presentation layer). Adding a kind means adding one
class here and listing it in ``CONDITIONS`` (and ``PROFILE_CONDITIONS`` if a safeguard or
the guardian rule may use it); nothing else in the engine names a kind.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar, Literal, Protocol, Union

from pydantic import Discriminator, Field, Tag

from engine.model.base import Fraction, Id, RuleModel, form_by_keys
from engine.model.checks import Check, FactKind, Operator


def N_(message: str) -> str:
    """Marks a phrase for the message catalogs; it is translated where it is shown."""
    return message


@dataclass(frozen=True)
class Reference:
    """A name a condition uses, to be found among the rules' ``kind`` ids.

    ``scope`` narrows the kind (the choices of one element); ``at`` is the key holding it.
    """

    kind: Literal["score", "element", "choice", "vulnerability"]
    value: str
    at: tuple[str | int, ...]
    scope: str | None = None


class Member(Protocol):
    """A household member as a profile condition reads it (``engine.case.model.Member``)."""

    @property
    def age(self) -> int: ...


class HouseholdView(Protocol):
    @property
    def school_aged_children(self) -> int: ...
    @property
    def returned_with(self) -> Sequence[Member]: ...


class ProfileView(Protocol):
    """The part of a case's profile a condition may observe (``engine.case.model.Profile``;
    the case layer sits above this one, so the shape is named here)."""

    @property
    def age(self) -> int: ...
    @property
    def household(self) -> HouseholdView: ...


TriggerKind = Literal["vulnerability", "school_aged_children", "age", "returned_children"]
"""How a plan words the profile fact that made a safeguard apply."""

PartKind = Literal["score", "element", "choices", "points_below", "vulnerability", "number"]
"""How the presentation layer shows one named part of a phrase."""


class Condition(RuleModel):
    """A test on the facts of one case; subclasses set the class attributes below."""

    tag: ClassVar[str]
    keys: ClassVar[frozenset[str]]
    fact: ClassVar[FactKind]
    reads: ClassVar[str | None]
    op: ClassVar[Operator]
    phrase: ClassVar[str]
    parts: ClassVar[dict[str, PartKind]]
    """Each placeholder of ``phrase`` and how its value is shown."""

    def subject(self) -> str:
        raise NotImplementedError

    def operand(self, defaults: "ConditionDefaults") -> Any:
        return None

    def references(self) -> list[Reference]:
        raise NotImplementedError

    def check(self, rule_id: str, defaults: "ConditionDefaults") -> Check:
        return Check(rule_id, self.fact, self.subject(), self.reads, self.op,
                     self.operand(defaults), self.tag)

    def observe(self, profile: ProfileView) -> int | None:
        """The value of this condition's ``profile`` fact for a case (None: absent, so the
        check does not hold). Only kinds whose ``fact`` is ``profile`` observe anything;
        scores, RSS answers, flags and grid answers are facts of every case."""
        raise NotImplementedError(f"{type(self).__name__} reads no profile fact")

    def trigger(self, profile: ProfileView) -> tuple[TriggerKind, int | None]:
        """What a plan shows as the reason a safeguard applies: a kind and its number."""
        raise NotImplementedError(f"{type(self).__name__} cannot trigger a safeguard")


@dataclass(frozen=True)
class ConditionDefaults:
    """Rule values a condition may leave to the framework (the 0.50 score threshold)."""

    score_below: float


class ScoreBelow(Condition):
    """Indicated when a dimension (or the composite) score is below a threshold."""

    tag: ClassVar[str] = "score_below"
    keys: ClassVar[frozenset[str]] = frozenset({"score"})
    fact: ClassVar[FactKind] = "score"
    reads: ClassVar[str | None] = "value"
    op: ClassVar[Operator] = "lt"
    phrase: ClassVar[str] = N_("%(score)s score below %(threshold)s")
    parts: ClassVar[dict[str, PartKind]] = {"score": "score", "threshold": "number"}

    score: Id
    below: Fraction | None = None  # None: the framework's comprehensive-support threshold

    def subject(self) -> str:
        return self.score

    def operand(self, defaults: ConditionDefaults) -> float:
        return defaults.score_below if self.below is None else self.below

    def references(self) -> list[Reference]:
        return [Reference("score", self.score, ("score",))]


class ElementAnswerIn(Condition):
    """Indicated when an RSS element was answered with one of these choices."""

    tag: ClassVar[str] = "element_answer_in"
    keys: ClassVar[frozenset[str]] = frozenset({"element", "answer_in"})
    fact: ClassVar[FactKind] = "element"
    reads: ClassVar[str | None] = "choice"
    op: ClassVar[Operator] = "in"
    phrase: ClassVar[str] = N_("%(element)s: %(answers)s")
    parts: ClassVar[dict[str, PartKind]] = {"element": "element", "answers": "choices"}

    element: Id
    answer_in: list[Id] = Field(min_length=1)

    def subject(self) -> str:
        return self.element

    def operand(self, defaults: ConditionDefaults) -> tuple[str, ...]:
        return tuple(self.answer_in)

    def references(self) -> list[Reference]:
        return [Reference("element", self.element, ("element",)),
                *(Reference("choice", c, ("answer_in", i), self.element)
                  for i, c in enumerate(self.answer_in))]


class ElementPointsBelow(Condition):
    """Indicated when an RSS element's coded points are below a threshold."""

    tag: ClassVar[str] = "element_points_below"
    keys: ClassVar[frozenset[str]] = frozenset({"element", "points_below"})
    fact: ClassVar[FactKind] = "element"
    reads: ClassVar[str | None] = "points"
    op: ClassVar[Operator] = "lt"
    phrase: ClassVar[str] = N_("%(element)s: %(answers)s")
    parts: ClassVar[dict[str, PartKind]] = {"element": "element", "answers": "points_below"}

    element: Id
    points_below: Fraction

    def subject(self) -> str:
        return self.element

    def operand(self, defaults: ConditionDefaults) -> float:
        return self.points_below

    def references(self) -> list[Reference]:
        return [Reference("element", self.element, ("element",))]


class HasVulnerability(Condition):
    """Holds when the returnee's profile carries this vulnerability."""

    tag: ClassVar[str] = "has_vulnerability"
    keys: ClassVar[frozenset[str]] = frozenset({"vulnerability"})
    fact: ClassVar[FactKind] = "vulnerability"
    reads: ClassVar[str | None] = None
    op: ClassVar[Operator] = "present"
    phrase: ClassVar[str] = N_("profile: %(flag)s")
    parts: ClassVar[dict[str, PartKind]] = {"flag": "vulnerability"}

    vulnerability: Id

    def subject(self) -> str:
        return self.vulnerability

    def trigger(self, profile: ProfileView) -> tuple[TriggerKind, int | None]:
        return "vulnerability", None

    def references(self) -> list[Reference]:
        return [Reference("vulnerability", self.vulnerability, ("vulnerability",))]


class SchoolAgedChildrenAtLeast(Condition):
    """Holds when the household has at least this many school-aged children."""

    tag: ClassVar[str] = "children"
    keys: ClassVar[frozenset[str]] = frozenset({"school_aged_children_at_least"})
    fact: ClassVar[FactKind] = "profile"
    reads: ClassVar[str | None] = "value"
    op: ClassVar[Operator] = "gte"
    phrase: ClassVar[str] = N_("school-aged children in the household: %(count)s")
    parts: ClassVar[dict[str, PartKind]] = {"count": "number"}

    school_aged_children_at_least: int = Field(ge=1, le=50)

    def subject(self) -> str:
        return "school_aged_children"

    def operand(self, defaults: ConditionDefaults) -> int:
        return self.school_aged_children_at_least

    def references(self) -> list[Reference]:
        return []

    def observe(self, profile: ProfileView) -> int:
        return profile.household.school_aged_children

    def trigger(self, profile: ProfileView) -> tuple[TriggerKind, int | None]:
        return "school_aged_children", self.observe(profile)


class AgeBelow(Condition):
    """Holds when the returnee is younger than this (the returnee is a child)."""

    tag: ClassVar[str] = "age"
    keys: ClassVar[frozenset[str]] = frozenset({"age_below"})
    fact: ClassVar[FactKind] = "profile"
    reads: ClassVar[str | None] = "value"
    op: ClassVar[Operator] = "lt"
    phrase: ClassVar[str] = N_("age: %(age)s")
    parts: ClassVar[dict[str, PartKind]] = {"age": "number"}

    age_below: int = Field(ge=1, le=120)

    def subject(self) -> str:
        return "age"

    def operand(self, defaults: ConditionDefaults) -> int:
        return self.age_below

    def references(self) -> list[Reference]:
        return []

    def observe(self, profile: ProfileView) -> int:
        return profile.age

    def trigger(self, profile: ProfileView) -> tuple[TriggerKind, int | None]:
        return "age", self.observe(profile)


class ReturnedMemberYoungerThan(Condition):
    """Holds when someone who returned with the returnee is younger than this: a child came
    back too (children who stayed while the returnee was away do not count)."""

    tag: ClassVar[str] = "returned_child"
    keys: ClassVar[frozenset[str]] = frozenset({"returned_member_younger_than"})
    fact: ClassVar[FactKind] = "profile"
    reads: ClassVar[str | None] = "value"
    op: ClassVar[Operator] = "lt"
    phrase: ClassVar[str] = N_("returned with a household member younger than %(age)s")
    parts: ClassVar[dict[str, PartKind]] = {"age": "number"}

    returned_member_younger_than: int = Field(ge=1, le=120)

    def subject(self) -> str:
        return "youngest_returned_member"

    def operand(self, defaults: ConditionDefaults) -> int:
        return self.returned_member_younger_than

    def references(self) -> list[Reference]:
        return []

    def observe(self, profile: ProfileView) -> int | None:
        """Absent, not 0, when nobody returned with the returnee."""
        returned = profile.household.returned_with
        return min(m.age for m in returned) if returned else None

    def trigger(self, profile: ProfileView) -> tuple[TriggerKind, int | None]:
        return "returned_children", sum(
            m.age < self.returned_member_younger_than for m in profile.household.returned_with)


class ReturnedMembersAtLeast(Condition):
    """Holds when at least this many of those who returned with the returnee are younger
    than an age (``{returned_members_at_least: 2, younger_than: 18}``: two children came
    back too): family-level support depends on how many, not only on whether."""

    tag: ClassVar[str] = "returned_members"
    keys: ClassVar[frozenset[str]] = frozenset({"returned_members_at_least", "younger_than"})
    fact: ClassVar[FactKind] = "profile"
    reads: ClassVar[str | None] = "value"
    op: ClassVar[Operator] = "gte"
    phrase: ClassVar[str] = N_("returned with at least %(count)s household members younger "
                               "than %(age)s")
    parts: ClassVar[dict[str, PartKind]] = {"count": "number", "age": "number"}

    returned_members_at_least: int = Field(ge=1, le=50)
    younger_than: int = Field(ge=1, le=120)

    def subject(self) -> str:
        return f"returned_members_younger_than_{self.younger_than}"

    def operand(self, defaults: ConditionDefaults) -> int:
        return self.returned_members_at_least

    def references(self) -> list[Reference]:
        return []

    def observe(self, profile: ProfileView) -> int:
        return sum(m.age < self.younger_than for m in profile.household.returned_with)

    def trigger(self, profile: ProfileView) -> tuple[TriggerKind, int | None]:
        return "returned_children", self.observe(profile)


def _union(kinds: tuple[type[Condition], ...], error: str) -> Any:
    """A pydantic union of condition kinds told apart by their keys, as YAML writes them."""
    members = tuple(Annotated[kind, Tag(kind.tag)] for kind in kinds)
    return Annotated[
        Union[members],  # noqa: UP007 (a union built from a tuple)
        Discriminator(form_by_keys({kind.tag: kind.keys for kind in kinds}),
                      custom_error_type="bad_condition",
                      custom_error_message=error + ": use " + " or ".join(
                          "{" + ", ".join(sorted(kind.keys)) + "}" for kind in kinds)),
    ]


PROFILE_CONDITIONS: tuple[type[Condition], ...] = (
    HasVulnerability, SchoolAgedChildrenAtLeast, AgeBelow, ReturnedMemberYoungerThan,
    ReturnedMembersAtLeast)
"""What can trigger a safeguard (a safeguard's ``when_any``) or the guardian rule: facts
of the returnee's profile, known for every case."""

GRID_CONDITIONS: tuple[type[Condition], ...] = (
    ScoreBelow, ElementAnswerIn, ElementPointsBelow, *PROFILE_CONDITIONS)
"""What can show that an approach is needed (a grid entry's ``indicated_if_any``): every
kind, since a need may follow from who returned as much as from a score."""

BY_TAG: dict[str, type[Condition]] = {k.tag: k for k in GRID_CONDITIONS}

GridCondition = _union(GRID_CONDITIONS, "unknown condition")
ProfileCondition = _union(PROFILE_CONDITIONS, "unknown profile condition")
