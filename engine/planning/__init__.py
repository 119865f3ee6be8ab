"""Planning: the plan model (approaches, dates, safeguards, citations) from one assessment."""
