"""Prometheus metrics at /metrics, read from the running server when scraped (no globals)."""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from api.resources import Resources

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


class LedgerCollector(Collector):
    """The ledger's size and checkpoints, and how far behind each witness is."""

    def __init__(self, resources: Resources) -> None:
        self._resources = resources

    def collect(self) -> Iterator[Metric]:
        resources = self._resources
        if not resources.is_open:
            return
        ledger = resources.ledger
        latest = ledger.latest_checkpoint()
        checkpoint_size = 0 if latest is None else latest.tree_size
        yield GaugeMetricFamily("hdt_ledger_size", "Entries durable in the ledger.",
                                value=ledger.size)
        yield GaugeMetricFamily("hdt_ledger_checkpoint_size",
                                "Entries the latest signed checkpoint covers.",
                                value=checkpoint_size)
        witnessing = resources.witnessing
        yield GaugeMetricFamily("hdt_ledger_cosigned_size",
                                "Entries the latest checkpoint with a quorum of cosignatures "
                                "covers.", value=witnessing.cosigned_size)
        lag = GaugeMetricFamily("hdt_witness_lag_entries", "Entries the latest checkpoint "
                                "holds beyond what the witness cosigned.", labels=["witness"])
        cosigned = GaugeMetricFamily("hdt_witness_cosigned_size",
                                     "Tree size the witness cosigned last.", labels=["witness"])
        failures = GaugeMetricFamily("hdt_witness_failures", "Failed submissions since the "
                                     "witness's last cosignature.", labels=["witness"])
        seconds = GaugeMetricFamily("hdt_witness_cosign_seconds", "Median seconds from a "
                                    "checkpoint to the witness's cosignature (recent ones).",
                                    labels=["witness"])
        for w in witnessing.witnesses:
            lag.add_metric([w.name], max(0, checkpoint_size - w.cosigned_size))
            cosigned.add_metric([w.name], w.cosigned_size)
            failures.add_metric([w.name], w.failures)
            if w.cosign_seconds:
                ordered = sorted(w.cosign_seconds)
                seconds.add_metric([w.name], ordered[len(ordered) // 2])
        yield from (lag, cosigned, failures, seconds)


def metrics_routes(resources: Resources) -> list[Route]:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(LedgerCollector(resources))

    async def metrics(_: Request) -> Response:
        return Response(generate_latest(registry), media_type=CONTENT_TYPE)

    return [Route("/metrics", metrics, methods=["GET"])]
