"""The README cannot drift: every command and every config key must be documented there.

Commands come from the argparse parser `aggregator` itself uses; config keys from
``config.CONFIG_KEYS``, the same table the validator checks feeds.yaml against. A new
command or key without a line in the README fails here, with what to add.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from aggregator.cli import _parser
from aggregator.config import CONFIG_KEYS

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _section(title_start: str) -> str:
    """The README's text from the heading starting with ``title_start`` to the next one."""
    match = re.search(rf"^## {re.escape(title_start)}.*?(?=^## |\Z)", README, re.M | re.S)
    assert match, f"README.md has no '## {title_start}' section"
    return match.group(0)


def _commands() -> dict[str, argparse.ArgumentParser]:
    parser = _parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


@pytest.mark.parametrize("command", sorted(_commands()))
def test_every_command_is_in_the_command_reference(command: str) -> None:
    reference = _section("Commands")
    assert f"`aggregator {command}" in reference, (
        f"`aggregator {command}` is missing from the README's Commands table: add a row"
    )
    rows = re.findall(rf"^\| `aggregator {re.escape(command)}[ `]", reference, re.M)
    assert len(rows) == 1, f"`aggregator {command}` has {len(rows)} rows in the Commands table"
    assert _commands()[command].description, f"`aggregator {command}` has no help text"


@pytest.mark.parametrize(
    ("section", "key"), sorted((s, k) for s, keys in CONFIG_KEYS.items() for k in keys)
)
def test_every_config_key_is_in_the_configuration_reference(section: str, key: str) -> None:
    reference = _section("Configuration reference")
    block = re.search(rf"^{section}:.*?(?=^\S|\Z)", reference, re.M | re.S)
    assert block, f"the Configuration reference has no `{section}:` section"
    assert re.search(rf"(^|[\s{{,-]){re.escape(key)}:", block.group(0), re.M), (
        f"`{section}.{key}` is missing from the README's Configuration reference: add it, "
        "with a comment saying what it does"
    )


def test_the_readme_starts_with_the_two_commands_and_has_the_promised_sections() -> None:
    setup = _section("Set up")
    assert "aggregator run" in setup and "pytest" in setup
    for title in ("A tour", "Published files", "Configuration reference", "Commands",
                  "Running as a service (systemd)", "FAQ"):  # fmt: skip
        _section(title)
    faq = _section("FAQ")
    for problem in ("will not parse", "encoding", "moved"):
        assert problem in faq
