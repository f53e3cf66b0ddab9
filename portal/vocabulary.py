"""Closed lists of stored values, each value with the words shown for it.

A vocabulary is declared once, in the package that owns the concept (registration's genders,
the directory's institution kinds...); forms, filters, tables and exports take values and labels
from there. Values are part of the portal's interface (stored, in URLs, in CSV files): change
one only with a migration.
"""
from collections.abc import Iterable, Iterator

from wtforms.fields.choices import SelectChoice


class Vocabulary:
    def __init__(self, *pairs: tuple[str, object]):
        self._labels = dict(pairs)

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(self._labels)

    def label(self, value: str) -> object:
        """The label of a value (the value itself when unknown, so a page never breaks on it)."""
        return self._labels.get(value, value)

    __getitem__ = label

    def items(self) -> list[tuple[str, object]]:
        return list(self._labels.items())

    def choices(self, only: Iterable[str] | None = None) -> list[SelectChoice]:
        """WTForms choices, in the vocabulary's order (restricted to `only` when given)."""
        wanted = set(self._labels if only is None else only)
        return [SelectChoice(value, label) for value, label in self._labels.items() if value in wanted]

    def __contains__(self, value: object) -> bool:
        return value in self._labels

    def __iter__(self) -> Iterator[str]:
        return iter(self._labels)

    def __len__(self) -> int:
        return len(self._labels)
