"""A trainee's choices for a persona compared with the engine's, each difference explained
from the trace, in the trainee's language.

The choice file names the persona and the approaches the trainee would recommend (with the
modality, if they chose one)::

    scenario: sen_emergency_detention
    language: fr
    trainee: T-07                  # a code, never a name
    recommend:
      pss_provider_referral: referral
      essential_needs_support:     # any modality

It is read like a case file (limits, ``file:line`` problems, unknown ids with the nearest
known one). Agreement is on codes; only the explanation is in words.
"""

from __future__ import annotations

import gettext
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from pydantic import StringConstraints, ValidationError

from engine.case.reading import CASE_LIMITS
from engine.errors import CaseError, Problem
from engine.evaluation.assessment import Assessment
from engine.evaluation.results import ApproachResult
from engine.loading.source_file import SourceFile, read_source
from engine.model.base import Id, RuleModel
from engine.model.rulebook import RuleBook
from engine.presentation.wording import Wording

Code = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$")]


class Choices(RuleModel):
    scenario: Id
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")] = "en"
    trainee: Code | None = None
    recommend: dict[Id, Id | None] = {}


@dataclass(frozen=True)
class ChoiceFile:
    path: Path
    choices: Choices
    source: SourceFile


def read_choices(path: Path, book: RuleBook) -> ChoiceFile:
    """Read a trainee's choice file; CaseError naming every problem with its line."""
    source = read_source(Path(path), CASE_LIMITS)
    if isinstance(source, Problem):
        raise CaseError([source])
    if not isinstance(source.data, dict):
        raise CaseError([Problem(path, 1, "a choice file is a mapping of fields",
                                 hint="see docs/trainers.md")])
    try:
        choices = Choices.model_validate(source.data)
    except ValidationError as exc:
        raise CaseError(source.validation_problems(exc)) from None
    problems = []
    modalities = book.framework.ids("modalities")
    for approach, modality in choices.recommend.items():
        if approach not in book.approaches:
            problems.append(source.unknown(("recommend", approach), None, "approach", approach,
                                           sorted(book.approaches)))
        if modality is not None and modality not in modalities:
            problems.append(source.unknown(("recommend", approach), None, "modality",
                                           modality, modalities))
    if problems:
        raise CaseError(problems)
    return ChoiceFile(Path(path), choices, source)


Kind = Literal["not_recommended", "left_out", "other_modality"]


@dataclass(frozen=True)
class ChoiceDifference:
    """One place where the trainee and the engine part: what the trainee chose, what the
    engine gives, and its result (whose trace explains it)."""

    kind: Kind
    approach: str
    chosen_modality: str | None
    result: ApproachResult


@dataclass(frozen=True)
class Comparison:
    agreed: list[str]
    differences: list[ChoiceDifference]


def compare_choices(choices: Choices, assessment: Assessment) -> Comparison:
    agreed, differences = [], []
    for result in assessment.approaches:
        chosen = result.approach in choices.recommend
        modality = choices.recommend.get(result.approach)
        if chosen and result.status != "recommended":
            differences.append(ChoiceDifference("not_recommended", result.approach, modality,
                                                result))
        elif not chosen and result.status == "recommended":
            differences.append(ChoiceDifference("left_out", result.approach, None, result))
        elif chosen and modality is not None and modality != result.modality:
            differences.append(ChoiceDifference("other_modality", result.approach, modality,
                                                result))
        elif chosen:
            agreed.append(result.approach)
    return Comparison(agreed, differences)


class Explainer:
    """Words the differences in one language: the trainee's."""

    def __init__(self, words: Wording, phrases: gettext.NullTranslations):
        self.words = words
        self.book = words.book
        self._ = phrases.gettext
        self._n = phrases.ngettext

    def headline(self, difference: ChoiceDifference) -> str:
        _ = self._
        name = self.book.approaches[difference.approach].name
        result = difference.result
        if difference.kind == "not_recommended":
            return _("You recommended “%(approach)s”; the engine does not (%(status)s).") % {
                "approach": name, "status": self.status(result.status)}
        modality = self.modality(result.modality)
        if difference.kind == "left_out":
            return _("You left out “%(approach)s”; the engine recommends it (%(modality)s).") % {
                "approach": name, "modality": modality}
        return _("For “%(approach)s” you chose %(chosen)s; the engine chooses %(modality)s.") % {
            "approach": name, "chosen": self.modality(difference.chosen_modality),
            "modality": modality}

    def why(self, difference: ChoiceDifference) -> list[str]:
        """The sentences of the trace that decide this difference."""
        result = difference.result
        words = self.words
        if difference.kind == "other_modality":
            return [words.reason(result, r) for r in result.reasons
                    if r.code in ("modality_chosen", "no_modality_feasible",
                                  "modality_undecided")]
        if result.status == "not_appropriate":  # the answers against it, level by level
            return [words.reason(result, r) for r in result.reasons
                    if r.code in ("level_failed", "no_modality_feasible")]
        if result.status == "needs_answers":  # what shows the need, and what is still open
            return [words.reason(result, r) for r in result.reasons
                    if r.code in ("indicated", "need_unknown", "level_open",
                                  "modality_undecided")]
        return [words.summary(result)] + [
            words.reason(result, r) for r in result.reasons if r.code == "modality_chosen"]

    def status(self, status: str) -> str:
        _ = self._
        return {"recommended": _("Recommended"), "needs_answers": _("Needs answers"),
                "not_appropriate": _("Not appropriate"),
                "not_indicated": _("No need shown")}[status]

    def modality(self, modality: str | None) -> str:
        if modality is None:
            return self._("modality to be decided")
        return self.book.framework.name("modalities", modality)

    def summary(self, comparison: Comparison) -> str:
        agreed = len(comparison.agreed)
        apart = len(comparison.differences)
        return (self._n("You agree with the engine on %(num)d approach",
                        "You agree with the engine on %(num)d approaches", agreed)
                % {"num": agreed} + self._("; ")
                + self._n("%(num)d difference", "%(num)d differences", apart) % {"num": apart}
                + ".")
