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
from engine.model.framework import Framework
from engine.model.grids import Question
from engine.model.project_rules import ProjectRules


def load_project_rules(files: RuleFiles, framework: Framework, approaches: dict[str, Approach],
                       defined_at: dict[str, Where],
                       questions: dict[str, Question]) -> ProjectRules:
    complementary = load_complementary(files, framework, approaches, defined_at)
    grids = load_project_grids(files, complementary, questions)
    project_questions = [*(q.id for e in grids.entries.values() for q in e.questions),
                         *(q.id for q in grids.common)]
    community = load_community(files, [*questions, *project_questions])
    return ProjectRules(complementary, grids.entries, grids.aspects, tuple(grids.common),
                        community.vocabulary, community.answers, community.profiles)
