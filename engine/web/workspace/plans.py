"""Plans: drafts on the fly, then versions that are submitted, approved by a supervisor
and finalised. A final version never changes: it keeps the case document it was drafted
from, the rule book's identity and its PDF; a change makes the next version."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from engine import NotReadyToSign, Outcome, gap_sentence, read_case_data
from engine.web.workspace import access, audit
from engine.web.workspace.case_files import round_document
from engine.web.workspace.models import FollowUpTask, MonitoringRound, PlanVersion, User
from engine.web.workspace.rounds import engine_outcome
from engine.web.workspace.rulebook import book, drafter, pipeline

Format = Literal["html", "pdf", "md"]


class PlanNotReady(Exception):
    """Finalising was refused: ``gaps`` are the same sentences ``reintegrate plan --final``
    prints, each saying what to do; nothing was saved."""

    def __init__(self, gaps: list[str]):
        self.gaps = gaps
        super().__init__(f"The plan cannot be final yet ({len(gaps)} missing).")


class ApprovalNeeded(Exception):
    """A supervisor must approve this version (as it is now) before it is final."""


class AlreadySubmitted(Exception):
    """The version waiting for (or holding) approval has exactly these answers, language and
    rules: submitting again (a second click, the back button) would only supersede it and
    undo a supervisor's approval. Nothing was saved; ``version`` is that version."""

    def __init__(self, version: PlanVersion):
        self.version = version
        super().__init__(f"Version {version.number} already holds these answers.")


@dataclass(frozen=True)
class Difference:
    """One field that differs between two versions' case documents (dotted path)."""

    field: str
    before: Any
    after: Any


def languages() -> list[str]:
    """The languages a plan can be drafted in (en, fr, es, ar)."""
    return drafter().languages


def _round(user: User, round_pk: int, action: str) -> MonitoringRound:
    round_ = MonitoringRound.objects.select_related("returnee").filter(pk=round_pk).first()
    if round_ is None:
        raise access.refuse(user, action, None, "No such round.")
    access.returnee(user, round_.returnee_id, action)
    return round_


def draft(user: User, round_pk: int, fmt: Format = "html", language: str = "en") -> str | bytes:
    """The plan of the round as it stands, marked draft, in ``fmt`` and ``language``."""
    round_ = _round(user, round_pk, "view")
    plan = drafter().draft(engine_outcome(round_, strict=True).outcome, language,
                           status="draft")
    audit.record(user, "view", round_)
    return drafter().render(plan, fmt, language)


def _gaps(outcome: Outcome, language: str) -> list[str]:
    try:
        drafter().draft(outcome, language, status="final")
    except NotReadyToSign as refused:
        return [gap_sentence(gap) for gap in refused.gaps]
    return []


def gaps(user: User, round_pk: int, language: str = "en") -> list[str]:
    """What is missing before the plan can be final (empty when nothing is): the sentences
    ``reintegrate plan --final`` prints for the same case file."""
    return _gaps(engine_outcome(_round(user, round_pk, "view"), strict=True).outcome,
                 language)


def submit(user: User, round_pk: int, language: str = "en") -> PlanVersion:
    """A new version from the round as it stands, for a supervisor to approve; an earlier
    version not yet final is superseded (AlreadySubmitted if it is this very plan)."""
    round_ = _round(user, round_pk, "change")  # outside: a refusal's audit row stays
    with transaction.atomic():
        engine_outcome(round_, strict=True)  # the engine must accept the case as it is
        document = round_document(round_)
        pending = round_.plan_versions.filter(
            status__in=("submitted", "approved")).order_by("-number").first()
        if pending and (pending.document, pending.language, pending.rules_identity) == (
                document, language, book().identity):
            raise AlreadySubmitted(pending)
        round_.plan_versions.filter(status__in=("submitted", "approved")).update(
            status="superseded")
        last = round_.plan_versions.aggregate(last=Max("number"))["last"] or 0
        version = PlanVersion.objects.create(
            round=round_, number=last + 1, document=document,
            rules_identity=book().identity, language=language, submitted_by=user)
        audit.record(user, "create", version)
    return version


def version_for(user: User, version_pk: int, action: str = "view") -> PlanVersion:
    """A plan version, if ``user`` may ``action`` its case."""
    version = PlanVersion.objects.select_related("round__returnee").filter(
        pk=version_pk).first()
    if version is None:
        raise access.refuse(user, action, None, "No such plan version.")
    access.returnee(user, version.round.returnee_id, "view" if action == "approve" else action)
    return version


def approve(user: User, version_pk: int) -> PlanVersion:
    """A supervisor of the case's office approves a submitted version."""
    version = version_for(user, version_pk, "approve")
    if not access.may_approve(user, version.round.returnee):
        raise access.refuse(user, "approve", version,
                            "Only a supervisor of the case's office approves plans.")
    with transaction.atomic():
        if version.status != "submitted":
            raise ApprovalNeeded(f"Version {version.number} is {version.status}: only a "
                                 "submitted version can be approved.")
        version.status, version.approved_by, version.approved_at = (
            "approved", user, timezone.now())
        version.save(update_fields=["status", "approved_by", "approved_at"])
        audit.record(user, "approve", version)
    return version


