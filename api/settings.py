"""The one settings object: every knob of the server, read from `HDT_*` variables and `.env`."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from graph.url import GraphTarget, parse_graph_url
from ledger.cosignature import CosignatureVerifier
from ledger.errors import InvalidKey

# `npm run build` in web/ writes the console here; `hdt serve` serves it at `/`.
CONSOLE_BUILD = Path(__file__).resolve().parent.parent / "web" / "dist"


class WitnessConfig(BaseModel):
    """A witness the ledger's checkpoints go to (C2SP tlog-witness)."""

    name: str
    url: str
    """Its submission prefix: add-checkpoint is POSTed to <url>/add-checkpoint."""
    key: str
    """Its cosignature/v1 verifier key, name+hash+base64(0x04||key), as litewitness prints."""

    @field_validator("key")
    @classmethod
    def _key_parses(cls, key: str) -> str:
        try:
            CosignatureVerifier.from_key_text(key)
        except InvalidKey as exc:
            raise ValueError(f"not a witness key: {exc}") from None
        return key


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
    checkpoint_interval: float = Field(default=1.0, ge=0)
    """Seconds between the checkpoints the ledger signs as it grows (0: only on demand)."""
    witnesses: list[WitnessConfig] = []
    """The witnesses to cosign checkpoints, as JSON: [{"name", "url", "key"}, ...]."""
    witness_quorum: int = Field(default=1, ge=1)
    """How many witnesses must cosign a checkpoint before it is published as cosigned (k)."""
    witness_timeout_seconds: float = Field(default=10.0, gt=0)

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

    @model_validator(mode="after")
    def _quorum_reachable(self) -> Settings:
        if self.witnesses and self.witness_quorum > len(self.witnesses):
            raise ValueError(f"HDT_WITNESS_QUORUM is {self.witness_quorum}, but only "
                             f"{len(self.witnesses)} witness(es) are configured")
        return self

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
