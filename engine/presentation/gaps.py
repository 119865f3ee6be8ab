"""What a final plan still needs, in words: for the refusal of ``plan --final`` and for
the worksheet's list of what to settle before signing; and a case file's contradictions
of the advice, in words, for the line that reports them."""

from __future__ import annotations

import gettext

from engine.planning.advice import CaseIssue
from engine.planning.plan import Gap


def issue_sentence(issue: CaseIssue) -> tuple[str, str]:
    """What is wrong and what to do, for a case file's author (in the rules' language)."""
    advice = issue.status.replace("_", " ")
    if issue.code == "action_under_declined":
        return (f"action {issue.action} is under '{issue.approach}', which the decisions "
                "decline", "cancel the action (status: cancelled) or change the decision")
    if issue.code == "action_not_recommended":
        return (f"action {issue.action} is under '{issue.approach}', which the engine does not "
                f"recommend for this case ({advice})",
                "if you and the returnee take it up anyway, add to decisions: "
                f"{{approach: {issue.approach}, decision: accept, reason: ...}}")
    verb = "declining" if issue.decision == "decline" else "taking up"
    return (f"{verb} '{issue.approach}' goes against the engine's advice ({advice}) and needs "
            "a reason", "add reason: the returnee's and your reason, in a sentence")


def gap_sentence(gap: Gap, phrases: gettext.NullTranslations | None = None) -> str:
    _ = (phrases or gettext.NullTranslations()).gettext
    parts = {"approach": gap.approach, "number": gap.action}
    if gap.code == "no_action":
        text = _("%(approach)s: no action agreed yet. Add an action under agreed_actions, or "
                 "record a decision to decline it, with the reason.")
    elif gap.code == "action_undated":
        text = _("%(approach)s, action %(number)s: no start or due date.")
    elif gap.code == "action_uncosted":
        text = _("%(approach)s, action %(number)s: no estimated cost (write 0 for a free "
                 "service).")
    elif gap.code == "no_consent":
        text = _("No consent is recorded: record it under consent.")
    elif gap.code == "no_guardian":
        text = _("A guardian consents and signs for this returnee: name the guardian under "
                 "guardian.")
    elif gap.code == "consent_not_by_guardian":
        text = _("The consent must be given by the guardian: write given_by: guardian under "
                 "consent once they have given it.")
    else:
        text = _("No case manager is named: write case_manager.")
    return text % parts
