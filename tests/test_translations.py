"""Rule text in other languages: keys checked against the rules, English fallback counted."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.errors import RuleErrors
from engine.loading.rulebook import load_rulebook
from engine.loading.translations import english_texts, load_translations
from engine.model.rulebook import RuleBook
from engine.model.translation import Translation
from engine.presentation.localization import Localizer


def _write(rules: Path, language: str, texts: dict[str, str]) -> Path:
    folder = rules / "translations"
    folder.mkdir(exist_ok=True)
    for old in folder.glob("*.yaml"):
        old.unlink()
    body = "\n".join(f'  {key}: "{value}"' for key, value in texts.items())
    path = folder / f"{language}.yaml"
    path.write_text(f"language: {language}\nname: Test\nreviewed: false\n"
                    f"source: a test\nprovenance: derived\ntexts:\n{body}\n")
    return path


def test_every_translatable_text_has_a_key(book: RuleBook) -> None:
    texts = english_texts(book)
    for question_id, question in book.questions.items():
        assert texts[f"question/{question_id}"] == question.text
    for approach in book.approaches.values():
        assert texts[f"approach/{approach.id}/name"] == approach.name
    assert texts["term/modalities/referral"] == "Referral to a service provider"


def test_shipped_translations_load_and_are_marked_unreviewed(book: RuleBook) -> None:
    translations = load_translations(book)
    assert {"fr", "es", "ar"} <= set(translations)
    assert not any(t.reviewed for t in translations.values())


def test_unknown_key_is_an_error_with_line(rules_copy: Path) -> None:
    path = _write(rules_copy, "fr", {"question/biz_wants_business": "Oui ?",
                                     "question/no_such_question": "Non ?"})
    with pytest.raises(RuleErrors) as caught:
        load_translations(load_rulebook(rules_copy))
    messages = [str(p) for p in caught.value.problems]
    assert any(m.startswith(f"{path}:8:") and "unknown text key 'question/no_such_question'"
               in m for m in messages), messages


def test_file_name_must_match_language(rules_copy: Path) -> None:
    path = _write(rules_copy, "fr", {"question/biz_wants_business": "Oui ?"})
    path.rename(path.with_name("de.yaml"))
    with pytest.raises(RuleErrors, match="declares language 'fr'"):
        load_translations(load_rulebook(rules_copy))


def test_fallback_to_english_is_counted() -> None:
    translation = Translation(language="fr", name="Français", reviewed=False,
                              source="a test", provenance="derived",
                              texts={"question/a": "Question A ?"})
    localizer = Localizer("fr", translation)
    assert localizer.text("question/a", "Question A?") == "Question A ?"
    assert localizer.text("question/b", "Question B?") == "Question B?"
    assert localizer.missing == {"question/b"}
    english = Localizer("en", None)
    assert english.text("question/b", "Question B?") == "Question B?" and not english.missing
