"""A rule-text translation file: one language, its texts by key, and whether reviewed."""

from typing import Annotated

from pydantic import StringConstraints

from engine.model.base import Sourced

Language = Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]
SOURCE_LANGUAGE = "en"


class Translation(Sourced):
    language: Language
    name: str
    reviewed: bool
    texts: dict[str, Annotated[str, StringConstraints(min_length=1)]]
