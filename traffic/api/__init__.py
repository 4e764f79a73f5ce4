"""Traffic work's REST API (/api/v1/traffic/...), one module per subject."""
