"""Warm time to draft one document, as a ratio to a bare Jinja2 render of its template.

Drafting = score + infer + build the plan model + render the HTML (``Drafter.draft`` then
``Drafter.render``), in English and in Arabic, for the returnee's plan and for the
worksheet. The returnee's plan is a light template (2 pages), so the engine's fixed cost
(scoring and inference) weighs more in its ratio; the absolute times are printed too.
The baseline renders the same template from a context computed once, so the ratio is
what the engine adds on top of templating. Both are measured side by side in one run,
taking turns, after a warm-up, as the fastest of several rounds. Target: at most 3.

    python benchmarks/plan_render.py [CASE_FILE ...]
"""

from __future__ import annotations

import gc
import sys
import time
from collections.abc import Callable
from pathlib import Path

from engine.case.reading import load_case
from engine.loading.rulebook import load_rulebook
from engine.planning.pipeline import Pipeline
from engine.presentation.drafting import Drafter
from engine.presentation.rendering import environment, plan_context

REPEATS = 15
ROUNDS = 20
EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "cases"
DOCUMENTS = ("plan", "worksheet")


def side_by_side(*actions: Callable[[], object]) -> list[float]:
    """Seconds per call of each action: the fastest of REPEATS rounds, the actions taking
    turns within each round so that both see the same machine, and the garbage collector
    paused while timing, as timeit does."""
    best = [float("inf")] * len(actions)
    for action in actions:
        action()
    for _ in range(REPEATS):
        for index, action in enumerate(actions):
            gc.disable()
            start = time.perf_counter()
            for _ in range(ROUNDS):
                action()
            best[index] = min(best[index], (time.perf_counter() - start) / ROUNDS)
            gc.enable()
    return best


def main(paths: list[Path], languages: tuple[str, ...] = ("en", "ar")) -> None:
    book = load_rulebook()
    drafter, pipeline = Drafter(book), Pipeline(book)
    print(f"{'case':<20}{'document':<11}{'lang':<6}{'draft':>10}{'bare render':>13}"
          f"{'ratio':>8}")
    for path in paths:
        case = load_case(path, book)
        for document in DOCUMENTS:
            for lang in languages:
                template = environment(lang, "html").get_template(f"{document}.html.j2")
                context = plan_context(drafter.draft(pipeline.run(case), lang), lang, "screen",
                                       drafter.language(lang).words)

                def draft(case=case, lang=lang, document=document) -> object:
                    plan = drafter.draft(pipeline.run(case), lang)
                    return drafter.render(plan, "html", lang, document)

                def bare(context=context, template=template) -> object:
                    return template.render(context)

                full, baseline = side_by_side(draft, bare)
                print(f"{path.stem:<20}{document:<11}{lang:<6}{full * 1000:>8.2f}ms"
                      f"{baseline * 1000:>11.2f}ms{full / baseline:>7.2f}x")


if __name__ == "__main__":
    main([Path(p) for p in sys.argv[1:]] or sorted(EXAMPLES.glob("*.yaml")))
