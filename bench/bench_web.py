"""Benchmark: the reviewer web app's queue and case pages under 16 concurrent clients.

Builds (or reuses) a workspace holding a run of a synthetic 9,000-case force, then for
each store backend (SQLite file; PostgreSQL) imports the run into a fresh store, starts
`uvicorn` in a subprocess, signs in 16 clients (httpx, one session each) and has them
request queue pages (random page and filters) and case pages (random in-scope cases),
a bounded number of times, over plain keep-alive connections (`RawClient`: the load
generator shares the server's cores and must cost it as little as possible). Prints
p50 / p95 / p99 per page and backend, the server's CPU per request, and a baseline
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
from urllib.parse import quote

import httpx
from sqlalchemy import create_engine, select, text

from relook.review.run_import import import_run
from relook.runs import run_force
from relook.security import accounts
from relook.security.audit import SYSTEM
from relook.security.keys import load_audit_key
from relook.store.engine import DATABASE_URL_ENV, create_store_engine, open_store
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
    space = Workspace(root)
    run_id = space.current_run_id()
    if run_id is None:
        force = root / "force"
        print(f"building a {cases:,}-case workspace in {root} (once) ...", flush=True)
        start = time.perf_counter()
        generate(force, cases=cases, seed=seed)
        saved = os.environ.pop(DATABASE_URL_ENV, None)
        try:
            run_id = run_force(force, root / "results", workspace=space).run_id
        finally:
            if saved is not None:
                os.environ[DATABASE_URL_ENV] = saved
        print(f"  done in {time.perf_counter() - start:.0f} s", flush=True)
    document = json.loads((space.run_dir(run_id) / "outputs" / "run.json").read_text())
    return run_id, document


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
    store = open_store(engine, audit_key=load_audit_key(root))  # the server's key
    start = time.perf_counter()
    import_run(store, Workspace(root).analysis_path_of(run_id), run_id, document)
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
    cpu_ms: dict[str, float] = field(default_factory=dict)
    """Per phase: CPU (user + system) the server's processes spent per request."""

    def add(self, page: str, seconds: float) -> None:
        self.by_page.setdefault(page, []).append(seconds * 1000)


async def sign_in(base: str) -> str:
    """Signs one client in (through httpx, as a browser would) and returns its Cookie
    header for the raw connection below."""
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        page = await client.get("/login")
        token = TOKEN.search(page.text)
        assert token
        response = await client.post(
            "/login", data={"username": USER, "password": PASSWORD, "csrf_token": token.group(1)}
        )
        assert response.status_code == 303, response.status_code
        return "; ".join(f"{name}={value}" for name, value in client.cookies.items())


class RawClient:
    """One keep-alive HTTP/1.1 connection that sends pre-built GET requests.

    The load generator shares the machine's two cores with the server. httpx spends
    0.6-0.8 ms of CPU per request, a third of what a page costs the server and more than
    a `/healthz` does, so measured latency would be partly the client's. This client
    spends about a tenth of that.
    """

    def __init__(self, host: str, port: int, cookie: str) -> None:
        self.host, self.port, self.cookie = host, port, cookie
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str) -> tuple[int, bytes]:
        try:
            return await self._get(path)
        except (asyncio.IncompleteReadError, ConnectionResetError):
            # The server closed a connection left idle past its keep-alive timeout (while
            # a search index was built, say): open a new one and ask again.
            await self.close()
            return await self._get(path)

    async def _get(self, path: str) -> tuple[int, bytes]:
        if self.writer is None or self.reader is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        self.writer.write(
            f"GET {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
            f"Cookie: {self.cookie}\r\nAccept: text/html\r\n\r\n".encode()
        )
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        lines = head.decode("latin-1").lower().split("\r\n")
        headers = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
        if "content-length" in headers:
            body = await self.reader.readexactly(int(headers["content-length"]))
        else:
            body = await self._chunked()
        if headers.get("connection") == "close":
            await self.close()
        return status, body

    async def _chunked(self) -> bytes:
        assert self.reader is not None
        parts = []
        while True:
            size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
            parts.append(await self.reader.readexactly(size + 2))
            if size == 0:
                return b"".join(parts)

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            await self.writer.wait_closed()
        self.reader = self.writer = None


# What a reviewer types into the search: case references, common and rare surnames,
# a forename with a surname, a registration mark and a phone number.
SEARCHES = ("smith", "khan", "ahmed", "jones", "o'brien", "kowalski", "mo ali", "AB12 CDE",
            "07700 900123")  # fmt: skip


