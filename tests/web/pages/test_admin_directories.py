"""The admin's service directories and rules reload, through Django's test client on the
real store: a saved directory is what a plan shows and names a new rules identity; a bad
one is refused with its line and not saved; only the admin role reaches them; every change
and reload is audited; a process holding an older book follows the generation."""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client
from django.urls import reverse

from engine.web.workspace import rulebook
from engine.web.workspace.models import AuditEntry, OfficeDirectory, PlanVersion, RulesGeneration

CHANGELIST = "admin:workspace_officedirectory_changelist"
ADD = "admin:workspace_officedirectory_add"
RELOAD = "admin:workspace_officedirectory_reload"
OFFICE_NAME = "Kolfe Keranio health centre"


@pytest.fixture(autouse=True)
def fresh_process():
    """Each test's database starts afresh; so does the book this process holds after it
    (the other tests call the services outside a request, which holds no follow)."""
    yield
    rulebook._held.clear()


@pytest.fixture
def admin_in(client, staff):
    staff.admin.is_staff = True  # the demo's admin is staff: the Django admin needs it
    staff.admin.save()
    client.force_login(staff.admin)
    return client


def ethiopia_text() -> str:
    """The shipped Ethiopian directory with the health centre made the office's own."""
    text = (rulebook.book().root / "services" / "ethiopia.yaml").read_text("utf-8")
    start = text.index("  - id: eth_health_centre")
    end = text.index("  - id:", start + 1)
    entry = text[start:end]
    mine = (entry.replace("Public health centre of the sub-city (illustrative)", OFFICE_NAME)
            .replace("illustrative: true", "illustrative: false"))
    return text[:start] + mine + text[end:]


def messages_of(response) -> str:
    return html.unescape(response.content.decode())


def test_shipped_directory_starts_the_add_form(admin_in):
    page = admin_in.get(reverse(ADD) + "?start_from=ethiopia.yaml")
    assert page.status_code == 200
    text = messages_of(page)
    assert "country: Ethiopia" in text and "eth_health_centre" in text
    listing = messages_of(admin_in.get(reverse(CHANGELIST)))
    assert "?start_from=ethiopia.yaml" in listing and "Reload the rules" in listing
    assert rulebook.book().identity in listing


def test_saved_directory_is_what_a_plan_shows_under_a_new_identity(
        admin_in, staff, ethiopia):
    shipped = rulebook.book().identity
    round_ = ethiopia.rounds.get()
    manager = Client()
    manager.force_login(staff.manager)
    before = messages_of(manager.get(reverse("pages:plan", args=[round_.pk])))
    assert "Public health centre of the sub-city (illustrative)" in before
    assert OFFICE_NAME not in before

    saved = admin_in.post(reverse(ADD), {"text": ethiopia_text()})
    assert saved.status_code == 302, messages_of(saved)
    directory = OfficeDirectory.objects.get()
    assert (directory.country, directory.changed_by) == ("Ethiopia", staff.admin)

    after = messages_of(manager.get(reverse("pages:plan", args=[round_.pk])))
    assert OFFICE_NAME in after
    assert "Public health centre of the sub-city" not in after
    row = re.search(re.escape(OFFICE_NAME) + r"(.{0,300})", after, re.S)
    assert "Illustrative example" not in row.group(1)  # the office's entry is not marked
    assert "Illustrative example" in after  # the entries still shipped as examples are

    manager.post(reverse("pages:submit_plan", args=[round_.pk]))
    version = PlanVersion.objects.get()
    assert version.rules_identity == rulebook.book().identity != shipped
    assert rulebook.book().version.endswith("+office-directories")
    assert rulebook.book().derived_from.parent_identity == shipped
    audit = AuditEntry.objects.filter(target="officedirectory").get()
    assert (audit.user, audit.action, audit.target_id) == (staff.admin, "create", directory.pk)


