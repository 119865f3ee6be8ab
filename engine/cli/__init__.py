"""The command-line front door (Typer): it holds no domain logic, only calls and prints."""
