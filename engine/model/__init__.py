"""Rule model: pydantic models of the rule files, one class per condition kind.

The bottom layer: it imports nothing of the engine but ``engine.errors``.
"""
