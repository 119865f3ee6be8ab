"""``python -m engine.cli``: the same front door as the ``reintegrate`` command."""

from engine.cli.app import app

app()
