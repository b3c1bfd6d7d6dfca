"""Benchmark: the reviewer web app's queue and case pages under 16 concurrent clients.

Builds (or reuses) a workspace holding a run of a synthetic 9,000-case force, then for
each store backend (SQLite file; PostgreSQL) imports the run into a fresh store, starts
`uvicorn` in a subprocess, signs in 16 clients (httpx, one session each) and has them
request queue pages (random page and filters) and case pages (random in-scope cases),
a bounded number of times. Prints p50 / p95 / p99 per page and backend, and a baseline
measured the same way in the same run: `/healthz`, which goes through the same stack
(security headers, session lookup) but reads no data.

    .venv/bin/python bench/bench_web.py --cases 9000
    .venv/bin/python bench/bench_web.py --backends sqlite --requests 400   # quicker

Targets (bench/RESULTS.md): queue and case pages p95 <= 150 ms at 16 clients.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy import create_engine, select, text

from relook.pipeline.run import run_pipeline
from relook.security import accounts
from relook.security.audit import SYSTEM
from relook.store.engine import DATABASE_URL_ENV, create_store_engine, open_store
from relook.store.importer import import_run
from relook.store.tables import run_cases
from relook.synth import generate
from relook.workspace import Workspace

POSTGRES_URL = os.environ.get(
    "RELOOK_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
BENCH_SCHEMA = "relook_bench"
USER = "bench-supervisor"
PASSWORD = "benchmark password 2026"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def build_workspace(root: Path, cases: int, seed: int) -> tuple[str, dict[str, object]]:
    """The run's id and run.json; generates and runs the force only the first time."""
    runs = sorted((root / "runs").glob("*.json")) if (root / "runs").exists() else []
    if not runs or not (root / "analysis.duckdb").exists():
        force = root / "force"
        print(f"building a {cases:,}-case workspace in {root} (once) ...", flush=True)
        start = time.perf_counter()
        generate(force, cases=cases, seed=seed)
        saved = os.environ.pop(DATABASE_URL_ENV, None)
        try:
            report = run_pipeline(force, root / "results", workspace=Workspace(root))
        finally:
            if saved is not None:
                os.environ[DATABASE_URL_ENV] = saved
        print(f"  done in {time.perf_counter() - start:.0f} s", flush=True)
        runs = [root / "runs" / f"{report.run_id}.json"]
    document = json.loads(max(runs, key=lambda p: p.stat().st_mtime).read_text())
    return str(document["run_id"]), document


def prepare_store(backend: str, root: Path, run_id: str, document: dict[str, object]) -> str:
    """A fresh store for `backend` holding the run and one supervisor; returns its URL."""
    if backend == "sqlite":
        path = root / "bench-store.db"
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        url = f"sqlite:///{path}"
        engine = create_store_engine(url)
    else:
        admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f"DROP SCHEMA IF EXISTS {BENCH_SCHEMA} CASCADE"))
            connection.execute(text(f"CREATE SCHEMA {BENCH_SCHEMA}"))
        admin.dispose()
        url = f"{POSTGRES_URL}?options=-csearch_path%3D{BENCH_SCHEMA}"
        engine = create_store_engine(POSTGRES_URL, schema=BENCH_SCHEMA)
    store = open_store(engine)
    start = time.perf_counter()
    import_run(store, root / "analysis.duckdb", run_id, document)
    print(f"  import into {backend}: {time.perf_counter() - start:.1f} s", flush=True)
    with store.write() as connection:
        accounts.create_user(connection, USER, "supervisor", PASSWORD, by=SYSTEM)
    store.dispose()
    return url


