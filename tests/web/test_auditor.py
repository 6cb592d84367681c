"""The auditor's screens in a real browser: proofs and checkpoint signatures are checked by the
page itself with the key the auditor pinned, so an answer the server (or anyone between) bent
is shown as failed, in red, with the reason. And an auditor sees no clinical content."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from playwright.sync_api import Locator, Page, Request, Route, expect

from tests.web.browser import DEMO_PASSWORD, check_screen, heading
from tests.web.conftest import Actor

OK_GREEN = "rgb(29, 107, 54)"  # --ok in shared/styles.css
ERROR_RED = "rgb(176, 0, 32)"  # --error
# What only a clinical screen asks for: an auditor's page must never request any of it.
CLINICAL_FIELDS = ("twin", "patients", "patientRecords", "medicationTransactions",
                   "exportPatient", "twinUpdated", "diseaseResults")


def graphql(base: str, token: str | None, query: str, variables: dict[str, Any] | None = None,
            ) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    answer = httpx.post(f"{base}/graphql", json={"query": query, "variables": variables or {}},
                        headers=headers, timeout=60)
    body: dict[str, Any] = answer.json()
    assert not body.get("errors"), body
    data: dict[str, Any] = body["data"]
    return data


def token_of(base: str, username: str) -> str:
    data = graphql(base, None, "mutation($u: String!, $p: String!) { login(username: $u, "
                   "password: $p) { ... on Session { token } } }",
                   {"u": username, "p": DEMO_PASSWORD})
    return str(data["login"]["token"])


def signed_head(base: str) -> tuple[int, str]:
    """The tree size and hex root of a fresh checkpoint, read by the test on its own."""
    note = graphql(base, token_of(base, "auditor"), "{ ledgerCheckpoint }")["ledgerCheckpoint"]
    _origin, size, root = note.split("\n")[:3]
    return int(size), base64.b64decode(root).hex()


def pin_key(page: Page, base: str) -> str:
    """Paste the ledger's key on the Pinned key screen, as an auditor who got it from the
    operator would. (The test reads it over its own connection: that is its out-of-band.)"""
    key = str(graphql(base, token_of(base, "auditor"), "{ ledgerPublicKey }")["ledgerPublicKey"])
    page.goto(f"{base}/audit/key")
    heading(page, "Pinned key")
    page.get_by_label("Ledger verifier key").fill(key)
    page.get_by_role("button", name="Pin this key").click()
    expect(page.get_by_role("status").filter(has_text="Pinned")).to_contain_text(
        key.split("+")[0] + "+" + key.split("+")[1])
    expect(page.get_by_test_id("pinned-key")).to_have_text(key)
    return key


@pytest.fixture
def auditor(actor: Callable[[], Actor]) -> Iterator[Actor]:
    person = actor()
    person.log_in("auditor")
    yield person


def color_of(page: Page, test_id: str) -> str:
    return str(page.get_by_test_id(test_id).evaluate("e => getComputedStyle(e).color"))


def expect_verified(page: Page, test_id: str, title: str) -> None:
    verdict = page.get_by_test_id(test_id)
    expect(verdict).to_have_attribute("data-verdict", "ok")
    expect(verdict).to_contain_text(title)
    assert color_of(page, test_id) == OK_GREEN


def expect_failed(page: Page, test_id: str, reason: str | re.Pattern[str]) -> None:
    verdict = page.get_by_test_id(test_id)
    expect(verdict).to_have_attribute("data-verdict", "failed")
    expect(verdict).to_have_attribute("role", "alert")
    expect(verdict.locator(".reason")).to_contain_text(reason)
    assert color_of(page, test_id) == ERROR_RED


def tamper(page: Page, operation: str, change: Callable[[dict[str, Any]], None]) -> None:
    """Let `change` rewrite the data of every answer to the GraphQL operation `operation`
    on its way from the server to the page."""
    def handle(route: Route, request: Request) -> None:
        body = request.post_data_json if request.method == "POST" else None
        if not isinstance(body, dict) or body.get("operationName") != operation:
            route.continue_()
            return
        response = route.fetch()
        data = response.json()
        change(data["data"])
        route.fulfill(response=response, body=json.dumps(data))

    page.route("**/graphql", handle)


def flip_hex(text: str, at: int) -> str:
    return text[:at] + ("0" if text[at] != "0" else "1") + text[at + 1:]


def forge_signature(note: str) -> str:
    """The same note with one base64 character of its signature changed (past the key id)."""
    text, _, sig_line = note.rstrip("\n").rpartition("\n")
    prefix, _, blob = sig_line.rpartition(" ")
    at = 20
    blob = blob[:at] + ("A" if blob[at] != "A" else "B") + blob[at + 1:]
    return f"{text}\n{prefix} {blob}\n"


def test_the_auditor_pins_a_key_and_verifies_an_entry_proof_in_the_browser(
        auditor: Actor) -> None:
    page, base = auditor.page, auditor.base
    heading(page, "Ledger")  # where an auditor lands
    expect(page.get_by_text("No key is pinned")).to_be_visible()
    pin_key(page, base)
    check_screen(page, "audit-key")
    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("link", name="Ledger", exact=True).click()
    heading(page, "Ledger")
    expect_verified(page, "checkpoint-verdict", "signature verified in this browser")
    expect(page.get_by_role("table")).to_contain_text("follows #")
    expect(page.locator(".verdict-cell.failed")).to_have_count(0)
    check_screen(page, "audit-ledger")

    seq = int(page.get_by_role("row").nth(3).get_by_role("link").first.inner_text().lstrip("#"))
    page.get_by_role("link", name=f"Entry {seq}: its proof").click()
    heading(page, f"Ledger entry {seq}")
    expect_verified(page, "entry-verdict", "Inclusion proof verified in this browser")
    size, root = signed_head(base)
    shown_size = int(page.get_by_test_id("checked-size").inner_text())
    # The page checked against the tree it was sent; nothing was written meanwhile.
    assert shown_size == size
    expect(page.get_by_test_id("checked-root")).to_have_text(root)
    check_screen(page, "audit-entry")


def test_a_tampered_proof_or_checkpoint_signature_is_shown_as_failed(auditor: Actor) -> None:
    page, base = auditor.page, auditor.base
    pin_key(page, base)
    seq = signed_head(base)[0] // 2

    def bend_one_hash(data: dict[str, Any]) -> None:
        proof = data["provenance"]["entries"][0]["inclusionProof"]
        proof[1] = flip_hex(proof[1], 5)

    tamper(page, "Provenance", bend_one_hash)
    page.goto(f"{base}/audit/entry/{seq}")
    heading(page, f"Ledger entry {seq}")
    expect_failed(page, "entry-verdict", re.compile(r"^Reason: root mismatch"))
    # The checkpoint itself was not touched: it still verifies.
    expect(page.get_by_test_id("checkpoint-verdict")).to_have_attribute("data-verdict", "ok")
    check_screen(page, "audit-entry-tampered-proof")
    page.unroute("**/graphql")

    def drop_one_hash(data: dict[str, Any]) -> None:
        data["provenance"]["entries"][0]["inclusionProof"].pop()

    tamper(page, "Provenance", drop_one_hash)
    page.reload()
    expect_failed(page, "entry-verdict", re.compile(r"proof has \d+ hashes, expected \d+"))
    page.unroute("**/graphql")

    def forge_checkpoint(data: dict[str, Any]) -> None:
        data["provenance"]["checkpoint"] = forge_signature(data["provenance"]["checkpoint"])

    tamper(page, "Provenance", forge_checkpoint)
    page.reload()
    expect_failed(page, "checkpoint-verdict", "signature does not verify with the pinned key")
    expect_failed(page, "entry-verdict", "signature does not verify with the pinned key")
    check_screen(page, "audit-entry-forged-checkpoint")
    page.unroute("**/graphql")

    # The same proofs, unbent, verify again: the failures above came from the tampering.
    page.reload()
    expect_verified(page, "entry-verdict", "Inclusion proof verified in this browser")

    def forge_latest(data: dict[str, Any]) -> None:
        data["ledgerCheckpoint"] = forge_signature(data["ledgerCheckpoint"])

    tamper(page, "LedgerCheckpoint", forge_latest)
    page.goto(f"{base}/audit/ledger")
    expect_failed(page, "checkpoint-verdict", "signature does not verify with the pinned key")
    expect(page.get_by_role("button", name=re.compile("Save this checkpoint"))).to_have_count(0)
    page.unroute("**/graphql")


ENTRY = """query($s: Int!) { ledgerEntries(from: $s, first: 1) {
  seq action entryHash entryBytes } }"""


def served_entry(base: str, seq: int) -> dict[str, Any]:
    """Entry `seq` as the server serves it, read by the test over its own connection."""
    entry: dict[str, Any] = graphql(base, token_of(base, "auditor"), ENTRY,
                                    {"s": seq})["ledgerEntries"][0]
    return entry


def rewritten_bytes(entry_bytes: str, old: str, new: str) -> str:
    text = base64.b64decode(entry_bytes).decode()
    assert old in text
    return base64.b64encode(text.replace(old, new, 1).encode()).decode()


def test_an_entry_is_read_from_its_own_bytes_and_a_server_that_disagrees_is_shown(
        auditor: Actor) -> None:
    page, base = auditor.page, auditor.base
    pin_key(page, base)
    seq = signed_head(base)[0] // 2
    served = served_entry(base, seq)
    action = served["action"]
    facts = page.get_by_test_id("entry-facts")

    page.goto(f"{base}/audit/entry/{seq}")
    heading(page, f"Ledger entry {seq}")
    expect_verified(page, "bytes-verdict", "read from the entry's bytes")
    expect_verified(page, "entry-verdict", "Inclusion proof verified in this browser")
    expect(facts).to_contain_text(action)
    expect(page.get_by_test_id("entry-verdict")).to_contain_text(served["entryHash"])

    # The metadata beside the bytes is changed; the bytes and every hash are the server's.
    def other_action(data: dict[str, Any]) -> None:
        data["ledgerEntries"][0]["action"] = "ForgedAction"

    tamper(page, "LedgerEntries", other_action)
    page.reload()
    said = f'the entry\'s bytes say action "{action}", the server says "ForgedAction"'
    expect_failed(page, "bytes-verdict", said)
    expect_failed(page, "entry-verdict", said)
    expect(facts).to_contain_text(action)  # what the bytes say, not what the server says
    expect(facts).not_to_contain_text("ForgedAction")
    check_screen(page, "audit-entry-tampered-metadata")
    page.unroute("**/graphql")

    # The bytes themselves are changed to say the other action.
    def other_bytes(data: dict[str, Any]) -> None:
        entry = data["ledgerEntries"][0]
        entry["entryBytes"] = rewritten_bytes(entry["entryBytes"], f'"action":"{action}"',
                                              '"action":"ForgedAction"')

    tamper(page, "LedgerEntries", other_bytes)
    page.reload()
    bent = re.compile(rf"the entry bytes hash to [0-9a-f]{{64}}, not the entry hash "
                      rf"{served['entryHash']}")
    expect_failed(page, "bytes-verdict", bent)
    expect_failed(page, "entry-verdict", bent)
    page.unroute("**/graphql")

    # Bytes, entry hash and metadata rewritten together agree with one another: the audit
    # path, from the new bytes' hash, no longer reaches the signed root.
    def rewrite_all(data: dict[str, Any]) -> None:
        entry = data["ledgerEntries"][0]
        entry["entryBytes"] = rewritten_bytes(entry["entryBytes"], f'"action":"{action}"',
                                              '"action":"ForgedAction"')
        raw = base64.b64decode(entry["entryBytes"])
        entry["entryHash"] = hashlib.sha256(b"\x00" + raw).hexdigest()
        entry["action"] = "ForgedAction"

    tamper(page, "LedgerEntries", rewrite_all)
    page.reload()
    expect_verified(page, "bytes-verdict", "read from the entry's bytes")
    expect_failed(page, "entry-verdict", re.compile(r"^Reason: root mismatch"))
    page.unroute("**/graphql")

    page.reload()
    expect_verified(page, "bytes-verdict", "read from the entry's bytes")
    expect_verified(page, "entry-verdict", "Inclusion proof verified in this browser")


def test_the_ledger_page_checks_each_row_from_its_bytes_and_the_chain_between_them(
        auditor: Actor) -> None:
    page, base = auditor.page, auditor.base
    pin_key(page, base)
    size = signed_head(base)[0]
    start = max(0, size - 5)
    page.goto(f"{base}/audit/ledger?from={start}")
    heading(page, "Ledger")
    rows = page.locator("tbody tr")
    expect(rows.first).to_have_attribute("data-seq", str(start))
    count = rows.count()
    assert count >= 3
    expect(page.locator("td [data-verdict=ok]")).to_have_count(count)
    expect(rows.nth(1)).to_contain_text(f"bytes match, follows #{start}")

    def other_action(data: dict[str, Any]) -> None:
        data["ledgerEntries"][1]["action"] = "ForgedAction"

    tamper(page, "LedgerEntries", other_action)
    page.reload()
    expect(rows.nth(1).locator("[data-verdict=failed]")).to_contain_text(
        'Failed: the entry\'s bytes say action "')
    # Cells: time, action, ...: the row shows what the bytes say.
    expect(rows.nth(1).locator("td").nth(1)).to_have_text(served_entry(base, start + 1)["action"])
    expect(page.locator("td [data-verdict=failed]")).to_have_count(1)
    page.unroute("**/graphql")

    # An entry rewritten whole (bytes, hash and metadata agreeing) breaks the link to it.
    def rewrite_entry(data: dict[str, Any]) -> None:
        entry = data["ledgerEntries"][1]
        text = base64.b64decode(entry["entryBytes"]).decode()
        time = json.loads(text)["chain"]["time"]
        later = time[:20] + ("1" if time[20] != "1" else "2") + time[21:]
        entry["entryBytes"] = rewritten_bytes(entry["entryBytes"], time, later)
        entry["entryHash"] = hashlib.sha256(
            b"\x00" + base64.b64decode(entry["entryBytes"])).hexdigest()
        entry["time"] = later

    tamper(page, "LedgerEntries", rewrite_entry)
    page.reload()
    expect(rows.nth(1).locator("[data-verdict=ok]")).to_contain_text(
        f"bytes match, follows #{start}")
    expect(rows.nth(2).locator("[data-verdict=failed]")).to_contain_text(
        "Failed: broken chain: its previous hash")
    expect(rows.nth(2)).to_contain_text(f"is not the hash of entry {start + 1}'s bytes")
    check_screen(page, "audit-ledger-broken-chain")
    page.unroute("**/graphql")


def test_provenance_of_a_node_checks_every_entry_and_marks_the_bent_one(auditor: Actor) -> None:
    page, base = auditor.page, auditor.base
    pin_key(page, base)
    admin = token_of(base, "admin")
    patient = graphql(base, admin, "{ patients(first: 1) { edges { node { id } } } }")
    node_id = patient["patients"]["edges"][0]["node"]["id"]
    page.goto(f"{base}/audit/provenance")
    heading(page, "Provenance")
    page.get_by_label("Node id").fill("no-such-node")
    page.get_by_role("button", name="Show its provenance").click()
    expect(page.get_by_role("alert")).to_contain_text("no ledger entry names no-such-node")
    page.get_by_label("Node id").fill(node_id)
    page.get_by_role("button", name="Show its provenance").click()
    heading(page, f"Provenance of {node_id}")
    expect_verified(page, "provenance-verdict", "inclusion proofs verified in this browser")
    rows = page.locator("tbody tr")
    count = rows.count()
    assert count >= 1
    expect(page.locator("td[data-verdict=ok]")).to_have_count(count)
    check_screen(page, "audit-provenance")

    def bend_last(data: dict[str, Any]) -> None:
        last = data["provenance"]["entries"][-1]
        last["inclusionProof"][0] = flip_hex(last["inclusionProof"][0], 0)

    tamper(page, "Provenance", bend_last)
    page.reload()
    last_seq = rows.last.get_attribute("data-seq")
    expect_failed(page, "provenance-verdict", f"entry {last_seq}: root mismatch")
    expect(page.get_by_test_id("provenance-verdict")).to_contain_text(
        f"1 of {count} inclusion proofs failed")
    expect(page.locator("td[data-verdict=failed]")).to_have_count(1)
    expect(rows.last.locator("td[data-verdict=failed]")).to_contain_text("Failed: root mismatch")
    page.unroute("**/graphql")

    # The entry hash the server states is not trusted either: the leaf is the bytes' hash.
    def bend_hash(data: dict[str, Any]) -> None:
        last = data["provenance"]["entries"][-1]["entry"]
        last["entryHash"] = flip_hex(last["entryHash"], 0)

    tamper(page, "Provenance", bend_hash)
    page.reload()
    expect_failed(page, "provenance-verdict", re.compile(
        rf"entry {last_seq}: the entry bytes hash to [0-9a-f]{{64}}, not the entry hash "))
    expect(rows.last.locator("td[data-verdict=failed]")).to_contain_text("Failed: the entry bytes")
    page.unroute("**/graphql")


def test_consistency_between_a_saved_checkpoint_and_a_later_one(auditor: Actor) -> None:
    page, base = auditor.page, auditor.base
    pin_key(page, base)
    page.goto(f"{base}/audit/ledger")
    expect_verified(page, "checkpoint-verdict", "signature verified")
    saved_size = int(page.get_by_test_id("checkpoint-size").inner_text())
    page.get_by_role("button", name=re.compile("Save this checkpoint")).click()
    expect(page.get_by_role("status").filter(has_text="This checkpoint is saved")).to_be_visible()

    # New writes: two registrations, each a ledger entry.
    for _ in range(2):
        name = f"crew.{uuid.uuid4().hex[:8]}"
        graphql(base, None, "mutation($i: RegisterInput!) { register(input: $i) { user { id } } }",
                {"i": {"username": name, "password": "a long synthetic passphrase",
                       "displayName": "Registered Crewmember", "role": "TRANSPORT",
                       "company": "Metro Ambulance Service"}})
    # The page hears of the growth (ledgerGrew) and says so; the checkpoint shown stays the same.
    expect(page.get_by_test_id("grown")).to_contain_text(
        re.compile(rf"has grown to ({saved_size + 1}|{saved_size + 2}) entries"))
    expect(page.get_by_test_id("checkpoint-size")).to_have_text(str(saved_size))
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Consistency").click()
    heading(page, "Consistency")
    expect(page.get_by_test_id("checkpoint-verdict")).to_have_attribute("data-verdict", "ok")
    page.get_by_role("button", name="Check consistency").click()
    expect_verified(page, "consistency-verdict", "Consistent: verified in this browser")
    assert int(page.get_by_test_id("old-size").inner_text()) == saved_size
    assert int(page.get_by_test_id("new-size").inner_text()) >= saved_size + 2
    check_screen(page, "audit-consistency")

    def bend(data: dict[str, Any]) -> None:
        proof = data["consistencyProof"]["proof"]
        proof[0] = flip_hex(proof[0], 7)

    tamper(page, "ConsistencyProof", bend)
    page.get_by_role("button", name="Check consistency").click()
    expect_failed(page, "consistency-verdict", "root mismatch")
    check_screen(page, "audit-consistency-tampered")
    page.unroute("**/graphql")

    # A pasted checkpoint is held to the pinned key too: one with a forged signature fails.
    saved = page.get_by_test_id("note-text").first.text_content() or ""
    page.get_by_label("Or paste an earlier checkpoint (optional)").fill(forge_signature(saved))
    page.get_by_role("button", name="Check consistency").click()
    expect_failed(page, "consistency-verdict", "signature does not verify with the pinned key")


def test_an_admin_sees_the_audit_screens_and_the_whole_ledger_verification(
        actor: Callable[[], Actor]) -> None:
    person = actor()
    page, base = person.page, person.base
    patients = graphql(base, token_of(base, "admin"),
                       "{ patients(first: 1) { edges { node { id } } } }")
    patient_id = patients["patients"]["edges"][0]["node"]["id"]
    graphql(base, token_of(base, "dr.tanaka"), "mutation($p: ID!, $r: String!) { breakGlass("
            "patientId: $p, reason: $r) { anchor { seq } } }",
            {"p": patient_id, "r": "Unconscious on arrival, own physician unreachable"})
    person.log_in("admin")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Pinned key").click()
    heading(page, "Pinned key")
    page.get_by_role("button", name="Show the server's key").click()
    expect(page.get_by_text("Pinning the key the server sends trusts the server.")).to_be_visible()
    page.get_by_role("button", name="Pin the server's key, trusting the server").click()
    expect(page.get_by_role("status").filter(has_text="trusting the server")).to_be_visible()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Break-glass accesses"
                                                             ).click()
    heading(page, "Break-glass accesses")
    row = page.get_by_role("row").filter(has_text="Unconscious on arrival")
    expect(row).to_contain_text(patient_id)
    expect(row).to_contain_text("dr.tanaka")
    check_screen(page, "audit-break-glass")
    row.get_by_role("link").click()
    expect_verified(page, "entry-verdict", "Inclusion proof verified in this browser")

    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("link", name="Verify the ledger").click()
    heading(page, "Verify the ledger")
    page.get_by_role("button", name="Verify the whole ledger").click()
    expect_verified(page, "ledger-verdict", "The server verified the whole ledger")
    expect_verified(page, "tie-verdict", "the verified tree is in the signed log")
    check_screen(page, "audit-verify")

    def bend_root(data: dict[str, Any]) -> None:
        data["verifyLedger"]["rootHash"] = flip_hex(data["verifyLedger"]["rootHash"], 3)

    tamper(page, "VerifyLedger", bend_root)
    page.get_by_role("button", name="Verify the whole ledger").click()
    expect_failed(page, "tie-verdict", "root mismatch")
    page.unroute("**/graphql")


def tab_to(page: Page, target: Locator, limit: int = 60) -> None:
    """Press Tab until `target` has the focus, as a keyboard user would."""
    for _ in range(limit):
        if target.evaluate("e => e === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{target} never got the focus with Tab")


def test_the_keyboard_alone_pins_the_key_and_opens_a_verified_proof(auditor: Actor) -> None:
    page, base = auditor.page, auditor.base
    key = str(graphql(base, token_of(base, "auditor"), "{ ledgerPublicKey }")["ledgerPublicKey"])
    page.goto(f"{base}/audit/key")
    heading(page, "Pinned key")
    tab_to(page, page.get_by_label("Ledger verifier key"))
    page.keyboard.type(key)
    tab_to(page, page.get_by_role("button", name="Pin this key"))
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("pinned-key")).to_have_text(key)
    tab_to(page, page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Ledger", exact=True))
    page.keyboard.press("Enter")
    heading(page, "Ledger")
    expect_verified(page, "checkpoint-verdict", "signature verified")
    entry = page.get_by_role("row").nth(1).get_by_role("link").first
    tab_to(page, entry)
    page.keyboard.press("Enter")
    expect_verified(page, "entry-verdict", "Inclusion proof verified in this browser")


def test_an_auditor_sees_no_clinical_content(auditor: Actor) -> None:
    page, base = auditor.page, auditor.base
    admin = token_of(base, "admin")
    listed = graphql(base, admin, "{ patients(first: 100) { edges { node { id givenName "
                     "familyName mrn } } } }")["patients"]["edges"]
    patients = [edge["node"] for edge in listed]
    assert patients
    secrets = [f"{p['givenName']} {p['familyName']}" for p in patients]
    secrets += [p["familyName"] for p in patients if len(p["familyName"]) > 4]
    secrets += [p["mrn"] for p in patients if p["mrn"]]
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.post_data or "")
            if r.url.endswith("/graphql") and r.method == "POST" else None)
    pin_key(page, base)
    seq = signed_head(base)[0] - 1
    screens: list[tuple[str, Callable[[], None]]] = [
        ("/audit/ledger", lambda: expect_verified(page, "checkpoint-verdict", "verified")),
        (f"/audit/entry/{seq}", lambda: expect_verified(page, "entry-verdict", "verified")),
        (f"/audit/provenance/{patients[0]['id']}",
         lambda: expect_verified(page, "provenance-verdict", "verified")),
        ("/audit/consistency", lambda: heading(page, "Consistency")),
        ("/audit/break-glass", lambda: heading(page, "Break-glass accesses")),
        ("/audit/verify", lambda: (
            page.get_by_role("button", name="Verify the whole ledger").click(),
            expect(page.get_by_test_id("ledger-verdict")).to_be_visible())),
        ("/audit/key", lambda: heading(page, "Pinned key")),
    ]
    for path, ready in screens:
        page.goto(f"{base}{path}")
        ready()
        for details in page.locator("details").all():
            details.evaluate("d => d.open = true")  # what is folded away is read too
        text = page.locator("body").inner_text()
        shown = [s for s in secrets if s in text]
        assert shown == [], (path, shown)
    check_screen(page, "audit-key-pinned")
    operations = " ".join(asked)
    assert asked, "the screens asked the server nothing"
    for field in CLINICAL_FIELDS:
        assert not re.search(rf"\b{field}\s*[({{]", operations), field
