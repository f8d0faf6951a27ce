"""A bounded, thread-safe HTML table: the base of the kit's live views.

Handler threads may assign a widget's ``value`` directly (ipywidgets sends the change from
any thread); they must never ``print`` or use ``with output:``, whose text lands in whichever
cell happens to be running. Each view keeps at most ``max_rows`` rows and re-renders its
HTML under a lock, so concurrent handler threads cannot lose or interleave rows.
"""

from __future__ import annotations

import html
import threading

import ipywidgets as widgets

TABLE_STYLE = (
    "border-collapse:collapse;font-family:var(--jp-code-font-family,monospace);"
    "font-size:12px;width:100%"
)
CELL_STYLE = "padding:1px 6px;border-bottom:1px solid var(--jp-border-color2,#ddd);text-align:left"


def esc(value) -> str:
    return html.escape(str(value), quote=True)


class LiveTable(widgets.HTML):
    """An HTML widget showing the last ``max_rows`` rows of a table, safe to feed from threads.

    :param columns: column headings.
    :param title: a caption shown above the table.
    :param max_rows: how many of the newest rows to keep (older ones are dropped and counted).
    :param height: maximum height in CSS pixels before the table scrolls.
    """

    def __init__(self, columns: list[str], title: str = "", max_rows: int = 200, height: int = 260):
        super().__init__()
        self._columns = list(columns)
        self._title = title
        self._max_rows = max_rows
        self._height = height
        self._rows: list[list[str]] = []
        self._dropped = 0
        self._row_lock = threading.Lock()
        self._render()

    def add_row(self, cells: list, color: str | None = None, numbered: bool = False) -> None:
        """Append a row (values are HTML-escaped) and re-render. Thread-safe.

        :param cells: the row's values, one per column.
        :param color: an optional CSS colour for the row's text.
        :param numbered: prepend the row's number (1, 2, 3...), counted under the lock so
            that rows added by concurrent threads never share a number.
        """
        row = [esc(c) for c in cells]
        with self._row_lock:
            if numbered:
                row.insert(0, str(len(self._rows) + self._dropped + 1))
            self._rows.append((row, color))
            if len(self._rows) > self._max_rows:
                self._dropped += len(self._rows) - self._max_rows
                del self._rows[: -self._max_rows]
            self._render()

    def clear(self) -> None:
        """Remove every row."""
        with self._row_lock:
            self._rows.clear()
            self._dropped = 0
            self._render()

    @property
    def row_count(self) -> int:
        """How many rows were added since the last clear (including dropped ones)."""
        with self._row_lock:
            return len(self._rows) + self._dropped

    def _render(self) -> None:
        head = "".join(f"<th style='{CELL_STYLE}'>{esc(c)}</th>" for c in self._columns)
        body = []
        for row, color in self._rows:
            style = CELL_STYLE + (f";color:{color}" if color else "")
            body.append("<tr>" + "".join(f"<td style='{style}'>{c}</td>" for c in row) + "</tr>")
        if not body:
            body.append(f"<tr><td style='{CELL_STYLE}' colspan='{len(self._columns)}'>"
                        "<i>nothing yet</i></td></tr>")
        note = f"<div><i>{self._dropped} older rows not shown</i></div>" if self._dropped else ""
        title = f"<b>{esc(self._title)}</b>" if self._title else ""
        self.value = (
            f"{title}{note}<div style='max-height:{self._height}px;overflow-y:auto'>"
            f"<table style='{TABLE_STYLE}'><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table></div>"
        )

    def __repr__(self) -> str:
        # nbval compares a widget's text/plain; keep it constant, whatever the rows are.
        return f"<{type(self).__name__}: {self._title or 'live table'}>"
