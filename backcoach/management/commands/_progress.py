import sys


class ProgressLine:
    """Shows `label: 42%` on one line of a terminal; elsewhere only the final line."""

    def __init__(self, label: str, stream=None):
        self.label = label
        self.stream = stream or sys.stderr
        self.interactive = self.stream.isatty()
        self.shown = -1

    def __call__(self, done: int, total: int) -> None:
        percent = 100 if total <= 0 else int(done * 100 / total)
        if self.interactive and percent != self.shown:
            self.stream.write(f"\r{self.label}: {percent:3d}%")
            self.stream.flush()
        self.shown = percent

    def finish(self) -> None:
        if self.interactive:
            self.stream.write(f"\r{self.label}: 100%\n")
            self.stream.flush()
