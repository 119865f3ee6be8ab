"""A blank project file: every field with what to write in a comment, and every one of
Figure 10's approaches, commented out, with the questions asked about it (its own and the
Conditions Analysis Grid's) and the answer each takes."""

from __future__ import annotations

import textwrap

from engine.model.rulebook import RuleBook

WIDTH = 92


def blank_project(book: RuleBook) -> str:
    rules = book.project
    profiles = ", ".join(rules.profiles) or "none shipped"
    lines = [
        "# A project file for 'reintegrate project-design'. Fill in the fields below, select",
        "# approaches by removing the '# ' before their lines, answer what you know (yes or",
        "# no; open questions take a short text) and leave the rest blank.",
        "project:            # a code for the project, e.g. ETH-PD-2027-01 (required)",
        "title:              # one line saying what the project is (required)",
        "place:",
        "  country:          # the country of return (required)",
        "  area:             # the area, as case files write their place of return (required)",
        "# community_profile: a shipped profile id or the path of a profile file; leave it",
        "# out to use the shipped profile of the place, if there is one.",
        *_comment(f"Shipped profiles: {profiles}."),
        "community_profile:",
        "prepared_by:        # who prepared it (a staff code or role, not a name)",
        "prepared_on:        # year-month-day",
        "horizon_months:     # how far ahead the cohort's W model low points are counted "
        f"(default {_months(book)})",
        "approaches:",
    ]
    for approach in rules.complementary.values():
        category = book.framework.name("categories", approach.category)
        lines += ["", f"# {approach.number}. {approach.name} ({category})",
                  *_comment(" ".join(approach.explanation.split()), "#   "),
                  f"#  - approach: {approach.id}", "#    answers:"]
        for question in rules.questions_of(approach.id):
            kind = "yes/no" if question.answer == "yes_no" else "text"
            lines.append(f"#      {question.id}:")
            lines += _comment(f"{kind}: {' '.join(question.text.split())}", "#        # ")
    return "\n".join(lines) + "\n"


def _comment(text: str, prefix: str = "# ") -> list[str]:
    return [prefix + line for line in textwrap.wrap(text, WIDTH - len(prefix),
                                                    break_on_hyphens=False)]


def _months(book: RuleBook) -> str:
    cohort = book.project.cohort
    if cohort and cohort.horizon.months:
        return f"{cohort.horizon.months} months"
    return "from the rules"
