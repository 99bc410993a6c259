"""Shared taxonomy: countries, regions, languages, commodities, themes, stakeholder types."""
