"""The services desk's REST API: the public booking and survey endpoints (`public`, no login,
throttled), the clerk's desk (`desk`), and callbacks, follow-ups and satisfaction (`surveys`)."""
