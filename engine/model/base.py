"""Building blocks shared by every rule file: identifiers, provenance, strictness.

Every rule model forbids unknown fields, so a misspelt key is an error with a line,
never a silently ignored setting.
"""

from collections.abc import Callable
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, Strict, StringConstraints

Id = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
"""Stable snake_case identifier: it becomes an XLSForm name and a key in case files."""

Provenance = Literal["verbatim", "derived"]
Fraction = Annotated[float, Strict(), Field(ge=0.0, le=1.0, allow_inf_nan=False)]
"""A share or a threshold on a score: scores, points and coverage all lie in [0, 1].
Strict: ``true`` or ``"0.5"`` in a rule file is a mistake to report, not a number to guess."""


class RuleModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Sourced(RuleModel):
    """Where a rule comes from: a seed file and section, and whether it is quoted or ours."""

    source: Annotated[str, StringConstraints(min_length=3, strip_whitespace=True)]
    provenance: Provenance


class Term(Sourced):
    """One word of the framework's vocabulary (a dimension, a level, a modality...)."""

    id: Id
    name: str


class Parameter(Sourced):
    """A number the engine uses, kept as data with its reference (as openfisca does)."""

    value: Fraction


def form_by_keys(forms: dict[str, frozenset[str]]) -> Callable[[Any], str | None]:
    """A union discriminator that tells rule forms apart by their keys, as YAML writes them.

    The first tag whose keys are all present wins. It reads a mapping (while validating a
    file) and a model (while serialising one, when rules are copied into another language).
    """

    def form(value: Any) -> str | None:
        if isinstance(value, BaseModel):
            keys = set(type(value).model_fields)
        elif isinstance(value, dict):
            keys = set(value)
        else:
            return None
        return next((tag for tag, required in forms.items() if required <= keys), None)

    return form
