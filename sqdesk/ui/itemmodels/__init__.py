"""Qt item models: thin adapters over ids and plain rows from core (not ORM models)."""
