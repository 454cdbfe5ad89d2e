"""Model choices as enumerations: each member carries its id, its label in tables and its words in sentences.

Every table, figure, deck slide and test that lists the alternatives iterates over the enumeration, so adding an
alternative is one member here (plus the function that implements it) and nothing else to keep in step.
"""

from __future__ import annotations

from enum import IntEnum, StrEnum
from typing import TypeVar

C = TypeVar("C", bound="Choice")


class Choice(StrEnum):
    """A modelling choice: ``value`` is its id; ``table`` its label in a table cell; ``words`` its phrase in a sentence."""

    table: str
    words: str

    def __new__(cls, value: str, table: str, words: str) -> Choice:
        member = str.__new__(cls, value)
        member._value_ = value
        member.table = table
        member.words = words
        return member

    @classmethod
    def parse(cls: type[C], value: object) -> C:
        """The member whose id is ``value`` (or ``value`` itself); ValueError naming the ids otherwise."""
        for member in cls:
            if member is value or member.value == value:
                return member
        raise ValueError(f"{value!r} is not one of {', '.join(m.value for m in cls)}")


class Who(Choice):
    """Who may serve notice."""

    MUTUAL = "mutual", "Both sides", "both sides may exit"
    BUYER = "buyer", "Reflection only", "only Reflection may exit"
    SELLER = "seller", "SpaceX only", "only SpaceX may exit"

    @property
    def buyer_may_exit(self) -> bool:
        """Whether Reflection holds the right to leave."""
        return self in (Who.MUTUAL, Who.BUYER)

    @property
    def seller_may_exit(self) -> bool:
        """Whether SpaceX holds the right to leave."""
        return self in (Who.MUTUAL, Who.SELLER)


class Rule(Choice):
    """When a side that may leave does so."""

    MYOPIC = "myopic", "Myopic", "myopic exercise"
    OPTIMAL = "optimal", "Optimal", "optimal exercise"


class Credit(Choice):
    """Whether Reflection can default."""

    RUNWAY = "runway", "On", "default risk on"
    NONE = "none", "Off", "default risk off"

    @property
    def defaults(self) -> bool:
        """Whether default draws end the contract under this choice."""
        return self is Credit.RUNWAY


class EndedBy(IntEnum):
    """How a simulated contract ended (the codes stored per path)."""

    TERM = 0
    BUYER = 1
    SELLER = 2
    DEFAULT = 3

    @property
    def words(self) -> str:
        """The outcome in words."""
        return {EndedBy.TERM: "ran to term", EndedBy.BUYER: "Reflection gave notice", EndedBy.SELLER: "SpaceX gave notice",
                EndedBy.DEFAULT: "Reflection defaulted"}[self]
