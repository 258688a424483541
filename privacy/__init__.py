"""The ground floor for personal data: what a family's identity code, email and phone number look
like (`privacy.grammar`) and keeping them out of what we store and log (`privacy.masking`).

It imports nothing of the project's, so the catalogue, the bot, the actions and the API can all
read personal data through the same grammar.
"""
