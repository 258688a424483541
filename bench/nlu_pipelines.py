"""Which NLU pipeline: our config.yml against variants, scored on the held-out set.

    python -m bench.nlu_pipelines

Trains each variant's NLU model on data/ (never on tests/nlu/heldout.yml) and reports intent
accuracy on the held-out set, accuracy per language, and training time.
"""

from __future__ import annotations

import asyncio
import copy
import tempfile
import time
from pathlib import Path

import yaml
from rasa.core.agent import Agent
from rasa.model_training import train_nlu

from language.detect import detect_language
from language.text import LANGUAGES

ROOT = Path(__file__).resolve().parent.parent
HELD_OUT = ROOT / "tests" / "nlu" / "heldout.yml"


def variants() -> dict[str, dict]:
    ours = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    plain = copy.deepcopy(ours)
    plain["pipeline"][0] = {"name": "WhitespaceTokenizer"}
    no_chars = copy.deepcopy(ours)
    no_chars["pipeline"] = [c for c in ours["pipeline"] if c.get("analyzer") != "char_wb"]
    small = copy.deepcopy(ours)
    for component in small["pipeline"]:
        if component["name"] == "DIETClassifier":
            component.update(number_of_transformer_layers=0, epochs=40)
    return {
        "ours (lemmas + char n-grams)": ours,
        "whitespace tokens, no lemmas": plain,
        "lemmas, no char n-grams": no_chars,
        "ours, DIET without transformer, 40 epochs": small,
    }


def held_out() -> list[tuple[str, str]]:
    data = yaml.safe_load(HELD_OUT.read_text(encoding="utf-8"))
    return [
        (line.removeprefix("- ").strip(), block["intent"])
        for block in data["nlu"]
        for line in block["examples"].splitlines()
        if line.strip()
    ]


async def accuracy(model: str, examples: list[tuple[str, str]]) -> tuple[float, dict[str, float]]:
    agent = Agent.load(model)
    hits: dict[str, list[bool]] = {}
    for text, intent in examples:
        parsed = await agent.parse_message(text)
        predicted = parsed["intent"]["name"]
        if predicted == "nlu_fallback":
            predicted = next((r["name"] for r in parsed["intent_ranking"] if r["name"] != "nlu_fallback"), "")
        hits.setdefault(detect_language(text), []).append(predicted == intent)
    every = [h for values in hits.values() for h in values]
    return sum(every) / len(every), {lang: sum(v) / len(v) for lang, v in sorted(hits.items())}


def main() -> None:
    examples = held_out()
    print(f"held-out examples: {len(examples)}")
    print("| pipeline | held-out accuracy | fi | sv | en | training s |")
    print("|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as workdir:
        for name, config in variants().items():
            config_path = Path(workdir) / "config.yml"
            config_path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
            start = time.perf_counter()
            model = train_nlu(str(config_path), str(ROOT / "data"), workdir, fixed_model_name=name[:4])
            seconds = time.perf_counter() - start
            total, per_language = asyncio.run(accuracy(model, examples))
            row = " | ".join(f"{per_language.get(lang, 0):.1%}" for lang in LANGUAGES)
            print(f"| {name} | {total:.1%} | {row} | {seconds:.0f} |")


if __name__ == "__main__":
    main()
