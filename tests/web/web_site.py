"""The web tests' site: the app on a fresh store holding the world's run (see conftest)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from anyio.from_thread import BlockingPortal
from review_world import PASSWORD, World
from sqlalchemy import select
from webclient import WebClient

from relook.security.accounts import User
from relook.security.policy import Role
from relook.store.engine import Store
from relook.store.tables import run_cases
from relook.web.app import create_app
from relook.web.settings import WebSettings

USERS = {
    "reviewer": Role.REVIEWER,
    "reviewer2": Role.REVIEWER,
    "supervisor": Role.SUPERVISOR,
    "supervisor2": Role.SUPERVISOR,
    "analyst": Role.ANALYST,
    "auditor": Role.AUDITOR,
    "admin": Role.ADMIN,
}


@dataclass
class Site:
    """The app on a fresh store holding the world's run, with one account per role."""

    store: Store
    world: World
    users: dict[str, User]
    portal: BlockingPortal
    workspace: Path
    secure_cookies: bool = False
    clients: list[WebClient] = field(default_factory=list)

    def __post_init__(self) -> None:
        settings = WebSettings(
            workspace=self.workspace,
            store_url="unused: the store is passed in",
            secret_key="test-secret-key-" + "x" * 32,
            secure_cookies=self.secure_cookies,
        )
        self.app = create_app(settings, store=self.store)

    @property
    def run_id(self) -> str:
        return self.world.run_id

    def client(self) -> WebClient:
        client = WebClient(self.app, self.portal)
        self.clients.append(client)
        return client

    def login(self, username: str) -> WebClient:
        client = self.client()
        response = client.login(username, PASSWORD)
        assert response.status_code == 303, response.text[:500]
        return client

    def in_scope_cases(self, *, in_network: bool | None = None) -> list[str]:
        query = select(run_cases.c.case_id).where(
            run_cases.c.run_id == self.run_id, run_cases.c.in_scope_wider.is_(True)
        )
        if in_network is True:
            query = query.where(run_cases.c.network_id.is_not(None))
        elif in_network is False:
            query = query.where(run_cases.c.network_id.is_(None))
        with self.store.read() as connection:
            return list(connection.execute(query.order_by(run_cases.c.queue_rank)).scalars())
