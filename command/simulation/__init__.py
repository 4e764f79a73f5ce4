"""The simulator: a headless discrete-event run of the demo city on the production
engine's ranking and decision code (`headless`), and a live mode that drives the running system
through its HTTP interfaces (`live`)."""
