"""Who works on the catalogue and the office: staff accounts and integrations' API tokens
(`accounts`), and the audit log of who changed what (`audit`).

Below the catalogue, which writes the audit log on every edit; it imports only the ground floor.
"""
