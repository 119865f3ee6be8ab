"""The workspace's store: offices, accounts, returnees, rounds, plans, tasks and audit.

Pages call the service modules here (``returnees``, ``rounds``, ``plans``, ...), never the
models directly for a change: each service checks access (``access``), saves in one
transaction with a version check (``conflicts``) and writes its audit row (``audit``).
"""
