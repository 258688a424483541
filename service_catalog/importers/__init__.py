"""Importers of outside data into the catalogue: one module per source (see `ptv/`)."""
