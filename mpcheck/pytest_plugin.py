"""pytest plugin (placeholder until the start_methods marker lands)."""
