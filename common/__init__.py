"""The bottom kit every app shares: roles and what a login may see, the one scoping rule, the DRF
building blocks, pagination and the error handler. It imports nothing of ours and has no models."""
