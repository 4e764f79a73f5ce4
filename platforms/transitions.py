"""Status transition tables (the Saleor / django-oscar pattern): a move not in the table is refused.

Shared by units here and by incidents and assignments in `dispatch` (which may import us).
"""
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class InvalidTransition(ValidationError):
    """A status change that the transition table does not allow."""


class TransitionTable:
    def __init__(self, name: str, moves: dict[str, set[str]]):
        self.name = name
        self.moves = {state: frozenset(targets) for state, targets in moves.items()}

    def allows(self, current: str, target: str) -> bool:
        return target in self.moves.get(current, frozenset())

    def check(self, current: str, target: str) -> None:
        if not self.allows(current, target):
            raise InvalidTransition(
                _("This %(what)s cannot move from '%(current)s' to '%(target)s'."),
                code="invalid_transition",
                params={"what": self.name, "current": current, "target": target},
            )

    def sources_of(self, target: str) -> list[str]:
        """The states from which `target` is reachable: the WHERE of a conditional UPDATE."""
        return sorted(state for state, targets in self.moves.items() if target in targets)
