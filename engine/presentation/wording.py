"""Results in words: reasons, summaries, conditions and missing scores in one language.

The evaluation hands over codes and the rule ids they cite; this is the only place they
become sentences. Rule text (names, questions, answer labels) comes from the RuleBook given
here, already in the reader's language; the sentences around it come from the message
catalog (``templates/locale``), so one assessment can be read in every language.
"""

from __future__ import annotations

import gettext

from engine.evaluation.results import (
    ApproachResult,
    Evidence,
    LevelOutcome,
    QuestionOutcome,
    Reason,
)
from engine.evaluation.scoring import Score
from engine.model.conditions import BY_TAG, PartKind
from engine.model.framework import COMPOSITE
from engine.model.rulebook import RuleBook
from engine.model.translation import SOURCE_LANGUAGE
from engine.presentation.reader_locale import decimal, percent


class Wording:
    """Words one RuleBook's results with one catalog; build once per language.

    ``language`` writes the numbers (a threshold, a score, a share) as its readers do:
    "inférieur à 0,50", never the English "0.50" inside a French sentence."""

    def __init__(self, book: RuleBook, phrases: gettext.NullTranslations | None = None,
                 language: str = SOURCE_LANGUAGE):
        self.book = book
        self.language = language
        phrases = phrases or gettext.NullTranslations()
        self._ = phrases.gettext
        self._n = phrases.ngettext
        self.separator = self._("; ")
        self.elements = {e.id: e for e in book.instrument.elements}

    def cited(self, source: str) -> str:
        """A rule's source with each seed file named by its title, as a reader looks it up."""
        for name, title in self.book.plan.sources.titles.items():
            source = source.replace(name, f"«{title}»")
        return source

    # -- conditions and values -------------------------------------------------------------

    def score_name(self, score: str) -> str:
        if score == COMPOSITE:
            return self._("composite")
        return self.book.framework.name("dimensions", score)

    def condition(self, evidence: Evidence) -> str:
        """A condition in plain words, with the rules' own names and answer labels."""
        kind = BY_TAG[evidence.condition]
        values = {part: self._part(part_kind, evidence.subject, evidence.operand)
                  for part, part_kind in kind.parts.items()}
        return self._(kind.phrase) % values

    def _part(self, kind: PartKind, subject: str, operand: object) -> object:
        """One named part of a condition's phrase, shown as its kind says."""
        if kind == "score":
            return self.score_name(subject)
        if kind == "element":
            return self.elements[subject].name
        if kind == "vulnerability":
            return self.book.framework.name("vulnerabilities", subject)
        if kind == "number":
            return self.number(operand)  # type: ignore[arg-type]
        choices = self.elements[subject].scored_choices()
        if kind == "choices":
            labels = [c.label for c in choices if c.name in operand]  # type: ignore[operator]
        else:  # points_below
            labels = [c.label for c in choices
                      if c.points is not None and c.points < operand]  # type: ignore[operator]
        return self._(" or ").join(labels)

    def shown(self, evidence: Evidence) -> str:
        """The value a condition read, as a person reads it (a label, not an id)."""
        value = evidence.value
        if value is None:
            return self._("not applicable")
        if isinstance(value, float):
            return self.number(value)
        if evidence.condition == "has_vulnerability":
            return self._("present") if value == "present" else self._("absent")
        element = self.elements.get(evidence.subject)
        choice = element.choice(str(value)) if element else None
        return choice.label if choice else str(value)

    def number(self, value: float) -> str:
        """A score or threshold with two decimals and the reader's decimal sign."""
        return decimal(value, self.language)

    def question(self, question_id: str) -> str:
        return self.book.questions[question_id].text

    def answered(self, question: QuestionOutcome) -> str:
        answer = self._("yes") if question.answer == "yes" else self._("no")
        return self._("“%(question)s” answered %(answer)s") % {
            "question": self.question(question.question), "answer": answer}

    # -- results -----------------------------------------------------------------------

    def reasons(self, result: ApproachResult) -> list[str]:
        cited = _Cited(result)
        return [self.reason(result, reason, cited) for reason in result.reasons]

    def summary(self, result: ApproachResult) -> str:
        """The one sentence that decided the status (the full reasons are in ``reasons``)."""
        if result.summary is None:
            return ""
        cited = _Cited(result)
        summary = result.summary
        _ = self._
        if summary.code == "questions_open":
            count = len(result.open_questions)
            asked = self._n("%(count)d question still to ask", "%(count)d questions still to ask",
                            count) % {"count": count}
            if summary.rule_ids:
                return _("Indicated: %(conditions)s; %(asked)s.") % {
                    "conditions": self._conditions(cited, summary), "asked": asked}
            return _("Need not yet known; %(asked)s.") % {"asked": asked}
        if summary.code == "recommended":
            return _("Indicated: %(conditions)s; appropriate at every level.") % {
                "conditions": self._conditions(cited, summary)}
        if summary.code == "no_need_shown":
            evidence = [cited.evidence[rule_id] for rule_id in summary.rule_ids]
            scores = [_("%(score)s score %(value)s") % {
                          "score": self.score_name(e.subject), "value": self.number(e.value)}
                      for e in evidence
                      if BY_TAG[e.condition].fact == "score" and isinstance(e.value, float)]
            others = len(evidence) - len(scores)
            parts = [*scores, self._n("no direct signal in the answers (%(count)d checked)",
                                      "no direct signal in the answers (%(count)d checked)",
                                      others) % {"count": others}] if others else scores
            return _("No need shown: %(details)s.") % {"details": self.separator.join(parts)}
        return self.reason(result, summary, cited)

    def reason(self, result: ApproachResult, reason: Reason,
               cited: _Cited | None = None) -> str:
        """One reason in words; ``cited`` is the result's trace by rule id, if already made."""
        _ = self._
        cited = cited or _Cited(result)
        code = reason.code
        if code == "no_need_shown":
            details = self.separator.join(_("%(condition)s: no (%(value)s)") % {
                "condition": self.condition(e), "value": self.shown(e)}
                for e in (cited.evidence[r] for r in reason.rule_ids))
            return _("No need shown: %(details)s.") % {"details": details}
        if code == "indicated":
            return _("Indicated: %(conditions)s.") % {
                "conditions": self._conditions(cited, reason)}
        if code == "need_unknown":
            return _("Whether it is needed is unknown: not answered yet: %(conditions)s.") % {
                "conditions": self._conditions(cited, reason)}
        if code in ("level_failed", "level_open"):
            return self._level(cited, reason)
        if code == "appropriate_all_levels":
            return _("Appropriate at every level.")
        if code == "modality_chosen":
            return _("Modality: %(modality)s (%(answers)s).") % {
                "modality": self.book.framework.name("modalities", reason.modality or ""),
                "answers": self.separator.join(self.answered(cited.questions[r])
                                               for r in reason.rule_ids)}
        if code == "no_modality_feasible":
            return _("No modality is feasible with the answers given.")
        return _("Modality undecided: answer the feasibility questions.")

    def _conditions(self, cited: _Cited, reason: Reason) -> str:
        return self.separator.join(self.condition(cited.evidence[r]) for r in reason.rule_ids)

    def _level(self, cited: _Cited, reason: Reason) -> str:
        """Why a level failed (the answers against) or what is still to ask there."""
        _ = self._
        name = self.book.framework.name("levels", reason.level or "").lower()
        questions = [cited.questions[r] for r in reason.rule_ids]
        if reason.code == "level_failed":
            return _("Not appropriate at the %(level)s level: %(answers)s.") % {
                "level": name, "answers": self.separator.join(self.answered(q)
                                                              for q in questions)}
        asked = self.separator.join(_("“%(question)s”") % {"question": self.question(q.question)}
                                    for q in questions)
        return _("Still to ask at the %(level)s level: %(questions)s.") % {
            "level": name, "questions": asked}

    # -- scores ------------------------------------------------------------------------

    def missing_score(self, score: Score, min_coverage: float) -> str | None:
        """Why a score has no value, or None when it has one."""
        _ = self._
        if score.missing is None:
            return None
        if score.missing == "no_applicable_element":
            return _("no applicable element")
        if score.missing == "no_weighted_answer":
            return _("no element with weight was answered")
        if score.missing == "dimension_missing":
            return _("not given while a dimension has no score: %(dimensions)s") % {
                "dimensions": self.separator.join(self.score_name(d)
                                                  for d in score.missing_dimensions)}
        return _("only %(coverage)s of the weight was answered (at least %(minimum)s is "
                 "needed)") % {"coverage": percent(score.coverage, self.language),
                               "minimum": percent(min_coverage, self.language)}


class _Cited:
    """The trace of one result indexed by rule id, so a reason's citations can be read."""

    def __init__(self, result: ApproachResult):
        trace = result.trace
        self.evidence: dict[str, Evidence] = {}
        self.questions: dict[str, QuestionOutcome] = {}
        if trace is None:
            return
        self.evidence = {e.rule_id: e for e in trace.indication}
        levels: list[LevelOutcome] = list(trace.levels)
        self.questions = {q.rule_id: q for level in levels for q in level.questions}
        self.questions |= {q.rule_id: q for option in trace.feasibility for q in option.questions}
