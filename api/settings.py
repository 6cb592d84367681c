"""The one settings object: every knob of the server, read from `HDT_*` variables and `.env`."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from graph.url import GraphTarget, parse_graph_url

# `npm run build` in web/ writes the console here; `hdt serve` serves it at `/`.
CONSOLE_BUILD = Path(__file__).resolve().parent.parent / "web" / "dist"


class Settings(BaseSettings):
    """Server configuration. Environment variables carry the `HDT_` prefix."""

    model_config = SettingsConfigDict(env_prefix="HDT_", env_file=".env", extra="ignore")

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)
    data_dir: Path = Path("data")
    graph_url: str | None = None
    graph_name: str = "hdt"
    neo4j_user: str = "neo4j"
    neo4j_password: SecretStr = SecretStr("")
    neo4j_database: str | None = None
    neo4j_heap: str = "512m"
    neo4j_port: int | None = None

    ledger_origin: str = "hdt.local/ledger"
    master_key: SecretStr | None = None

    token_ttl_seconds: int = Field(default=900, gt=0)
    graphiql: bool = True
    console_dir: Path = CONSOLE_BUILD
    introspection: bool = True
    max_query_depth: int = Field(default=12, gt=0)
    max_aliases: int = Field(default=30, gt=0)
    max_query_tokens: int = Field(default=2000, gt=0)
    max_body_bytes: int = Field(default=256 * 1024, gt=0)
    log_level: str = "INFO"
    login_failures_per_account_address: int = Field(default=5, gt=0)
    """Failed logins for one account from one address before that pair is locked."""
    login_failures_per_account: int = Field(default=10, gt=0)
    """Failed logins for one account from anywhere before each try waits longer."""
    login_failures_per_address: int = Field(default=30, gt=0)
    """Failed logins from one address, any account, before each try waits longer."""
    login_window_seconds: float = Field(default=900, gt=0)
    login_max_delay_seconds: float = Field(default=60, gt=0)
    """The longest wait imposed on an address (a ward's NAT) for its failed logins."""
    registrations_per_address: int = Field(default=10, gt=0)
    registration_window_seconds: float = Field(default=3600, gt=0)
    trusted_proxies: str = ""
    """Comma-separated addresses or networks of the reverse proxies whose X-Forwarded-For
    and X-Forwarded-Proto are believed (uvicorn's `forwarded_allow_ips`); none by default,
    so that a client cannot pick the address it is throttled under."""

    @property
    def graph(self) -> GraphTarget:
        """The store to open: `HDT_GRAPH_URL`, else the embedded store under the data dir."""
        if self.graph_url is None:
            return GraphTarget(kind="embedded", data_dir=(self.data_dir / "graph").resolve())
        return parse_graph_url(self.graph_url)

    @property
    def proxies(self) -> list[str]:
        return [p.strip() for p in self.trusted_proxies.split(",") if p.strip()]

    @property
    def ledger_dir(self) -> Path:
        return self.data_dir / "ledger"

    @property
    def keys_dir(self) -> Path:
        """Secrets that must not travel with a copy of the ledger."""
        return self.data_dir / "keys"
