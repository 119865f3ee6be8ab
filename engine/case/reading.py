"""Reading a case file and checking it against the rules.

A misspelt element, a choice that is not in the element's list or an unknown question
stops with the field and the line (and the nearest known name), and nothing is evaluated
on a half-understood case. What is possible but implausible (a return after the
assessment, a name where a pseudonymous code belongs) comes back as warnings: the case
is used, and the front door shows them so the case manager can check.

No message quotes a free-text value of the case (goals, place of return, names): those
are personal data. Messages name the field and its line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pydantic import ValidationError

from engine.case.model import RETURNEE_ID_RULE, Case
from engine.errors import CaseError, Problem
from engine.loading.bounded_yaml import MiB, ReadLimits
from engine.loading.source_file import SourceFile, quoted, read_source
from engine.model.rulebook import RuleBook

CASE_LIMITS = ReadLimits(max_bytes=1 * MiB, max_items=10_000)
"""A case file is a few KiB with a few hundred keys; these limits are far above any real
case and low enough that a broken or hostile file is refused within about a second."""

_WORDS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")


@dataclass(frozen=True)
class CaseReading:
    """A case that can be evaluated, what looked implausible in it, and where each field
    is in the file (for problems found later, once the case is assessed)."""

    case: Case
    warnings: list[Problem] = field(default_factory=list)
    source: SourceFile | None = None

    def problem(self, loc: tuple[str | int, ...], message: str, hint: str) -> Problem:
        """A problem at a field of this case, with its line when the file is known."""
        if self.source is None:
            return Problem(".".join(map(str, loc)), None, message, hint=hint)
        return self.source.problem(loc, message, hint=hint)


def read_case(path: Path, book: RuleBook, today: date | None = None) -> CaseReading:
    """Read and check a case file; raise CaseError naming every problem, return warnings."""
    source = read_source(Path(path), CASE_LIMITS)
    if isinstance(source, Problem):
        raise CaseError([source])
    if not isinstance(source.data, dict):
        raise CaseError([Problem(path, 1, "a case file is a mapping of fields",
                                 hint="see 'Case file' in the README")])
    case = case_from_source(source, book)
    return CaseReading(case, case_warnings(case, source, today or date.today(), book),
                       source)


def load_case(path: Path, book: RuleBook) -> Case:
    """Read and check a case file against the rules; raise CaseError naming every problem."""
    return read_case(path, book).case


def case_from_source(source: SourceFile, book: RuleBook) -> Case:
    try:
        case = Case.model_validate(source.data)
    except ValidationError as exc:
        raise CaseError(source.validation_problems(exc)) from None
    problems = check_case(case, book, source)
    if problems:
        raise CaseError(problems)
    return case


def check_case(case: Case, book: RuleBook, source: SourceFile) -> list[Problem]:
    """Cross-check a case against the rules it will be evaluated with."""
    problems: list[Problem] = []
    framework = book.framework
    element_ids = [e.id for e in book.instrument.elements]
    for element_id, choice in case.rss.items():
        element = book.instrument.element(element_id)
        if element is None:
            problems.append(source.problem(
                ("rss", element_id), f"unknown RSS element {quoted(element_id)}", element_id,
                source.suggest(element_id, element_ids)
                + "use an element id from rules/instrument/"))
        elif element.choice(choice) is None:
            names = [c.name for c in element.choices]
            problems.append(source.problem(
                ("rss", element_id), f"{quoted(choice)} is not a choice of element '{element_id}'",
                element_id, source.suggest(choice, names) + "use one of: " + ", ".join(names)))
    for question_id in case.grid_answers:
        if question_id not in book.questions:
            problems.append(source.problem(
                ("grid_answers", question_id), f"unknown grid question {quoted(question_id)}",
                question_id, source.suggest(question_id, list(book.questions))
                + "use a question id from rules/feasibility_grids/"))
    for index, vulnerability in enumerate(case.profile.vulnerabilities):
        if vulnerability not in framework.ids("vulnerabilities"):
            problems.append(source.unknown(("profile", "vulnerabilities", index), vulnerability,
                                           "vulnerability", vulnerability,
                                           list(framework.ids("vulnerabilities"))))
    if case.monitoring_round not in framework.ids("monitoring_rounds"):
        problems.append(source.unknown(("monitoring_round",), None, "monitoring round",
                                       case.monitoring_round,
                                       list(framework.ids("monitoring_rounds"))))
    relationships = framework.ids("relationships")
    for group in ("returned_with", "stayed"):
        for index, member in enumerate(getattr(case.profile.household, group)):
            if member.relationship not in relationships:
                problems.append(source.unknown(
                    ("profile", "household", group, index, "relationship"), None,
                    "relationship", member.relationship, relationships))
    return problems + check_agreement(case, book, source)


def check_agreement(case: Case, book: RuleBook, source: SourceFile) -> list[Problem]:
    """Decisions and actions name approaches, modalities and providers the rules know, and
    an action's dates run forwards. (Whether an action's approach was recommended or
    accepted needs the assessment: ``engine.planning.agreement`` checks that.)"""
    problems: list[Problem] = []
    approaches = sorted(book.approaches)
    seen: set[str] = set()
    for index, decision in enumerate(case.decisions):
        if decision.approach not in book.approaches:
            problems.append(source.unknown(("decisions", index, "approach"), None, "approach",
                                           decision.approach, approaches))
        elif decision.approach in seen:
            problems.append(source.problem(
                ("decisions", index, "approach"), f"a second decision on '{decision.approach}'",
                hint="keep one decision per approach; change it rather than add another"))
        seen.add(decision.approach)
    modalities = book.framework.ids("modalities")
    names_provider = {m.modality for m in book.plan.planning.modalities if m.fill_in}
    for index, action in enumerate(case.agreed_actions):
        at = ("agreed_actions", index)
        if action.approach not in book.approaches:
            problems.append(source.unknown((*at, "approach"), None, "approach",
                                           action.approach, approaches))
        if action.modality not in modalities:
            problems.append(source.unknown((*at, "modality"), None, "modality",
                                           action.modality, modalities))
        elif action.modality in names_provider and action.provider is None:
            problems.append(source.problem(
                at, f"action {index + 1} is delivered by '{action.modality}' but names no "
                "provider", hint="add provider: an id from the country's file in rules/services/"))
        elif action.modality not in names_provider and action.provider is not None:
            problems.append(source.problem(
                (*at, "provider"), f"action {index + 1} is delivered '{action.modality}' but "
                "names a provider", hint="use modality referral (or other_programme) for a "
                "provider, or remove the provider"))
        if action.provider is not None and book.provider(action.provider) is None:
            known = [e.id for d in book.services for e in d.entries]
            problems.append(source.unknown((*at, "provider"), None, "provider",
                                           action.provider, known))
        if action.starts and action.due and action.due < action.starts:
            problems.append(source.problem(
                (*at, "due"), f"action {index + 1} is due before it starts",
                hint="check both dates"))
    return problems


def case_warnings(case: Case, source: SourceFile, today: date,
                  book: RuleBook) -> list[Problem]:
    """What a valid case holds that is unlikely to be true: shown, not fatal."""
    warnings: list[Problem] = []
    if looks_like_a_name(case.returnee_id):
        warnings.append(source.problem(
            ("returnee_id",), "returnee_id looks like a person's name (words of letters "
            "only, no digits)", hint=f"use {RETURNEE_ID_RULE}; keep the list that links "
            "codes to names outside case files"))
    returned, assessed = case.profile.date_of_return, case.assessed_on
    if returned > today:
        warnings.append(source.problem(
            ("profile", "date_of_return"),
            f"date_of_return is in the future ({_distance(returned, today)} from today)",
            hint="check the year; a case is assessed after the return"))
    if assessed is not None and assessed > today:
        warnings.append(source.problem(
            ("assessed_on",), f"assessed_on is in the future ({_distance(assessed, today)} "
            "from today)", hint="check the year"))
    if assessed is not None and assessed < returned:
        warnings.append(source.problem(
            ("assessed_on",), f"assessed_on is {_distance(returned, assessed)} before "
            "date_of_return", hint="check both dates; a case is assessed after the return"))
    warnings += _agreement_warnings(case, source, book)
    warnings += _contribution_warnings(case, source)
    household = case.profile.household
    if household.size is not None and household.school_aged_children > household.size:
        warnings.append(source.problem(
            ("profile", "household", "school_aged_children"),
            "household.school_aged_children is more than household.size",
            hint="check both; the household size counts everyone, children included"))
    return warnings


def _agreement_warnings(case: Case, source: SourceFile, book: RuleBook) -> list[Problem]:
    """A provider named for an approach it does not list, or from another country."""
    warnings: list[Problem] = []
    country = case.profile.country_of_return.strip().casefold()
    for index, action in enumerate(case.agreed_actions):
        listed = action.provider and book.listing(action.provider)
        if not listed:
            continue
        directory, entry = listed
        at = ("agreed_actions", index, "provider")
        if action.approach not in entry.approaches:
            warnings.append(source.problem(
                at, f"provider '{entry.id}' does not list '{action.approach}' among the "
                "approaches it delivers", hint="check the provider, or add the approach to "
                "its entry in rules/services/"))
        if directory.country.casefold() != country:
            warnings.append(source.problem(
                at, f"provider '{entry.id}' is in the directory of {directory.country}, not "
                "of the country of return", hint="check the provider"))
    return warnings


def _contribution_warnings(case: Case, source: SourceFile) -> list[Problem]:
    """A returnee's contribution above the action's cost (in the same currency): possible
    (a returnee may bring more than needed) but more often an amount typed in the wrong
    field or with a zero too many. A free service (cost 0) is left alone: what the returnee
    brings to it (a first deposit in a savings account) is no share of a cost."""
    return [source.problem(("agreed_actions", index, "contribution"),
                           f"agreed_actions[{index}]: the contribution is more than the cost",
                           hint="check both amounts; the contribution is the returnee's "
                           "share of the cost")
            for index, action in enumerate(case.agreed_actions)
            if action.cost and action.contribution and action.cost.amount > 0
            and action.cost.currency == action.contribution.currency
            and action.contribution.amount > action.cost.amount]


def looks_like_a_name(returnee_id: str) -> bool:
    """True for ids made only of words of letters as names are written: capitalised
    (``Blessing_Okafor``, ``BlessingOkafor``) or two or more lower-case words
    (``blessing_okafor``). A code has digits, or capitals only (``ETH-ADD``)."""
    words = _WORDS.findall(returnee_id)
    if not words or not all(word.isalpha() for word in words):
        return False
    capitalised = all(word[0].isupper() and word[1:].islower() for word in words)
    lower_case = len(words) >= 2 and all(word.islower() for word in words)
    return capitalised or lower_case


def _distance(later: date, earlier: date) -> str:
    days = (later - earlier).days
    if days >= 730:
        return f"{days // 365} years"
    return f"{days} day{'s' if days != 1 else ''}"
