"""The CLI's case file in and out, and the case document a round holds.

A round is stored as the CLI's case document split in two: the returnee's part (id,
profile, consent: on ``Returnee``) and the round's part (kind, date, and ``answers``: RSS,
grid answers, decisions, agreed actions, goals, commitments, the case's people). Put back
together it is the document ``reintegrate`` reads, so a case imported and exported gives
the command line the same results, and the engine validates what the database holds
exactly as it validates a file.
"""

from __future__ import annotations

import io
import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from ruamel.yaml import YAML

from engine import Case, CaseError, Problem, read_case, read_case_data
from engine.web.workspace import access, audit
from engine.web.workspace.models import ConsentRecord, MonitoringRound, Returnee, User
from engine.web.workspace.rulebook import book

RETURNEE_FIELDS = ("returnee_id", "profile", "consent")
ROUND_FIELDS = ("monitoring_round", "assessed_on")
FIELD_ORDER = tuple(Case.model_fields)
"""The case file's fields in the engine's order (an exported file reads like the CLI's)."""


def round_document(round_: MonitoringRound) -> dict[str, Any]:
    """The round's full case document (JSON types), as the engine reads it."""
    returnee = round_.returnee
    parts: dict[str, Any] = {
        "returnee_id": returnee.returnee_id, "monitoring_round": round_.kind,
        "assessed_on": round_.assessed_on.isoformat(), "profile": returnee.profile,
        **({"consent": returnee.consent} if returnee.consent is not None else {}),
        **round_.answers}
    return {name: parts[name] for name in FIELD_ORDER if name in parts}


def round_parts(document: dict[str, Any]) -> dict[str, Any]:
    """The round's part of a case document (what ``MonitoringRound.answers`` holds)."""
    return {k: v for k, v in document.items() if k not in (*RETURNEE_FIELDS, *ROUND_FIELDS)}


def checked(document: dict[str, Any], where: str) -> Case:
    """The engine's case for ``document``, or the engine's CaseError naming each field."""
    return read_case_data(document, book(), where).case


def as_json(case: Case) -> dict[str, Any]:
    """A validated case as the JSON document the store keeps (only fields that were set,
    so an exported file holds what was imported, not every default)."""
    return case.model_dump(mode="json", exclude_unset=True)


def consent_records(returnee: Returnee, consent: dict[str, Any] | None, user: User,
                    on: date) -> None:
    """The consent records a case document's consent stands for (one per purpose)."""
    if not consent:
        return
    for purpose, _name in ConsentRecord.PURPOSES:
        if purpose in consent:
            ConsentRecord.objects.create(
                returnee=returnee, purpose=purpose, given=bool(consent[purpose]),
                given_by=consent.get("given_by", "returnee"),
                on=date.fromisoformat(consent["recorded_on"]) if consent.get("recorded_on")
                else on, recorded_by=user)


def import_case_file(user: User, content: bytes, name: str = "case.yaml") -> Returnee:
    """A new case (or a new round of the case with the same returnee id in the user's
    office) from a case file, checked by the engine as the CLI checks it: CaseError with
    the file's lines on bad data, nothing saved."""
    access.require_case_work(user, "import")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / Path(name).name
        path.write_bytes(content)
        try:
            case = read_case(path, book()).case
        except CaseError as exc:  # name the upload, not the temporary folder
            raise CaseError([Problem(Path(name).name, p.line, p.message, p.rule_id, p.hint)
                             for p in exc.problems]) from None
    document = as_json(case)
    existing = Returnee.objects.filter(office=user.office, returnee_id=case.returnee_id).first()
    if existing is not None:  # a new round of it: the user must be able to change it
        access.returnee(user, existing.pk, "change")
    with transaction.atomic():
        returnee = existing
        if returnee is None:
            returnee = Returnee.objects.create(
                office=user.office, case_manager=user, returnee_id=case.returnee_id,
                profile=document["profile"], consent=document.get("consent"),
                language=user.language, opened_on=case.assessed_on or date.today())
            consent_records(returnee, document.get("consent"), user, returnee.opened_on)
        round_ = MonitoringRound.objects.create(
            returnee=returnee, kind=case.monitoring_round,
            assessed_on=case.assessed_on or date.today(), assessor=user,
            answers=round_parts(document))
        audit.record(user, "import", round_)
    return returnee


def export_case_file(user: User, round_pk: int) -> str:
    """The round as a case file (YAML) for the CLI. Audited as an export."""
    round_ = MonitoringRound.objects.select_related("returnee").get(pk=round_pk)
    access.returnee(user, round_.returnee_id, "view")
    audit.record(user, "export", round_)
    yaml = YAML()
    yaml.default_flow_style = False
    stream = io.StringIO()
    document = round_document(round_)
    case = checked(document, f"round {round_.pk}")
    plain = _plain(case.model_dump(mode="python", exclude_unset=True))
    stream.write(f"# Case {document['returnee_id']}, {round_.kind} round, exported from the "
                 "workspace: read it with `reintegrate assess FILE`.\n")
    yaml.dump(plain, stream)
    return stream.getvalue()


def _plain(value: Any) -> Any:
    """Python values YAML writes as a case file holds them (dates as dates, sums as
    numbers)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value
