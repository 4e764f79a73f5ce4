"""Deployment planning (布警): where platforms stand, which posts are held, how idle units move up.
`planning.solver` is the exact solver on its own (no Django, nothing of the project); the app
around it reads the city's data and runs it."""
