"""Answering without editing YAML: ``answer`` records answers given on the command line,
``interview`` asks them one at a time in a terminal, in the case's language.

The interview asks the RSS elements not answered yet (with their choices), then the grid
questions whose answer can settle the most open approaches (``engine.planning.settling``).
Every answer is checked, saved at once (``engine.case.answering``: the file's comments and
order kept, an atomic replace) and followed by the approaches it settled, so the case
manager can stop at any question (q) and start again later where they stopped.
"""

import gettext
from pathlib import Path
from typing import Annotated

import typer

from engine.case.answering import Answer, parse_answers, record_answers
from engine.case.model import Case
from engine.case.reading import CaseReading, read_case
from engine.cli.command import (
    CaseArgument,
    RulesOption,
    WeightsOption,
    err,
    open_case,
    reports_problems,
)
from engine.cli.terminal import say
from engine.errors import CaseError
from engine.evaluation.results import ApproachResult
from engine.loading.rulebook import load_rulebook, resolve_weight_set
from engine.model.rulebook import RuleBook
from engine.model.translation import SOURCE_LANGUAGE
from engine.planning.asking import next_questions
from engine.planning.pipeline import Pipeline
from engine.planning.settling import Settling, first_of, settled

STOP, SKIP = "q", "s"


def register(app: typer.Typer) -> None:
    app.command()(reports_problems(answer))
    app.command()(reports_problems(interview))


def answer(case: CaseArgument,
           answers: Annotated[list[str], typer.Argument(
               help="ID=VALUE: an RSS element and a choice id (currently_working=no), a grid "
               "question and yes/no/blank, or a case field (profile.age=24).")],
           rules: RulesOption = None, weights: WeightsOption = "default") -> None:
    """Record answers in the case file (comments and order kept) and say what they settled."""
    book = load_rulebook(rules)
    try:  # a new case is not valid until its profile is filled in, maybe by this command
        before: Case | None = read_case(case, book).case
    except CaseError:
        before = None
    pipeline = Pipeline(book, resolve_weight_set(book, weights))
    parsed = parse_answers(answers, book)
    reading = _recorded(case, book, parsed)
    for warning in reading.warnings:
        err.print(f"warning: {warning}", highlight=False, markup=False)
    typer.echo(f"Saved {len(parsed)} answer{'s' if len(parsed) != 1 else ''} in {case}.")
    if before is not None:
        _report_settled(book, pipeline, before, reading.case, gettext.NullTranslations())


def interview(case: CaseArgument,
              lang: Annotated[str, typer.Option(
                  "--lang", "-l", help="Language of the questions: en, fr, es or ar.")] = "en",
              rules: RulesOption = None, weights: WeightsOption = "default") -> None:
    """Ask the next question in the terminal and save each answer at once.

    q stops, and the next interview goes on from there."""
    # imported here: the words of a language are not needed to score (cold start)
    from engine.presentation.catalogs import gettext_translations
    from engine.presentation.rendering import templates_dir
    book = load_rulebook(rules)
    words = _book_in(book, lang)
    phrases = gettext_translations(templates_dir(), lang)
    _ = phrases.gettext
    pipeline = Pipeline(book, resolve_weight_set(book, weights))
    settling = Settling(book, resolve_weight_set(book, weights))
    current = open_case(case, book).case
    skipped: set[str] = set()
    say(_("Interview for %(id)s: q stops (answers are saved), s skips a question.")
        % {"id": current.returnee_id})
    while True:
        asked = _next(book, pipeline, settling, current, skipped)
        if asked is None:
            say(_("Nothing left to ask. Next: reintegrate plan %(case)s") % {"case": case})
            return
        kind, key = asked
        reply = _ask(words, kind, key, phrases)
        if reply == STOP:
            say(_("Stopped. The answers so far are saved in %(case)s; run the "
                  "interview again to go on.") % {"case": case})
            return
        if reply == SKIP:
            skipped.add(key)
            continue
        try:
            reading = _recorded(case, book, [Answer(kind, key, reply)])
        except CaseError as exc:  # kept as it was; say why, then ask the next
            for problem in exc.problems:
                err.print(str(problem), highlight=False, markup=False)
            skipped.add(key)
            continue
        _report_settled(words, pipeline, current, reading.case, phrases)
        current = reading.case


