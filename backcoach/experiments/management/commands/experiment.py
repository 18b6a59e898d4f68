"""`backcoach experiment reanalyse FILE`: re-make an exported experiment's schedule from
its seed, re-run its analysis and say whether the numbers are the ones in the file."""

import json

from django.core.management.base import BaseCommand, CommandError

from backcoach.experiments import record

MAX_BYTES = 20 * 1024 * 1024


class Command(BaseCommand):
    help = "Personal experiments: `reanalyse FILE` checks an exported experiment's numbers."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        reanalyse = actions.add_parser(
            "reanalyse", help="re-run the analysis of an exported experiment (JSON)"
        )
        reanalyse.add_argument("file", help="the file from 'Download the whole experiment'")
        reanalyse.add_argument("--json", action="store_true", help="print the analysis as JSON")

    def handle(self, *args, action, file, **options):
        try:
            with open(file, "rb") as source:
                text = source.read(MAX_BYTES + 1)
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc.strerror or exc}") from None
        if len(text) > MAX_BYTES:
            raise CommandError(f"{file} is larger than an experiment file can be")
        try:
            data = json.loads(text)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CommandError(f"{file} is not JSON: {exc}") from None
        try:
            fresh, differences = record.reanalysed(data)
        except record.BadDocument as exc:
            raise CommandError(f"{file}: {exc}") from None
        if options["json"]:
            self.stdout.write(json.dumps(fresh, indent=2, ensure_ascii=False))
        else:
            for key, result in fresh.items():
                self.stdout.write(f"{key}: {result['sentence']}")
                if result["estimate"] is not None and result["ci_low"] is not None:
                    chance = (
                        f", P(A better) {result['p_helpful']}"
                        if result["p_helpful"] is not None
                        else ""
                    )
                    self.stdout.write(
                        f"  A minus B {result['estimate']}, 95 % interval "
                        f"{result['ci_low']} to {result['ci_high']}{chance}"
                    )
            for deviation in data.get("deviations") or []:
                self.stdout.write(
                    f"Deviation: night {deviation['night']}, {deviation['entry']} "
                    f"{deviation['change']} {deviation['at']} (counted until "
                    f"{deviation['on_time_until']}); the verdict leaves it out."
                )
            if data.get("deviations"):
                later = data["analysis_with_deviations"][data["protocol"]["outcome"]]
                self.stdout.write(f"With the deviations: {later['sentence']}")
            for start in data["protocol"].get("earlier_starts") or []:
                drawn = ", ".join(f"{n['night']} {n['condition']}" for n in start["drawn"])
                self.stdout.write(
                    f"Started again: an experiment stopped {start['stopped_at']} had drawn {drawn}."
                )
        if differences:
            self.stderr.write("The numbers differ from the ones in the file:")
            for line in differences:
                self.stderr.write(f"  {line}")
            raise CommandError("the file's analysis does not match its data", returncode=2)
        self.stdout.write("Same numbers as in the file.")
