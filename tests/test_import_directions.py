"""Each part in its own room: which backcoach package may import which, read from the source.

Imports are read with `ast` (inside functions too), so a rule is checked without running
the code. The pure modules must not reach Django, also not through another backcoach
module they import.
"""

import ast
from pathlib import Path

import pytest

import backcoach

PACKAGE_DIR = Path(backcoach.__file__).parent
APPS = (
    "accounts",
    "library",
    "player",
    "safety",
    "reminders",
    "diary",
    "insights",
    "experiments",
    "portability",
    "api",
)
ABOVE_SAFETY = ("library", "player", "diary", "insights", "experiments", "portability", "api")

# A package, and the packages it must never import.
FORBIDDEN = {
    "backcoach.safety": tuple(f"backcoach.{app}" for app in ABOVE_SAFETY),
    "backcoach.library": (
        "backcoach.player",
        "backcoach.diary",
        "backcoach.insights",
        "backcoach.experiments",
        "backcoach.api",
    ),
    "backcoach.diary": (
        "backcoach.player",
        "backcoach.insights",
        "backcoach.experiments",
        "backcoach.portability",
        "backcoach.api",
    ),
    # Experiments read practices and check-ins by their people's related names.
    "backcoach.experiments": ("backcoach.player", "backcoach.portability", "backcoach.api"),
    "backcoach.player": ("backcoach.portability",),
    "backcoach.reminders": ("backcoach.portability",),
    "backcoach.api": ("backcoach.portability",),
    "backcoach.insights": ("backcoach.portability", "backcoach.api"),
    "backcoach.accounts": tuple(f"backcoach.{app}" for app in APPS if app != "accounts"),
    "backcoach.content_files": tuple(f"backcoach.{app}" for app in APPS),
}
# Logic and content readers with no Django, so that they are the easiest code to test.
PURE = (
    "backcoach.content_files",
    "backcoach.device_clock",
    "backcoach.experiments.analysis",
    "backcoach.experiments.charts",
    "backcoach.experiments.record",
    "backcoach.experiments.schedule",
    "backcoach.experiments.tdist",
    "backcoach.insights.charts",
    "backcoach.insights.ranges",
    "backcoach.insights.stats",
    "backcoach.insights.summary",
    "backcoach.library.builder",
    "backcoach.library.content",
    "backcoach.library.figures",
    "backcoach.library.vocabulary",
    "backcoach.nights",
    "backcoach.player.audio.ranges",
    "backcoach.player.audio.track",
    "backcoach.player.audio.voices",
    "backcoach.player.playback",
    "backcoach.player.timeline",
    "backcoach.reminders.bedtimes",
    "backcoach.reminders.calendar",
    "backcoach.reminders.vtimezone",
    "backcoach.safety.content",
    "backcoach.safety.contraindications",
    "backcoach.safety.rules",
)
DJANGO = ("django", "ninja", "csp", "axes", "whitenoise")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_by(source: str, module: str, *, is_package: bool = False) -> set[str]:
    """Every module `source` imports, by absolute name. For `from x import y`, both x and
    x.y, since y may be a module."""
    package = module if is_package else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def source_imports() -> dict[str, set[str]]:
    found = {}
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        name = module_name(path)
        found[name] = imported_by(
            path.read_text(encoding="utf-8"), name, is_package=path.name == "__init__.py"
        )
    return found


def within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def crossed_lines(imports: dict[str, set[str]]) -> list[str]:
    """Every import that breaks a rule, as 'importer imports imported'."""
    problems = []
    for module, names in imports.items():
        for package, forbidden in FORBIDDEN.items():
            if not within(module, package):
                continue
            for name in sorted(names):
                if any(within(name, banned) for banned in forbidden):
                    problems.append(f"{module} imports {name}")
    for pure in PURE:
        problems += [f"{pure} reaches Django: {path}" for path in django_paths(pure, imports)]
    return problems


def django_paths(start: str, imports: dict[str, set[str]]) -> list[str]:
    """Chains of imports from `start` to a Django package, through backcoach modules."""
    paths, seen, queue = [], {start}, [(start, (start,))]
    while queue:
        module, chain = queue.pop()
        for name in sorted(imports.get(module, ())):
            if any(within(name, django) for django in DJANGO):
                paths.append(" -> ".join((*chain, name)))
            elif name in imports and name not in seen:
                seen.add(name)
                queue.append((name, (*chain, name)))
            # Importing backcoach.x.y runs backcoach/x/__init__.py too.
            parent = name.rpartition(".")[0]
            while parent and parent in imports and parent not in seen:
                seen.add(parent)
                queue.append((parent, (*chain, parent)))
                parent = parent.rpartition(".")[0]
    return paths


def test_the_packages_import_only_downwards():
    assert crossed_lines(source_imports()) == []


def test_every_pure_module_exists():
    imports = source_imports()
    assert [name for name in PURE if name not in imports] == []


@pytest.mark.parametrize(
    ("module", "source", "expected"),
    [
        (
            "backcoach.safety.views",
            "from backcoach.library.models import Technique",
            "backcoach.safety.views imports backcoach.library.models",
        ),
        (
            "backcoach.safety.selectors",
            "def later():\n    from ..player import selectors\n",
            "backcoach.safety.selectors imports backcoach.player",
        ),
        (
            "backcoach.library.views",
            "import backcoach.api.practices",
            "backcoach.library.views imports backcoach.api.practices",
        ),
        (
            "backcoach.diary.views",
            "from backcoach.insights import selectors",
            "backcoach.diary.views imports backcoach.insights.selectors",
        ),
        (
            "backcoach.safety.selectors",
            "from backcoach.diary.models import Checkin",
            "backcoach.safety.selectors imports backcoach.diary.models",
        ),
        (
            "backcoach.accounts.forms",
            "from backcoach import safety",
            "backcoach.accounts.forms imports backcoach.safety",
        ),
        (
            "backcoach.player.timeline",
            "from django.utils import timezone",
            "backcoach.player.timeline reaches Django: backcoach.player.timeline -> django.utils",
        ),
        (
            "backcoach.library.builder",
            "from backcoach.safety import selectors",
            "backcoach.library.builder reaches Django: backcoach.library.builder -> "
            "backcoach.safety.selectors -> django.db",
        ),
    ],
)
def test_a_planted_import_is_caught(module, source, expected):
    imports = source_imports()
    imports[module] = imports.get(module, set()) | imported_by(source, module)
    assert expected in crossed_lines(imports)


def test_relative_imports_are_read_as_absolute_names():
    found = imported_by("from . import rules\nfrom ..library import content", "backcoach.safety.x")
    assert {"backcoach.safety.rules", "backcoach.library.content"} <= found
    found = imported_by("from .models import Screen", "backcoach.safety", is_package=True)
    assert "backcoach.safety.models" in found