def _recorded(case: Path, book: RuleBook, answers: list[Answer]) -> CaseReading:
    """The answers saved; a file changed by someone else since it was read is kept as it
    is, and the command stops (exit 2) rather than overwrite that change. So does one
    that cannot be written (a folder the user may not write in, a full disk)."""
    try:
        return record_answers(case, book, answers)
    except FileExistsError:
        err.print(f"{case} changed while this command was running; nothing was written. "
                  "Run it again to answer from the file as it is now.", highlight=False,
                  markup=False)
        raise typer.Exit(2) from None
    except OSError as exc:  # the new file is written beside the old one, then renamed
        err.print(f"Could not save the answers in {case}: {exc.strerror or exc}; the file "
                  "is as it was. Check that you may write in its folder and that the disk "
                  "has room.", highlight=False, markup=False)
        raise typer.Exit(2) from None


def _next(book: RuleBook, pipeline: Pipeline, settling: Settling, case: Case,
          skipped: set[str]) -> tuple[str, str] | None:
    """The RSS elements not answered yet, in the survey's order; then the grid question
    whose answer can settle the most open approaches (the first-session set), then the
    questions that settle an approach only with others."""
    for element in book.instrument.elements:
        if element.id not in case.rss and element.id not in skipped:
            return "rss", element.id
    outcome = pipeline.run(case)
    found = next_questions(book, outcome)
    ranked = settling.ranked(outcome, found)
    for choice in [*first_of(ranked), *ranked]:  # then those settling only together
        if choice.question.id not in skipped:
            return "grid", choice.question.id
    return None


def _ask(book: RuleBook, kind: str, key: str, phrases: gettext.NullTranslations) -> str:
    """One question until its answer is valid: a choice (by number or id), yes/no, s or q."""
    _ = phrases.gettext
    typer.echo("")
    if kind == "rss":
        element = book.instrument.element(key)
        assert element is not None
        say(f"[{key}] {element.question}")
        names = [c.name for c in element.choices]
        for number, choice in enumerate(element.choices, start=1):
            say(f"{number}. {choice.label}", indent=2, hanging=3)
        prompt = _("Answer (1-%(last)d, s, q)") % {"last": len(names)}
    else:
        say(f"[{key}] {book.questions[key].text}")
        names = []
        prompt = _("Answer (y = yes, n = no, s, q)")
    while True:
        reply = typer.prompt(prompt, default="", show_default=False).strip()
        if reply.lower() in (STOP, SKIP):
            return reply.lower()
        if kind == "rss":
            if reply.isdigit() and 1 <= int(reply) <= len(names):
                return names[int(reply) - 1]
            if reply in names:
                return reply
        elif reply.lower() in ("y", "yes", "n", "no"):
            return "yes" if reply.lower().startswith("y") else "no"
        say(_("Not an answer to this question: try again."))


def _report_settled(book: RuleBook, pipeline: Pipeline, before: Case, after: Case,
                    phrases: gettext.NullTranslations) -> None:
    """The approaches this answer settled, with what the grid decided."""
    _ = phrases.gettext
    old = {r.approach: r for r in pipeline.assess(before, trace=False).approaches}
    for result in pipeline.assess(after, trace=False).approaches:
        if settled(result) and not settled(old[result.approach]):
            say(_("Settled: %(approach)s (%(status)s)") % {
                "approach": book.approaches[result.approach].name,
                "status": _status(result, phrases)}, indent=2, hanging=2)


def _status(result: ApproachResult, phrases: gettext.NullTranslations) -> str:
    _ = phrases.gettext
    if result.status == "recommended":
        return _("Recommended")
    return _("Not appropriate") if result.status == "not_appropriate" else _("No need shown")


def _book_in(book: RuleBook, lang: str) -> RuleBook:
    """The rules with their texts (questions, choices, approach names) in ``lang``."""
    from engine.loading.translations import load_translations
    from engine.presentation.localization import Localizer, localized
    if lang == SOURCE_LANGUAGE:
        return book
    translation = load_translations(book, [lang]).get(lang)
    if translation is None:
        raise typer.BadParameter(f"no translation for '{lang}'", param_hint="--lang")
    return localized(book, Localizer(lang, translation))
