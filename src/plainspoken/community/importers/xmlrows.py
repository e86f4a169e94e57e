"""Streaming, hardened reading of ``<row .../>`` XML files (the Stack Exchange dump layout).

The bytes are pushed into lxml's parser in chunks (from a file or from a 7z member as it is
decompressed), with a parser target instead of a tree: each ``row`` element's attributes go
straight into column lists and nothing else is kept, so memory stays flat whatever the size.
A document type declaration is refused before anything in it is read, so entity expansion
(billion laughs), external entities and DTD or network access cannot happen; entities are
never resolved and the network is off in any case.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any, cast

from plainspoken.errors import InputError

Flush = Callable[[dict[str, list[str | None]], int], None]
"""Called with a batch of columns and the number of rows read before it."""


_LOCATION = re.compile(r",? line \d+, column \d+$")
_ENDS_EARLY = re.compile(r"premature end|end of data|couldn't find end|not finished|expected '>'"
                         r"|EndTag|no element found|unexpected end", re.IGNORECASE)  # fmt: skip


class DoctypeRefusedError(Exception):
    """Raised from the parser target when the document declares a DTD."""


class _RowTarget:
    """lxml parser target: collects the wanted attributes of each ``row`` element."""

    def __init__(self, fields: Sequence[str], flush: Flush, batch_rows: int) -> None:
        self.fields = tuple(fields)
        self.flush = flush
        self.batch_rows = batch_rows
        self.rows = 0
        self.root: str | None = None
        self._batch: list[tuple[str | None, ...]] = []

    def doctype(self, name: str, pubid: str | None, system: str | None) -> None:
        raise DoctypeRefusedError(name)

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        if tag != "row":
            if self.root is None:
                self.root = tag
            return
        # map() in C, one tuple per row; the batch is turned into columns in one go.
        self._batch.append(tuple(map(attrib.get, self.fields)))
        if len(self._batch) >= self.batch_rows:
            self.emit()

    def emit(self) -> None:
        batch = self._batch
        if not batch:
            return
        self._batch = []
        before = self.rows
        self.rows += len(batch)
        columns = {
            f: list(values) for f, values in zip(self.fields, zip(*batch, strict=True), strict=True)
        }
        self.flush(columns, before)

    def close(self) -> int:
        # Rows still batched are handed over by RowReader.close, once the document proved whole.
        return self.rows


class RowReader:
    """Accepts the bytes of one XML file in chunks and hands over its rows in batches.

    ``label`` names the file in messages; ``expected_root`` (like ``posts``) is checked so a
    file of another kind is refused instead of read as empty.
    """

    def __init__(
        self,
        label: str,
        fields: Sequence[str],
        flush: Flush,
        *,
        expected_root: str | None = None,
        batch_rows: int = 50_000,
    ) -> None:
        from lxml import etree

        self.label = label
        self.expected_root = expected_root
        self._target = _RowTarget(fields, flush, batch_rows)
        self._parser = etree.XMLParser(
            target=cast(Any, self._target),  # only the callbacks it needs: fewer calls
            resolve_entities=True,
            no_network=True,
            load_dtd=False,
            dtd_validation=False,
            huge_tree=True,  # long attribute values (big posts) are legitimate
            remove_comments=True,
            remove_pis=True,
        )
        self._closed = False
        self.bytes_read = 0
        self._tail = b""

    @property
    def rows(self) -> int:
        return self._target.rows

    def feed(self, data: bytes) -> None:
        """Parse the next chunk of the file."""
        if self._closed or not data:
            return
        self.bytes_read += len(data)
        self._tail = (self._tail + data)[-256:]
        try:
            self._parser.feed(data)
        except Exception as exc:  # lxml re-raises what a target raised, or a syntax error
            self._closed = True
            raise self._translate(exc) from None
        self._check_root()

    def close(self) -> int:
        """Finish the file; returns its row count."""
        if self._closed:
            return self.rows
        self._closed = True
        try:
            self._parser.close()
        except Exception as exc:
            raise self._translate(exc, at_end=True) from None
        self._check_root()
        self._target.emit()
        if self._target.root is None:
            raise InputError(self.label, "is empty (no XML elements)", "download the dump again")
        return self.rows

    def _check_root(self) -> None:
        root = self._target.root
        if root is not None and self.expected_root and root.lower() != self.expected_root:
            self._closed = True
            raise InputError(
                self.label,
                f"holds <{root}> rows, not <{self.expected_root}>",
                "is it the right file of the dump?",
            )

    def _ends_whole(self) -> bool:
        """Whether the bytes end with the closing tag of the document's root element."""
        root = self._target.root or self.expected_root or ""
        return self._tail.rstrip().endswith(f"</{root}>".encode())

    def _translate(self, exc: BaseException, at_end: bool = False) -> BaseException:
        from lxml import etree

        if isinstance(exc, DoctypeRefusedError):
            return InputError(
                self.label,
                "declares a document type (<!DOCTYPE>), which a Stack Exchange dump never has; "
                "refused so that no entity is expanded and no external file is fetched",
                "use the XML files of the original dump",
            )
        if isinstance(exc, etree.XMLSyntaxError):
            if self.bytes_read == 0:
                return InputError(self.label, "is empty", "download or unpack the dump again")
            line = exc.lineno or 0
            reason = " ".join((exc.msg or str(exc)).split())
            reason = _LOCATION.sub("", reason).rstrip(".")
            where = f"{self.label} line {line}" if line else self.label
            if at_end and (_ENDS_EARLY.search(reason) or not self._ends_whole()):
                return InputError(
                    where,
                    f"the XML ends early, the file looks truncated: {reason}",
                    "download or unpack the dump again",
                )
            return InputError(where, f"malformed XML: {reason}", "download the dump again")
        return exc
