"""``python -m engine.cli``: the same front door as the ``reintegrate`` command."""

from engine.cli.standard_output import main

main()
