"""Tables of the sales app (the import list comes with the cockpit)."""
