"""The Gradebox service: FastAPI app, database, auth, judge queue, and the CLI."""
