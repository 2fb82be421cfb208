"""Modules of the labelled-corpus generator (see eval/gen_labelled.py).

Each module has ``build(cx)`` that appends records to the shared context;
the order below is the order they run (each uses its own seeded generator).
"""
from . import bg_cicd, bg_dev, bg_ml, bg_okta_gd, bg_people, bg_prod, bg_scanner, stories_a, stories_b

MODULES = [bg_prod, bg_dev, bg_ml, bg_cicd, bg_people, bg_scanner, bg_okta_gd, stories_a, stories_b]
