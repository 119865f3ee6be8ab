"""What a final plan still needs, in words: for the refusal of ``plan --final`` and for
the worksheet's list of what to settle before signing."""

from __future__ import annotations

import gettext

from engine.planning.plan import Gap


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
    elif gap.code == "approach_open":
        text = _("%(approach)s: still open. Answer its questions (reintegrate questions), "
                 "or decline it with the reason.")
    elif gap.code == "declined_without_reason":
        text = _("%(approach)s: declined without a reason. Add the reason to the decision.")
    else:
        text = _("No case manager is named: write case_manager.")
    return text % parts
