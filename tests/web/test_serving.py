"""How `hdt serve` serves the console: a strict Content-Security-Policy, hashed assets cached
for good, the app's page for client routes, GraphQL and GraphiQL left as they were, and
nothing in the build that would load from another origin."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
from starlette.applications import Starlette
from starlette.testclient import TestClient

from api.http.console import IMMUTABLE, NOT_BUILT, console_routes
from tests.web.browser import BUILD

STRICT = {
    "default-src": "'self'", "script-src": "'self'", "style-src": "'self'",
    "img-src": "'self' data:", "object-src": "'none'", "base-uri": "'none'",
    "frame-ancestors": "'none'",
}
ASSET = re.compile(r'(?:src|href)="(/assets/[^"]+)"')
# URLs that appear as plain strings in React and React Router (XML namespaces, links to
# documentation and polyfills in error messages, a base for parsing relative URLs): never
# fetched. That nothing is fetched from elsewhere, each browser test checks (tests/web/conftest).
INERT_URL_HOSTS = {"www.w3.org", "react.dev", "reactrouter.com", "github.com", "localhost"}


def _policy(header: str) -> dict[str, str]:
    directives = (d.strip().split(None, 1) for d in header.split(";") if d.strip())
    return {d[0]: d[1] if len(d) > 1 else "" for d in directives}


def test_the_page_is_never_cached_and_forbids_everything_but_this_server(console: str) -> None:
    page = httpx.get(f"{console}/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert page.headers["cache-control"] == "no-cache"
    policy = _policy(page.headers["content-security-policy"])
    for directive, value in STRICT.items():
        assert policy[directive] == value, (directive, policy)
    host = console.removeprefix("http://")
    assert policy["connect-src"].split() == ["'self'", f"ws://{host}", f"wss://{host}"]
    assert "unsafe" not in page.headers["content-security-policy"]


def test_hashed_assets_are_cached_for_a_year_and_a_missing_one_is_not_the_page(
        console: str) -> None:
    assets = ASSET.findall(httpx.get(f"{console}/").text)
    assert any(a.endswith(".js") for a in assets) and any(a.endswith(".css") for a in assets)
    for asset in assets:
        answer = httpx.get(f"{console}{asset}", headers={"Accept-Encoding": "gzip"})
        assert answer.status_code == 200, asset
        assert answer.headers["cache-control"] == IMMUTABLE
        assert answer.headers["content-encoding"] == "gzip"
    missing = httpx.get(f"{console}/assets/index-00000000.js")
    assert missing.status_code == 404
    assert "<html" not in missing.text


def test_client_routes_answer_with_the_app_page_and_graphql_is_untouched(console: str) -> None:
    index = httpx.get(f"{console}/").text
    for route in ("/login", "/admin/patients", "/audit/entry/12", "/transport/admit"):
        answer = httpx.get(f"{console}{route}")
        assert answer.status_code == 200 and answer.text == index, route
    api = httpx.post(f"{console}/graphql", json={"query": "{ serverInfo { version } }"})
    assert api.json()["data"]["serverInfo"]["version"]
    graphiql = httpx.get(f"{console}/graphql", headers={"Accept": "text/html"})
    assert graphiql.status_code == 200 and "graphiql" in graphiql.text.lower()
    # GraphiQL is strawberry's page, with its own scripts: the console's policy is not put on it.
    assert "content-security-policy" not in graphiql.headers
    assert httpx.get(f"{console}/health").json() == {"status": "ok"}


def test_the_build_loads_nothing_from_another_origin() -> None:
    html = (BUILD / "index.html").read_text()
    assert not re.search(r"(?:src|href)=\"(?!/)", html), html
    assert "<script>" not in html and "<style" not in html  # no inline code under the CSP
    for css in (BUILD / "assets").glob("*.css"):
        assert not re.search(r"url\((?!['\"]?(?:data:|/))", css.read_text()), css.name
    for js in (BUILD / "assets").glob("*.js"):
        hosts = set(re.findall(r"https?://([A-Za-z0-9.-]+)",
                               js.read_text()))
        assert hosts <= INERT_URL_HOSTS, (js.name, hosts - INERT_URL_HOSTS)


def test_a_server_without_a_build_says_how_to_make_one(tmp_path: Path) -> None:
    client = TestClient(Starlette(routes=console_routes(tmp_path / "dist")))
    answer = client.get("/admin/patients")
    assert answer.status_code == 503
    assert answer.text == NOT_BUILT
