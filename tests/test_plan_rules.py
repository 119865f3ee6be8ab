"""The plan rules (rules/plan/): they load, carry their sources, quote the seeds exactly,
and each kind of mistake is reported with its file, line and rule id."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tests_support import break_line

from engine.errors import RuleErrors
from engine.loading.rulebook import load_rulebook
from engine.model.rulebook import RuleBook

SEEDS = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"


def _expect(rules: Path, relative: str, line: int | None, *fragments: str) -> None:
    with pytest.raises(RuleErrors) as caught:
        load_rulebook(rules)
    messages = [str(p) for p in caught.value.problems]
    location = f"{rules / relative}:{line}:" if line else f"{rules / relative}:"
    matching = [m for m in messages if m.startswith(location)]
    assert matching, f"nothing at {location}; got:\n" + "\n".join(messages)
    assert any(all(f in m for f in fragments) for m in matching), matching


def test_shipped_plan_rules(book: RuleBook) -> None:
    plan = book.plan
    assert {m.id for m in plan.schedule.milestones} == {
        "plan_finalised", "check_in_first_low_point", "check_in_second_low_point",
        "intermediate_monitoring", "final_monitoring"}
    assert {s.id for s in plan.safeguards.safeguards} == {
        "unaccompanied_child", "child_rights", "emergency_return", "trafficking_referral",
        "medical_referral"}
    assert {a.approach for a in plan.planning.approaches} == set(book.approaches)
    assert plan.planning.horizon_of("essential_needs_support").id == "immediate"
    assert plan.planning.horizon_of("business_startup_revisited").id == "longer_term"
    fill_ins = {m.modality: m.fill_in for m in plan.planning.modalities}
    assert fill_ins == {"direct": None, "referral": "Provider", "other_programme": "Programme"}


def _quoted(book: RuleBook) -> list[tuple[str, str, str]]:
    """(rule id, provenance, quote) of every plan rule that quotes a seed."""
    plan = book.plan
    found = [(m.id, m.provenance, m.quote) for m in plan.schedule.milestones if m.quote]
    for safeguard in plan.safeguards.safeguards:
        found += [(f"{safeguard.id}.{a.id}", a.provenance, a.quote)
                  for a in safeguard.actions if a.quote]
    found += [(key, reading.provenance, reading.quote)
              for key, reading in (("below", plan.reading.below),
                                   ("not_below", plan.reading.not_below)) if reading.quote]
    found.append(("principle", plan.consent.principle.provenance, plan.consent.principle.text))
    return found


def _normalised(text: str) -> str:
    """Seed text without markdown bold, footnote digits or curly apostrophes, one space apart."""
    text = re.sub(r"[¹²³⁴⁵⁶⁷⁸⁹⁰]+", "", text.replace("’", "'").replace("**", ""))
    return " ".join(text.split())


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed texts (shared/seeds) are not beside "
                    "this checkout")
def test_every_quote_is_the_seeds_words(book: RuleBook) -> None:
    seeds = _normalised(" ".join(p.read_text() for p in SEEDS.glob("*.txt")))
    quoted = _quoted(book)
    assert len(quoted) >= 15
    for rule_id, _provenance, quote in quoted:
        assert _normalised(quote) in seeds, rule_id


def test_verbatim_plan_rules_quote_their_seed(book: RuleBook) -> None:
    """A rule presented as IOM's own words must carry the words it stands on."""
    plan = book.plan
    verbatim = [m for m in plan.schedule.milestones if m.provenance == "verbatim"]
    verbatim += [a for s in plan.safeguards.safeguards for a in s.actions
                 if a.provenance == "verbatim"]
    verbatim += [r for r in (plan.reading.below, plan.reading.not_below)
                 if r.provenance == "verbatim"]
    assert verbatim
    assert all(rule.quote for rule in verbatim)


def test_seed_periods_are_the_quoted_ones(book: RuleBook) -> None:
    """The schedule's months are the numbers its quotes give (W model, monitoring rounds)."""
    for milestone in book.plan.schedule.milestones:
        timing = milestone.timing
        if milestone.quote and hasattr(timing, "window"):
            numbers = [int(n) for n in re.findall(r"\d+", milestone.quote)]
            assert numbers == [timing.window.start.months, timing.window.end.months], milestone.id


