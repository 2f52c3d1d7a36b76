"""The clean layer: each table cleaned (with its quarantine and rejected values) and checked."""
