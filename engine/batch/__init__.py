"""Front door for whole cohorts: the RSS as an XLSForm, KoboToolbox exports read in chunks,
scored and recommended by the vectorised evaluator, written as CSV, Parquet and a cohort
report; on one machine or on a Dask cluster (see docs/batch.md)."""
