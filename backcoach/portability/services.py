"""Importing: read, check every row, then write all of it or nothing."""

from . import importer
from .importer import ImportRefused, Mapping, Report

__all__ = ["ImportRefused", "Mapping", "Report", "data_import"]


def data_import(
    *,
    person,
    data: bytes,
    mapping: Mapping | None = None,
    dry_run: bool = False,
    site_url: str = "",
) -> Report:
    """Import a file into the person's data. Returns the report: with problems (or a
    dry run) nothing was written. A plain CSV of pain ratings needs its `mapping`.
    `site_url`, the address people reach this site at, lets an e-mail reminder be switched
    on again (its links lead there)."""
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
    if plan.email_reminder and not site_url:
        plan.email_reminder = False
        report.notes.append(
            "The e-mail reminder was on: switch it on again in Reminders (an import from the "
            "command line does not know the address its links should lead to)."
        )
    if report.ok and not dry_run:
        importer.plan_save(person, plan, site_url=site_url)
    return report
