"""The `hdt` command line: serve the twin, manage it and audit its ledger."""

from __future__ import annotations

import asyncio
import base64
import gc
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, TypeVar

import rich
import typer
import uvicorn
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress, TaskID
from rich.table import Table

from api import logs
from api.app import create_app
from api.auth.accounts import create_admin
from api.graphql.errors import ClientError
from api.knowledge import (
    fhir_export,
    fhir_import,
    fhir_json,
    icd10,
    medication_names,
    medications,
    tabular,
)
from api.ops import backup as backups
from api.ops import demo as demo_hospital
from api.ops import graph_audit
from api.resources import Resources, entries_missing_help
from api.settings import Settings
from api.twin.errors import TwinError
from api.witness.cli import app as witness_app
from graph.store import StoreError
from graph.url import BadGraphUrl
from ledger import EntriesMissing, LedgerError
from ledger import cli as ledger_cli

T = TypeVar("T")

app = typer.Typer(no_args_is_help=True, add_completion=False, help=__doc__,
                  pretty_exceptions_show_locals=False)
app.add_typer(ledger_cli.app, name="ledger")
app.add_typer(witness_app, name="witness")
import_app = typer.Typer(no_args_is_help=True, help="Load knowledge and records; every row "
                         "is anchored in the ledger. Run while the server is stopped.")
app.add_typer(import_app, name="import")


@app.callback()
def root() -> None:
    """Healthcare Digital Twin server."""


@app.command()
def serve() -> None:
    """Start the server (settings from HDT_* variables and .env)."""
    settings = Settings()
    settings.graph  # noqa: B018 - fail on a bad HDT_GRAPH_URL before anything starts
    logs.configure(settings.log_level)
    tabular.warm()
    medication_names.index()  # the first prescription should not wait for it
    asyncio.run(_serve(settings))


def settle_heap() -> None:
    """Move everything start-up made (ICD-10 and medication tables, the schema: some 750,000
    objects) out of the collector's sight. Each full collection walked all of them, a pause
    of 0.4 s or more under load, to free only what requests had left behind."""
    gc.collect()
    gc.freeze()


async def _serve(settings: Settings) -> None:
    """Open the store and ledger before listening, so a failure is one line, not a traceback."""
    app = create_app(settings)
    resources: Resources = app.state.resources
    await resources.open()
    settle_heap()
    try:
        # X-Forwarded-For is believed from the configured proxies only: uvicorn's default
        # (127.0.0.1) would let any local caller choose the address it is throttled under.
        config = uvicorn.Config(
            app, host=settings.host, port=settings.port, log_config=None,
            timeout_graceful_shutdown=10, proxy_headers=bool(settings.proxies),
            forwarded_allow_ips=settings.proxies,
            ws_max_size=settings.max_body_bytes,  # not buffer 16 MiB for BodyLimit to refuse
        )
        await uvicorn.Server(config).serve()
    finally:
        await resources.close()


@app.command("create-admin")
def create_admin_command(
    username: Annotated[str, typer.Option(prompt=True, help="Login name of the new admin.")],
    display_name: Annotated[str, typer.Option(prompt=True, help="Name shown to others.")],
    password: Annotated[str, typer.Option(
        prompt=True, hide_input=True, confirmation_prompt=True, envvar="HDT_ADMIN_PASSWORD",
        help="At least 12 characters (prompted when omitted).")],
) -> None:
    """Create an active administrator; run it while the server is stopped."""
    settings = Settings()
    logs.configure("WARNING")
    created = asyncio.run(_with_resources(
        settings, lambda resources: create_admin(resources, username, password, display_name)))
    rich.print(f"[green]created administrator[/green] {created.username} "
               f"(id {created.user_id}), anchored at ledger seq {created.anchor.seq}")


@import_app.command("icd10")
def import_icd10() -> None:
    """The whole ICD-10-CM tree (chapters, blocks, codes, IS_A); safe to run again."""
    settings = Settings()
    logs.configure("WARNING")
    with Progress() as progress:
        advance = _bar(progress, "ICD-10-CM")

        async def work(resources: Resources) -> tuple[int, int, int]:
            recorded, rows = await icd10.load(resources, "cli", advance)
            diseases, _ = await icd10.count(resources.store)
            return recorded, rows, diseases

        started = time.monotonic()
        recorded, rows, diseases = asyncio.run(_with_resources(settings, work))
    rich.print(f"ICD-10-CM: {rows} codes read, {recorded} new batches anchored, "
               f"{diseases} diseases in the graph ({time.monotonic() - started:.1f} s)")


