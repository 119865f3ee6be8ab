"""A blank case file: every field a case needs, every RSS element with its choices, no answers.

Made from the rules, so a new element, choice or vulnerability shows up in the next blank
file without an edit here. RSS answers are left empty: an empty answer means "not asked
yet" for the case model, so the file loads as soon as the required fields are filled.
Grid answers are left out on purpose; ``reintegrate questions`` says which to ask.
"""

from __future__ import annotations

import textwrap
from typing import get_args

from engine.case.model import Profile
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
        "profile:",
        "  age:                # required: years, 0 to 120",
        f"  sex:                # required: {sexes}",
        "  country_of_return:  # required",
        "  place_of_return:    # required: town, district or area",
        "  date_of_return:     # required: YYYY-MM-DD",
        "  household:",
        "    size:             # people in the household, 1 or more",
        "    school_aged_children: 0",
        *_wrapped(f"vulnerabilities, any of: {vulnerabilities} (rules/framework.yaml)",
                  "  # "),
        "  vulnerabilities: []",
        "consent:",
        "  data_processing: false                 # true once the returnee has agreed",
        "  share_with_service_providers: false    # true once the returnee has agreed",
        "  recorded_on:                           # YYYY-MM-DD",
        "goals:                # the returnee's own words",
        "",
        f"# {book.instrument.title}: element id -> choice id (rules/instrument/).",
        "rss:",
        *_rss_lines(book),
        "",
        "# Grid questions, filled later: question id -> yes | no. Replace {} with one line per",
        "# answer; `reintegrate questions THIS_FILE` lists what to ask and who can answer.",
        "grid_answers: {}",
    ]
    return "\n".join(lines) + "\n"


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