def test_bad_directory_is_refused_with_its_line_and_not_saved(admin_in, staff):
    text = ethiopia_text().replace("approaches: [health_referral]",
                                   "approaches: [health_referal]")
    line = text[:text.index("health_referal")].count("\n") + 1
    generation = rulebook.generation()
    page = admin_in.post(reverse(ADD), {"text": text.replace("\n", "\r\n")})
    assert page.status_code == 200
    shown = messages_of(page)
    assert (f"this directory:{line}: 'eth_health_centre': unknown approach 'health_referal' "
            "— did you mean 'health_referral'?") in shown
    assert OfficeDirectory.objects.count() == 0
    assert rulebook.generation() == generation
    assert not AuditEntry.objects.filter(target="officedirectory").exists()


def test_every_problem_is_shown(admin_in):
    text = ethiopia_text().replace("    kind: provider", "    kind: provder", 1).replace(
        "illustrative: false", "illustrative: maybe")
    shown = messages_of(admin_in.post(reverse(ADD), {"text": text}))
    assert "this directory:13: 'eth_addis_enterprise_centre': kind:" in shown
    assert "this directory:37: 'eth_health_centre': illustrative:" in shown
    assert OfficeDirectory.objects.count() == 0


def test_a_second_directory_for_a_country_is_refused(admin_in):
    assert admin_in.post(reverse(ADD), {"text": ethiopia_text()}).status_code == 302
    again = messages_of(admin_in.post(reverse(ADD), {"text": ethiopia_text()}))
    assert "a second directory for Ethiopia" in again
    assert OfficeDirectory.objects.count() == 1


@pytest.mark.parametrize("role", ["case_manager", "supervisor", "trainer"])
def test_only_the_admin_role_reaches_directories_and_reload(client, staff, role):
    """Even with the staff flag (and superuser) set, another role is refused and audited."""
    account = {"case_manager": staff.manager, "supervisor": staff.supervisor,
               "trainer": staff.trainer}[role]
    account.is_staff = account.is_superuser = True
    account.save()
    client.force_login(account)
    generation = rulebook.generation()
    assert client.get(reverse(CHANGELIST)).status_code == 403
    assert client.get(reverse(ADD)).status_code == 403
    assert client.post(reverse(ADD), {"text": ethiopia_text()}).status_code == 403
    assert client.post(reverse(RELOAD)).status_code == 403
    assert OfficeDirectory.objects.count() == 0
    assert rulebook.generation() == generation
    refused = AuditEntry.objects.filter(user=account, outcome="refused")
    assert {e.action for e in refused} == {"view", "create", "reload"}


def test_signed_out_and_non_staff_are_sent_to_sign_in(client, staff):
    assert client.post(reverse(RELOAD)).status_code == 302
    client.force_login(staff.manager)
    response = client.get(reverse(CHANGELIST))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_change_and_delete_move_the_generation_and_are_audited(admin_in, staff):
    admin_in.post(reverse(ADD), {"text": ethiopia_text()})
    directory = OfficeDirectory.objects.get()
    first = rulebook.generation()
    changed = ethiopia_text().replace(OFFICE_NAME, "Kolfe health centre")
    assert admin_in.post(reverse("admin:workspace_officedirectory_change",
                                     args=[directory.pk]), {"text": changed}).status_code == 302
    second = rulebook.generation()
    assert second[0] == first[0] + 1
    assert admin_in.post(reverse("admin:workspace_officedirectory_delete",
                                     args=[directory.pk]), {"post": "yes"}).status_code == 302
    assert OfficeDirectory.objects.count() == 0
    assert rulebook.generation()[0] == second[0] + 1
    rows = AuditEntry.objects.filter(user=staff.admin, target="officedirectory")
    assert sorted(r.action for r in rows) == ["change", "create", "delete"]
    assert {r.target_id for r in rows} == {directory.pk}
    admin_in.get(reverse(CHANGELIST))  # a request: this process follows the change
    assert rulebook.book().directory("Ethiopia").entries[2].name.endswith("(illustrative)")


