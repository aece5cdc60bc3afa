"""Prometheus metrics: counters the poller feeds, gauges read from the store at scrape time.

Gauges come from the store rather than from memory so that `serve` alone (with polls run
by another process, say a timer running `aggregator poll`) reports the same truth.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from aggregator.models import PollOutcome

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


@dataclass(frozen=True)
class StoreFigures:
    items: int
    sources: int
    sources_failing: int
    last_success: float | None  # unix time of the newest successful poll


class _StoreCollector(Collector):
    def __init__(self, read: Callable[[], StoreFigures]) -> None:
        self.read = read

    def collect(self) -> Iterator[GaugeMetricFamily]:
        figures = self.read()
        yield GaugeMetricFamily(
            "aggregator_items_stored", "Items in the store (each story once)", figures.items
        )
        yield GaugeMetricFamily("aggregator_sources", "Configured sources", figures.sources)
        yield GaugeMetricFamily(
            "aggregator_sources_failing",
            "Sources whose last poll failed",
            figures.sources_failing,
        )
        if figures.last_success is not None:
            yield GaugeMetricFamily(
                "aggregator_last_successful_poll_timestamp_seconds",
                "Unix time of the newest successful poll of any source",
                figures.last_success,
            )


class Metrics:
    """One registry per process (tests build several apps, each with its own)."""

    def __init__(self, read_store: Callable[[], StoreFigures]) -> None:
        self.registry = CollectorRegistry()
        self.polls = Counter(
            "aggregator_polls", "Source polls by outcome", ["outcome"], registry=self.registry
        )
        self.new_items = Counter(
            "aggregator_new_items", "Items stored for the first time", registry=self.registry
        )
        self.fetch_seconds = Histogram(
            "aggregator_fetch_seconds",
            "Time to fetch a source",
            buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
            registry=self.registry,
        )
        for outcome in ("new", "unchanged", "not_modified", "error"):
            self.polls.labels(outcome=outcome)
        self.registry.register(_StoreCollector(read_store))

    def observe(self, outcome: PollOutcome) -> None:
        self.polls.labels(outcome=outcome.outcome).inc()
        self.new_items.inc(outcome.new_items)
        if outcome.elapsed:
            self.fetch_seconds.observe(outcome.elapsed)

    def render(self) -> bytes:
        return generate_latest(self.registry)
