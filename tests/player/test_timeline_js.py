"""The web player's timeline (static/js/player/timeline.js) passes the same vectors as
player/timeline.py: Node's test runner runs timeline_vectors.test.mjs.

Node rather than Chromium: the timeline is a module without DOM, and Node runs it as it is
in a fifth of a second, with no page, server or database; the browser journeys load the
same file in Chromium."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

HERE = Path(__file__).parent
TEST_FILE = HERE / "timeline_vectors.test.mjs"
VECTORS = json.loads((HERE / "timeline_vectors.json").read_text())
# The vectors, the planted disagreement, and the web player's own cases in the file.
OWN_CASES = 5


def run_node(test_file: Path) -> subprocess.CompletedProcess:
    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:
        pytest.fail(
            "Node.js is missing: run `make test`, which installs Debian's nodejs package "
            "(scripts/ensure-test-tools), or install it yourself"
        )
    return subprocess.run(
        [node, "--test", "--test-reporter=tap", str(test_file)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def tally(output: str) -> dict[str, int]:
    return {name: int(count) for name, count in re.findall(r"^# (pass|fail) (\d+)$", output, re.M)}


def test_the_javascript_timeline_gives_what_every_vector_says():
    result = run_node(TEST_FILE)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    # Every vector ran (a runner that found none would pass too).
    assert tally(output) == {"pass": len(VECTORS["vectors"]) + OWN_CASES, "fail": 0}, output


def test_a_vector_the_javascript_timeline_disagrees_with_fails_the_run(tmp_path):
    """The wrapper itself: a changed expectation makes Node fail, and this test would too."""
    planted = json.loads(json.dumps(VECTORS))
    step = planted["vectors"][0]["do"][0]
    step["total"] += 1
    (tmp_path / "timeline_vectors.json").write_text(json.dumps(planted))
    source = TEST_FILE.read_text().replace(
        "../../backcoach/", (Path(__file__).resolve().parents[2] / "backcoach").as_uri() + "/"
    )
    (tmp_path / TEST_FILE.name).write_text(source)
    result = run_node(tmp_path / TEST_FILE.name)
    assert result.returncode != 0
    assert tally(result.stdout) == {"pass": len(VECTORS["vectors"]) + OWN_CASES - 1, "fail": 1}
    assert VECTORS["vectors"][0]["name"] in result.stdout
