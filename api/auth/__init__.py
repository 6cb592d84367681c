"""Who is calling: accounts, password hashing, access tokens, throttles and the key files."""
