"""Sales pages live in the cockpit (issue 3, item 8); the runners in fucai.analytics serve them."""
