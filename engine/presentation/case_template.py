"""A blank case file: every field a case needs, every RSS element with its choices, no answers.

Made from the rules, so a new element, choice or vulnerability shows up in the next blank
file without an edit here. RSS answers are left empty: an empty answer means "not asked
yet" for the case model, so the file loads as soon as the required fields are filled.
Grid answers are left out on purpose; ``reintegrate questions`` says which to ask.
Household members, decisions and agreed actions are empty lists, each under a commented
example built from the rules (a relationship, a provider of the service directories), so
the example names ids that exist and can be copied as it is.
"""

from __future__ import annotations

import textwrap
from typing import get_args

from engine.case.model import AgreedAction, Decision, Profile
from engine.model.consent import Consent
from engine.model.instrument import Element
from engine.model.rulebook import RuleBook

WIDTH = 96
"""Comment lines are wrapped to this width, under the project's 100-column line limit."""


def blank_case(book: RuleBook) -> str:
    """The text of a blank case file (YAML) for these rules."""
    framework = book.framework
    sexes = " | ".join(get_args(Profile.model_fields["sex"].annotation))
    rounds = " | ".join(framework.ids("monitoring_rounds"))
    vulnerabilities = ", ".join(framework.ids("vulnerabilities"))
    missing = " and ".join(f"'{c.name}'" for c in book.instrument.missing_choices)
    givers = get_args(Consent.model_fields["given_by"].annotation)
    lines = [
        f"# A new case file (rules version {book.version}).",
        "# 1. Fill in returnee_id and every field marked 'required'.",
        "# 2. Answer the RSS with the returnee: write a choice id after the element's colon.",
        "#    Leave an element empty until it is asked: empty means 'not asked yet' and is",
        *_wrapped(f"not scored. {missing} are answers, not gaps to fill later.", "#    "),
        "# 3. Check the file:         reintegrate validate THIS_FILE",
        "#    See what to ask next:   reintegrate questions THIS_FILE",
        "",
        "# required: a pseudonymous code, never a name or anything else that identifies the",
        "# person. 3 to 40 characters: letters, digits, '-' and '_', starting with a letter or",
        "# a digit; for example a country code, a year and a number.",
        "returnee_id:",
        f"monitoring_round: {framework.ids('monitoring_rounds')[0]}   # {rounds}",
        "assessed_on:          # date of this assessment, YYYY-MM-DD",
        "case_manager:         # a staff code, not a name",
        "case_manager_contact: # how the returnee reaches them: an office line or desk,",
        "                      # printed on the plan (never a private number)",
        "guardian:             # for a child: who consents and signs, as a role or code",
        "                      # (e.g. legal guardian, GRD-07), never a name",
        "interpreter:          # if the plan is discussed through an interpreter: a staff",
        "                      # code or role (they sign the plan too)",
        "profile:",
        "  age:                # required: years, 0 to 120",
        f"  sex:                # required: {sexes}",
        "  country_of_return:  # required",
        "  place_of_return:    # required: town, district or area",
        "  date_of_return:     # required: YYYY-MM-DD",
        "  household:",
        "    size:             # people in the household, 1 or more",
        "    school_aged_children: 0",
        *_household_lines(book),
        *_wrapped(f"vulnerabilities, any of: {vulnerabilities} (rules/framework.yaml)",
                  "  # "),
        "  vulnerabilities: []",
        "consent:",
        "  data_processing: false                 # true once the returnee has agreed",
        "  share_with_service_providers: false    # true once the returnee has agreed",
        "  recorded_on:                           # YYYY-MM-DD",
        f"  given_by: {givers[0]}" + " " * (29 - len(givers[0]))
        + f"# {' | '.join(givers)} (a child's guardian consents)",
        "  child_view_heard:                      # for a child: true once the child was heard",
        "goals:                # the returnee's own words",
        "commitments: []       # what the returnee commits to, in their words (a list)",
        "",
        f"# {book.instrument.title}: element id -> choice id (rules/instrument/).",
        "rss:",
        *_rss_lines(book),
        "",
        "# Grid questions, filled later: question id -> yes | no. Replace {} with one line per",
        "# answer; `reintegrate questions THIS_FILE` lists what to ask and who can answer.",
        "grid_answers: {}",
        *_agreement_lines(book),
    ]
    return "\n".join(lines) + "\n"


def _household_lines(book: RuleBook) -> list[str]:
    """Who returned with the returnee and who stayed: child safeguards follow the children
    who came back, so the two lists are kept apart."""
    relationships = ", ".join(book.framework.ids("relationships"))
    first = book.framework.ids("relationships")[0]
    return [
        *_wrapped("Household members by relationship and age only, no names: who came back "
                  "with the returnee (child safeguards follow the children among them) and "
                  "who stayed in the country of return. relationship, one of: "
                  f"{relationships} (rules/framework.yaml). For example:", "    # "),
        "    #   returned_with:",
        f"    #     - {{relationship: {first}, age: 9}}",
        "    returned_with: []",
        "    stayed: []",
    ]