def plan(kind: str, n: int, cases: list[str], rng: random.Random) -> list[tuple[str, str]]:
    """Queue and case pages four in ten each; the programme dashboard and a search one in
    ten each."""
    pages = max(1, len(cases) // 50)
    requests = []
    for i in range(n):
        slot = i % 10
        if kind == "baseline":
            requests.append(("baseline /healthz", "/healthz"))
        elif slot < 4:
            params = [f"page={rng.randint(1, pages)}"]
            if rng.random() < 0.3:
                params.append(rng.choice(["network=any", "status=unassigned", "scope=narrower"]))
            requests.append(("queue", "/queue?" + "&".join(params)))
        elif slot < 8:
            requests.append(("case", f"/cases/{rng.choice(cases)}"))
        elif slot == 8:
            requests.append(("programme", "/programme"))
        else:
            query = rng.choice([*SEARCHES, rng.choice(cases).lower()])
            requests.append(("search", "/search?q=" + quote(query)))
    return requests


# What each page must contain: a sign-in page or an error page would be cheaper to
# serve and must not count as a measured page.
EXPECTED = {
    "queue": b'data-testid="queue-table"',
    "programme": b'data-testid="programme-status"',
    "search": b'data-testid="search-results"',
    "case": b'data-testid="timeline"',
    "baseline /healthz": b"ok",
}


async def drive(
    clients: list[RawClient], requests: list[tuple[str, str]], timings: Timings
) -> None:
    queue: asyncio.Queue[tuple[str, str]] = asyncio.Queue()
    for item in requests:
        queue.put_nowait(item)

    async def worker(client: RawClient) -> None:
        while True:
            try:
                page, path = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            start = time.perf_counter()
            status, body = await client.get(path)
            elapsed = time.perf_counter() - start
            if status != 200 or EXPECTED[page] not in body:
                timings.errors += 1
            timings.add(page, elapsed)

    await asyncio.gather(*(worker(c) for c in clients))


def process_cpu_seconds(pid: int) -> float:
    """CPU time of a process and all its descendants (uvicorn's workers), from /proc."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / ticks
        for task in Path(f"/proc/{pid}/task").iterdir():
            for child in (task / "children").read_text().split():
                total += process_cpu_seconds(int(child))
    except (FileNotFoundError, ProcessLookupError):
        pass
    return total


async def measure(
    base: str, cases: list[str], clients_n: int, n: int, seed: int, server_pid: int
) -> Timings:
    cookies = [await sign_in(base) for _ in range(clients_n)]
    host, port = base.removeprefix("http://").split(":")
    clients = [RawClient(host, int(port), cookie) for cookie in cookies]
    rng = random.Random(seed)
    await drive(clients, plan("pages", clients_n * 4, cases, rng), Timings())  # warm-up
    timings = Timings()
    for phase, kind, count in (("baseline", "baseline", n // 2), ("pages", "pages", n)):
        before = process_cpu_seconds(server_pid)
        await drive(clients, plan(kind, count, cases, rng), timings)
        timings.cpu_ms[phase] = (process_cpu_seconds(server_pid) - before) * 1000 / count
    for client in clients:
        await client.close()
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
    cpu_notes: list[str] = []
    for backend in args.backends.split(","):
        print(f"{backend}:", flush=True)
        url = prepare_store(backend, root, run_id, document)
        cases = in_scope_cases(url, run_id)
        port = free_port()
        server = start_server(root, url, port, args.workers)
        try:
            timings = asyncio.run(
                measure(
                    f"http://127.0.0.1:{port}",
                    cases,
                    args.clients,
                    args.requests,
                    args.seed,
                    server.pid,
                )
            )
        finally:
            server.terminate()
            server.wait(timeout=30)
        for page, values in timings.by_page.items():
            rows.append(
                (backend, page, len(values), statistics.median(values),
                 percentile(values, 95), percentile(values, 99))
            )  # fmt: skip
        cpu_notes.append(
            f"{backend}: server CPU per request {timings.cpu_ms['baseline']:.1f} ms (/healthz),"
            f" {timings.cpu_ms['pages']:.1f} ms (queue, case, programme and search pages, mixed)"
        )
        if timings.errors:
            print(f"  {timings.errors} requests were not the expected page", flush=True)
    print()
    print(
        f"{args.clients} concurrent clients, {args.workers} uvicorn worker(s),"
        f" {len(cases):,} in-scope cases of {args.cases:,}"
    )
    print("| backend | page | requests | p50 ms | p95 ms | p99 ms |")
    print("|---|---|---|---|---|---|")
    for backend, page, n, p50, p95, p99 in rows:
        print(f"| {backend} | {page} | {n} | {p50:.0f} | {p95:.0f} | {p99:.0f} |")
    print()
    for note in cpu_notes:
        print(note)


if __name__ == "__main__":
    main()
