"""Evaluation: scoring, facts, compiled checks, backends and the grid decision.

Results are data (statuses, codes, ids, numbers); no sentence is made here.
"""
