"""The case managers' workspace: a Django front door beside the CLI.

It keeps returnees, monitoring rounds, plan versions, follow-up tasks and an audit log in a
database, and asks the engine (through ``engine``'s public API only) for every score,
status, question order, gap and plan: the web holds no domain logic, so the CLI, the web
and the batch give the same answer for the same answers.
"""
