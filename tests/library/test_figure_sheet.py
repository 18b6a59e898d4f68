"""docs/figures.html shows what the renderer draws now: `make figures` rewrites it."""

import xml.etree.ElementTree as ET

from backcoach.library import content
from backcoach.library.figure_sheet import SHEET, contact_sheet


def test_the_committed_contact_sheet_is_up_to_date():
    fresh = contact_sheet(content.load_library().techniques)
    assert SHEET.read_text(encoding="utf-8") == fresh, "run `make figures` and commit the result"


def test_the_contact_sheet_holds_every_technique_once():
    techniques = content.load_library().techniques
    sheet = contact_sheet(techniques)
    for technique in techniques:
        assert sheet.count(f'id="figure-{technique.slug}-title"') == 1
    for svg in sheet.split("<svg")[1:]:
        ET.fromstring("<svg" + svg.split("</svg>")[0] + "</svg>")
