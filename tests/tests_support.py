"""Builders shared by tests (importable, unlike conftest)."""

from __future__ import annotations

from typing import Any


def case_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "returnee_id": "TEST-0001",
        "profile": {
            "age": 30, "sex": "female", "country_of_return": "Senegal",
            "place_of_return": "Dakar", "date_of_return": "2026-09-01",
        },
        "rss": {}, "grid_answers": {},
    }
    data.update(overrides)
    return data
