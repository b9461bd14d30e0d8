"""Forms of the sales app (the upload form comes with the cockpit)."""
