"""The rules a project development officer works with, as one value the RuleBook carries.

Kept apart from the case path's rules (the individual grids) so that a front door for
project design reads one field, and the case pipeline never has to know it exists.
"""

from dataclasses import dataclass, field

from engine.model.cohort import CohortRules
from engine.model.community import CommunityProfile, IndicatorVocabulary, ProfileAnswerRule
from engine.model.complementary import ComplementaryApproach
from engine.model.project_grids import Aspect, ProjectGridEntry, ProjectQuestion


@dataclass(frozen=True)
class ProjectRules:
    complementary: dict[str, ComplementaryApproach] = field(default_factory=dict)
    """Figure 10's approaches by id, in Figure 10's order."""
    design: dict[str, ProjectGridEntry] = field(default_factory=dict)
    """The Project Design Grid's entry of each complementary approach."""
    aspects: dict[str, Aspect] = field(default_factory=dict)
    """The Conditions Analysis Grid's aspects, in its order."""
    common: tuple[ProjectQuestion, ...] = ()
    """The Conditions Analysis Grid's questions, asked of every selected approach."""

    indicators: IndicatorVocabulary | None = None
    """The 25 community indicators and the services a profile counts."""
    profile_answers: tuple[ProfileAnswerRule, ...] = ()
    """Which grid questions a community profile answers, and how."""
    profiles: dict[str, CommunityProfile] = field(default_factory=dict)
    """The shipped community profiles by id (``rules/community_profiles/places/``)."""
    cohort: CohortRules | None = None
    """The W model's low points and the horizon of the cohort evidence."""

    def questions_of(self, approach: str) -> list[ProjectQuestion]:
        """Everything asked about one selected approach: its own questions, then the
        Conditions Analysis Grid's."""
        entry = self.design.get(approach)
        return [*(entry.questions if entry else ()), *self.common]

    def question(self, question_id: str) -> ProjectQuestion | None:
        return next((q for e in self.design.values() for q in e.questions
                     if q.id == question_id),
                    next((q for q in self.common if q.id == question_id), None))
