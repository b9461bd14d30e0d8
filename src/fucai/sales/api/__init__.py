"""API of the sales app (endpoints come with the cockpit)."""
