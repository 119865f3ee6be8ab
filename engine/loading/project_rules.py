"""The project development officer's rules: Figure 10's complementary approaches, the
Project Design and Conditions Analysis grids, and the community profiles, checked against
the rules read before them."""

from __future__ import annotations

from engine.loading.approaches import Where
from engine.loading.community_profiles import load_community
from engine.loading.complementary import load_complementary
from engine.loading.project_grids import load_project_grids
from engine.loading.rule_files import RuleFiles
from engine.model.approaches import Approach
from engine.model.cohort import CohortRules
from engine.model.framework import Framework
from engine.model.grids import Question
from engine.model.plan_rules import PlanRules
from engine.model.project_rules import ProjectRules


def load_project_rules(files: RuleFiles, framework: Framework, approaches: dict[str, Approach],
                       defined_at: dict[str, Where], questions: dict[str, Question],
                       plan: PlanRules) -> ProjectRules:
    complementary = load_complementary(files, framework, approaches, defined_at)
    grids = load_project_grids(files, complementary, questions)
    project_questions = [*(q.id for e in grids.entries.values() for q in e.questions),
                         *(q.id for q in grids.common)]
    community = load_community(files, [*questions, *project_questions])
    return ProjectRules(complementary, grids.entries, grids.aspects, tuple(grids.common),
                        community.vocabulary, community.answers, community.profiles,
                        _load_cohort(files, plan))


def _load_cohort(files: RuleFiles, plan: PlanRules) -> CohortRules | None:
    source = files.require_file(files.root / "feasibility_grids" / "project" / "cohort.yaml",
                                "cohort evidence rules")
    rules = None if source is None else files.parse(CohortRules, source, source.data)
    if rules is None or source is None:
        return None
    schedule = getattr(plan, "schedule", None)
    known = [m.id for m in schedule.milestones] if schedule else []
    for index, milestone in enumerate(rules.low_points):
        if schedule and milestone not in known:
            files.unknown(source, ("low_points", index), None, "milestone", milestone, known)
    return rules
