"""Rule loading: read the rule files with their lines, validate them, build the RuleBook."""
