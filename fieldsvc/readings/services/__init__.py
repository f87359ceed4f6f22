"""Use cases of the readings domain (explicit actor, permission first, flush, never commit):
routes and stops, recording and skips, review, billing, arrears; access.py holds the object rules."""
