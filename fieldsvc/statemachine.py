"""Moves as data: a domain's states are a table `(from, to) → Move` handed to a `Machine`.

The table says which changes are legal and who makes each (`Move.by`, a kind of actor the domain names:
the technician, the chief, the approver…). The domain's service decides whether an actor is of that kind
(a permission, being the assignee or the owner) in one function that refuses, and uses it twice: to
refuse a move, and — through `permitted` — to offer only the moves it would accept (`available_moves`).
So the buttons on a page and the service cannot disagree.

No database, no Flask: the domains' rules.py build their machines from here.
"""
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Move:
    """One legal change of state and what it asks of the actor and the form."""

    action: str  # the verb recorded in the history and the audit (accept, approve, reopen…)
    by: str  # who makes it: a kind of actor the domain defines (its `By` enum)
    needs_reason: bool = False  # a note is then required (why rejected, why sent back, why cancelled)
    gps: bool = False  # the place is recorded when the phone gives it
    reopens: bool = False  # counts as a reopening (the domain restarts its clock)


@dataclass(frozen=True)
class Step:
    """A move out of one state: where it leads and the move itself (what a page renders a button from)."""

    source: str
    to: str
    move: Move

    @property
    def action(self) -> str:
        return self.move.action

    @property
    def by(self) -> str:
        return self.move.by

    @property
    def needs_reason(self) -> bool:
        return self.move.needs_reason


class Machine:
    """A state table. Everything not in it is illegal; the table's order is the order of the buttons."""

    def __init__(self, table: Mapping[tuple[Hashable, Hashable], Move]):
        self.table = dict(table)

    def move(self, source, to) -> Move | None:
        """The move from `source` to `to`, or None when that change is illegal (or a state is unknown)."""
        try:
            return self.table.get((source, to))
        except TypeError:  # an unhashable value from a form is simply not a state
            return None

    def moves_from(self, state, by: str | None = None) -> list[Step]:
        """Every move out of `state` (only those made by `by` when given), in table order."""
        return [Step(frm, to, m) for (frm, to), m in self.table.items()
                if frm == state and (by is None or m.by == by)]

    def targets(self, state, by: str | None = None) -> list:
        """Where `state` may go next (only through moves made by `by` when given)."""
        return [step.to for step in self.moves_from(state, by)]

    @property
    def states(self) -> frozenset:
        """Every state the table names, as a source or a target."""
        return frozenset(s for pair in self.table for s in pair)

    def allowed(self, state, may: Callable[[Move], bool]) -> list[Step]:
        return allowed(self, state, may)


def allowed(machine: Machine, state, may: Callable[[Move], bool]) -> list[Step]:
    """The moves out of `state` that `may` lets this actor make, in table order. Pure: `may` decides who."""
    return [step for step in machine.moves_from(state) if may(step.move)]


def permitted(authorise: Callable[[Move], None]) -> Callable[[Move], bool]:
    """A `may` predicate from the service's own refusing check (it raises NotAllowed, NotFound or
    NotAuthenticated for a move this actor may not make, and has no other effect)."""
    # Imported here: errors.py needs Flask, and the rules modules that build machines must not.
    from fieldsvc.errors import NotAllowed, NotAuthenticated, NotFound

    def may(move: Move) -> bool:
        try:
            authorise(move)
        except (NotAllowed, NotAuthenticated, NotFound):
            return False
        return True
    return may
