"""Use cases of the IC-card sales desk: explicit actor, permission first, flush, never commit.

cards      find a card, issue, reissue a lost card, move a card to a new meter (also for a field job)
sales      quotes, the sale with its purchase number
meter_change  the desk's meter change: the card moves and the old meter's volume is carried over
writing    the two-phase card write (write, confirm) and the reversal of an unconfirmed sale
reversals  reversal of a confirmed sale: the clerk's request, the chief's decision
moves      what a sale's page offers this actor (available_moves)
days       the day's reconciliation per clerk and outlet, closing it
receipts   the 80 mm receipt PDF
"""
