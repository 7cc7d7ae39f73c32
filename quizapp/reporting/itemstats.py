"""Item statistics for quiz attempts, computed the way Moodle's quiz statistics report does.

Pure functions over plain lists: no Flask, no database. Scales follow Moodle exactly:
facility is a fraction 0..1; sd, variances and covariances are in marks; discrimination
index, discriminative efficiency, effective weight, CIC and error ratio are percentages;
the whole-test median, mean, SD and standard error are in summed marks. Anything that is
undefined (too few attempts, zero variance, zero maximum mark) is None.
"""

import math
import operator
import statistics

EASY_ABOVE = 0.9
HARD_BELOW = 0.3


def compute(marks, max_marks):
    """Return {"questions": [...], "test": {...}} for marks[attempt][question] out of max_marks."""
    _check_shape(marks, max_marks)
    columns = [[row[q] for row in marks] for q in range(len(max_marks))]
    totals = [math.fsum(row) for row in marks]
    questions = [question_stats(col, top, totals) for col, top in zip(columns, max_marks, strict=True)]
    weights = _effective_weights([_covariance(col, totals) for col in columns])
    for stats, weight in zip(questions, weights, strict=True):
        stats["effectiveweight"] = weight
    return {"questions": questions, "test": test_stats(totals, columns)}


def flags(stats):
    """Return the reasons a question needs attention (too easy, too hard, negative discrimination)."""
    reasons = []
    facility = stats.get("facility")
    discrimination = stats.get("discriminationindex")
    if facility is not None and facility > EASY_ABOVE:
        reasons.append("too easy")
    if facility is not None and facility < HARD_BELOW:
        reasons.append("too hard")
    if discrimination is not None and discrimination < 0:
        reasons.append("negative discrimination")
    return reasons


def _check_shape(marks, max_marks):
    """Raise ValueError unless every attempt has one mark per question."""
    for index, row in enumerate(marks):
        if len(row) != len(max_marks):
            raise ValueError(f"attempt {index} has {len(row)} marks, expected {len(max_marks)}")


def question_stats(column, max_mark, totals):
    """Return Moodle's per-question statistics (all but effective weight) for one question."""
    rest = [total - mark for total, mark in zip(totals, column, strict=True)]
    marks, others = _deviations(column), _deviations(rest)
    covariance = _products(marks, others)
    markvariance = _products(marks, marks)
    othermarkvariance = _products(others, others)
    # Sorting both sides pairs the n-th smallest mark with the n-th smallest rest: the largest covariance possible.
    covariancemax = None if marks is None else _products(sorted(marks), sorted(others))
    return {
        "facility": _facility(column, max_mark),
        "sd": _sqrt(markvariance),
        "effectiveweight": None,
        "covariance": covariance,
        "markvariance": markvariance,
        "othermarkvariance": othermarkvariance,
        "discriminationindex": _discrimination(covariance, markvariance, othermarkvariance),
        "covariancemax": covariancemax,
        "discriminativeefficiency": _percent_of(covariance, covariancemax),
    }


def _facility(column, max_mark):
    """Return the mean mark as a fraction of the maximum, None without attempts or maximum."""
    if not column or not max_mark:
        return None
    return statistics.fmean(column) / max_mark


def _discrimination(covariance, markvariance, othermarkvariance):
    """Return 100 x the correlation of the question with the rest of the test, or None."""
    if covariance is None:
        return None
    return _ratio(100 * covariance, math.sqrt(markvariance * othermarkvariance))


def _percent_of(part, whole):
    """Return 100 x part / whole, or None when either is undefined or whole is zero."""
    return None if part is None else _ratio(100 * part, whole)


def _effective_weights(covariances_with_total):
    """Return each question's share (percent) of the summed sqrt covariances with the total."""
    roots = [math.sqrt(c) if c is not None and c >= 0 else None for c in covariances_with_total]
    denominator = math.fsum(r for r in roots if r is not None)
    if not denominator:
        return [None] * len(roots)
    return [None if r is None else 100 * r / denominator for r in roots]


def test_stats(totals, columns):
    """Return Moodle's whole-test statistics for the attempt totals."""
    n = len(totals)
    sd = _sqrt(_variance(totals))
    cic = _cic([_variance(col) for col in columns], _variance(totals))
    errorratio = None if cic is None else 100 * math.sqrt(max(0.0, 1 - cic / 100))
    return {
        "n": n,
        "median": statistics.median(totals) if n else None,
        "mean": statistics.fmean(totals) if n else None,
        "standarddeviation": sd,
        "skewness": _skewness(totals),
        "kurtosis": _kurtosis(totals),
        "cic": cic,
        "errorratio": errorratio,
        "standarderror": None if errorratio is None else sd * errorratio / 100,
    }


def _cic(item_variances, total_variance):
    """Return the coefficient of internal consistency (Cronbach's alpha) as a percentage."""
    k = len(item_variances)
    if k < 2 or not total_variance:
        return None
    return 100 * k / (k - 1) * (1 - math.fsum(item_variances) / total_variance)


def _skewness(values):
    """Return the sample skewness k3 / k2^1.5, None below three values or with zero variance."""
    n = len(values)
    k2 = _variance(values)
    if n < 3 or not k2:
        return None
    k3 = n * n * _central_moment(values, 3) / ((n - 1) * (n - 2))
    return _ratio(k3, k2**1.5)


def _kurtosis(values):
    """Return the sample excess kurtosis k4 / k2^2, None below four values or with zero variance."""
    n = len(values)
    k2 = _variance(values)
    if n < 4 or not k2:
        return None
    m2, m4 = _central_moment(values, 2), _central_moment(values, 4)
    k4 = n * n * ((n + 1) * m4 - 3 * (n - 1) * m2 * m2) / ((n - 1) * (n - 2) * (n - 3))
    return _ratio(k4, k2 * k2)


def _central_moment(values, power):
    """Return the population central moment sum((x - mean)^power) / n."""
    mean = statistics.fmean(values)
    return math.fsum((x - mean) ** power for x in values) / len(values)


def _variance(values):
    """Return the sample variance (n - 1), None below two values."""
    return _covariance(values, values)


def _covariance(xs, ys):
    """Return the sample covariance (n - 1), exactly 0.0 when either side is constant."""
    return _products(_deviations(xs), _deviations(ys))


def _deviations(values):
    """Return each value minus the mean (exact zeros for a constant list), or None below two values."""
    n = len(values)
    if n < 2:
        return None
    if min(values) == max(values):
        return [0.0] * n
    mean = statistics.fmean(values)
    return [value - mean for value in values]


def _products(xs, ys):
    """Return the summed products of two deviation lists over n - 1 (a sample covariance), None without them."""
    if xs is None or ys is None:
        return None
    return math.fsum(map(operator.mul, xs, ys)) / (len(xs) - 1)


def _ratio(numerator, denominator):
    """Return numerator / denominator, None when the denominator is zero (or underflowed to it)."""
    return numerator / denominator if denominator else None


def _sqrt(value):
    """Return the square root, passing None through."""
    return None if value is None else math.sqrt(value)
