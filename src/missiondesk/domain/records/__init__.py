"""The mission's records as pydantic models, one module per family."""
