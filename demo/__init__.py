"""The demo data set (`manage.py seed_demo`): the top layer of the project, above every app it fills.

`seed_core_demo` makes the catalogue, hierarchy, users, plans and seed 004's figures; `run_demo_seed` adds
the demo certificates (signing) and the demo report (documents). Each step is idempotent.
"""
