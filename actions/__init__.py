"""Custom actions: thin Rasa classes over plain modules that can be tested without Rasa."""

from bot.language import warm_up

# The action server imports this package once at start: load the language models then,
# not during a family's first message.
warm_up()
