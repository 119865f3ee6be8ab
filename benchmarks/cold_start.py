"""Cold start of the CLI: `score` and `plan --format html` as new processes, against the
cost of a bare Python process that imports what any front door needs (Jinja2, pydantic).

Each command runs as a fresh process (as a case manager runs it), the commands taking turns
within each round so that all see the same machine; the median of ROUNDS is kept. The
rules cache (parse once per content hash) is warmed by one untimed run, as after the first
command a user types; pass --no-cache to time with the cache turned off (REINTEGRATE_CACHE=0,
every start re-reads the rule files). Target: each command at most 3 times the baseline, by
wall clock and by CPU time (user + system, the steadier figure on a busy machine). Every
process, the baseline's too, reads compiled bytecode from one scratch folder (written by the
untimed warm-up), as an installed package does: with PYTHONDONTWRITEBYTECODE set in the
shell, the engine alone was compiled from source at every start (about 0.08 s more) while
the baseline's packages were already compiled.

Under each command, its floor: a process that imports every module the command loaded (the
standard library's and the libraries': Typer, Rich, pydantic, ruamel.yaml, Jinja2, Babel...)
in the same order, and runs none of our code. What a command takes above its floor is ours:
our modules, classes and work; the floor is what no change to our code can take away.
Prints, never asserts.

    python benchmarks/cold_start.py [CASE_FILE] [--no-cache] [--rounds N]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET = 3.0
EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "cases"


def _cli(*arguments: str) -> list[str]:
    return [sys.executable, "-c", "from engine.cli.standard_output import main; main()",
            *arguments]


def _seconds(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user + system) of one fresh process; the CPU time is the
    steadier figure on a machine busy with other work."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


MODULES_MARK = "cold-start-modules:"
LISTING = f"""
import atexit, sys
@atexit.register
def _listed():
    ours = [n for n in sys.modules if n == "engine" or n.startswith("engine.")]
    print("{MODULES_MARK}" + " ".join(n for n in sys.modules if n not in ours), file=sys.stderr)
from engine.cli.standard_output import main
main()
"""


def floor(arguments: list[str], env: dict[str, str]) -> list[str]:
    """A process that imports, in the same order, every module ``reintegrate ARGUMENTS``
    loaded except ours (a module that cannot be imported on its own is skipped)."""
    done = subprocess.run([sys.executable, "-c", LISTING, *arguments], env=env, check=True,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    names = next(line for line in done.stderr.splitlines()
                 if line.startswith(MODULES_MARK))[len(MODULES_MARK):].split()
    source = (f"import importlib\nfor name in {names!r}:\n    try:\n"
              "        importlib.import_module(name)\n    except Exception:\n        pass\n")
    return [sys.executable, "-c", source]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("case", nargs="?", type=Path, default=EXAMPLES / "ethiopia_returnee.yaml")
    parser.add_argument("--no-cache", action="store_true", help="time without the rules cache")
    parser.add_argument("--rounds", type=int, default=7)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        env = {**os.environ, "XDG_CACHE_HOME": str(Path(scratch) / "cache"),
               "PYTHONPYCACHEPREFIX": str(Path(scratch) / "bytecode")}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        if options.no_cache:
            env["REINTEGRATE_CACHE"] = "0"
        plan_file = str(Path(scratch) / "plan.html")
        runs = {"reintegrate score CASE": ["score", str(options.case)],
                "reintegrate plan CASE -f html -o F": ["plan", str(options.case), "--format",
                                                       "html", "-o", plan_file]}
        commands = {"python -c 'import jinja2, pydantic'": [sys.executable, "-c",
                                                            "import jinja2, pydantic"]}
        for name, arguments in runs.items():
            commands[name] = _cli(*arguments)
            _seconds(commands[name], env)  # warm the OS file cache, rules cache, bytecode
            commands[f"{FLOOR} {name.split()[1]}"] = floor(arguments, env)
        for command in commands.values():
            _seconds(command, env)
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        for _ in range(options.rounds):
            for name, command in commands.items():
                times[name].append(_seconds(command, env))
    walls = {name: statistics.median(w for w, _ in values) for name, values in times.items()}
    cpus = {name: statistics.median(c for _, c in values) for name, values in times.items()}
    cache = "off" if options.no_cache else "on (warmed)"
    print(f"cold start, median of {options.rounds} fresh processes, rules cache {cache}")
    print(f"{'command':<38}{'wall s':>7}{'ratio':>7}{'CPU s':>7}{'ratio':>7}   target")
    base_wall, base_cpu = next(iter(walls.values())), next(iter(cpus.values()))
    for index, name in enumerate(walls):
        wall, cpu = walls[name] / base_wall, cpus[name] / base_cpu
        verdict = "met" if max(wall, cpu) <= TARGET else "NOT met"
        target = f"<= {TARGET:g}x {verdict}" if index and not name.startswith(FLOOR) else ""
        print(f"{name:<38}{walls[name]:>7.3f}{wall:>6.2f}x{cpus[name]:>7.3f}{cpu:>6.2f}x   "
              f"{target}")


FLOOR = "  its floor, no code of ours:"


if __name__ == "__main__":
    main()
