"""The API's routers, gathered in api.main."""
