"""The dispatch API, one module a resource: incidents, assignments, the engine's recommendations and
alerts, mobilizations (who sees what: visibility)."""
