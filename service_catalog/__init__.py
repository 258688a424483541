"""The service catalogue: services, places, opening hours and perheneuvo contacts."""
