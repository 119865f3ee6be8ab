"""Load on the web workspace: 1 to 50 simulated case managers on loopback, each signing in
and doing the main flow, against ``reintegrate serve`` started as the README starts it (a
subprocess, its own data folder, the command's default threads).

Each simulated case manager has an account of their own and a session of their own, and
does what a browser does: reads the CSRF cookie and the form's token, posts forms and
follows redirects. The flow: sign in, my cases, new case, the RSS (the Ethiopian example's
answers), the grid questions (an htmx answer), decisions (an agreed action), the plan
preview (HTML) and the draft plan's PDF. A pause of THINK seconds (on average) between
pages stands for the case manager reading it, and the case managers start over RAMP
seconds, as a morning's sign-ins do; ``--think 0 --ramp 0`` is the worst case. Prints
p50/p95 per page for each number of users, each page's ratio of its 50-user p95 to its
1-user p50 (target <= 10), the same over all pages together (which mixes a 20 ms page with
a 1 s PDF, so its p95 is the PDF's), and the errors (target: none). It asserts nothing.

    .venv/bin/python benchmarks/web_load.py [--users 1,10,50] [--think 5] [--ramp 60]
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import defaultdict
from datetime import date, timedelta
from http.cookies import SimpleCookie
from pathlib import Path

from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.web.e2e.workspace_server import PASSWORD, start  # noqa: E402

TARGET = 10.0
"""The most a page's 50-user p95 may be, as a multiple of its 1-user p50."""
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')
EXAMPLE = YAML(typ="safe").load((ROOT / "examples/cases/ethiopia_returnee.yaml").read_text())


class Browser:
    """One case manager's session: cookies kept, CSRF token sent like a browser's form."""

    def __init__(self, url: str):
        parsed = urllib.parse.urlsplit(url)
        self.host, self.port = parsed.hostname, parsed.port
        self.cookies: dict[str, str] = {}
        self.connection = http.client.HTTPConnection(self.host, self.port, timeout=120)

    def request(self, method: str, path: str, form: dict | None = None,
                headers: dict | None = None) -> tuple[int, str, bytes]:
        body = urllib.parse.urlencode(form, doseq=True) if form is not None else None
        sent = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
                "Referer": f"http://{self.host}:{self.port}{path}", **(headers or {})}
        if body is not None:
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        self.connection.request(method, path, body=body, headers=sent)
        response = self.connection.getresponse()
        content = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie(header)
            self.cookies.update({k: m.value for k, m in cookie.items()})
        return response.status, response.headers.get("Location", ""), content

    def token(self, html: bytes) -> str:
        found = TOKEN.search(html.decode())
        return found.group(1) if found else self.cookies.get("csrftoken", "")


class Timings:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.seconds: dict[str, list[float]] = defaultdict(list)
        self.errors: list[str] = []

    def timed(self, page: str, browser: Browser, method: str, path: str, expect: int,
              form: dict | None = None, headers: dict | None = None) -> tuple[str, bytes]:
        start = time.perf_counter()
        try:
            status, location, content = browser.request(method, path, form, headers)
        except (OSError, http.client.HTTPException) as error:
            browser.connection.close()
            with self.lock:
                self.errors.append(f"{page}: {type(error).__name__}")
            raise
        elapsed = time.perf_counter() - start
        with self.lock:
            self.seconds[page].append(elapsed)
            if status != expect:
                self.errors.append(f"{page}: HTTP {status}")
        return location, content


def flow(url: str, user: str, number: int, timings: Timings, think: float) -> None:
    browser = Browser(url)
    pause = lambda: time.sleep(think * random.uniform(0.5, 1.5))  # noqa: E731
    _, page = timings.timed("sign-in (GET)", browser, "GET", "/sign-in/", 200)
    timings.timed("sign-in (POST)", browser, "POST", "/sign-in/", 302, {
        "csrfmiddlewaretoken": browser.token(page), "username": user, "password": PASSWORD})
    timings.timed("my cases", browser, "GET", "/", 200)
    pause()
    _, page = timings.timed("new case (GET)", browser, "GET", "/cases/new/", 200)
    pause()
    today = date.today()
    rss_path, _ = timings.timed("new case (POST)", browser, "POST", "/cases/new/", 302, {
        "csrfmiddlewaretoken": browser.token(page), "returnee_id": f"LOAD-{user}-{number}",
        "language": "en", "age": 44, "sex": "male", "country_of_return": "Ethiopia",
        "place_of_return": "Addis Ababa", "household_size": 6, "school_aged_children": 3,
        "date_of_return": (today - timedelta(days=20)).isoformat(),
        "vulnerabilities": "medical_needs", "data_processing": "on",
        "share_with_service_providers": "on", "consent_on": today.isoformat()})
    rss_path = urllib.parse.urlsplit(rss_path).path
    round_path = rss_path.removesuffix("rss/")
    _, page = timings.timed("RSS (GET)", browser, "GET", rss_path, 200)
    pause()
    timings.timed("RSS (POST)", browser, "POST", rss_path, 302, {
        "csrfmiddlewaretoken": browser.token(page), "version": VERSION.search(
            page.decode()).group(1), **EXAMPLE["rss"]})
    _, page = timings.timed("grid (GET)", browser, "GET", f"{round_path}grid/", 200)
    pause()
    _, page = timings.timed("grid (htmx answer)", browser, "POST", f"{round_path}grid/", 200, {
        "csrfmiddlewaretoken": browser.token(page),
        "version": VERSION.search(page.decode()).group(1),
        **{f"q-{k}": v for k, v in EXAMPLE["grid_answers"].items()}},
        {"HX-Request": "true"})
    _, page = timings.timed("decisions (GET)", browser, "GET", f"{round_path}decisions/", 200)
    pause()
    action = EXAMPLE["agreed_actions"][0]
    timings.timed("decisions (POST)", browser, "POST", f"{round_path}decisions/", 302, {
        "csrfmiddlewaretoken": browser.token(page), "form": "action",
        "version": VERSION.search(page.decode()).group(1), "approach": action["approach"],
        "what": action["what"], "modality": action["modality"],
        "provider": action["provider"], "starts": (today + timedelta(days=3)).isoformat(),
        "due": (today + timedelta(days=30)).isoformat(), "cost": 1500, "currency": "ETB"})
    timings.timed("plan preview", browser, "GET", f"{round_path}plan/", 200)
    pause()
    timings.timed("plan PDF", browser, "GET", f"{round_path}plan.pdf", 200)
    browser.connection.close()


