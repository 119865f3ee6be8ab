"""Decision support for the reintegration of returning migrants.

The pipeline is: case answers -> RSS scores -> facts -> inference over the feasibility
grids -> recommendations with their trace. `engine.assessment.assess` is the one entry
point every front door (CLI, web, batch, scenarios) goes through.
"""

__version__ = "0.1.0"
