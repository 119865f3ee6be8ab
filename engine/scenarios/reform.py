"""Rule what-ifs: ``RULE_ID.FIELD=VALUE`` applied to a derived rule book (as OpenFisca's
reforms are applied on top of the legislation), never to the rules in use.

A rule is named by the id results cite, so a trainer copies it from ``explain``:
- ``APPROACH/indicated/N.below=0.6`` (or ``.points_below``, ``.answer_in``): an indication;
- ``APPROACH/LEVEL/QUESTION.supports=no``: a question's polarity at one level;
- ``APPROACH/LEVEL.combine=any``: how a level's questions combine;
- ``APPROACH/feasibility/N.modality=direct``: a feasibility option;
- ``weights/SET/ELEMENT.dimension=0.2`` (or ``.composite``): a weight;
- ``framework.scoring.comprehensive_support_below.value=0.4``: a framework parameter.
The value is read as YAML 1.2. The changed rule is validated as a rule file would be; the
derived book has an identity of its own (``RuleBook.derive``), so its compiled rules and
results can never be mistaken for the original's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from engine.errors import ArgumentError, Problem, RuleErrors
from engine.loading.source_file import did_you_mean
from engine.model.framework import COMPOSITE
from engine.model.rulebook import RuleBook
from engine.model.weights import SUM_TOLERANCE, WeightSet
from engine.scenarios.whatif import parse_setting


@dataclass(frozen=True)
class RuleSetting:
    """One ``--rule`` as typed, the rule it changed and the value it replaced."""

    text: str
    rule_id: str
    field: str
    value: Any
    was: Any


def reformed(book: RuleBook, settings: Sequence[str],
             name: str = "whatif") -> tuple[RuleBook, list[RuleSetting]]:
    """A book derived from ``book`` with every ``--rule`` applied (``book`` is unchanged)."""
    entries = dict(book.entries)
    weight_sets = dict(book.weight_sets)
    framework = book.framework
    applied = []
    for text in settings:
        target, value = parse_setting(text)
        rule_id, dot, field = target.partition(".")
        if not dot or not field:
            raise _refused(text, "a rule setting is RULE_ID.FIELD=VALUE",
                           "e.g. --rule pss_provider_referral/indicated/0.below=0.6")
        parts = rule_id.split("/")
        if rule_id == "framework":
            framework, was = _set(framework, (), field, value, text)
        elif parts[0] == "weights" and len(parts) == 3:
            weight_set = weight_sets.get(parts[1])
            if weight_set is None:
                raise _refused(text, f"no weight set '{parts[1]}'",
                               did_you_mean(parts[1], weight_sets) + "use one of: "
                               + ", ".join(sorted(weight_sets)))
            weight_sets[parts[1]], was = _set(weight_set, ("weights", parts[2]), field, value,
                                              text)
        elif parts[0] in entries:
            entries[parts[0]], was = _set(entries[parts[0]], _entry_path(entries[parts[0]],
                                                                         parts, text),
                                          field, value, text)
        else:
            raise _refused(text, f"no rule '{rule_id}'", did_you_mean(parts[0], entries)
                           + "use a rule id from 'reintegrate explain', weights/SET/ELEMENT "
                           "or framework")
        applied.append(RuleSetting(text, rule_id, field, value, was))
    for set_id, weight_set in weight_sets.items():
        if weight_set is not book.weight_sets.get(set_id):
            _check_sums(book, weight_set, [t for t in settings if t.startswith("weights/")])
    try:
        derived = book.derive(name, "; ".join(settings), entries=entries,
                              weight_sets=weight_sets, framework=framework)
    except RuleErrors as exc:
        raise ArgumentError([Problem(f"--rule {' '.join(settings)}", None, p.message,
                                     p.rule_id, p.hint) for p in exc.problems]) from None
    return derived, applied


def _entry_path(entry: BaseModel, parts: list[str], text: str) -> tuple[str | int, ...]:
    """Where a grid rule id points inside its entry's data."""
    data = entry.model_dump(mode="json")
    rest = parts[1:]
    if len(rest) == 2 and rest[0] in ("indicated", "feasibility") and rest[1].isdigit():
        key = "indicated_if_any" if rest[0] == "indicated" else "feasibility"
        if int(rest[1]) < len(data[key]):
            return (key, int(rest[1]))
    elif rest and rest[0] in data["criteria"]:
        level = data["criteria"][rest[0]]
        if len(rest) == 1 and isinstance(level, dict):
            return ("criteria", rest[0])
        if len(rest) == 2 and isinstance(level, dict):
            for index, use in enumerate(level["questions"]):
                if use["question"] == rest[1]:
                    return ("criteria", rest[0], "questions", index)
    raise _refused(text, f"no rule '{'/'.join(parts)}' in the grid entry of '{parts[0]}'",
                   "use a rule id as 'reintegrate explain' prints it (APPROACH/indicated/N, "
                   "APPROACH/LEVEL/QUESTION, APPROACH/LEVEL, APPROACH/feasibility/N)")


def _set(model: BaseModel, at: tuple[str | int, ...], field: str, value: Any,
         text: str) -> tuple[Any, Any]:
    """The model with ``field`` (dotted) under ``at`` set to ``value``, validated again."""
    data = model.model_dump(mode="json")
    node: Any = data
    try:
        for part in at:
            node = node[part]
        *inner, last = field.split(".")
        for part in inner:
            node = node[int(part) if isinstance(node, list) else part]
    except (KeyError, IndexError, ValueError, TypeError):
        raise _refused(text, f"no field '{field}' there", "check the rule id and field "
                       "('reintegrate rules show ID' lists them)") from None
    if not isinstance(node, dict) or last not in node:
        known = sorted(node) if isinstance(node, dict) else []
        raise _refused(text, f"no field '{last}' there", did_you_mean(last, known)
                       + ("use one of: " + ", ".join(known) if known else "check the field"))
    was = node[last]
    node[last] = value
    try:
        return type(model).model_validate(data), was
    except ValidationError as exc:
        first = exc.errors()[0]
        raise _refused(text, f"{'.'.join(map(str, first['loc']))}: {first['msg']}",
                       "give a value of the kind the rule holds") from None


def _check_sums(book: RuleBook, weight_set: WeightSet, settings: list[str]) -> None:
    """A changed set still sums to 1 per dimension and in the composite, as a loaded one
    must: moving weight means taking it from another element in the same what-if."""
    sums: dict[str, float] = {}
    for element in book.instrument.elements:
        weight = weight_set.weights[element.id]
        sums[element.dimension] = sums.get(element.dimension, 0.0) + weight.dimension
        sums[COMPOSITE] = sums.get(COMPOSITE, 0.0) + weight.composite
    off = {name: total for name, total in sums.items() if abs(total - 1) > SUM_TOLERANCE}
    if off:
        raise _refused(" ".join(settings), "the weights of " + ", ".join(
            f"{name} sum to {total:.4f}" for name, total in off.items()) + ", not 1",
            "move weight from one element to another: lower one as much as you raise the "
            "other, with a --rule for each")


def _refused(text: str, message: str, hint: str) -> ArgumentError:
    return ArgumentError([Problem(f"--rule {text}", None, message, hint=hint)])
