"""Presentation: wording in a language, catalogs, documents, charts and the JSON contract."""
