"""The project design note in HTML, Markdown or PDF, with the plan's environment: the same
gettext catalogs, filters (dates and codes kept left to right in Arabic, officer text made
inert) and stylesheet."""

from __future__ import annotations

from engine.presentation.rendering import Format, environment, templates_dir, text_direction
from engine.project_design.note import NoteView


def render_note(note: NoteView, fmt: Format, lang: str, reviewed: bool = True) -> str | bytes:
    context = {"note": note, "lang": lang, "direction": text_direction(lang),
               "medium": "print" if fmt == "pdf" else "screen", "reviewed": reviewed}
    if fmt == "md":
        return environment(lang, "md").get_template("project_design.md.j2").render(context)
    html = environment(lang, "html").get_template("project_design.html.j2").render(context)
    if fmt == "html":
        return html
    import weasyprint  # only PDF output needs it (and its system libraries)

    return weasyprint.HTML(string=html, base_url=str(templates_dir())).write_pdf()
