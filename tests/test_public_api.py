"""The public API: what an embedding program imports, and the README's example of it."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

import engine

REPO = Path(__file__).resolve().parent.parent


def _readme_example() -> str:
    readme = (REPO / "README.md").read_text()
    section = readme[readme.index("## Use it from Python"):]
    return re.search(r"```python\n(.*?)```", section, re.DOTALL).group(1)  # type: ignore[union-attr]


def test_the_readme_example_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    example = _readme_example()
    assert len(example.strip().splitlines()) <= 11
    monkeypatch.chdir(REPO)
    printed = io.StringIO()
    names: dict[str, object] = {}
    with contextlib.redirect_stdout(printed):
        exec(compile(example, "README.md", "exec"), names)
    lines = printed.getvalue().splitlines()
    assert len(lines) == len(names["outcome"].assessment.approaches)  # type: ignore[attr-defined]
    assert any(line.startswith("business_startup_revisited recommended") for line in lines)
    assert "<html" in str(names["html"]) and 'lang="fr"' in str(names["html"])


def test_the_package_docstring_shows_the_same_example() -> None:
    example = [line.strip() for line in _readme_example().splitlines() if line.strip()]
    docstring = [line.strip() for line in (engine.__doc__ or "").splitlines()]
    assert all(line in docstring for line in example)


def test_every_public_name_resolves() -> None:
    assert sorted(engine.__all__) == sorted(engine._API)
    for name in engine.__all__:
        assert getattr(engine, name) is not None
    with pytest.raises(AttributeError):
        engine.no_such_name  # noqa: B018


def test_one_error_family() -> None:
    for name in ("ProblemsFound", "RuleErrors", "CaseError", "InferenceError"):
        assert issubclass(getattr(engine, name), engine.ReintegrateError)


def test_importing_the_package_loads_no_renderer() -> None:
    """``import engine`` must not cost a command what it does not use."""
    import subprocess
    import sys

    code = ("import sys, engine; print(sorted(m for m in ('weasyprint', 'jinja2', "
            "'durable', 'engine.presentation.drafting') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=REPO.parent)
    assert out.stdout.strip() == "[]"
