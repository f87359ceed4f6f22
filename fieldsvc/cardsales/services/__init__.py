"""Use cases of the IC-card sales desk: explicit actor, permission first, flush, never commit.

cards      find a card, issue, reissue a lost card, meter change
sales      quotes, the sale with its purchase number
writing    the two-phase card write (write, confirm) and the reversal of an unconfirmed sale
reversals  reversal of a confirmed sale: the clerk's request, the chief's decision
days       the day's reconciliation per clerk and outlet, closing it
receipts   the 80 mm receipt PDF
"""
