"""The HTTP API for staff and integrating systems (FastAPI)."""
