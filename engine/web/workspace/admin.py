"""The admin: accounts, offices, the audit log (read-only), and the office's service
directories with the rules reload (the admin role's only)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse

from engine.web.workspace import access, directories, rulebook
from engine.web.workspace.models import AuditEntry, Office, OfficeDirectory, User
from engine.web.workspace.vocabulary import vocabulary


@admin.register(User)
class StaffAdmin(UserAdmin):
    list_display = ("username", "role", "office", "is_active")
    list_filter = ("role", "office", "is_active")
    fieldsets = (*UserAdmin.fieldsets, ("Workspace", {"fields": ("role", "office", "language")}))


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "country")


@admin.register(AuditEntry)
class AuditAdmin(admin.ModelAdmin):
    list_display = ("at", "user", "action", "target", "target_id", "outcome")
    list_filter = ("action", "outcome")

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False


class DirectoryForm(forms.ModelForm):
    """A directory's text, checked by the engine's loader with the other saved directories
    and the shipped rules; refused with every problem as the command line prints it."""

    text = forms.CharField(
        strip=False,  # the problems' line numbers are the lines of the text as typed
        widget=forms.Textarea(attrs={"rows": 30, "cols": 100, "spellcheck": "false",
                                     "class": "vLargeTextField",
                                     "style": "font-family: monospace;"}),
        help_text="The format of rules/services/*.yaml: country, then entries (id, name, "
                  "kind, approaches, services, contact, places, illustrative, source, "
                  "provenance). Set illustrative: false for the office's real entries.")

    class Meta:
        model = OfficeDirectory
        fields = ["text"]

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].replace("\r\n", "\n")
        rulebook.hold_generation()  # checked and counted one change at a time
        others = rulebook.saved_texts(OfficeDirectory.objects.exclude(pk=self.instance.pk))
        try:
            read = directories.read([directories.Text(directories.THIS, text), *others])
            self.candidate = directories.with_directories(directories.load_shipped(), read)
        except directories.DirectoryProblems as refused:
            raise ValidationError([ValidationError(p) for p in refused.problems]) from None
        self.country = read[0].country
        return text


@admin.register(OfficeDirectory)
class DirectoryAdmin(admin.ModelAdmin):
    """The office's service directories, and the rules reload: the admin role's only."""

    form = DirectoryForm
    list_display = ("country", "changed_at", "changed_by")
    readonly_fields = ("country", "changed_at", "changed_by")
    fields = ("country", "text", "changed_at", "changed_by")
    change_list_template = "admin/workspace/officedirectory/change_list.html"

    # -- only the admin role -------------------------------------------------------------

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _administers(request.user)

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return _administers(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return _administers(request.user)

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return _administers(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return _administers(request.user)

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None
                        ) -> HttpResponse:
        _admin_only(request, "view")
        served = rulebook.book()
        context = {**(extra_context or {}),
                   "shipped_files": list(directories.shipped_files(served)),
                   "served": served, "generation": rulebook.generation()[0]}
        return super().changelist_view(request, context)

    def changeform_view(self, request: HttpRequest, object_id: str | None = None,
                        form_url: str = "", extra_context: dict | None = None
                        ) -> HttpResponse:
        _admin_only(request, "change" if object_id else "create")
        return super().changeform_view(request, object_id, form_url, extra_context)

    def delete_view(self, request: HttpRequest, object_id: str,
                    extra_context: dict | None = None) -> HttpResponse:
        _admin_only(request, "delete")
        return super().delete_view(request, object_id, extra_context)

    def get_changeform_initial_data(self, request: HttpRequest) -> dict:
        """``?start_from=ethiopia.yaml``: the form holds the shipped directory's text."""
        shipped = directories.shipped_files(rulebook.book())
        name = request.GET.get("start_from", "")
        return {"text": shipped[name]} if name in shipped else {}

    # -- every change moves the generation on and is audited ----------------------------

    def save_model(self, request: HttpRequest, obj: OfficeDirectory, form: DirectoryForm,
                   change: bool) -> None:
        obj.country = form.country
        obj.changed_by = request.user
        obj.save()
        rulebook.count_change(request.user, "change" if change else "create", obj,
                              form.candidate)

    def delete_model(self, request: HttpRequest, obj: OfficeDirectory) -> None:
        with transaction.atomic():
            gone = OfficeDirectory(pk=obj.pk)  # what the audit row names once it is deleted
            rulebook.hold_generation()
            obj.delete()
            try:
                candidate = rulebook.build()
            except directories.DirectoryProblems:  # the shipped files broke since: every
                candidate = None                   # process keeps its book, says the log
            rulebook.count_change(request.user, "delete", gone, candidate)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        with transaction.atomic():
            for obj in queryset:
                self.delete_model(request, obj)

    # -- the rules reload ----------------------------------------------------------------

    def get_urls(self) -> list:
        reload = path("reload/", self.admin_site.admin_view(self.reload_view),
                      name="workspace_officedirectory_reload")
        return [reload, *super().get_urls()]

    def reload_view(self, request: HttpRequest) -> HttpResponse:
        """POST: read the shipped rule files again, apply the directories, and have every
        worker serve the result; refused with the problems, keeping the book served."""
        _admin_only(request, "reload")
        changelist = reverse("admin:workspace_officedirectory_changelist")
        if request.method != "POST":
            return HttpResponseRedirect(changelist)
        try:
            book = rulebook.reload(request.user)
        except directories.DirectoryProblems as refused:
            messages.error(request, f"The rules do not validate, so nothing was reloaded: "
                           f"the workspace keeps serving rules {rulebook.book().identity}. "
                           f"{len(refused.problems)} problem(s):")
            for problem in refused.problems:
                messages.error(request, problem)
            return HttpResponseRedirect(changelist)
        messages.success(request, f"Rules reloaded: every worker serves rules {book.identity} "
                         f"(version {book.version}) from its next request.")
        return HttpResponseRedirect(changelist)


def _administers(user: User) -> bool:
    return (user.is_authenticated and user.is_active and user.is_staff
            and vocabulary().role(user.role).administers)


def _admin_only(request: HttpRequest, action: str) -> None:
    """Refuse (audited) anyone but the admin role, whatever their staff flags say."""
    if not _administers(request.user):
        raise access.refuse(request.user, action, None,
                            "Only the admin role manages directories and reloads the rules.")
