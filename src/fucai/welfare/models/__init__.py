"""The welfare module's models (issue 12); each part in its own file, re-exported here."""
