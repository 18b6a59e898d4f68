"""Importing: read, check every row, then write all of it or nothing."""

from . import importer
from .importer import ImportRefused, Mapping, Report

__all__ = ["ImportRefused", "Mapping", "Report", "data_import"]


def data_import(
    *, person, data: bytes, mapping: Mapping | None = None, dry_run: bool = False
) -> Report:
    """Import a file into the person's data. Returns the report: with problems (or a
    dry run) nothing was written. A plain CSV of pain ratings needs its `mapping`."""
    kind, content = importer.read_upload(data)
    report = Report()
    if kind == "pain-csv":
        if mapping is None:
            raise ImportRefused("This CSV is not a backcoach export: say which columns hold what.")
        header, rows = content
        plan = importer.plan_pain_csv(person, header, rows, mapping, report)
    else:
        document = importer.checkins_from_csv(content) if kind == "checkins" else content
        plan = importer.plan_export(person, document, report)
    if report.ok and not dry_run:
        importer.plan_save(person, plan)
    return report
