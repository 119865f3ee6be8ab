"""Decision support for the reintegration of returning migrants.

The pipeline is: case answers -> RSS scores -> facts -> a backend finds which compiled
checks hold -> the grid decision -> results as codes with their trace; a plan is laid out
from them, and words are made only for the reader, in the reader's language.
``engine.evaluation.assessment.Assessor`` is the one entry point every front door (CLI,
web, batch, scenarios) goes through; the layers are listed in the README.
"""

__version__ = "0.1.0"
