"""The RSS written as an XLSForm (survey, choices and settings sheets) for KoboToolbox or ODK.

Field teams collect the survey in their own tools; this writes the form from the rules so
that its names are the rules' ids and its exports come back into ``reintegrate batch``
without a column mapping. One label column per language (``label::Français (fr)``), one
group per dimension, ``relevant`` from an element's ``asked_if``, ``required`` where the
case file needs the answer; "don't know" and "refused" are choices of every element, as the
instrument names them.
"""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook

from engine.batch.form import Form, FormField
from engine.model.checks import Check
from engine.model.conditions import Condition, ConditionDefaults

SETTINGS_ID = "rss"
_OPERATORS = {"lt": "<", "gte": ">=", "eq": "="}


class FormError(ValueError):
    """The rules ask for something a form cannot express (a condition on a list)."""


def xlsform_bytes(form: Form, title: str, version: str) -> bytes:
    """The form as an .xlsx workbook; ``version`` names the rule book it was written from."""
    book = Workbook()
    survey = book.active
    survey.title = "survey"
    languages = form.languages
    label_columns = [_column("label", form, lang) for lang in languages]
    survey.append(["type", "name", *label_columns, "required", "relevant", "constraint"])
    lists: dict[str, FormField] = {}
    for group in form.groups:
        survey.append(["begin_group", group.name, *(group.labels[lang] for lang in languages),
                       "", "", ""])
        for item in group.fields:
            kind = f"{item.kind} {item.list_name}" if item.list_name else item.kind
            survey.append([kind, item.name, *(item.labels[lang] for lang in languages),
                           "yes" if item.required else "", relevant(item.asked_if),
                           _constraint(item)])
            if item.list_name:
                lists.setdefault(item.list_name, item)
        survey.append(["end_group", "", *([""] * len(languages)), "", "", ""])
    choices = book.create_sheet("choices")
    choices.append(["list_name", "name", *label_columns])
    for list_name, item in lists.items():
        for option in item.options:
            choices.append([list_name, option.name, *(option.labels[lang] for lang in languages)])
    settings = book.create_sheet("settings")
    settings.append(["form_title", "form_id", "version", "default_language"])
    settings.append([title, SETTINGS_ID, version, _language(form, languages[0])])
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def relevant(condition: Condition | None) -> str:
    """The XLSForm expression of an element's ``asked_if`` ('' when always asked)."""
    if condition is None:
        return ""
    check = condition.check("asked_if", ConditionDefaults(score_below=0.0))
    return expression(check)


def expression(check: Check) -> str:
    """A profile check as an XPath expression over the form's profile fields."""
    if check.kind == "vulnerability":
        return f"selected(${{vulnerabilities}}, '{check.subject}')"
    if check.kind == "profile" and check.op in _OPERATORS and check.subject in PROFILE_NUMBERS:
        return f"${{{check.subject}}} {_OPERATORS[check.op]} {check.operand}"
    raise FormError(f"an element's asked_if on '{check.subject}' cannot be asked in a form: "
                    f"use one of {', '.join(PROFILE_NUMBERS)} or a vulnerability")


PROFILE_NUMBERS = ("age", "school_aged_children")
"""The profile checks a form can put: the numbers it asks (a household member list it
does not ask, so 'returned_member_younger_than' cannot be a form's condition)."""


def _constraint(item: FormField) -> str:
    if item.pattern:
        return f"regex(., '^{item.pattern}$')"
    least, most = item.bounds
    parts = ([f". >= {least}"] if least is not None else []) + (
        [f". <= {most}"] if most is not None else [])
    return " and ".join(parts)


def _language(form: Form, language: str) -> str:
    return f"{form.language_names[language]} ({language})"


def _column(kind: str, form: Form, language: str) -> str:
    return f"{kind}::{_language(form, language)}"
