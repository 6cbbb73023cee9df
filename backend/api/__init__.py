"""HTTP layer: thin routers per resource under `/api/v1`, plus ops routes."""
