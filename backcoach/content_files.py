"""Reads content files (YAML) and checks them field by field.

Pure Python and PyYAML, no Django. Every problem raises ContentError naming the file, the
line and the field, so that whoever edits a content file can fix it without reading code.
The library (techniques, routines) and safety (red flags, evidence, sources) both read
their files through it.
"""

from pathlib import Path
from typing import Any

import yaml


class ContentError(Exception):
    def __init__(self, file: Path | str, line: int, field_name: str, message: str):
        self.file, self.line, self.field, self.message = str(file), line, field_name, message
        super().__init__(f"{self.file}:{line}: {field_name}: {message}")


class Node:
    """A YAML value with the file and line it came from, and a path for messages."""

    def __init__(self, file: Path, node: yaml.Node, path: str, constructor=None):
        self.file, self.node, self.path = file, node, path
        self.line = node.start_mark.line + 1
        # One constructor per file turns nodes into Python values without re-parsing.
        self.constructor = constructor or yaml.constructor.SafeConstructor()

    def error(self, message: str, path: str | None = None) -> ContentError:
        return ContentError(self.file, self.line, path or self.path, message)

    def child(self, key: str) -> "Node | None":
        if not isinstance(self.node, yaml.MappingNode):
            raise self.error("must be a mapping of fields")
        for key_node, value_node in self.node.value:
            if key_node.value == key:
                path = f"{self.path}.{key}" if self.path else key
                return Node(self.file, value_node, path, self.constructor)
        return None

    def field_lines(self) -> list[tuple[str, int]]:
        if not isinstance(self.node, yaml.MappingNode):
            raise self.error("must be a mapping of fields")
        return [(k.value, k.start_mark.line + 1) for k, _ in self.node.value]

    def items(self) -> list["Node"]:
        if not isinstance(self.node, yaml.SequenceNode):
            raise self.error("must be a list")
        return [
            Node(self.file, item, f"{self.path}[{index}]", self.constructor)
            for index, item in enumerate(self.node.value)
        ]

    def value(self) -> Any:
        return self.constructor.construct_object(self.node, deep=True)


class Fields:
    """Typed access to a mapping's fields, refusing unknown ones."""

    def __init__(self, node: Node, allowed: set[str]):
        self.node = node
        for key, line in node.field_lines():
            if key not in allowed:
                path = f"{node.path}.{key}" if node.path else key
                raise ContentError(
                    node.file, line, path, f"unknown field (allowed: {', '.join(sorted(allowed))})"
                )

    def _get(self, key: str, required: bool) -> Node | None:
        child = self.node.child(key)
        if child is None and required:
            path = f"{self.node.path}.{key}" if self.node.path else key
            raise self.node.error("is missing", path)
        return child

    def text(self, key: str, *, required: bool = True, max_length: int = 2000) -> str:
        child = self._get(key, required)
        if child is None:
            return ""
        value = child.value()
        if not isinstance(value, str) or not value.strip():
            raise child.error("must be non-empty text")
        if len(value) > max_length:
            raise child.error(f"is longer than {max_length} characters")
        return " ".join(value.split())

    def slug(self, key: str) -> str:
        child = self._get(key, True)
        value = child.value()
        if (
            not isinstance(value, str)
            or not value
            or not all(c.islower() or c.isdigit() or c == "-" for c in value)
        ):
            raise child.error("must be lower-case letters, digits and hyphens")
        return value

    def choice(self, key: str, choices, *, required: bool = True, default: str = "") -> str:
        child = self._get(key, required)
        if child is None:
            return default
        value = child.value()
        if value not in choices:
            raise child.error(f"{value!r} is not one of: {', '.join(choices)}")
        return value

    def choices(
        self, key: str, choices, *, required: bool = True, allow_empty: bool = False
    ) -> tuple[str, ...]:
        child = self._get(key, required)
        if child is None:
            return ()
        values = []
        for item in child.items():
            value = item.value()
            if value not in choices:
                raise item.error(f"{value!r} is not one of: {', '.join(choices)}")
            if value in values:
                raise item.error(f"{value!r} is listed twice")
            values.append(value)
        if not values and not allow_empty:
            raise child.error("must list at least one")
        return tuple(values)

    def integer(self, key: str, *, low: int, high: int, required: bool = True) -> int | None:
        child = self._get(key, required)
        if child is None:
            return None
        value = child.value()
        if isinstance(value, bool) or not isinstance(value, int):
            raise child.error("must be a whole number")
        if not low <= value <= high:
            raise child.error(f"{value} is outside {low}..{high}")
        return value

    def number(self, key: str, *, low: float, high: float) -> float | None:
        child = self._get(key, False)
        if child is None:
            return None
        value = child.value()
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise child.error("must be a number")
        if not low <= value <= high:
            raise child.error(f"{value} is outside {low}..{high}")
        return float(value)

    def boolean(self, key: str, *, default: bool) -> bool:
        child = self._get(key, False)
        if child is None:
            return default
        value = child.value()
        if not isinstance(value, bool):
            raise child.error("must be true or false")
        return value

    def texts(self, key: str, *, max_length: int = 600) -> tuple[str, ...]:
        child = self._get(key, True)
        values = []
        for item in child.items():
            value = item.value()
            if not isinstance(value, str) or not value.strip():
                raise item.error("must be non-empty text")
            if len(value) > max_length:
                raise item.error(f"is longer than {max_length} characters")
            values.append(" ".join(value.split()))
        if not values:
            raise child.error("must list at least one")
        return tuple(values)

    def node_of(self, key: str, *, required: bool = True) -> Node | None:
        return self._get(key, required)


def read_yaml(path: Path) -> Node:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ContentError(path, 1, "(file)", "is not UTF-8 text") from None
    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise ContentError(path, line, "(yaml)", f"is not valid YAML: {exc.problem}") from None
    if root is None:
        raise ContentError(path, 1, "(file)", "is empty")
    node = Node(path, root, "")
    if not isinstance(root, yaml.MappingNode):
        raise node.error("must be a mapping of fields", "(file)")
    return node
