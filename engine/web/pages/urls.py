"""Every page of the workspace. The security tests list this URLconf, so a page added here
is checked for sign-in and office scoping without a test edit."""

from __future__ import annotations

from django.urls import path
from django.views.i18n import set_language

from engine.web.pages import cases, closure, decisions, follow_up, grid, plans, rounds, rss

app_name = "pages"

urlpatterns = [
    path("", cases.my_cases, name="cases"),
    path("language/", set_language, name="set_language"),
    path("cases/new/", cases.new_case, name="new_case"),
    path("cases/<int:pk>/", cases.case, name="case"),
    path("cases/export.csv", cases.export, name="export"),
    path("cases/<int:pk>/rounds/new/", rounds.new_round, name="new_round"),
    path("cases/<int:pk>/progress/", rounds.progress, name="progress"),
    path("cases/<int:pk>/follow-up/", follow_up.tasks, name="follow_up"),
    path("cases/<int:pk>/close/", closure.close, name="close"),
    path("cases/<int:pk>/plans/compare/", plans.compare, name="compare"),
    path("rounds/<int:pk>/rss/", rss.rss, name="rss"),
    path("rounds/<int:pk>/grid/", grid.grid, name="grid"),
    path("rounds/<int:pk>/recommendations/", grid.recommendations, name="recommendations"),
    path("rounds/<int:pk>/explain/<slug:approach>/", grid.explain, name="explain"),
    path("rounds/<int:pk>/decisions/", decisions.decisions, name="decisions"),
    path("rounds/<int:pk>/plan/", plans.preview, name="plan"),
    path("rounds/<int:pk>/plan.<str:fmt>", plans.draft_download, name="plan_download"),
    path("rounds/<int:pk>/plan/submit/", plans.submit, name="submit_plan"),
    path("plans/<int:pk>/", plans.version, name="plan_version"),
    path("plans/<int:pk>/approve/", plans.approve, name="approve_plan"),
    path("plans/<int:pk>/finalise/", plans.finalise, name="finalise_plan"),
    path("plans/<int:pk>/plan.<str:fmt>", plans.version_download, name="version_download"),
    path("tasks/<int:pk>/done/", follow_up.done, name="task_done"),
]
