"""Logging personas in through the real session machinery."""
PASSWORD = "pass-1234-word"  # the factories' password


def login(client, user):
    client.force_login(user)
