"""Edit ``feeds.yaml`` the way an operator would: add categories and sources, keep the rest.

``config.py`` reads the file and validates it; this module is the only one that writes it,
and the only one that imports ruamel.yaml, because PyYAML forgets comments and reorders
nothing back: a file the operator annotated line by line must come back with every comment
where it was. ruamel's round-trip mode keeps comments, key order and quoting; what it
normalizes (the spaces that align flow mappings in columns) is put back line by line
afterwards, so an edit shows up in ``git diff`` as the added lines only.

Every edit is validated with ``config.load_settings`` on the new text before it replaces
the file (written beside it, then renamed), so a failed edit leaves the old file intact and
a daemon reloading on SIGHUP never reads half a file.
"""

from __future__ import annotations

import difflib
import io
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from aggregator.config import load_settings
from aggregator.errors import ConfigError, ConfigProblem
from aggregator.models import Settings

__all__ = ["NewCategory", "NewSource", "add_to_config"]


@dataclass(frozen=True)
class NewCategory:
    slug: str
    title: str
    description: str = ""


@dataclass(frozen=True)
class NewSource:
    name: str
    url: str
    categories: tuple[str, ...]
    interval: str | None = None  # as written in feeds.yaml, e.g. "30m"


def _yaml() -> YAML:
    yaml = YAML()  # round-trip mode
    yaml.preserve_quotes = True
    yaml.width = 4096  # never fold a long URL or title onto a second line
    # The shipped file's layout: "  - name:" under "sources:".
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def add_to_config(
    path: str | os.PathLike[str],
    *,
    categories: Sequence[NewCategory] = (),
    sources: Sequence[NewSource] = (),
) -> Settings:
    """Append ``categories`` and ``sources`` to the config at ``path``; return the new
    settings. Raises ``ConfigError`` (and leaves the file alone) if the result is invalid."""
    file = Path(path)
    original = file.read_text(encoding="utf-8-sig")
    if not categories and not sources:
        return load_settings(file)
    yaml = _yaml()
    try:
        doc = yaml.load(original)
    except YAMLError as e:
        raise ConfigError(
            [ConfigProblem(str(file), None, "yaml", f"cannot edit it: {e}; fix the syntax")]
        ) from e
    if not isinstance(doc, CommentedMap):
        raise ConfigError(
            [ConfigProblem(str(file), 1, "(top level)", "is not a mapping of sections")]
        )
    if categories:
        section = doc.get("categories")
        if not isinstance(section, CommentedMap):
            section = doc["categories"] = CommentedMap()
        for category in categories:
            body = CommentedMap(title=category.title)
            if category.description:
                body["description"] = category.description
            body.fa.set_flow_style()  # one line per category, like the shipped file
            section[category.slug] = body
    if sources:
        seq = doc.get("sources")
        if not isinstance(seq, CommentedSeq):
            seq = doc["sources"] = CommentedSeq()
        seq.fa.set_block_style()  # `sources: []` becomes a block list once it has entries
        for source in sources:
            entry = CommentedMap()
            entry["name"] = source.name
            entry["url"] = source.url
            cats = CommentedSeq(list(source.categories))
            cats.fa.set_flow_style()
            entry["categories"] = cats
            if source.interval:
                entry["interval"] = source.interval
            seq.append(entry)
    out = io.StringIO()
    yaml.dump(doc, out)
    text = _keep_original_spacing(original, out.getvalue())
    return _replace_validated(file, text)


def _keep_original_spacing(before: str, after: str) -> str:
    """Lines ruamel re-spaced but did not change come back exactly as the operator wrote
    them (column-aligned flow mappings, say)."""
    old = before.splitlines(keepends=True)
    new = after.splitlines(keepends=True)
    result: list[str] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "replace":
            for offset, line in enumerate(new[j1:j2]):
                i = i1 + offset
                same = i < i2 and _squeeze(old[i]) == _squeeze(line)
                result.append(old[i] if same else line)
        else:
            result.extend(new[j1:j2])
    return "".join(result)


def _squeeze(line: str) -> str:
    return "".join(line.split())


def _replace_validated(file: Path, text: str) -> Settings:
    """Write ``text`` beside ``file``, validate it there, then rename it over ``file``.

    Validating the temporary file in the same directory keeps relative paths (the
    database, file sources) resolving exactly as they will in place."""
    fd, tmp = tempfile.mkstemp(dir=file.parent, prefix=f".{file.name}.", suffix=".yaml")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        try:
            settings = load_settings(tmp)
        except ConfigError as e:
            problems = [
                ConfigProblem(str(file), p.line, p.field, f"after the edit: {p.message}")
                for p in e.problems
            ]
            raise ConfigError(problems) from e
        mode = file.stat().st_mode & 0o777 if file.exists() else 0o644
        os.chmod(tmp, mode)
        os.replace(tmp, file)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return _with_path(settings, file)


def _with_path(settings: Settings, file: Path) -> Settings:
    return replace(settings, path=str(file))
