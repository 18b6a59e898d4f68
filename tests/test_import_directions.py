"""Each part in its own room: which backcoach part may import which, read from the source
and checked against the plan (docs/architecture.md, "Which part may use which").

A part is an app (`backcoach/diary/`) or a module beside the apps (`backcoach/nights.py`,
`backcoach/management/`). The plan's tables give each part a row naming the parts it may
use. An import that no row allows fails, and so do a use that a row names and no import
makes any more, a part with no row and a row for no part: the tables say what the code does.
Imports are read with `ast` (inside functions too), so a rule is checked without running
the code. The pure modules must not reach Django, also not through another backcoach module
they import, and the plan's table of pure modules names the same ones as PURE. An import
inside a function says in a comment above it why it is not at the top.
"""

import ast
import re
from collections import defaultdict
from pathlib import Path

import pytest

import backcoach

PACKAGE_DIR = Path(backcoach.__file__).parent
PLAN = PACKAGE_DIR.parent / "docs" / "architecture.md"
USES_HEADING = "## Which part may use which"
PURE_HEADING = "## Pure modules"
# Logic and content readers with no Django, so that they are the easiest code to test. The
# plan's table of pure modules names the same ones, so that taking one off takes two edits.
PURE = (
    "backcoach.charts",
    "backcoach.content_files",
    "backcoach.device_clock",
    "backcoach.diary.measures",
    "backcoach.diary.rules",
    "backcoach.experiments.analysis",
    "backcoach.experiments.charts",
    "backcoach.experiments.fit",
    "backcoach.experiments.outcomes",
    "backcoach.experiments.record",
    "backcoach.experiments.schedule",
    "backcoach.experiments.tdist",
    "backcoach.experiments.words",
    "backcoach.insights.charts",
    "backcoach.insights.ranges",
    "backcoach.insights.stats",
    "backcoach.insights.summary",
    "backcoach.library.builder",
    "backcoach.library.content",
    "backcoach.library.cue_timing",
    "backcoach.library.figures",
    "backcoach.library.vocabulary",
    "backcoach.nights",
    "backcoach.numbers",
    "backcoach.player.audio.ranges",
    "backcoach.player.audio.track",
    "backcoach.player.audio.voices",
    "backcoach.player.playback",
    "backcoach.player.rules",
    "backcoach.player.timeline",
    "backcoach.reminders.bedtimes",
    "backcoach.reminders.calendar",
    "backcoach.reminders.vtimezone",
    "backcoach.safety.content",
    "backcoach.safety.contraindications",
    "backcoach.safety.rules",
)
DJANGO = ("django", "ninja", "csp", "axes", "whitenoise")


class PlanError(ValueError):
    """The plan's tables cannot be read as an allowlist."""


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


def part_of(module: str) -> str | None:
    """The part a module belongs to: `backcoach.diary.models` to diary, `backcoach.nights`
    to nights. None outside backcoach, and for the bare package (its `__init__` is empty)."""
    names = module.split(".")
    return names[1] if names[0] == "backcoach" and len(names) > 1 else None


def section(text: str, heading: str) -> str:
    """The plan's text from `heading` to the next heading of its level."""
    start = text.index(heading + "\n")
    end = text.find("\n## ", start + len(heading))
    return text[start : end if end >= 0 else len(text)]


def table_rows(text: str) -> list[dict[str, str]]:
    """The rows of every Markdown table in `text`, each by its table's column names."""
    rows, header = [], None
    for line in text.splitlines():
        if not line.startswith("|"):
            header = None
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if header is None:
            header = cells
        elif not all(set(cell) <= set(":-") for cell in cells):
            rows.append(dict(zip(header, cells, strict=True)))
    return rows


def outside_parentheses(text: str) -> str:
    """`text` without what stands in parentheses: the plan's reasons, not read."""
    kept, depth = [], 0
    for character in text:
        depth += character == "("
        if depth == 0:
            kept.append(character)
        depth -= character == ")" and depth > 0
    return "".join(kept)


