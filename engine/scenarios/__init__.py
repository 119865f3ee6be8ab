"""Trainer personas and rule-change checks: a front door onto the same pipeline.

A scenario is a persona (a case file) with the outcome the engine is expected to give,
written as codes (statuses, modalities, reason codes, safeguard and schedule ids) so that
one file checks the rules in every language. Scenarios are the trainers' material and the
rule authors' regression suite; what-ifs and rule-change impact run the same comparison of
two assessments. Nothing here decides anything: the assessment and the plan do.
"""
