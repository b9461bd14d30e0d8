"""The demo province: a Jiangxi station network built deterministically from a seed and
calibrated to the seed report's 2023 figures (see targets.py).

plan.py decides what exists (cohorts, lifecycles, scenes, codes, owners), placement.py where
(coordinates, towns, names, addresses), managers.py who looks after it (managers, territories,
assignments), writer.py stores it, and builder.py is the `fucai demo` step that ties them together.
"""
