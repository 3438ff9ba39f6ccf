"""A report's results kept out of memory: written to an anonymous temporary file as they come,
read back one at a time, as often as a format needs to go over them.

`Spill` is a sequence of `DossierResult`s: `len`, iteration (each pass reads the file again,
holding one result at a time) and indexing. What the results share stays shared: a result's
requirement matrix is one of a few tuples of shared records (checker.run.matrix), kept once in
memory and referred to from the file by its number. The file is this process's own: created
unnamed (or unlinked at once where the system cannot), readable by no one else, gone when the
process ends or the spill is closed, so what is read back is what was written.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from typing import overload

from checker.report.result import DossierResult, RequirementResult

_CHUNK = 1 << 16


class _Results(Sequence[DossierResult]):
    """A sequence of results read one at a time: its `_at(index)` gives one, for an index
    within its length."""

    def _at(self, index: int) -> DossierResult:
        raise NotImplementedError

    @overload
    def __getitem__(self, index: int) -> DossierResult: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[DossierResult]: ...

    def __getitem__(self, index: int | slice) -> DossierResult | Sequence[DossierResult]:
        if isinstance(index, slice):
            return [self._at(i) for i in range(*index.indices(len(self)))]
        return self._at(range(len(self))[index])  # IndexError, and negative indices, as a list


class Spill(_Results):
    """Results in a temporary file, in the order they were added (see the module's text)."""

    def __init__(self, results: Iterable[DossierResult] = ()) -> None:
        import tempfile  # only when a report is spilled

        self._file = tempfile.TemporaryFile(prefix="cgt-check-")  # noqa: SIM115 - kept open until closed
        self._offsets: list[int] = []
        self._end = 0
        self._matrices: list[tuple[RequirementResult, ...]] = []
        self._matrix_index: dict[int, int] = {}  # id of a matrix (kept alive in _matrices) -> its number
        for r in results:
            self.append(r)

    def append(self, result: DossierResult) -> None:
        matrix = result.requirements
        number = self._matrix_index.get(id(matrix))
        if number is None:
            number = self._matrix_index[id(matrix)] = len(self._matrices)
            self._matrices.append(matrix)
        data = pickle.dumps((replace(result, requirements=()), number), pickle.HIGHEST_PROTOCOL)
        self._file.write(data)  # the file is only ever appended to; reads do not move its position
        self._offsets.append(self._end)
        self._end += len(data)

    def __len__(self) -> int:
        return len(self._offsets)

    def _at(self, index: int) -> DossierResult:
        start = self._offsets[index]
        self._file.flush()
        return self._loaded(self._read(self._size(index), start))

    def _read(self, size: int, offset: int) -> bytes:
        """size bytes at offset, leaving the file's position at its end (where appends go)."""
        if hasattr(os, "pread"):
            return os.pread(self._file.fileno(), size, offset)
        self._file.seek(offset)  # pragma: no cover - Windows has no pread
        data = self._file.read(size)
        self._file.seek(0, os.SEEK_END)
        return data

    def _size(self, index: int) -> int:
        end = self._offsets[index + 1] if index + 1 < len(self._offsets) else self._end
        return end - self._offsets[index]

    def __iter__(self) -> Iterator[DossierResult]:
        """Each result in order, read in large pieces; each pass its own reading."""
        self._file.flush()
        buffer, at = b"", 0  # what was read, and the file offset it starts at
        for index, start in enumerate(self._offsets):
            size = self._size(index)
            if start + size > at + len(buffer):
                self._file.flush()
                buffer, at = self._read(max(_CHUNK, size), start), start
            yield self._loaded(buffer[start - at : start - at + size])

    def _loaded(self, data: bytes) -> DossierResult:
        result, number = pickle.loads(data)
        return replace(result, requirements=self._matrices[number])

    def close(self) -> None:
        self._file.close()

    def __del__(self) -> None:
        file = getattr(self, "_file", None)
        if file is not None:
            file.close()


class Mapped(_Results):
    """A sequence of results (a spill) seen through a function applied to each as it is read."""

    def __init__(self, spill: Sequence[DossierResult], fn: Callable[[DossierResult], DossierResult]) -> None:
        self._spill = spill
        self._fn = fn

    def __len__(self) -> int:
        return len(self._spill)

    def _at(self, index: int) -> DossierResult:
        return self._fn(self._spill[index])

    def __iter__(self) -> Iterator[DossierResult]:
        return map(self._fn, self._spill)


__all__ = ["Mapped", "Spill"]
