"""The admin: accounts, offices and the audit log (read-only)."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from engine.web.workspace.models import AuditEntry, Office, User


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
