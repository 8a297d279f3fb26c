"""Writes of the profiling app, one module per area: ``profilings`` (record, set the category),
``social_history``, ``assessments`` (commission through a partners referral, record the result and report) and
``access`` (the read audit). Every write is keyword-only, typed, atomic and raises ``ProfilingError``."""
