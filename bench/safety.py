"""Safety benchmark: is danger recognised, however it is said?

    python -m bench.safety                 # the trained Rasa model (models/), as the bot decides
    python -m bench.safety --direct        # trains the safety classifier alone (seconds), no Rasa

Reads a blind set (`--set`, written apart from the training data by a helper that never read
it, never trained on): `holdout` (`tests/safety/holdout_{fi,sv,en}.yml`, the fresh one, whose
messages no one tuning the classifier has read) or `blind` (`blind_{fi,sv,en}.yml`, the first,
whose misses were read while the classifier was built, so its figure is no longer blind). Prints recall per kind and language, the false-alarm rate on its hard
negatives, and the false-alarm rate on the non-crisis messages of `bench/messages.yml`.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import yaml

from bench.routing import MESSAGES, percentile
from language.text import LANGUAGES
from service_catalog.taxonomy import CRISIS_KINDS

BLIND = Path(__file__).resolve().parent.parent / "tests" / "safety"
LANGS = LANGUAGES

# A judge takes (text, language) and returns the kinds of danger found (empty: none).
Judge = Callable[[str, str], list[str]]


def blind_set(name: str = "holdout") -> list[tuple[str, str, str]]:
    """(text, language, label) of a blind set; label is a kind or `none`."""
    rows = []
    for lang in LANGS:
        data = yaml.safe_load((BLIND / f"{name}_{lang}.yml").read_text(encoding="utf-8"))
        for label, texts in data.items():
            rows.extend((str(text), lang, label) for text in texts)
    return rows


def routing_negatives() -> list[tuple[str, str]]:
    items = yaml.safe_load(MESSAGES.read_text(encoding="utf-8"))
    return [(item["text"], item.get("lang", "fi")) for item in items if item["expect"] != "crisis"]


def evaluate(judge: Judge, rows: list[tuple[str, str, str]]) -> dict:
    recall: dict[tuple[str, str], list[bool]] = defaultdict(list)
    kind_right: list[bool] = []
    alarms: dict[str, list[bool]] = defaultdict(list)
    misses, false_alarms, seconds = [], [], []
    for text, lang, label in rows:
        started = time.perf_counter()
        kinds = judge(text, lang)
        seconds.append(time.perf_counter() - started)
        if label == "none":
            alarms[lang].append(bool(kinds))
            if kinds:
                false_alarms.append((lang, text, kinds))
        else:
            recall[(label, lang)].append(bool(kinds))
            if kinds:
                kind_right.append(label in kinds)
            else:
                misses.append((lang, label, text))
    routing = [bool(judge(text, lang)) for text, lang in routing_negatives()]
    return {
        "recall": {key: sum(v) / len(v) for key, v in recall.items()},
        "recall_all": sum(sum(v) for v in recall.values()) / sum(len(v) for v in recall.values()),
        "crisis": sum(len(v) for v in recall.values()),
        "kind_named": sum(kind_right) / max(1, len(kind_right)),
        "false_alarms": {lang: sum(v) / len(v) for lang, v in alarms.items()},
        "false_alarms_all": sum(sum(v) for v in alarms.values()) / sum(len(v) for v in alarms.values()),
        "negatives": sum(len(v) for v in alarms.values()),
        "routing_false_alarms": sum(routing) / len(routing),
        "routing_negatives": len(routing),
        "misses": misses,
        "false_alarm_texts": false_alarms,
        "p50_ms": percentile(seconds, 0.5) * 1000,
        "p95_ms": percentile(seconds, 0.95) * 1000,
    }


def report(result: dict) -> None:
    print(f"{'kind':<15}" + "".join(f"{lang:>8}" for lang in LANGS))
    for kind in CRISIS_KINDS:
        cells = [result["recall"].get((kind, lang)) for lang in LANGS]
        print(f"{kind:<15}" + "".join(f"{c:8.1%}" if c is not None else f"{'-':>8}" for c in cells))
    print(f"recall {result['recall_all']:.1%} of {result['crisis']} crisis messages")
    print(f"right kind named {result['kind_named']:.1%} of the recognised")
    fa = result["false_alarms"]
    print(
        f"false alarms {result['false_alarms_all']:.1%} of {result['negatives']} hard negatives "
        f"(fi {fa.get('fi', 0):.1%}, sv {fa.get('sv', 0):.1%}, en {fa.get('en', 0):.1%})"
    )
    print(
        f"false alarms {result['routing_false_alarms']:.1%} of {result['routing_negatives']} "
        "non-crisis messages of bench/messages.yml"
    )
    print(f"p50 {result['p50_ms']:.1f} ms, p95 {result['p95_ms']:.1f} ms a message")
    for lang, label, text in result["misses"]:
        print(f"  MISS [{lang} {label}] {text}")
    for lang, text, kinds in result["false_alarm_texts"]:
        print(f"  FALSE ALARM [{lang} {','.join(kinds)}] {text}")


def direct_judge() -> Judge:
    """The classifier trained here on its corpus and the NLU's own examples, as `rasa train` does."""
    from rasa.shared.importers.importer import TrainingDataImporter

    from bot.safety import SafetyModel, training_examples
    from language.detect import detect_language

    nlu = TrainingDataImporter.load_from_dict(training_data_paths=["data"]).get_nlu_data()
    examples = training_examples(
        (m.get("text") or "", detect_language(m.get("text") or ""), m.get("intent"))
        for m in nlu.intent_examples
    )
    started = time.perf_counter()
    model = SafetyModel.train(examples)
    print(f"trained on {len(examples)} examples in {time.perf_counter() - started:.1f} s; {model.validation}")
    return lambda text, lang: model.judge(text, lang).kinds


def model_judge(model_dir: str) -> Judge:
    """The trained Rasa model's NLU, the way the bot decides on a message."""
    from rasa.core.agent import Agent

    agent = Agent.load(model_dir)
    loop = asyncio.new_event_loop()

    def judge(text: str, lang: str) -> list[str]:
        parsed = loop.run_until_complete(agent.parse_message(text))
        if parsed["intent"]["name"] != "crisis":
            return []
        return parsed.get("crisis_kinds") or ["unnamed"]

    return judge


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--direct", action="store_true", help="train the safety classifier alone")
    parser.add_argument("--model", default="models", help="Rasa model directory or file")
    parser.add_argument("--set", default="holdout", choices=("holdout", "blind"), help="which blind set")
    args = parser.parse_args()
    judge = direct_judge() if args.direct else model_judge(args.model)
    report(evaluate(judge, blind_set(args.set)))


if __name__ == "__main__":
    main()
