"""The demo's sales: daily station × game sales from 2021 to 2023 for the demo network,
generated deterministically from the demo seed and calibrated so that the analytics (not the
generator) report the seed report's figures (see targets.py).

stations.py reads the network (sizes, open days, ramp-up) from the database, shape.py gives the
province's daily rhythm per game (weekdays, draw days, seasons, jackpots, the 休市 closures),
generator.py multiplies them out with numpy, calibrate.py scales and rounds the amounts to the
targets in exact integer fen, and builder.py is the `fucai demo` step that writes them to the
sales store.
"""