def test_a_process_holding_an_older_book_follows_the_generation(admin_in, staff):
    """Two processes: this one, and one that built its book before the change (simulated
    by holding that book under the older generation, as a second worker would)."""
    old = rulebook.book()
    admin_in.post(reverse(ADD), {"text": ethiopia_text()})
    admin_in.get(reverse(CHANGELIST))
    new = rulebook.book()
    assert new.identity != old.identity
    rulebook._held[:] = [rulebook.Served((0, None), old)]  # the other worker, not yet told
    assert rulebook.book() is old  # between requests it keeps its book...
    admin_in.get(reverse(CHANGELIST))  # ...and its next request reads the generation
    assert rulebook.book().identity == new.identity
    assert rulebook.book().directory("Ethiopia").entries[2].name == OFFICE_NAME


def test_reload_reads_edited_rule_files_and_refuses_bad_ones(admin_in, staff, rules_copy,
                                                            monkeypatch):
    """The shipped rules copied to a folder the workspace reads, edited there: a reload
    serves the edit; a broken file is refused with its problems and the book stays."""
    rules = rules_copy
    monkeypatch.setattr("engine.web.workspace.directories.load_rules",
                        _rules_at(rules))
    reloaded = admin_in.post(reverse(RELOAD), follow=True)
    served = rulebook.book()
    assert served.root == rules
    assert f"every worker serves rules {served.identity}" in messages_of(reloaded)

    services = rules / "services" / "ethiopia.yaml"
    services.write_text(services.read_text("utf-8").replace(
        "Public health centre of the sub-city", "Sub-city health centre"), "utf-8")
    admin_in.post(reverse(RELOAD))
    admin_in.get(reverse(CHANGELIST))
    assert rulebook.book().directory("Ethiopia").entries[2].name.startswith("Sub-city")
    edited = rulebook.book()

    generation = rulebook.generation()
    services.write_text(services.read_text("utf-8").replace("kind: provider", "kind: x"),
                        "utf-8")
    refused = messages_of(admin_in.post(reverse(RELOAD), follow=True))
    assert "The rules do not validate, so nothing was reloaded" in refused
    assert f"{services}:" in refused and "kind:" in refused
    assert rulebook.generation() == generation
    assert rulebook.book() is edited
    reloads = AuditEntry.objects.filter(user=staff.admin, action="reload")
    assert sorted(r.outcome for r in reloads) == ["failed", "ok", "ok"]
    assert {r.target for r in reloads if r.outcome == "ok"} == {"rulesgeneration"}
    assert RulesGeneration.objects.get().number == generation[0]


def _rules_at(root):
    from engine import load_rules

    def load(services=None):
        return load_rules(root, services)
    return load


def test_a_saved_directory_the_rules_no_longer_accept_leaves_the_shipped_book(admin_in,
                                                                              staff):
    """As after an upgrade that dropped an approach a saved directory names: a process
    starting then serves the shipped rules (it does not fail every page), and the reload
    lists the problem with its line."""
    text = ethiopia_text().replace("approaches: [health_referral]",
                                   "approaches: [health_referral_retired]")
    OfficeDirectory.objects.create(country="Ethiopia", text=text, changed_by=staff.admin)
    RulesGeneration.objects.create(pk=1, number=7)
    rulebook._held.clear()  # a process starting now
    assert admin_in.get(reverse(CHANGELIST)).status_code == 200
    assert rulebook.book().identity == rulebook.load_shipped().identity
    refused = messages_of(admin_in.post(reverse(RELOAD), follow=True))
    line = text[:text.index("health_referral_retired")].count("\n") + 1
    assert (f"saved directory of Ethiopia:{line}: 'eth_health_centre': unknown approach "
            "'health_referral_retired'") in refused
    assert rulebook.generation()[0] == 7
