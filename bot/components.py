"""Our Rasa NLU components, registered in config.yml.

- `LemmaTokenizer`: whitespace tokens whose lemmas come from simplemma in the message's own
  language, folded (no diacritics), so "neuvolaan", "neuvolassa" and "neuvolassa" typed
  without umlauts all count as one word for the word-level featurizer.
- `CrisisGuard`: after the classifiers, sets the intent to `crisis` whenever the message shows
  signs of immediate danger, whatever the classifier's confidence.
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
from bot.language import detect_language, warm_up
from bot.text import fold, lemma

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


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class CrisisGuard(GraphComponent):
    CRISIS_INTENT = "crisis"

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> CrisisGuard:
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            kinds = crisis_kinds(message.get(TEXT) or "")
            message.set(CRISIS_KINDS, kinds, add_to_output=True)
            if not kinds:
                continue
            ranking = [
                r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != self.CRISIS_INTENT
            ]
            crisis = {"name": self.CRISIS_INTENT, "confidence": 1.0}
            message.set(INTENT, crisis, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [crisis, *ranking], add_to_output=True)
        return messages