@import_app.command("medications")
def import_medications() -> None:
    """The medication catalogue: RxNorm-coded substances with the ANSM interaction thesaurus
    (2020) and a curated demo table of what they treat; safe to run again."""
    settings = Settings()
    logs.configure("WARNING")
    with Progress() as progress:
        advance = _bar(progress, "medications")

        async def work(resources: Resources) -> tuple[int, int, tuple[int, int, int]]:
            recorded, rows = await medications.load(resources, "cli", advance)
            return recorded, rows, await medications.count(resources.store)

        started = time.monotonic()
        recorded, rows, (meds, interactions, treats) = asyncio.run(
            _with_resources(settings, work))
    rich.print(f"medications: {rows} rows read, {recorded} new batches anchored; the graph "
               f"holds {meds} medications, {interactions} interactions, {treats} TREATS links "
               f"({time.monotonic() - started:.1f} s)")


@import_app.command("fhir")
def import_fhir(
    path: Annotated[Path, typer.Argument(exists=True, help="A Bundle (.json file) or a "
                                         "directory of them.")],
    show: Annotated[int, typer.Option(help="How many problems to list.")] = 50,
) -> None:
    """FHIR R4 Bundles (transaction or collection, as Synthea writes them): each resource an
    anchored event; invalid ones reported with their path, the valid ones still loaded; safe
    to run again. Exits 1 when a resource was invalid."""
    settings = Settings()
    logs.configure("WARNING")
    with Progress() as progress:
        task = progress.add_task("FHIR bundles", total=None)
        report = asyncio.run(_with_resources(settings, lambda resources: fhir_import.load_paths(
            resources, path, "cli",
            lambda done, total: progress.update(task, completed=done, total=total))))
    table = Table("resource type", "loaded", "already there", "invalid")
    for kind, count in sorted(report.counts.items()):
        table.add_row(kind, *(str(n) for n in (count.loaded, count.unchanged, count.invalid)))
    rich.print(table)
    if report.patients:
        patients = Table("patient (FHIR id)", "twin id")
        for fhir_id, twin_id in sorted(report.patients.items()):
            patients.add_row(escape(fhir_id), twin_id)
        rich.print(patients)
    for note in report.notes[:show]:
        rich.print(f"[yellow]kept[/yellow] {escape(str(note))}")
    if len(report.notes) > show:
        rich.print(f"... and {len(report.notes) - show} more kept beside the stages")
    for problem in report.problems[:show]:
        rich.print(f"[red]invalid[/red] {escape(str(problem))}")
    if len(report.problems) > show:
        rich.print(f"... and {len(report.problems) - show} more problems")
    rich.print(f"{report.resources} resources in {report.seconds:.1f} s "
               f"({report.rate:.0f} resources/s), {report.events} events anchored")
    if report.problems:
        raise typer.Exit(1)


@app.command("export")
def export_fhir(
    patient_id: Annotated[str, typer.Argument(help="The patient's twin id, or the FHIR id "
                                              "they were imported with.")],
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the bundle "
                                                "here instead of to standard output.")] = None,
) -> None:
    """A patient's twin as a FHIR R4 (4.0.1) Bundle, validated before it is written; run it
    while the server is stopped."""
    settings = Settings()
    logs.configure("WARNING")
    bundle = asyncio.run(_with_resources(
        settings, lambda resources: fhir_export.export_patient(resources.store, patient_id)))
    text = fhir_json.dumps(bundle, indent=2) + "\n"
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
        rich.print(f"{len(bundle['entry'])} resources written to {escape(str(output))}")


@app.command()
def demo(
    patients: Annotated[int, typer.Option(min=1, max=20_000, help="How many patients.")] = 300,
    seed: Annotated[int, typer.Option(help="Same seed, same hospital.")] = 7,
    if_empty: Annotated[bool, typer.Option(
        "--if-empty", help="Do nothing when the ledger already holds entries.")] = False,
) -> None:
    """Load a synthetic hospital: ICD-10-CM, staff of every role (password
    `demo-password-2026`), and patients in every stage, all anchored in the ledger."""
    settings = Settings()
    logs.configure("WARNING")

    async def work(resources: Resources) -> demo_hospital.Hospital | None:
        if if_empty and resources.ledger.size > 0:
            return None
        with Progress() as progress:
            await icd10.load(resources, "demo", _bar(progress, "ICD-10-CM"))
            await medications.load(resources, "demo", _bar(progress, "medications"))
            task = progress.add_task("patients", total=patients)
            return await demo_hospital.create(
                resources, patients, seed,
                progress=lambda done, total: progress.update(task, completed=done))

    hospital = asyncio.run(_with_resources(settings, work))
    if hospital is None:
        rich.print("the ledger already holds entries: no demo data added")
        return
    rich.print(f"demo hospital: {hospital.events} events anchored; patients per stage "
               f"{hospital.stages}; users {', '.join(hospital.users)} "
               f"(password {demo_hospital.DEMO_PASSWORD!r})")


@app.command()
def audit(
    show: Annotated[int, typer.Option(min=0, help="How many differences to list.")] = 50,
) -> None:
    """Replay the ledger into a scratch store and compare it with the graph: every node or
    relationship edited, deleted or added behind the server's back, with the seq that last
    wrote it. Exit 1 when they differ. Run it while the server is stopped."""
    settings = Settings()
    logs.configure("WARNING")
    with Progress(transient=True) as bars:
        report = asyncio.run(graph_audit.audit_data_dir(settings, _progress(bars)))
    out = Console(highlight=False)
    for line in graph_audit.summary(report):
        out.print(line, markup=False)
    if not report.ok:
        out.print(graph_audit.table(report, show))
        raise typer.Exit(1)