def finalise(user: User, version_pk: int) -> PlanVersion:
    """Make an approved version final: refused with PlanNotReady (the --final gap list)
    while something is missing, with ApprovalNeeded until approved, and when the round has
    changed since it was submitted. Stores the PDF and creates the follow-up tasks."""
    version = version_for(user, version_pk, "change")
    reading = read_case_data(version.document, book(), f"plan version {version.pk}")
    try:
        plan = drafter().draft(pipeline().run(reading.case), version.language,
                               status="final")
    except NotReadyToSign as refused:
        audit.record(user, "finalise", version, outcome="refused")
        raise PlanNotReady([gap_sentence(gap) for gap in refused.gaps]) from None
    _check_finalisable(version)
    # rendered outside the transaction: it takes a second or two, and other saves would
    # wait for the write lock meanwhile
    pdf = drafter().render(plan, "pdf", version.language)
    with transaction.atomic():
        version = PlanVersion.objects.select_for_update().select_related(
            "round__returnee").get(pk=version.pk)
        _check_finalisable(version)  # again: someone may have saved since
        version.pdf = pdf
        version.status, version.finalised_by, version.finalised_at = (
            "final", user, timezone.now())
        version.save(update_fields=["pdf", "status", "finalised_by", "finalised_at"])
        _schedule_tasks(version, plan, user)
        audit.record(user, "finalise", version)
    return version


def _check_finalisable(version: PlanVersion) -> None:
    """Approved, and the round still as it was submitted; else ApprovalNeeded."""
    round_ = MonitoringRound.objects.select_related("returnee").get(pk=version.round_id)
    if round_document(round_) != version.document:
        raise ApprovalNeeded("The case changed since this version was submitted: "
                             "submit it again for approval.")
    if version.status != "approved":
        raise ApprovalNeeded(f"Version {version.number} is {version.status}: a "
                             "supervisor must approve it before it is final.")


def _schedule_tasks(version: PlanVersion, plan: Any, user: User) -> None:
    """The final plan's schedule as follow-up tasks; undone tasks of the case's earlier
    plans give way (the new plan's schedule replaces theirs; done ones stay). The milestone
    making the plan final meets is done now, by whoever made it final."""
    returnee = version.round.returnee
    FollowUpTask.objects.filter(returnee=returnee, done_on__isnull=True).exclude(
        plan_version=version).delete()
    today = date.today()
    FollowUpTask.objects.bulk_create(
        FollowUpTask(returnee=returnee, plan_version=version, milestone=item.id,
                     name=item.name[:300], starts=item.dates.start, due=item.dates.end,
                     done_on=today if item.met_by_final_plan else None,
                     done_by=user if item.met_by_final_plan else None)
        for item in plan.schedule if item.met_by_final_plan or not item.passed)


def versions(user: User, returnee_pk: int) -> list[PlanVersion]:
    """Every plan version of the case, newest first."""
    case = access.returnee(user, returnee_pk, "view")
    return list(PlanVersion.objects.filter(round__returnee=case).select_related("round")
                .order_by("-submitted_at", "-id"))


def rendered(user: User, version_pk: int, fmt: Format = "pdf",
             language: str | None = None) -> str | bytes:
    """A version's plan: the stored PDF of a final version (byte for byte what was signed),
    else drafted from the version's own case document with the current rules. Audited as
    an export."""
    version = version_for(user, version_pk, "view")
    language = language or version.language
    audit.record(user, "export", version)
    if version.status == "final" and fmt == "pdf" and language == version.language:
        return bytes(version.pdf)
    reading = read_case_data(version.document, book(), f"plan version {version.pk}")
    status = "final" if version.status == "final" else "draft"
    plan = drafter().draft(pipeline().run(reading.case), language, status=status)
    return drafter().render(plan, fmt, language)


def compare(user: User, version_a: int, version_b: int) -> list[Difference]:
    """What changed between two versions of one case: their case documents field by field
    (dotted paths such as ``rss.economic_satisfaction`` or ``agreed_actions.0.due``)."""
    before, after = version_for(user, version_a), version_for(user, version_b)
    if before.round.returnee_id != after.round.returnee_id:
        raise access.refuse(user, "view", after, "Versions of two cases are not compared.")
    old, new = _flat(before.document), _flat(after.document)
    return [Difference(key, old.get(key), new.get(key))
            for key in sorted(old.keys() | new.keys()) if old.get(key) != new.get(key)]


def _flat(value: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(value, dict):
        items: Any = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return {prefix: value}
    flat: dict[str, Any] = {}
    for key, item in items:
        flat.update(_flat(item, f"{prefix}.{key}" if prefix else str(key)))
    return flat
