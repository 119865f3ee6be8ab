"""Answers the Guinean returnee of issue 14 gives in an interview, and a driver that types
them into ``reintegrate interview`` through a pseudo-terminal (any language)."""

from __future__ import annotations

import pexpect

from engine.loading.rulebook import load_rulebook

RSS = {"economic_satisfaction": "very_dissatisfied", "food_insecurity_frequency": "often",
       "possesses_id": "no", "currently_working": "no", "searching_for_job": "yes",
       "distress_frequency": "often", "wants_psychological_support": "yes",
       "children_enrolled_in_school": "no_school_aged_children"}
"""Her answers where they matter; the middle of the scale elsewhere."""
GRID_YES = {"pssref_wants_support", "pssref_experienced_trouble", "pssref_services_nearby",
            "pssref_counselling_acceptable", "pss_fz_vetted_provider",
            "pss_fz_provider_reachable", "voc_wants_training", "voc_can_afford_time",
            "voc_skill_in_demand", "voc_provider_reachable", "voc_certificate_recognised",
            "doc_wants_documents", "doc_safe_to_apply", "doc_office_reachable",
            "doc_rules_allow", "doc_programme_can_cover", "ess_cutting_meals",
            "ess_no_means_until_plan", "ess_programme_budget"}
"""Her "yes" answers (she wants counselling, a hairdressing course, an identity card, and
has no means until the plan starts); "no" elsewhere."""

QUESTION = r"\n\[(\w+)\] "
PROMPT = r"\((1-(\d+)|y = )"
DONE = r"(Nothing left to ask|Plus rien à demander|No queda nada|لم يبقَ ما يُسأل)"
STOPPED = r"(Stopped|Arrêt|Parada|توقّفت)"


def rss_reply(key: str) -> str:
    """A choice by its number: her answer when given, else the middle of the scale."""
    element = load_rulebook().instrument.element(key)
    assert element is not None
    names = [c.name for c in element.choices]
    wanted = RSS.get(key)
    if wanted in names:
        return str(names.index(wanted) + 1)
    scored = [c.name for c in element.choices if c.points is not None]
    return str(names.index(scored[len(scored) // 2]) + 1)


def answer_interview(child: pexpect.spawn, stop_after: int | None = None) -> list[str]:
    """Answer every question until the interview ends (or stop after ``stop_after``);
    return the ids asked, in order."""
    asked: list[str] = []
    while True:
        found = child.expect([QUESTION, DONE, pexpect.EOF])
        if found != 0:
            assert found == 1, child.before
            break
        key = child.match.group(1)
        child.expect(PROMPT)
        choices = child.match.group(2)
        if stop_after is not None and len(asked) == stop_after:
            child.sendline("q")
            child.expect(STOPPED)
            break
        asked.append(key)
        child.sendline(rss_reply(key) if choices else "y" if key in GRID_YES else "n")
    child.expect(pexpect.EOF)
    return asked