@app.command()
def rebuild(
    to: Annotated[str, typer.Option(
        "--to", help="The store to fill: embedded:///<dir>, neo4j-local:///<dir>, "
                     "neo4j://host:port or bolt://host:port.")],
    clear: Annotated[bool, typer.Option("--clear", help="Empty that store first.")] = False,
    resume: Annotated[bool, typer.Option(
        "--resume", help="Continue after the seq that store has applied.")] = False,
) -> None:
    """Replay the ledger into another store: a graph rebuilt from scratch, or a deployment
    moved from the embedded store to Neo4j. Run it while the server is stopped."""
    settings = Settings()
    logs.configure("WARNING")
    with Progress(transient=True) as bars:
        report = asyncio.run(graph_audit.rebuild(settings, to, clear=clear, resume=resume,
                                                 progress=_progress(bars)))
    replayed = report.replay
    rich.print(f"replayed {replayed.applied} events (seqs {replayed.start} to "
               f"{replayed.stop - 1}) into {to}: {report.nodes} nodes, "
               f"{report.relationships} relationships")
    if replayed.erased or replayed.refused:
        rich.print(f"not replayed: {len(replayed.erased)} events of erased subjects, "
                   f"{len(replayed.refused)} refused by the store")
    rich.print(f"to serve from it: HDT_GRAPH_URL={to}")


@app.command("backup")
def backup_command(
    directory: Annotated[Path, typer.Argument(help="A new or empty directory.")],
) -> None:
    """Copy the ledger (up to its latest signed checkpoint), the keys and a manifest into
    DIRECTORY; safe while the server runs. The graph is not copied: a restored server
    rebuilds it from the ledger."""
    settings = Settings()
    logs.configure("WARNING")
    report = backups.backup(settings, directory)
    rich.print(f"backed up {report.tree_size} ledger entries (root "
               f"{base64.b64encode(report.root_hash).decode()}): {report.files} files, "
               f"{report.bytes} bytes in {escape(str(directory))}")
    if report.server_running:
        rich.print("the server is running: the backup holds the ledger up to its latest "
                   "signed checkpoint; later entries are in the next backup")
    if report.master_key_included:
        rich.print("[yellow]this backup holds the master key: keep it as secret as the data "
                   "directory[/yellow]")


@app.command("restore")
def restore_command(
    directory: Annotated[Path, typer.Argument(help="A directory made by `hdt backup`.")],
) -> None:
    """Restore a backup into the data directory, which must be empty; every file is checked
    against the manifest and the ledger verified first. The graph is rebuilt from the ledger
    when the server next starts."""
    settings = Settings()
    logs.configure("WARNING")
    with Progress(transient=True) as bars:
        report = backups.restore(settings, directory, _progress(bars))
    rich.print(f"restored {report.tree_size} ledger entries (root "
               f"{base64.b64encode(report.root_hash).decode()}) into "
               f"{escape(str(report.data_dir))}; the graph is rebuilt from the ledger when the "
               "server next starts")
    if settings.graph_url is not None:
        rich.print(f"HDT_GRAPH_URL names a store outside the data directory: rebuild it with "
                   f"`hdt rebuild --to {escape(settings.graph_url)} --clear` so that it "
                   "matches the restored ledger")


def _progress(bars: Progress) -> Callable[[str, int, int], None]:
    """One bar per task a long operation reports on."""
    tasks: dict[str, TaskID] = {}

    def update(task: str, done: int, total: int) -> None:
        if task not in tasks:
            tasks[task] = bars.add_task(task, total=total)
        bars.update(tasks[task], completed=done, total=total)

    return update


def _bar(progress: Progress, name: str) -> Callable[[int, int], None]:
    """A progress callback (done, total) drawing one bar of `progress`."""
    task = progress.add_task(name, total=None)

    def advance(done: int, total: int) -> None:
        progress.update(task, completed=done, total=total)

    return advance


async def _with_resources(settings: Settings, work: Callable[[Resources], Awaitable[T]]) -> T:
    """Open the store and ledger as the server would, do `work`, close them again."""
    resources = Resources(settings)
    await resources.open()
    try:
        return await work(resources)
    finally:
        await resources.close()


def main() -> None:
    """Entry point: expected failures print one line and exit 2; nothing else is swallowed."""
    try:
        app()
    except EntriesMissing as exc:
        print(f"hdt: {exc}; {entries_missing_help(exc, Settings())}", file=sys.stderr)
        sys.exit(2)
    except (BadGraphUrl, StoreError, LedgerError, ClientError, TwinError, ValueError) as exc:
        print(f"hdt: {exc}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
