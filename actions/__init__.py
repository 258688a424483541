"""Custom actions: thin Rasa classes over plain modules that can be tested without Rasa."""

from language.detect import warm_up
from privacy.masking import install_log_masking

# The action server imports this package once at start: load the language models then,
# not during a family's first message.
warm_up()
# Phone numbers, emails and identity codes never reach the action server's log in clear.
install_log_masking()
