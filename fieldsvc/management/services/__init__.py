"""Management use cases, one module per register. Every function takes an explicit actor, checks the
permission first, flushes and never commits.

    policies         the register of policies and procedures; versions and their state table
    acks             acknowledgements of the versions in force; the attached PDF
    checks           compliance checks and their findings → HSE nonconformities (origin audit)
    incidents        incidents linked to emergency orders: facts, notifications, steps, analysis, actions
    incident_report  the incident's timeline and report PDF
    plans            annual plans, items, progress (metrics read from other domains)
    metrics          the figures a plan item is measured by (read-only queries of other domains)
    summaries        the year-end summary of a plan and its PDF
    vehicles         the fleet, drivers, daily checks and mileage, maintenance; overdue()
"""
