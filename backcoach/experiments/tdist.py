"""Student's t distribution with the standard library alone: the CDF, the survival function
and the quantile. Pure Python, no Django, no scipy (the app must install on a Raspberry Pi).

The CDF goes through the regularised incomplete beta function,

    P(T <= t) = 1 - I_x(df/2, 1/2) / 2  for t > 0,  with x = df / (df + t²),

which is evaluated by its continued fraction (modified Lentz's method, as in Press et al.,
Numerical Recipes, 3rd ed., section 6.4). The quantile inverts the CDF by Newton's method
from a normal start, kept inside a bracket. tests/experiments/test_analysis.py checks both
against scipy.stats.t.
"""

import functools
import math
from statistics import NormalDist

_EPSILON = 1e-15
_TINY = 1e-300
_MAX_ITERATIONS = 500
# Beyond this many degrees of freedom the t and the normal agree to better than 1e-9.
_NORMAL_DF = 1e10


def _beta_continued_fraction(a: float, b: float, x: float) -> float:
    """The continued fraction of I_x(a, b) (without its prefactor); converges quickly when
    x < (a + 1) / (a + b + 2)."""
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c = 1.0
    d = 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > _TINY else _TINY)
    h = d
    for m in range(1, _MAX_ITERATIONS + 1):
        m2 = 2 * m
        for numerator in (
            m * (b - m) * x / ((qam + m2) * (a + m2)),
            -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2)),
        ):
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > _TINY else _TINY)
            c = 1.0 + numerator / c
            c = c if abs(c) > _TINY else _TINY
            h *= d * c
        if abs(d * c - 1.0) < _EPSILON:
            return h
    raise ArithmeticError(f"incomplete beta did not converge for a={a}, b={b}, x={x}")


def incomplete_beta(a: float, b: float, x: float) -> float:
    """The regularised incomplete beta function I_x(a, b), for a, b > 0 and 0 <= x <= 1."""
    if a <= 0 or b <= 0:
        raise ValueError("a and b must be positive")
    if not 0.0 <= x <= 1.0:
        raise ValueError("x must be between 0 and 1")
    if x in (0.0, 1.0):
        return x
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    front = math.exp(log_front)
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _beta_continued_fraction(a, b, x) / a
    return 1.0 - front * _beta_continued_fraction(b, a, 1.0 - x) / b


def _check_df(df: float) -> None:
    if not df > 0 or math.isnan(df):
        raise ValueError(f"degrees of freedom must be positive, not {df!r}")


def sf(t: float, df: float) -> float:
    """P(T > t): the upper tail, accurate far out (it is never computed as 1 - something
    small)."""
    _check_df(df)
    if math.isnan(t):
        return math.nan
    if math.isinf(t):
        return 0.0 if t > 0 else 1.0
    if df > _NORMAL_DF:
        return NormalDist().cdf(-t)
    if t == 0:
        return 0.5
    # x = df / (df + t²), written so that a large t does not overflow t².
    x = 1.0 / (1.0 + (t / math.sqrt(df)) ** 2)
    tail = 0.5 * incomplete_beta(df / 2.0, 0.5, x)
    return tail if t > 0 else 1.0 - tail


def cdf(t: float, df: float) -> float:
    """P(T <= t) for Student's t with `df` degrees of freedom."""
    return sf(-t, df)


def pdf(t: float, df: float) -> float:
    _check_df(df)
    log_density = (
        math.lgamma((df + 1) / 2)
        - math.lgamma(df / 2)
        - 0.5 * math.log(df * math.pi)
        - (df + 1) / 2 * math.log1p(t * t / df)
    )
    return math.exp(log_density)


@functools.lru_cache(maxsize=1024)
def ppf(p: float, df: float) -> float:
    """The quantile: the t with P(T <= t) = p. Cached, since the analysis asks for the same
    few (0.975 with small whole-number df) again and again."""
    _check_df(df)
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"p must be between 0 and 1, not {p!r}")
    if p == 0.0:
        return -math.inf
    if p == 1.0:
        return math.inf
    if p == 0.5:
        return 0.0
    if p > 0.5:
        # Work in the lower tail, where p is represented without cancellation.
        return -ppf(1.0 - p, df)
    if df > _NORMAL_DF:
        return NormalDist().inv_cdf(p)
    if df == 1:  # Cauchy: exact (as -cot(pi p), which keeps its precision for tiny p)
        return -1.0 / math.tan(math.pi * p)
    if df == 2:  # exact
        return (2 * p - 1) / math.sqrt(2 * p * (1 - p))
    # Newton on cdf(t) = p, started from the normal quantile pushed out for heavy tails, kept
    # inside a bracket [low, high] with cdf(low) <= p <= cdf(high), bisecting when Newton
    # would leave it.
    z = NormalDist().inv_cdf(p)
    t = z + (z**3 + z) / (4 * df)  # the first Cornish-Fisher term
    low, high = -1.0, 0.0
    while cdf(low, df) > p:
        low *= 2.0
        if low < -1e300:
            return low
    if not low < t < high:
        t = (low + high) / 2
    for _ in range(200):
        value = cdf(t, df) - p
        if value > 0:
            high = t
        else:
            low = t
        density = pdf(t, df)
        step = value / density if density > 0 else math.inf
        candidate = t - step
        if not low < candidate < high:
            candidate = (low + high) / 2
        if abs(candidate - t) <= 1e-13 * max(1.0, abs(t)):
            return candidate
        t = candidate
    return t
