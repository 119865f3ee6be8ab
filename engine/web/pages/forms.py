"""The pages' forms: fields, labels and help in the interface's language. Choices come
from the rule book (vulnerabilities, rounds, approaches, providers) or the workspace's
vocabulary (closure reasons): none is written here."""

from __future__ import annotations

from datetime import date

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy, pgettext_lazy


class DayField(forms.DateField):
    """A day only as the date picker sends it, year-month-day: typed as 12/03/2025 it is the
    12th of March to some and the 3rd of December to others, and Django would read it by
    the interface language's habit without a word; it is refused with the form to use."""

    input_formats = ["%Y-%m-%d"]
    # shown the same way: a French "07/12/2026" is no value to a date picker (left empty)
    widget = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    default_error_messages = {"invalid": gettext_lazy(
        "Enter the date as year-month-day, for example 2025-03-12.")}


SEXES = [("female", gettext_lazy("Female")), ("male", gettext_lazy("Male")),
         ("other", gettext_lazy("Other")), ("not_stated", gettext_lazy("Not stated"))]


class NewCaseForm(forms.Form):
    returnee_id = forms.CharField(
        label=gettext_lazy("Pseudonymous id"), max_length=40,
        help_text=gettext_lazy("A code, never a name: 3 to 40 letters, digits, '-' or '_'."))
    language = forms.ChoiceField(label=gettext_lazy("The returnee's language"),
                                 choices=settings.LANGUAGES)
    age = forms.IntegerField(label=gettext_lazy("Age"), min_value=0, max_value=120)
    sex = forms.ChoiceField(label=gettext_lazy("Sex"), choices=SEXES)
    country_of_return = forms.CharField(label=gettext_lazy("Country of return"), max_length=80)
    place_of_return = forms.CharField(label=gettext_lazy("Place of return"), max_length=200)
    date_of_return = DayField(label=gettext_lazy("Date of return"))
    household_size = forms.IntegerField(label=gettext_lazy("Household size"), min_value=1,
                                        required=False)
    school_aged_children = forms.IntegerField(label=gettext_lazy("School-aged children"),
                                              min_value=0, initial=0)
    vulnerabilities = forms.MultipleChoiceField(label=gettext_lazy("Vulnerabilities"),
                                                required=False,
                                                widget=forms.CheckboxSelectMultiple)
    data_processing = forms.BooleanField(
        label=gettext_lazy("The returnee consents to the processing of their data"), required=False)
    share_with_service_providers = forms.BooleanField(
        label=gettext_lazy("The returnee consents to sharing it with service providers"),
        required=False)
    consent_on = DayField(label=gettext_lazy("Consent recorded on"), initial=date.today)
    goals = forms.CharField(label=gettext_lazy("The returnee's goals, in their words"),
                            required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, vulnerabilities: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vulnerabilities"].choices = list(vulnerabilities.items())

    def document(self) -> dict:
        """The case document's opening fields, as the CLI's case file writes them."""
        data = self.cleaned_data
        household = {"school_aged_children": data["school_aged_children"] or 0}
        if data["household_size"]:
            household["size"] = data["household_size"]
        document = {
            "returnee_id": data["returnee_id"],
            "profile": {
                "age": data["age"], "sex": data["sex"],
                "country_of_return": data["country_of_return"],
                "place_of_return": data["place_of_return"],
                "date_of_return": data["date_of_return"].isoformat(),
                "household": household,
                "vulnerabilities": data["vulnerabilities"],
            },
            "consent": {"data_processing": data["data_processing"],
                        "share_with_service_providers": data["share_with_service_providers"],
                        "recorded_on": data["consent_on"].isoformat()},
        }
        if data["goals"]:
            document["goals"] = data["goals"]
        return document


class DecisionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    approach = forms.ChoiceField(label=gettext_lazy("Approach"))
    decision = forms.ChoiceField(label=gettext_lazy("Decision"),
                                 choices=[("accept", gettext_lazy("Take it up")),
                                          ("decline", gettext_lazy("Leave it out"))])
    reason = forms.CharField(label=gettext_lazy("Reason (needed against the advice)"),
                             required=False, max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, approaches: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["approach"].choices = list(approaches.items())


class AgreedActionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    approach = forms.ChoiceField(label=gettext_lazy("Approach"))
    what = forms.CharField(label=gettext_lazy("What was agreed"), max_length=500,
                           widget=forms.Textarea(attrs={"rows": 2}))
    modality = forms.ChoiceField(label=gettext_lazy("How it is delivered"))
    provider = forms.ChoiceField(label=gettext_lazy("Provider"), required=False)
    starts = DayField(label=gettext_lazy("Starts"), required=False)
    due = DayField(label=gettext_lazy("Due"), required=False)
    cost = forms.DecimalField(label=gettext_lazy("Estimated cost (0 for a free service)"),
                              required=False, min_value=0, decimal_places=2)
    contribution = forms.DecimalField(label=gettext_lazy("The returnee's contribution"),
                                      required=False, min_value=0, decimal_places=2)
    currency = forms.CharField(label=gettext_lazy("Currency (ISO code, e.g. ETB)"), required=False,
                               max_length=3)

    def __init__(self, *args, approaches: dict[str, str], modalities: dict[str, str],
                 providers: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["approach"].choices = list(approaches.items())
        self.fields["modality"].choices = list(modalities.items())
        self.fields["provider"].choices = [("", pgettext_lazy("no provider", "None")), *providers]

    def clean(self) -> dict:
        """What the engine would refuse by its field path (agreed_actions.5.cost.currency),
        said here at the field to correct, in the reader's language."""
        data = super().clean()
        currency = (data.get("currency") or "").strip()
        priced = data.get("cost") is not None or data.get("contribution") is not None
        if priced and not (len(currency) == 3 and currency.isalpha()):
            self.add_error("currency", gettext_lazy(
                "Give the currency of the amounts as its three-letter code, e.g. ETB."))
        starts, due = data.get("starts"), data.get("due")
        if starts and due and due < starts:
            self.add_error("due", gettext_lazy("The due date is before the start date."))
        return data

    def action(self) -> dict:
        data = self.cleaned_data
        action = {"approach": data["approach"], "what": data["what"],
                  "modality": data["modality"]}
        if data["provider"]:
            action["provider"] = data["provider"]
        for day in ("starts", "due"):
            if data[day]:
                action[day] = data[day].isoformat()
        for money in ("cost", "contribution"):
            if data[money] is not None:
                amount = data[money]
                number = int(amount) if amount == amount.to_integral_value() else float(amount)
                action[money] = {"amount": number,
                                 "currency": data["currency"].upper()}
        return action


class NewRoundForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Monitoring round"))
    assessed_on = DayField(label=gettext_lazy("Assessed on"), initial=date.today)

    def __init__(self, *args, kinds: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds


class ClosureForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.ChoiceField(label=gettext_lazy("Reason for closing"))
    closed_on = DayField(label=gettext_lazy("Closed on"), initial=date.today)
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=500,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, reasons: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = reasons
