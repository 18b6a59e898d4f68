"""The least-squares fits behind a personal experiment's analysis (analysis.py): the pair
model in closed form, and the all-nights model by its normal equations, with the residuals'
autocorrelation. Pure Python, no Django, no numpy; the model and why: docs/experiments.md.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

from backcoach.experiments.schedule import A, B


@dataclass(frozen=True)
class Point:
    """A night with a morning answer: its number from the first night, its pair, the
    condition it counts under and the answer."""

    index: int
    pair: int
    condition: str
    value: float


@dataclass(frozen=True)
class Fit:
    """What a fit says of A against B: the estimate and its standard error on its degrees
    of freedom (None where the data cannot give them), and the complete pairs it used."""

    method: str
    estimate: float | None  # A minus B
    standard_error: float | None
    degrees_of_freedom: int | None
    complete_pairs: int | None


def _solve_normal(
    xtx: list[list[float]], xty: list[float]
) -> tuple[list[float], list[list[float]]] | None:
    """Solves the normal equations of a least-squares fit with a few columns (here at most
    3) by Gauss-Jordan with partial pivoting: the coefficients and (XᵀX)⁻¹. None when the
    columns are not independent."""
    p = len(xty)
    scale = max(abs(xtx[i][i]) for i in range(p)) or 1.0
    work = [list(xtx[i]) + [1.0 if i == j else 0.0 for j in range(p)] for i in range(p)]
    for col in range(p):
        pivot = max(range(col, p), key=lambda r: abs(work[r][col]))
        if abs(work[pivot][col]) <= 1e-10 * scale:
            return None
        work[col], work[pivot] = work[pivot], work[col]
        lead = work[col][col]
        work[col] = [value / lead for value in work[col]]
        for r in range(p):
            if r != col and work[r][col] != 0.0:
                factor = work[r][col]
                work[r] = [a - factor * b for a, b in zip(work[r], work[col], strict=True)]
    inverse = [row[p:] for row in work]
    return [sum(inverse[i][j] * xty[j] for j in range(p)) for i in range(p)], inverse


def _residual_variance(residuals: Sequence[float], values: Sequence[float], df: int) -> float:
    rss = math.fsum(r * r for r in residuals)
    # Exactly fitting data (every pair the same difference) leaves rounding dust, not noise.
    if rss <= 1e-24 * (1.0 + math.fsum(v * v for v in values)):
        return 0.0
    return rss / df


def _exact(estimate: float, variance: float) -> float:
    """An exact fit has no interval to absorb rounding dust, so 1e-14 would count as a
    difference: round it away (to a billionth of the outcome's unit)."""
    return round(estimate, 9) + 0.0 if variance == 0 else estimate


def fit_pairs(points: Sequence[Point], label: str = "by the condition assigned") -> Fit:
    """The pair model: OLS with a level per pair, the condition and a linear trend. Within a
    pair the level cancels, so this is the regression of each complete pair's difference
    d = y(A) - y(B) on an intercept (the effect) and the order s (+1 when A came second: the
    trend over the one night between them), solved in closed form."""
    by_pair: dict[int, list[Point]] = {}
    for point in points:
        by_pair.setdefault(point.pair, []).append(point)
    differences, orders = [], []
    for first, *rest in by_pair.values():
        if len(rest) != 1 or first.condition == rest[0].condition:
            continue
        a, b = (first, rest[0]) if first.condition == A else (rest[0], first)
        differences.append(a.value - b.value)
        orders.append(1.0 if a.index > b.index else -1.0)
    n = len(differences)
    method = f"pair differences (OLS with pair levels, condition and trend), {label}"
    if n < 2:
        return Fit(method, None, None, None, n)
    sum_d, sum_s = math.fsum(differences), sum(orders)
    det = n * n - sum_s * sum_s  # XᵀX = [[n, Σs], [Σs, n]] since s² = 1
    if n >= 3 and det > 0:
        sum_sd = math.fsum(s * d for s, d in zip(orders, differences, strict=True))
        effect = (n * sum_d - sum_s * sum_sd) / det
        trend = (n * sum_sd - sum_s * sum_d) / det
        residuals = [d - effect - trend * s for s, d in zip(orders, differences, strict=True)]
        df, inverse_00 = n - 2, n / det
    else:
        # Every pair in the same order: the trend and the effect cannot be told apart.
        method = (
            "pair differences (OLS with pair levels and condition; no trend: every pair in "
            f"the same order), {label}"
        )
        effect = sum_d / n
        residuals = [d - effect for d in differences]
        df, inverse_00 = n - 1, 1 / n
    variance = _residual_variance(residuals, differences, df)
    return Fit(method, _exact(effect, variance), math.sqrt(variance * inverse_00), df, n)


def fit_nights(points: Sequence[Point]) -> tuple[Fit, float | None, dict[int, float]]:
    """OLS on all nights with an answer, y = μ + Δ·[A] + β·t, as if the nights were
    independent (with one condition only, without Δ). Returns the fit, the trend β per
    night and each night's residual by its number."""
    method = "all nights (OLS with condition and trend)"
    n = len(points)
    if n < 3:
        return Fit(method, None, None, None, None), None, {}
    mean_index = sum(p.index for p in points) / n
    both = {p.condition for p in points} == {A, B}
    # Columns 1, [A] and t - mean(t): accumulate XᵀX and Xᵀy in one pass.
    n_a = s_at = s_tt = s_y = s_ay = s_ty = 0.0
    for p in points:
        t = p.index - mean_index
        s_tt += t * t
        s_y += p.value
        s_ty += t * p.value
        if p.condition == A:
            n_a += 1
            s_at += t
            s_ay += p.value
    if both:
        solved = _solve_normal(
            [[n, n_a, 0.0], [n_a, n_a, s_at], [0.0, s_at, s_tt]], [s_y, s_ay, s_ty]
        )
    else:
        solved = _solve_normal([[n, 0.0], [0.0, s_tt]], [s_y, s_ty])
    if solved is None:
        return Fit(method, None, None, None, None), None, {}
    beta, inverse = solved
    effect = beta[1] if both else 0.0
    residuals = {
        p.index: p.value
        - beta[0]
        - (effect if p.condition == A else 0.0)
        - beta[-1] * (p.index - mean_index)
        for p in points
    }
    df = n - len(beta)
    trend = beta[-1]
    if _residual_variance(list(residuals.values()), [p.value for p in points], 1) == 0:
        # An exact fit: its residuals are rounding dust, with no autocorrelation to speak of.
        residuals = dict.fromkeys(residuals, 0.0)
    if not both or df < 1:
        return Fit(method, None, None, df if df >= 1 else None, None), trend, residuals
    variance = _residual_variance(list(residuals.values()), [p.value for p in points], df)
    effect = _exact(effect, variance)
    return Fit(method, effect, math.sqrt(variance * inverse[1][1]), df, None), trend, residuals


def lag1_autocorrelation(residuals: dict[int, float]) -> float | None:
    """r1 = (mean of e_t e_t+1 over consecutive nights both answered) / (mean of e_t²)."""
    products = [residuals[i] * residuals[i + 1] for i in residuals if i + 1 in residuals]
    if len(products) < 3:
        return None
    variance = math.fsum(e * e for e in residuals.values()) / len(residuals)
    if variance <= 0:
        return None
    return math.fsum(products) / len(products) / variance
