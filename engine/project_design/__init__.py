"""Project design: the front door for project development officers (Figure 10's approaches,
the Project Design and Conditions Analysis grids, community profiles, cohort evidence)."""
