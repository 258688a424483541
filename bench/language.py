"""Language detection on every training example, whose language its folder tells.

    python -m bench.language

Compares lingua alone, simplemma alone and our vote (language.detect.detect_language), on
all examples and on short ones (three words or fewer), where detection is hardest.
"""

from __future__ import annotations

import time
from pathlib import Path

import simplemma
import yaml

from language import detect as language
from language.text import LANGUAGES, words

DATA = Path(__file__).resolve().parent.parent / "data" / "nlu"


def examples() -> list[tuple[str, str]]:
    result = []
    for lang in LANGUAGES:
        for path in sorted((DATA / lang).glob("*.yml")):
            for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
                for line in block.get("examples", "").splitlines():
                    text = line.removeprefix("- ").strip()
                    if text:
                        result.append((text, lang))
    return result


def lingua_only(text: str) -> str:
    values = language._detector().compute_language_confidence_values(text)
    return language._LINGUA[values[0].language] if values else "fi"


def simplemma_only(text: str) -> str:
    ranked = [lang for lang, _ in simplemma.langdetect(text, lang=LANGUAGES) if lang in LANGUAGES]
    return ranked[0] if ranked else "fi"


def main() -> None:
    data = examples()
    language.warm_up()
    short = [(t, lang) for t, lang in data if len(words(t)) <= 3]
    print(f"examples: {len(data)} (short: {len(short)})")
    print("| detector | accuracy | short messages | ms per message |")
    print("|---|---|---|---|")
    for name, detect in (
        ("lingua", lingua_only),
        ("simplemma", simplemma_only),
        ("vote (ours)", language.detect_language),
    ):
        start = time.perf_counter()
        hits = sum(detect(t) == lang for t, lang in data)
        elapsed = (time.perf_counter() - start) * 1000 / len(data)
        short_hits = sum(detect(t) == lang for t, lang in short)
        print(f"| {name} | {hits / len(data):.1%} | {short_hits / max(len(short), 1):.1%} | {elapsed:.2f} |")


if __name__ == "__main__":
    main()
