"""Generate large, valid question-bank YAML files with realistic text lengths and every question type."""

from __future__ import annotations

import random
from pathlib import Path

WORDS = (
    "compression", "rescuer", "airway", "breath", "chest", "adult", "child", "infant", "pulse", "AED", "pads",
    "shock", "rhythm", "ventilation", "mask", "seal", "oxygen", "bag", "valve", "head", "tilt", "chin", "lift",
    "jaw", "thrust", "recoil", "depth", "rate", "minute", "pause", "team", "leader", "closed", "loop",
    "communication", "scene", "safety", "responsive", "gasping", "agonal", "emergency", "response", "system",
    "defibrillator", "hands", "position", "sternum", "lower", "half", "cycle", "switch", "fatigue", "quality",
    "feedback", "device", "monitor", "naloxone", "opioid", "choking", "abdominal", "thrusts", "back", "blows",
    "recovery", "position", "drowning", "hypoxia", "cardiac", "arrest", "survival", "guideline", "evidence",
    "recommendation",
)
TYPES = ["single"] * 45 + ["multiple"] * 20 + ["true_false"] * 15 + ["ordering"] * 10 + ["numeric"] * 10
FILE_QUESTIONS = 2500  # about 3 MB per file: the loader refuses files over 5 MB


def sentence(rng: random.Random, low: int, high: int) -> str:
    """Return a sentence of low..high words."""
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    return " ".join(words).capitalize() + "."


def text(rng: random.Random, sentences: tuple[int, int], words: tuple[int, int] = (8, 18)) -> str:
    """Return a paragraph."""
    return " ".join(sentence(rng, *words) for _ in range(rng.randint(*sentences)))


def q(s: str) -> str:
    """Quote a one-line YAML string."""
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def block(s: str, indent: int) -> str:
    """Return a literal block scalar."""
    pad = " " * indent
    return "|\n" + "\n".join(pad + line for line in s.splitlines()) + "\n"


def choices(rng: random.Random, n: int, correct: set[int], feedback: bool) -> str:
    """Return a choices list of n distinct options."""
    out = []
    for i in range(n):
        line = f"      - text: {q(f'Option {i + 1}: ' + sentence(rng, 4, 14))}\n"
        if i in correct:
            line += "        correct: true\n"
        if feedback:
            line += f"        feedback: {q(text(rng, (1, 2)))}\n"
        out.append(line)
    return "    choices:\n" + "".join(out)


def question(rng: random.Random, key: str, kind: str) -> str:
    """Return one question in YAML."""
    out = f"  - key: {key}\n    type: {kind}\n    stem: {block(text(rng, (1, 4)), 6)}"
    if kind == "single":
        n = rng.randint(3, 5)
        out += choices(rng, n, {rng.randrange(n)}, feedback=True)
    elif kind == "multiple":
        n = rng.randint(4, 6)
        out += choices(rng, n, set(rng.sample(range(n), rng.randint(1, n - 1))), feedback=rng.random() < 0.5)
        out += "    scoring: all_or_nothing\n" if rng.random() < 0.3 else ""
    elif kind == "ordering":
        out += choices(rng, rng.randint(3, 6), set(), feedback=False)
    elif kind == "true_false":
        out += f"    answer: {rng.choice(['true', 'false'])}\n    feedback: {q(text(rng, (1, 2)))}\n"
    else:
        out += f"    answer: {{value: {rng.randint(2, 120)}, tolerance: {rng.choice([0, 1, 2, 5])}, unit: cm}}\n"
    out += f"    explanation: {block(text(rng, (2, 6)), 6)}"
    out += f"    reference: ref-{rng.randint(1, 3)}\n"
    tags = sorted(set(rng.sample(["adult", "child", "infant", "lay", "provider", "team", "airway", "bvm"], 3)))
    out += f"    tags: [{', '.join(tags)}]\n    difficulty: {rng.randint(1, 3)}\n"
    return out


def bank(rng: random.Random, index: int, count: int, offset: int) -> str:
    """Return one bank file with `count` questions."""
    head = (
        f"format: quizapp-bank/1\nbank: bench-bank-{index}\ntitle: Benchmark bank {index}\ntopic: bench-{index}\n"
        f"level: provider\ndescription: {block(text(rng, (2, 3)), 2)}references:\n"
        + "".join(f"  ref-{i}: {q(text(rng, (1, 1)))}\n" for i in (1, 2, 3))
        + "questions:\n"
    )
    return head + "".join(question(rng, f"bq-{offset + i:05d}", rng.choice(TYPES)) for i in range(count))


def write_banks(folder: Path, total: int, seed: int = 8) -> list[Path]:
    """Write `total` questions as bank files of at most FILE_QUESTIONS questions; return the paths."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.yaml"):
        old.unlink()
    paths = []
    for index, offset in enumerate(range(0, total, FILE_QUESTIONS), start=1):
        path = folder / f"bench-bank-{index}.yaml"
        path.write_text(bank(rng, index, min(FILE_QUESTIONS, total - offset), offset), encoding="utf-8")
        paths.append(path)
    return paths
