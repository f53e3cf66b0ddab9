"""One page of a list: its rows, and enough to draw the page links."""
from dataclasses import dataclass


@dataclass
class Page:
    rows: list
    total: int
    number: int
    size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

