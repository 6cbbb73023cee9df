"""API shapes (pydantic), separate from the ORM models: `XBase -> XCreate / XPublic`."""
