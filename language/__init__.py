"""The ground floor: words, folding, lemmas and language detection for fi, sv and en text.

Both the catalogue (search, places, insights) and the bot read text with these tools, so they
live below both and import nothing of the project's.
"""
