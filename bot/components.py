"""Our Rasa NLU components, registered in config.yml.

- `LemmaTokenizer`: whitespace tokens whose lemmas come from simplemma in the message's own
  language, folded (no diacritics), so "neuvolaan", "neuvolassa" and "neuvolassa" typed
  without umlauts all count as one word for the word-level featurizer.
- `CrisisGuard`: after the classifiers, the safety classifier (`bot.safety`) with its pattern
  floor: sets the intent to `crisis` and names the kinds whenever the message shows signs of
  danger, whatever the intent classifier's confidence.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.crisis import crisis_kinds
from bot.safety import CRISIS_INTENT, SafetyModel, corpus_fingerprint, training_examples
from language.detect import detect_language, warm_up
from language.text import fold, lemma

LANGUAGE = "language"
CRISIS_KINDS = "crisis_kinds"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class LemmaTokenizer(WhitespaceTokenizer):
    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LemmaTokenizer:
        warm_up()
        return cls(config)

    def tokenize(self, message: Message, attribute: str) -> list[Token]:
        tokens = super().tokenize(message, attribute)
        if attribute != TEXT:
            return tokens
        lang = message.get(LANGUAGE)
        if lang is None:
            lang = detect_language(message.get(TEXT) or "")
            message.set(LANGUAGE, lang, add_to_output=True)
        for token in tokens:
            token.lemma = fold(lemma(token.text, lang))
        return tokens


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class CrisisGuard(GraphComponent):
    """Sets the intent to `crisis` whenever the safety classifier or its pattern floor finds
    danger, whatever the intent classifier thought, and names the kinds for the actions."""

    MODEL_FILE = "safety.pkl"

    def __init__(self, model_storage: ModelStorage, resource: Resource, model: SafetyModel | None = None):
        self._model_storage = model_storage
        self._resource = resource
        self._model = model

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> CrisisGuard:
        return cls(model_storage, resource)

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> CrisisGuard:
        with model_storage.read_from(resource) as directory:
            model = SafetyModel.loads((directory / cls.MODEL_FILE).read_bytes())
        return cls(model_storage, resource, model)

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str:
        # The corpus is not part of Rasa's training data: a change to it must retrain us.
        return corpus_fingerprint()

    def train(self, training_data: TrainingData) -> Resource:
        examples = training_examples(
            (
                message.get(TEXT) or "",
                message.get(LANGUAGE) or detect_language(message.get(TEXT) or ""),
                message.get(INTENT),
            )
            for message in training_data.intent_examples
        )
        self._model = SafetyModel.train(examples)
        with self._model_storage.write_to(self._resource) as directory:
            (directory / self.MODEL_FILE).write_bytes(self._model.dump())
        return self._resource

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            lang = message.get(LANGUAGE) or detect_language(text)
            verdict = self._model.judge(text, lang) if self._model else None
            kinds = verdict.kinds if verdict else crisis_kinds(text)
            predicted = (message.get(INTENT) or {}).get("name")
            if not kinds and predicted == CRISIS_INTENT and verdict:
                # The intent classifier saw danger the safety classifier did not: recall first.
                kinds = [verdict.likely]
            message.set(CRISIS_KINDS, kinds, add_to_output=True)
            if not kinds:
                continue
            ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != CRISIS_INTENT]
            crisis = {"name": CRISIS_INTENT, "confidence": 1.0}
            message.set(INTENT, crisis, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [crisis, *ranking], add_to_output=True)
        return messages
