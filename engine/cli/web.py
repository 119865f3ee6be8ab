"""The workspace's commands: ``serve`` (the web workspace), ``db backup``, ``db restore``
and ``db migrate``.

Django is imported inside each command: scoring a case from the command line never pays
for it (cold start), and the CLI works without the ``web`` extra installed.
"""

import os
from pathlib import Path
from typing import Annotated

import typer

from engine.cli.command import err

db_app = typer.Typer(help="The workspace's database: back it up, restore it, migrate it.",
                     no_args_is_help=True)


def _django() -> None:
    """Set Django up with the workspace's settings, or explain how to get it."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "engine.web.settings")
    try:
        import django
    except ImportError:
        err.print("The web workspace needs the 'web' extra: pip install 'reintegrate[web]'",
                  highlight=False, markup=False)
        raise typer.Exit(2) from None
    from django.core.exceptions import ImproperlyConfigured
    try:
        django.setup()
    except ImproperlyConfigured as error:  # a setting from the environment, e.g. DATABASE_URL
        err.print(str(error), highlight=False, markup=False)
        raise typer.Exit(2) from None


def _migrate() -> None:
    from django.core.management import call_command
    call_command("migrate", interactive=False, verbosity=0)


def serve(host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
          port: Annotated[int, typer.Option(help="Port (0: any free one).")] = 8000,
          demo: Annotated[bool, typer.Option(
              "--demo", help="Load the demo offices, accounts and example cases first, "
              "and print the accounts to sign in with.")] = False,
          threads: Annotated[int, typer.Option(help="Threads in each process.")] = 8,
          workers: Annotated[int, typer.Option(
              help="Server processes (0: one per CPU core). A plan's PDF takes a core for "
              "a second; with one process every other page waits behind it.")] = 0
          ) -> None:
    """Start the case managers' web workspace (database migrated first)."""
    _django()
    _migrate()
    if demo:
        from engine.web.workspace.demo import load_demo
        accounts = load_demo()
        print("Demo accounts (role, office: account / password):")
        for account in accounts:
            print(f"  {account.role:<13} {account.office or '-':<10} "
                  f"{account.username} / {account.password}")
    from engine.web.serving import serve_forever
    serve_forever(host, port, workers or os.cpu_count() or 1, threads)


@db_app.command("migrate")
def migrate() -> None:
    """Create or update the database's tables (serve does it on start too)."""
    _django()
    _migrate()
    print("The database is up to date.")


@db_app.command("backup")
def backup(target: Annotated[Path, typer.Argument(help="The backup file to write.",
                                                   dir_okay=False)]) -> None:
    """Write a consistent copy of the workspace's database to FILE (while it serves)."""
    _django()
    _migrate()  # a workspace never served yet has an empty database to back up
    from engine.web.workspace.backup import backup as write_backup
    print(write_backup(target))


@db_app.command("restore")
def restore(source: Annotated[Path, typer.Argument(help="A file 'db backup' wrote.",
                                                    exists=True, dir_okay=False)]) -> None:
    """Replace the workspace's data with a backup's (stop the server first)."""
    _django()
    _migrate()
    from engine.web.workspace.backup import BackupRefused
    from engine.web.workspace.backup import restore as read_backup
    try:
        print(read_backup(source))
    except BackupRefused as refused:
        err.print(str(refused), highlight=False, markup=False)
        raise typer.Exit(2) from None


def register(app: typer.Typer) -> None:
    app.command()(serve)
    app.add_typer(db_app, name="db")
