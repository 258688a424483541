"""The family centre's own records, apart from the service catalogue: the call-me-back requests
and their signed webhook (`inbox`, `inbox_webhook`), what the bot answered and what it did not
understand (`insights`), and the erasure of one conversation's records (`conversations`).

It stands on the catalogue and the staff accounts (its tables share their database); neither
imports it.
"""
