"""Who is calling: password hashing, secret tokens, and the resolved `Principal`."""