def part_names(cell: str) -> list[str]:
    """The parts a cell names in backticks: `diary`, `nights.py`, `management/`."""
    return [
        name.removesuffix(".py").removesuffix("/")
        for name in re.findall(r"`([^`]+)`", outside_parentheses(cell))
    ]


def plan_of(text: str) -> dict[str, set[str]]:
    """Each part the plan names, with the parts its row says it may use."""
    plan = {}
    for row in table_rows(section(text, USES_HEADING)):
        for part in part_names(row["part"]):
            if part in plan:
                raise PlanError(f"the plan gives {part} two rows")
            plan[part] = set(part_names(row["uses"]))
    return plan


def crossed_lines(imports: dict[str, set[str]], plan: dict[str, set[str]]) -> list[str]:
    """Every import the plan does not allow, as 'importer imports imported'; every use the
    plan allows that no import makes, and every part it misses or names wrongly; every
    pure module's way to Django."""
    problems, used = [], defaultdict(set)
    for module, names in sorted(imports.items()):
        home = part_of(module)
        for name in sorted(names):
            other = part_of(name)
            if home is None or other in (None, home):
                continue
            used[home].add(other)
            if home in plan and other not in plan[home]:
                problems.append(f"{module} imports {name}")
    parts = {part_of(module) for module in imports} - {None}
    problems += [f"{part} has no row in the plan" for part in sorted(parts - plan.keys())]
    problems += [
        f"the plan has a row for {part}, which is not a part of backcoach"
        for part in sorted(plan.keys() - parts)
    ]
    for part, allowed in sorted(plan.items()):
        problems += [
            f"the plan says {part} uses {other}, which no import does"
            for other in sorted(allowed - used[part])
        ]
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


def plan_cycle(plan: dict[str, set[str]]) -> list[str]:
    """A round of uses that leads back to where it began (empty when the plan has none):
    then no part is below the other, and an import of one inside a function hides it."""
    done: set[str] = set()

    def walk(part: str, path: list[str]) -> list[str]:
        if part in path:
            return [*path[path.index(part) :], part]
        if part in done:
            return []
        for other in sorted(plan.get(part, ())):
            found = walk(other, [*path, part])
            if found:
                return found
        done.add(part)
        return []

    for part in sorted(plan):
        found = walk(part, [])
        if found:
            return found
    return []


def pure_table_differences(text: str) -> list[str]:
    """Where the plan's table of pure modules and PURE disagree."""
    listed = set()
    for row in table_rows(section(text, PURE_HEADING)):
        for path in re.findall(r"`([^`]+)\.py`", row["module"]):
            listed.add("backcoach." + path.removeprefix("backcoach/").replace("/", "."))
    return [f"the plan calls {name} pure, PURE does not" for name in sorted(listed - set(PURE))] + [
        f"PURE holds {name}, the plan's table does not" for name in sorted(set(PURE) - listed)
    ]


def unexplained_late_imports(source: str, module: str) -> list[str]:
    """Imports inside a function with no comment just above them (or above the imports
    they stand with) saying why they are not at the top."""
    lines = source.splitlines()
    found = []
    for function in ast.walk(ast.parse(source)):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(function):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            above = node.lineno - 2
            while above >= 0 and lines[above].strip().startswith(("import ", "from ")):
                above -= 1
            if above < 0 or not lines[above].strip().startswith("#"):
                found.append(f"{module}:{node.lineno} imports inside {function.name}()")
    return found


def the_plan() -> str:
    return PLAN.read_text(encoding="utf-8")


def test_the_packages_import_only_what_the_plan_allows():
    assert crossed_lines(source_imports(), plan_of(the_plan())) == []


def test_no_part_uses_itself_through_others():
    assert plan_cycle(plan_of(the_plan())) == []


def test_a_planted_round_of_uses_is_caught():
    plan = plan_of(the_plan())
    plan["safety"] = plan["safety"] | {"player"}
    cycle = plan_cycle(plan)
    assert cycle[0] == cycle[-1] and {"safety", "player"} <= set(cycle)


