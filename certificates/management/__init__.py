"""Management commands of the certificates app."""
