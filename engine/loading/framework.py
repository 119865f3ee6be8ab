"""``rules/framework.yaml``: the vocabulary every other rule file is checked against.

Read term by term: a bad term costs that term only, and the rest of the rules are still
checked against every term that could be read.
"""

from __future__ import annotations

from engine.loading.rule_files import RuleFiles
from engine.model.base import Term
from engine.model.framework import COMPOSITE, Framework

TERM_LISTS = ("dimensions", "levels", "modalities", "categories", "vulnerabilities",
              "monitoring_rounds", "answerers", "relationships")

KINDS = {"dimensions": "dimension", "levels": "level", "modalities": "modality",
         "categories": "category", "vulnerabilities": "vulnerability",
         "monitoring_rounds": "monitoring round", "answerers": "answerer",
         "relationships": "relationship"}
"""The word a problem uses for a term of each list ("unknown dimension 'x'")."""


def load_framework(files: RuleFiles) -> Framework:
    """The framework as far as it could be read (the RuleBook is built only if all was)."""
    source = files.require_file(files.root / "framework.yaml", "framework file")
    if source is None:
        files.mark_unreadable(*KINDS.values(), "score")
        return Framework.model_construct(**{name: [] for name in TERM_LISTS}, scoring=None)
    header = files.parse_header(Framework, source, TERM_LISTS)
    terms: dict[str, list[Term]] = {}
    for name in TERM_LISTS:
        read = list(files.parse_each(Term, source, name, KINDS[name]))
        terms[name] = [term for _, term in read]
        files.no_duplicates(source, (name,), [(index, term.id) for index, term in read])
    files.broken["score"] |= files.broken["dimension"]
    if COMPOSITE in [t.id for t in terms["dimensions"]]:
        files.problems.append(source.problem(
            ("dimensions",), f"'{COMPOSITE}' is reserved for the overall score",
            hint="rename that dimension"))
    return Framework.model_construct(**terms, scoring=header.scoring if header else None)
