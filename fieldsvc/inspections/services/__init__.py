"""Inspection use cases, split by area: checklist, recording, hazards, plan, follow-ups, archive, sampling."""
