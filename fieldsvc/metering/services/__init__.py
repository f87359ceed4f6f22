"""Metering use cases, one module per area: equipment, tests, documents, batches, checks, cases.

Each function takes the acting user, checks its permission first, flushes and never commits.
"""