@pytest.mark.parametrize(("relative", "pattern", "replacement", "fragments"), [
    ("plan/safeguards.yaml", r"- vulnerability: emergency_return$",
     "- vulnerability: emergency_returns",
     ("'emergency_return'", "unknown vulnerability 'emergency_returns'")),
    ("plan/safeguards.yaml", r"flags_needs_in: \[economic, social, psychosocial\]",
     "flags_needs_in: [mental]",
     ("unknown dimension 'mental'",)),
    ("plan/safeguards.yaml", r"approach: essential_needs_support", "approach: cash_now",
     ("unknown approach 'cash_now'",)),
    ("plan/safeguards.yaml", r"- returned_members_at_least: 1",
     "- returned_children_at_least: 1", ("unknown profile condition",)),
    ("plan/safeguards.yaml", r"- returned_members_at_least: 1",
     "- returned_members_at_least: 0", ("greater than or equal to 1",)),
    ("plan/consent.yaml", r"    - vulnerability: unaccompanied_child$",
     "    - vulnerability: unaccompanied_children",
     ("unknown vulnerability 'unaccompanied_children'",)),
    ("plan/safeguards.yaml", r"timing: \{within: \{days: 3\}\}", "timing: {by: {days: 3}}",
     ("unknown timing",)),
    ("plan/schedule.yaml", r"monitoring_round: final", "monitoring_round: last",
     ("'final_monitoring'", "unknown monitoring round 'last'")),
    ("plan/schedule.yaml", r"start: \{months: 5\}, end: \{months: 6\}",
     "start: {months: 6}, end: {months: 5}", ("start comes before its end",)),
    ("plan/schedule.yaml", r"  - id: check_in_second_low_point", "  - id: plan_finalised",
     ("duplicate milestone 'plan_finalised'",)),
    ("plan/approaches.yaml", r"approach: housing_support, horizon: immediate",
     "approach: housing_support, horizon: soon", ("'housing_support'", "unknown horizon 'soon'")),
    ("plan/approaches.yaml", r"  - modality: other_programme", "  - modality: by_post",
     ("unknown modality 'by_post'",)),
    ("plan/consent.yaml", r"  - consent: share_with_service_providers",
     "  - consent: share_with_police", ("unknown consent field 'share_with_police'",)),
    ("plan/reading.yaml", r"^  provenance: verbatim", "  provenance: official",
     ("provenance", "'verbatim' or 'derived'")),
    ("plan/safeguards.yaml", r"^        fill_in: Guardian", "        fill_in: Guardian\n"
     "        colour: red", ("unknown field 'colour'",)),
])
def test_broken_plan_rule_is_located(rules_copy: Path, relative: str, pattern: str,
                                     replacement: str, fragments: tuple[str, ...]) -> None:
    line = break_line(rules_copy, relative, pattern, replacement)
    extra = 1 if "\n" in replacement else 0
    _expect(rules_copy, relative, line + extra, *fragments)


def test_every_entry_needs_a_source(rules_copy: Path) -> None:
    line = break_line(rules_copy, "plan/safeguards.yaml", r"^    source: 002_56ac488560eef5de.txt",
                  "    note: no source")
    _expect(rules_copy, "plan/safeguards.yaml", line, "unknown field 'note'")
    messages = _messages(rules_copy)
    assert any("missing field 'safeguards.4.source'" in m for m in messages), messages


def test_an_approach_without_horizon_is_named(rules_copy: Path) -> None:
    break_line(rules_copy, "plan/approaches.yaml", r"^  - \{approach: legal_aid_referral.*$", "")
    _expect(rules_copy, "plan/approaches.yaml", None, "'legal_aid_referral'",
            "approach has no horizon")


def test_a_missing_plan_file_is_named(rules_copy: Path) -> None:
    (rules_copy / "plan" / "consent.yaml").unlink()
    _expect(rules_copy, "plan/consent.yaml", None, "missing plan rule file consent.yaml")


def _messages(rules: Path) -> list[str]:
    with pytest.raises(RuleErrors) as caught:
        load_rulebook(rules)
    return [str(p) for p in caught.value.problems]


def test_source_titles_say_where_they_come_from(book: RuleBook) -> None:
    """The titles a document prints are a bibliography: sourced like every rule, and one
    for every seed file a rule cites (a cited file without a title would print its name)."""
    titles = book.plan.sources
    assert titles.source.startswith("seeds README.md") and titles.provenance == "derived"
    rule_files = " ".join(p.read_text() for p in book.root.rglob("*.yaml"))
    cited = set(re.findall(r"\d{3}_[0-9a-f]{16}\.txt", rule_files))
    assert cited and cited <= set(titles.titles)