def run(url: str, users: int, think: float, offset: int, ramp: float) -> Timings:
    timings = Timings()

    def one(index: int) -> None:
        time.sleep(random.uniform(0, ramp) if users > 1 else 0)
        try:
            flow(url, f"load_{index + 1:02d}", offset, timings, think)
        except Exception as error:  # a failed flow is an error to count, not a crash
            with timings.lock:
                timings.errors.append(f"flow of load_{index + 1:02d}: {error!r}")

    threads = [threading.Thread(target=one, args=(i,)) for i in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return timings


def quantile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 \
        else values[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", default="1,10,50")
    parser.add_argument("--think", type=float, default=5.0,
                        help="mean seconds a case manager spends on a page (0: none)")
    parser.add_argument("--ramp", type=float, default=60.0,
                        help="seconds over which the case managers start (0: all at once)")
    args = parser.parse_args()
    levels = [int(n) for n in args.users.split(",")]
    accounts = {f"load_{i:02d}": ("case_manager", "e2e-a") for i in range(max(levels) + 1)}
    with tempfile.TemporaryDirectory(prefix="reintegrate-load-") as folder:
        workspace = start(Path(folder), accounts=accounts)
        try:
            # flows first, not measured: each server process loads the rules, templates and
            # fonts once; several at once, so that every process has served one
            run(workspace.url, 2 * (os.cpu_count() or 1), 0, -1, 0)
            results = {n: run(workspace.url, n, args.think, i, args.ramp)
                       for i, n in enumerate(levels)}
        finally:
            workspace.stop()
    report(results, levels, args)


def report(results: dict[int, Timings], levels: list[int], args: argparse.Namespace) -> None:
    low, high = levels[0], levels[-1]
    pages = list(results[low].seconds)
    print(f"{'page':<20}" + "".join(f"{f'{n} users p50/p95 (ms)':>24}" for n in levels)
          + f"{f'p95@{high} / p50@{low}':>18}")
    ratios: dict[str, float] = {}
    for page in pages:
        cells = []
        for n in levels:
            values = results[n].seconds.get(page, [])
            cells.append(f"{quantile(values, 50) * 1000:>10.0f} /"
                         f"{quantile(values, 95) * 1000:>8.0f}" if values else f"{'-':>19}")
        if results[high].seconds.get(page):
            ratios[page] = (quantile(results[high].seconds[page], 95)
                            / quantile(results[low].seconds[page], 50))
        print(f"{page:<20}" + "".join(f"{c:>24}" for c in cells)
              + f"{ratios.get(page, float('nan')):>18.1f}")
    every = {n: [s for values in results[n].seconds.values() for s in values] for n in levels}
    base, top = quantile(every[low], 50), quantile(every[high], 95)
    errors = sum(len(results[n].errors) for n in levels)
    for n in levels:
        for error in sorted(set(results[n].errors))[:5]:
            print(f"  error with {n} users: {error}")
    worst = max(ratios, key=ratios.__getitem__)
    within = sum(r <= TARGET for r in ratios.values())
    print(f"all pages together: {low} user(s) p50 {base * 1000:.0f} ms, {high} users p95 "
          f"{top * 1000:.0f} ms, ratio {top / base:.1f}; requests "
          f"{sum(len(v) for v in every.values())}; think {args.think:g} s, ramp {args.ramp:g} s")
    print(f"{high} users: p95 / {low}-user p50 per page: median "
          f"{statistics.median(ratios.values()):.1f}, worst {ratios[worst]:.1f} ({worst}), "
          f"{within} of {len(ratios)} pages <= {TARGET:g} (target: all); errors {errors} "
          "(target: none)")


if __name__ == "__main__":
    main()
