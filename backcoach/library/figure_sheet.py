"""Every technique's picture on one page, docs/figures.html, to look at them all at once.

`make figures` writes it; tests/library/test_figure_sheet.py fails when the file differs from
what the renderer draws now. Built from the content files alone: pure Python, no Django.
"""

import sys
from html import escape
from pathlib import Path

from backcoach.library import content
from backcoach.library.figures import render_pose

SHEET = Path(__file__).resolve().parents[2] / "docs" / "figures.html"
STYLE = """
body { margin: 1rem; background: #0f141b; color: #e8edf3; font: 15px/1.4 system-ui, sans-serif; }
main { display: grid; grid-template-columns: repeat(auto-fill, minmax(22rem, 1fr)); gap: 1rem; }
figure { margin: 0; padding: 0.75rem; border: 1px solid #2b3747; border-radius: 0.5rem; }
figcaption { margin-bottom: 0.5rem; }
figcaption small { color: #9aa7b8; }
.pose-figure { width: 100%; height: auto; max-height: 16rem; }
"""


def contact_sheet(techniques) -> str:
    """An HTML page holding every technique's figure under its name, in slug order."""
    cards = []
    for technique in sorted(techniques, key=lambda t: t.slug):
        svg = render_pose(
            technique.pose,
            title=f"{technique.name}: the position",
            description=" ".join(technique.instructions),
            id_prefix=f"figure-{technique.slug}",
        )
        cards.append(
            f"<figure><figcaption><strong>{escape(technique.name)}</strong> "
            f"<small>{technique.slug}</small></figcaption>\n{svg}\n</figure>"
        )
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">\n'
        "<title>backcoach: every technique's picture</title>\n"
        f"<style>{STYLE}</style></head>\n<body>\n"
        "<h1>Every technique's picture</h1>\n"
        "<p>Drawn by backcoach/library/figures.py from the content files; "
        "regenerate with <code>make figures</code>.</p>\n"
        "<main>\n" + "\n".join(cards) + "\n</main>\n</body></html>\n"
    )


def main(argv: list[str]) -> None:
    target = Path(argv[1]) if len(argv) > 1 else SHEET
    target.write_text(contact_sheet(content.load_library().techniques), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv)
