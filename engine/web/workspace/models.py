"""The workspace's tables. Personal data lives only in Returnee.profile, the consent
records and the rounds' case documents; the audit log and the logs hold ids only.

Each round keeps its answers as the CLI's case document (the engine's Case model as JSON),
so a case imported from YAML and exported again gives the CLI the same results, and the
engine validates what the database holds exactly as it validates a file.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower

from engine.web.workspace.vocabulary import closure_choices, role_choices


class Versioned(models.Model):
    """What two people may edit at once: a save names the version it was read at, and a
    stale one is refused (``conflicts.StaleVersion``) instead of overwriting."""

    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True


class Office(models.Model):
    """A field office: its case managers, supervisors and cases."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120)
    country = models.CharField(max_length=80, blank=True,
                               help_text="Chooses the service directory of the rules.")

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """An account with one role (see vocabulary.yaml) and, except for admins, an office."""

    role = models.CharField(max_length=20, choices=role_choices(), default="case_manager")
    office = models.ForeignKey(Office, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="staff")
    language = models.CharField(max_length=5, default="en")


class Returnee(Versioned):
    """A returnee's case, known by a pseudonymous id; the profile is the case document's
    ``profile`` (age, sex, places, date of return, household, vulnerabilities)."""

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="returnees")
    case_manager = models.ForeignKey(User, on_delete=models.PROTECT,
                                     related_name="returnees")
    returnee_id = models.CharField(max_length=40)
    profile = models.JSONField()
    consent = models.JSONField(null=True, blank=True,
                               help_text="The case document's consent, as now in force.")
    language = models.CharField(max_length=5, default="en")
    example = models.BooleanField(default=False,
                                  help_text="An anonymised example case trainers may open.")
    opened_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["office", "returnee_id"],
                                               name="one_returnee_id_per_office")]

    def __str__(self) -> str:
        return self.returnee_id


class ConsentRecord(models.Model):
    """Consent given or withdrawn: who, for what, when, and who recorded it. Never edited:
    a withdrawal is a new record, so the history stays."""

    PURPOSES = [("data_processing", "Processing of personal data"),
                ("share_with_service_providers", "Sharing with service providers")]
    returnee = models.ForeignKey(Returnee, on_delete=models.CASCADE,
                                 related_name="consent_records")
    purpose = models.CharField(max_length=40, choices=PURPOSES)
    given = models.BooleanField(help_text="False records a refusal or a withdrawal.")
    given_by = models.CharField(max_length=20, choices=[("returnee", "Returnee"),
                                                         ("guardian", "Guardian")])
    on = models.DateField()
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT)
    recorded_at = models.DateTimeField(auto_now_add=True)


class MonitoringRound(Versioned):
    """One assessment of a returnee: baseline, intermediate (6-9 months) or final
    (12-18 months), ids of rules/framework.yaml. ``answers`` holds the round's part of
    the case document: rss, grid_answers, decisions, agreed_actions, goals, commitments,
    and the case's people (guardian, interpreter, contact)."""

    returnee = models.ForeignKey(Returnee, on_delete=models.CASCADE, related_name="rounds")
    kind = models.CharField(max_length=40)
    assessed_on = models.DateField()
    assessor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="rounds")
    answers = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["assessed_on", "id"]


class PlanVersion(models.Model):
    """A plan as agreed at one moment: the case document it was drafted from and the rule
    book's identity. Submitted, then approved by a supervisor, then finalised with its PDF;
    a finalised version never changes (a change makes the next version)."""

    STATUSES = [("submitted", "Submitted for approval"), ("approved", "Approved"),
                ("final", "Final"), ("superseded", "Superseded before it was final")]
    round = models.ForeignKey(MonitoringRound, on_delete=models.PROTECT,
                              related_name="plan_versions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=20, choices=STATUSES, default="submitted")
    document = models.JSONField(help_text="The case document the plan was drafted from.")
    rules_identity = models.CharField(max_length=80)
    language = models.CharField(max_length=5, default="en")
    submitted_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    finalised_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    finalised_at = models.DateTimeField(null=True, blank=True)
    pdf = models.BinaryField(null=True, blank=True)

    class Meta:
        ordering = ["round", "number"]
        constraints = [models.UniqueConstraint(fields=["round", "number"],
                                               name="one_number_per_plan_version")]

    def save(self, *args: object, **kwargs: object) -> None:
        """A final version is never changed: what was signed stays as signed."""
        if self.pk and PlanVersion.objects.filter(pk=self.pk, status="final").exists():
            raise FinalPlanChanged(f"plan version {self.pk} is final: make a new version")
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class FinalPlanChanged(Exception):
    """Something tried to change a final plan version (a bug: services make new ones)."""


class FollowUpTask(Versioned):
    """A dated step of a final plan's schedule (a check-in, a monitoring round, a
    safeguard's step), to tick off; overdue once its last day has passed undone."""

    returnee = models.ForeignKey(Returnee, on_delete=models.CASCADE,
                                 related_name="follow_up_tasks")
    plan_version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT,
                                     related_name="tasks")
    milestone = models.CharField(max_length=80)
    name = models.CharField(max_length=300)
    starts = models.DateField(null=True, blank=True)
    due = models.DateField()
    done_on = models.DateField(null=True, blank=True)
    done_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")

    class Meta:
        ordering = ["due", "id"]


class Closure(models.Model):
    """Why and when a case was closed; a closed case is read-only."""

    returnee = models.OneToOneField(Returnee, on_delete=models.CASCADE, related_name="closure")
    reason = models.CharField(max_length=40, choices=closure_choices())
    note = models.CharField(max_length=500, blank=True)
    closed_on = models.DateField()
    closed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")


class AuditEntry(models.Model):
    """Who did what to which record, by ids only: no names, no answers, no free text.
    ``user`` is null for a sign-in attempt with an unknown account name (the name typed
    is not kept: it may be a returnee's name typed in the wrong field)."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    action = models.CharField(max_length=40)
    target = models.CharField(max_length=40, blank=True)
    target_id = models.BigIntegerField(null=True, blank=True)
    outcome = models.CharField(max_length=20, default="ok")

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "audit entries"


class OfficeDirectory(models.Model):
    """The office's own service directory of one country, as the text of a rule file
    (``rules/services/*.yaml``'s format). It replaces the shipped directory of that country
    in the rule book the workspace serves; it is checked by the engine's own loader before
    it is saved (``directories.checked``), so what is stored always validated."""

    country = models.CharField(max_length=300, editable=False,
                               help_text="Read from the text's country: line.")
    text = models.TextField(help_text="The directory in the format of rules/services/*.yaml.")
    changed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+",
                                   editable=False)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["country"]
        verbose_name = "service directory"
        verbose_name_plural = "service directories"
        constraints = [models.UniqueConstraint(Lower("country"),
                                               name="one_directory_per_country")]

    def __str__(self) -> str:
        return self.country


class RulesGeneration(models.Model):
    """One row: how many times the rules the workspace serves have changed (a directory
    saved or deleted, a reload). Each process compares it with the number of the book it
    holds before a request, so every worker serves the same rules."""

    number = models.PositiveBigIntegerField(default=0)
    stamp = models.UUIDField(null=True, help_text="New at each change: a database restored "
                             "from a backup at the same number is still told apart.")
    changed_at = models.DateTimeField(auto_now=True)
