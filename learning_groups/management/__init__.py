"""Management commands of learning groups."""
