"""Use cases. Keyword-only functions over a SQLAlchemy session; routes hold no queries."""
