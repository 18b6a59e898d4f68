"""What a personal experiment can measure: each morning answer as an outcome, its scale,
the smallest change in it that matters (with the source of that figure), and the words the
verdict's sentence says it in. Pure Python, no Django."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Outcome:
    """What the morning question measures, and the smallest change in it that matters.

    The sentence reads "{amount} {unit} {lower_word|higher_word} {measure}", for example
    "1.4 points less pain the next morning"."""

    key: str
    label: str
    unit: str  # plural; the singular drops the final "s"
    lower_is_better: bool
    smallest_change: float
    source: str
    sources: tuple[str, ...]  # keys of safety/content/sources.yaml that `source` cites
    minimum: float
    maximum: float
    measure: str
    lower_word: str
    higher_word: str
    decimals: int  # how many decimals the sentences show


OUTCOMES = {
    "pain": Outcome(
        key="pain",
        label="Pain the next morning (0-10)",
        unit="points",
        lower_is_better=True,
        smallest_change=1.0,
        source=(
            "About 1 point on the 0-10 scale went with feeling slightly better: Salaffi et al. "
            "2004, European Journal of Pain 8(4):283-291; the IMMPACT recommendations call "
            "10-20 % minimally important (Dworkin et al. 2008, Journal of Pain 9(2):105-121); "
            "2 points or 30 % is 'much improved' (Farrar et al. 2001, Pain 94(2):149-158)."
        ),
        sources=("salaffi-pain-change-2004", "dworkin-immpact-2008", "farrar-pain-change-2001"),
        minimum=0,
        maximum=10,
        measure="pain the next morning",
        lower_word="less",
        higher_word="more",
        decimals=1,
    ),
    "sleep_onset_minutes": Outcome(
        key="sleep_onset_minutes",
        label="Minutes to fall asleep",
        unit="minutes",
        lower_is_better=True,
        smallest_change=10.0,
        source=(
            "A convention, not a measured threshold: no firm minimal important difference "
            "exists for diary sleep-onset latency. The American Academy of Sleep Medicine's "
            "review of behavioural insomnia treatments set 20 minutes against a control and "
            "10 minutes between two active treatments as clinically significant, by "
            "consensus (Edinger et al. 2021, Journal of Clinical Sleep Medicine "
            "17(2):263-298); we use the smaller figure."
        ),
        sources=("edinger-insomnia-review-2021",),
        minimum=0,
        maximum=720,
        measure="time to fall asleep",
        lower_word="less",
        higher_word="more",
        decimals=0,
    ),
    "sleep_quality": Outcome(
        key="sleep_quality",
        label="Sleep quality (1-5)",
        unit="steps",
        lower_is_better=False,
        smallest_change=1.0,
        source=(
            "Our own choice: no established minimal important difference exists for a single "
            "1-5 sleep-quality item (the Consensus Sleep Diary question, Carney et al. 2012); "
            "one step is the smallest change a person can report."
        ),
        sources=("carney-sleep-diary-2012",),
        minimum=1,
        maximum=5,
        measure="sleep quality",
        lower_word="lower",
        higher_word="higher",
        decimals=1,
    ),
}

# Every source the outcomes cite, for the bibliography.
SOURCES = tuple(dict.fromkeys(key for outcome in OUTCOMES.values() for key in outcome.sources))
