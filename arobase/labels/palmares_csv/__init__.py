"""The palmarès CSV (CONTRACT §4): the one import path for labels, and its export.

An import is planned first, every line checked against the file and the database
(`planning.plan_import`), then written in one transaction by `applying.apply_plan`: all
or nothing. The command and the admin both call the two; the admin shows the plan as a
preview. `export` writes the same columns (`columns`) back out.
"""
