"""Complaint use cases, one module per stage. Every function takes an explicit actor (None only for the
public web form), checks permissions first, flushes and never commits.

    intake    take a request or complaint in (staff, API, the public form) and set its owner and clocks
    access    who sees which complaint; lists, the overdue (escalated) list and its count
    handling  the state table: judge, route, investigate, propose, approve, resolve, confirm, reopen;
              start the work order; notes
    followup  the follow-up call after closure (satisfaction 1–5; 1–2 reopens)
    first_contact  the owner's duty (首问负责制): the reply to the customer, the hand-over to a colleague
    analysis  the director's monthly analysis, aggregated in SQL; improvement actions → HSE
"""
from fieldsvc.complaints.services.access import get_complaint, list_complaints, overdue_count, overdue_list
from fieldsvc.complaints.services.intake import receive, receive_public

__all__ = ["get_complaint", "list_complaints", "overdue_count", "overdue_list", "receive", "receive_public"]