def _agreement_lines(book: RuleBook) -> list[str]:
    """The decisions and agreed actions, empty, with a commented example of each built
    from the rules (a provider of the service directories and an approach it delivers)."""
    modalities = book.framework.ids("modalities")
    referrals = [m.modality for m in book.plan.planning.modalities if m.fill_in]
    approach, modality, provider = _example_action(book, modalities, referrals)
    choices = " | ".join(get_args(Decision.model_fields["decision"].annotation))
    statuses = " | ".join(get_args(AgreedAction.model_fields["status"].annotation))
    return [
        "",
        *_wrapped("Decisions: the engine advises, you and the returnee decide (see "
                  "`reintegrate recommend THIS_FILE`). Taking up an approach it does not "
                  "recommend, or declining one it does, needs a reason in a sentence, shown "
                  "in the plan. One decision per approach. For example:", "# "),
        f"#   - approach: {approach}",
        f"#     decision: accept       # {choices}",
        "#     reason: the returnee's and your reason, in a sentence",
        "#     decided_on: 2026-10-06",
        "decisions: []",
        "",
        *_wrapped("Agreed actions: what you agreed to do, one entry per action, under an "
                  "approach that is recommended or accepted above. modality, one of: "
                  f"{' | '.join(modalities)}; "
                  f"{' and '.join(referrals) or 'a referral'} name a provider: an id from "
                  "rules/services/<country>.yaml (the shipped entries are illustrative: "
                  "replace them with your office's directory). Amounts are numbers (1500, "
                  "not \"1,500\") with a 3-letter currency code. `plan --final` needs every "
                  "action dated (starts, due) and costed. For example:", "# "),
        f"#   - approach: {approach}",
        "#     what: what will be done, in a sentence",
        f"#     modality: {modality}",
        f"#     {provider}",
        "#     starts: 2026-10-20",
        "#     due: 2026-11-30",
        "#     cost: {amount: 1500, currency: USD}          # 0 for a free service",
        "#     contribution: {amount: 200, currency: USD}   # what the returnee brings, if any",
        f"#     status: planned          # {statuses}",
        "agreed_actions: []",
    ]


def _rss_lines(book: RuleBook) -> list[str]:
    """Elements grouped by dimension and indicator, each with its question and choices."""
    framework = book.framework
    instrument = book.instrument
    lines: list[str] = []
    for dimension in framework.ids("dimensions"):
        lines += ["", f"  # ==== {framework.name('dimensions', dimension)} ===="]
        for indicator in (i for i in instrument.indicators if i.dimension == dimension):
            elements = [e for e in instrument.elements if e.indicator == indicator.id]
            if not elements:
                continue
            lines.append(f"  # -- indicator {indicator.number}: {indicator.name} --")
            for element in elements:
                lines += _element_lines(element)
    return lines


def _element_lines(element: Element) -> list[str]:
    choices = "; ".join(_unbroken(f"{c.name} = {c.label}") for c in element.choices)
    return [
        *_wrapped(f"{element.number}. {element.name}: {element.question}", "  # ", "  #    "),
        *_wrapped(f"choices: {choices}", "  #    "),
        f"  {element.id}:",
    ]


def _unbroken(text: str) -> str:
    """Keep a choice and its label on one line: ``_wrapped`` breaks only at plain spaces."""
    return text.replace(" ", NO_BREAK)


NO_BREAK = "\u00a0"


def _wrapped(text: str, indent: str, more: str | None = None) -> list[str]:
    """Comment text wrapped at ``WIDTH``; ids are never split across lines."""
    lines = textwrap.wrap(text, WIDTH, initial_indent=indent, subsequent_indent=more or indent,
                          break_long_words=False, break_on_hyphens=False)
    return [line.replace(NO_BREAK, " ") for line in lines]


def _example_action(book: RuleBook, modalities: list[str],
                    referrals: list[str]) -> tuple[str, str, str]:
    """Approach, modality and provider line of the commented example: a referral to the
    first provider of the service directories, so the example names ids that exist."""
    entries = [e for d in book.services for e in d.entries]
    entry = next((e for e in entries if e.kind == "provider"), entries[0] if entries else None)
    if entry is None or not referrals:
        return sorted(book.approaches)[0], modalities[0], "provider:"
    return entry.approaches[0], referrals[0], f"provider: {entry.id}"
