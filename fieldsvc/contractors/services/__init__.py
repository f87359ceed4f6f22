"""Contractor use cases. Every function takes an explicit actor, checks the permission first, flushes and
never commits.

    register   the contractors: licence, scope, contact, supervisors; assert_assignable() for any work given
    permits    permits for work on customer premises (a station chief: own district only)
    exports    the register and the permits as workbooks
"""
