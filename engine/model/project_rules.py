"""The rules a project development officer works with, as one value the RuleBook carries.

Kept apart from the case path's rules (the individual grids) so that a front door for
project design reads one field, and the case pipeline never has to know it exists.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from engine.model.complementary import ComplementaryApproach


@dataclass(frozen=True)
class ProjectRules:
    complementary: dict[str, ComplementaryApproach] = field(default_factory=dict)
    """Figure 10's approaches by id, in Figure 10's order."""
