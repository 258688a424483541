"""The staff web UI at /staff: see `app`."""

from api.staff_ui.app import mount_staff_ui

__all__ = ["mount_staff_ui"]