def in_scope_cases(url: str, run_id: str) -> list[str]:
    engine = (
        create_store_engine(url)
        if url.startswith("sqlite")
        else create_store_engine(POSTGRES_URL, schema=BENCH_SCHEMA)
    )
    with engine.connect() as connection:
        cases = list(
            connection.execute(
                select(run_cases.c.case_id).where(
                    run_cases.c.run_id == run_id, run_cases.c.in_scope_wider.is_(True)
                )
            ).scalars()
        )
    engine.dispose()
    return cases


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(root: Path, url: str, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        DATABASE_URL_ENV: url,
        "RELOOK_WORKSPACE": str(root),
        "RELOOK_BIND_HOST": "127.0.0.1",
        "RELOOK_SECURE_COOKIES": "0",
    }
    command = [
        sys.executable, "-m", "uvicorn", "relook.web.server:app_from_environment", "--factory",
        "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
        "--log-level", "warning", "--no-access-log",
    ]  # fmt: skip
    server = subprocess.Popen(command, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        if server.poll() is not None:
            raise SystemExit("the server exited during start-up")
        time.sleep(0.2)
    server.terminate()
    raise SystemExit("the server did not start")


@dataclass
class Timings:
    by_page: dict[str, list[float]] = field(default_factory=dict)
    errors: int = 0

    def add(self, page: str, seconds: float) -> None:
        self.by_page.setdefault(page, []).append(seconds * 1000)


async def sign_in(base: str) -> httpx.AsyncClient:
    client = httpx.AsyncClient(base_url=base, timeout=60)
    page = await client.get("/login")
    token = TOKEN.search(page.text)
    assert token
    response = await client.post(
        "/login", data={"username": USER, "password": PASSWORD, "csrf_token": token.group(1)}
    )
    assert response.status_code == 303, response.status_code
    return client


def plan(kind: str, n: int, cases: list[str], rng: random.Random) -> list[tuple[str, str]]:
    pages = max(1, len(cases) // 50)
    requests = []
    for i in range(n):
        if kind == "baseline":
            requests.append(("baseline /healthz", "/healthz"))
        elif i % 2 == 0:
            params = [f"page={rng.randint(1, pages)}"]
            if rng.random() < 0.3:
                params.append(rng.choice(["network=any", "status=unassigned", "scope=narrower"]))
            requests.append(("queue", "/queue?" + "&".join(params)))
        else:
            requests.append(("case", f"/cases/{rng.choice(cases)}"))
    return requests


async def drive(
    clients: list[httpx.AsyncClient], requests: list[tuple[str, str]], timings: Timings
) -> None:
    queue: asyncio.Queue[tuple[str, str]] = asyncio.Queue()
    for item in requests:
        queue.put_nowait(item)

    async def worker(client: httpx.AsyncClient) -> None:
        while True:
            try:
                page, path = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            start = time.perf_counter()
            response = await client.get(path)
            elapsed = time.perf_counter() - start
            if response.status_code != 200:
                timings.errors += 1
            timings.add(page, elapsed)

    await asyncio.gather(*(worker(c) for c in clients))


async def measure(base: str, cases: list[str], clients_n: int, n: int, seed: int) -> Timings:
    clients = [await sign_in(base) for _ in range(clients_n)]
    rng = random.Random(seed)
    await drive(clients, plan("pages", clients_n * 4, cases, rng), Timings())  # warm-up
    timings = Timings()
    await drive(clients, plan("baseline", n // 2, cases, rng), timings)
    await drive(clients, plan("pages", n, cases, rng), timings)
    for client in clients:
        await client.aclose()
    return timings


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))
    return ordered[index]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=9000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workspace", type=Path, default=None)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--requests", type=int, default=1600, help="page requests per backend")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    args = parser.parse_args()
    root = args.workspace or Path(__file__).parent / "out" / f"web-{args.cases}"
    root.mkdir(parents=True, exist_ok=True)
    run_id, document = build_workspace(root, args.cases, args.seed)
    rows = []
    for backend in args.backends.split(","):
        print(f"{backend}:", flush=True)
        url = prepare_store(backend, root, run_id, document)
        cases = in_scope_cases(url, run_id)
        port = free_port()
        server = start_server(root, url, port, args.workers)
        try:
            timings = asyncio.run(
                measure(f"http://127.0.0.1:{port}", cases, args.clients, args.requests, args.seed)
            )
        finally:
            server.terminate()
            server.wait(timeout=30)
        for page, values in timings.by_page.items():
            rows.append(
                (backend, page, len(values), statistics.median(values),
                 percentile(values, 95), percentile(values, 99))
            )  # fmt: skip
        if timings.errors:
            print(f"  {timings.errors} requests did not return 200", flush=True)
    print()
    print(
        f"{args.clients} concurrent clients, {args.workers} uvicorn worker(s),"
        f" {len(cases):,} in-scope cases of {args.cases:,}"
    )
    print("| backend | page | requests | p50 ms | p95 ms | p99 ms |")
    print("|---|---|---|---|---|---|")
    for backend, page, n, p50, p95, p99 in rows:
        print(f"| {backend} | {page} | {n} | {p50:.0f} | {p95:.0f} | {p99:.0f} |")


if __name__ == "__main__":
    main()