def test_every_pure_module_exists():
    imports = source_imports()
    assert [name for name in PURE if name not in imports] == []


def test_the_plan_names_the_pure_modules():
    assert pure_table_differences(the_plan()) == []


def test_an_import_inside_a_function_says_why_it_is_not_at_the_top():
    found = []
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        found += unexplained_late_imports(path.read_text(encoding="utf-8"), module_name(path))
    assert found == []


def test_an_unexplained_import_inside_a_function_is_caught():
    source = (
        "def explained():\n    # Not a cycle: heavy.\n    import onnxruntime\n"
        "    from piper import PiperVoice\n\n\n"
        'def unexplained():\n    """Does it."""\n    from backcoach.diary.models import Checkin\n'
    )
    assert unexplained_late_imports(source, "backcoach.x") == [
        "backcoach.x:9 imports inside unexplained()"
    ]


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
        # A new dependency in a direction no rule forbade: the plan does not name it.
        (
            "backcoach.reminders.sending",
            "from backcoach.diary import selectors",
            "backcoach.reminders.sending imports backcoach.diary.selectors",
        ),
        # A new module beside the apps, with no row of its own.
        (
            "backcoach.weather",
            "from backcoach import nights",
            "weather has no row in the plan",
        ),
    ],
)
def test_a_planted_import_is_caught(module, source, expected):
    imports = source_imports()
    imports[module] = imports.get(module, set()) | imported_by(source, module)
    assert expected in crossed_lines(imports, plan_of(the_plan()))


def test_a_use_that_no_import_makes_any_more_is_caught():
    """As if the reminders stopped asking the player for tonight, and the plan still said
    they do."""
    imports = {
        module: {name for name in names if part_of(name) != "player"}
        if part_of(module) == "reminders"
        else names
        for module, names in source_imports().items()
    }
    problems = crossed_lines(imports, plan_of(the_plan()))
    assert "the plan says reminders uses player, which no import does" in problems


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            "| `weather.py` | tomorrow's weather | `nights.py` |",
            "the plan has a row for weather, which is not a part of backcoach",
        ),
        (
            "| `library` | techniques, again | `safety` |",
            "the plan gives library two rows",
        ),
    ],
)
def test_a_planted_row_is_caught(row, expected):
    accounts = next(line for line in the_plan().splitlines() if line.startswith("| `accounts` |"))
    plan = the_plan().replace(f"{accounts}\n", f"{accounts}\n{row}\n")
    assert plan != the_plan()
    try:
        problems = crossed_lines(source_imports(), plan_of(plan))
    except PlanError as error:
        problems = [str(error)]
    assert expected in problems


def test_a_pure_module_missing_from_the_plan_is_caught():
    plan = the_plan().replace("| `safety/rules.py` |", "| safety's rules |")
    assert plan != the_plan()
    assert pure_table_differences(plan) == [
        "PURE holds backcoach.safety.rules, the plan's table does not"
    ]


def test_the_plan_is_read_by_its_names_in_backticks_outside_parentheses():
    text = (
        "## Which part may use which\n\nWords.\n\n| part | what it holds | uses |\n|---|---|---|\n"
        "| `diary` | check-ins | `safety` (its `content`, and (nested) words), `nights.py` |\n"
        "| `cli.py`, `management/` | commands | nothing |\n\n## Next\n| part | uses |\n"
        "|---|---|\n| `api` | `diary` |\n"
    )
    assert plan_of(text) == {"diary": {"safety", "nights"}, "cli": set(), "management": set()}


def test_relative_imports_are_read_as_absolute_names():
    found = imported_by("from . import rules\nfrom ..library import content", "backcoach.safety.x")
    assert {"backcoach.safety.rules", "backcoach.library.content"} <= found
    found = imported_by("from .models import Screen", "backcoach.safety", is_package=True)
    assert "backcoach.safety.models" in found
