"""Placing a row's printed cells in the template's columns, and solving a table
from the template's arithmetic.

A row prints its cells after its label; extraction damages them in known
ways. For every row this module lists the *readings*: the ways the printed
cells can be the row's cells under those damages, using printed values only:

- **exact**: as many cells as columns, read in order;
- **padded**: more cells than columns; blank cells dropped (the layout's merged
  label cells first);
- **extra**: more values than columns; every way of leaving the extra ones out;
- **collapsed**: crawler text, where a line equal to the line before it was
  dropped, so a run of equal cells printed as one value (``2 / 0 / 2`` for
  2 0 0 0 0 0 2): every way of expanding the runs back to the row's width;
- **digits**: a row printed as one digit run because the separators were
  dropped (``270020130`` for 27 0 0 2 0 1 30): every way of splitting it;
- **joined**: a number split over two lines (``1`` / ``62`` for 162);
- **split**: a row of a flattened line (:mod:`govreport.segment`), where the
  separators between cells were dropped, so each printed group of digits
  holds one or more cells (``1230 00015`` for 12 3 0 0 0 0 15): every way of
  cutting the groups into exactly the row's cells, with no leading zeros,
  a cut at every space and before every sign, a decimal point or a unit
  staying with its number, a sign only in a 本年增/减 column and a decimal
  or a money unit only in a money column (:func:`split_readings`). These are
  the row's readings in that layout, and the row-local rules (B, D) prune
  them as they are listed; a row with one split is read as printed.

Digit runs and joined numbers are tried only for a row of other layouts
none of whose other readings fits the arithmetic. A row that prints fewer cells than columns in any other layout
has no reading: its missing cell may have been blank, and a value is never
computed for a cell that printed none.

:func:`solve` then keeps, for a table, the readings that fit the template's
arithmetic (cells.md rules A–D), jointly, since the rules tie rows and
columns together. A cell is filled when every remaining reading agrees on it.
An undamaged row is always taken as printed, even when its arithmetic is
wrong (that is a finding about the report); a damaged row is placed from the
arithmetic only when some reading fits it. The search is exact and bounded:
past its limits it gives up and leaves the damaged rows empty.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Final

import attrs
from lark import Token

__all__ = [
    "Piece",
    "Reading",
    "Row",
    "Constraint",
    "Outcome",
    "row_readings",
    "split_readings",
    "solve",
    "settled",
    "MAX_READINGS",
    "MAX_NODES",
]

#: How many readings of one row are listed before giving up on the row.
MAX_READINGS: Final = 5000
#: How many partial assignments the joint search visits before giving up.
MAX_NODES: Final = 200_000
#: How many adjacent numbers a joined reading may join.
MAX_JOINS: Final = 2

_DIGITS: Final = re.compile(r"\d+")


@attrs.frozen
class Piece:
    """A printed cell, or the part of one that a reading takes for a cell.

    ``kind`` is the token type (``VALUE``, ``NULL``, ``BLANK``); ``text``
    the number as printed, without white space (``""`` for a blank);
    ``start``/``end`` its offsets in the text.
    """

    kind: str
    text: str
    start: int
    end: int

    @classmethod
    def of(cls, token: Token) -> Piece:
        text, lead, trail = _trimmed(token.type, token.value)
        start = (token.start_pos or 0) + lead
        end = (token.end_pos or 0) - trail
        return cls(token.type, text, start, max(start, end))

    @property
    def key(self) -> str | None:
        """What readings compare: the printed number, or None for no value."""
        return self.text if self.kind == "VALUE" else None

    @property
    def count(self) -> int | None:
        """The piece as a whole number, for the arithmetic (None if it is not one)."""
        return _count(self.kind, self.text)


@functools.lru_cache(maxsize=4096)
def _trimmed(kind: str, raw: str) -> tuple[str, int, int]:
    """A printed cell's number without white space (``""`` for a blank), and
    the lengths of the white space and pipes before and after it."""
    text = "".join(raw.split()) if kind != "BLANK" else ""
    return text, len(raw) - len(raw.lstrip(" \t|\n")), len(raw) - len(raw.rstrip(" \t|\n"))


@functools.lru_cache(maxsize=4096)
def _count(kind: str, text: str) -> int | None:
    if kind != "VALUE":
        return None
    match = _COUNT.fullmatch(text)
    if match is None:
        return None
    value = int(match[2])
    return -value if match[1] in ("-", "减") else value


_COUNT: Final = re.compile(r"([+-]|增|减)?(\d+)(?:[件个条批项次])?")

#: One piece per column.
Reading = tuple[Piece, ...]


@attrs.frozen
class Row:
    """The readings of one row.

    ``how`` names the damage: ``exact``, ``padded``, ``extra``,
    ``joined`` (numbers wrapped over two lines joined back), ``collapsed``, ``split`` (a flattened row's groups cut into cells, more
    than one way), ``forced`` (one way only: read as printed), ``uncut`` (a
    flattened row whose groups cannot make its cells), ``short`` (no
    reading), ``unplaced`` (too many readings).
    ``fallback`` holds the ``digits``/``joined`` readings, tried only when no
    reading fits the arithmetic (``complete`` is False when there were too
    many to list). ``dropped`` are the blank cells a padded reading leaves
    out; ``quiet`` tells whether the layout explains them.
    """

    readings: tuple[Reading, ...]
    how: str
    fallback: tuple[Reading, ...] = ()
    dropped: tuple[Piece, ...] = ()
    quiet: bool = False
    complete: bool = True  # False when the fallback readings were too many to list

    @property
    def damaged(self) -> bool:
        return self.how not in ("exact", "padded", "forced")


def _unique(readings: Iterable[Reading]) -> tuple[Reading, ...]:
    seen: dict[tuple[str | None, ...], Reading] = {}
    for reading in readings:
        seen.setdefault(tuple(p.key for p in reading), reading)
    return tuple(seen.values())


def _without(pieces: Sequence[Piece], drop: Iterable[int]) -> Reading:
    skip = set(drop)
    return tuple(p for i, p in enumerate(pieces) if i not in skip)


def _expansions(pieces: Sequence[Piece], width: int) -> Iterator[Reading]:
    """Every way of repeating each piece at least once to fill ``width`` cells."""
    count = len(pieces)
    for cuts in itertools.combinations(range(1, width), count - 1):
        bounds = (0, *cuts, width)
        yield tuple(
            piece
            for piece, low, high in zip(pieces, bounds, bounds[1:], strict=False)
            for _ in range(high - low)
        )


def _splits(piece: Piece, width: int) -> Iterator[Reading]:
    """Every way of cutting a digit run into ``width`` numbers (no leading zeros)."""
    digits = piece.text
    if not digits.isdigit() or len(digits) < width:
        return
    for cuts in itertools.combinations(range(1, len(digits)), width - 1):
        bounds = (0, *cuts, len(digits))
        parts = [digits[a:b] for a, b in itertools.pairwise(bounds)]
        if any(len(p) > 1 and p[0] == "0" for p in parts):
            continue
        yield tuple(
            Piece("VALUE", part, piece.start + a, piece.start + b)
            for part, a, b in zip(parts, bounds, bounds[1:], strict=False)
        )


def _joins(pieces: Sequence[Piece]) -> Iterator[tuple[Piece, ...]]:
    """The piece sequences with up to MAX_JOINS adjacent plain numbers joined."""
    joinable = [
        i
        for i in range(len(pieces) - 1)
        if pieces[i].text.isdigit() and pieces[i + 1].text.isdigit() and pieces[i].text != "0"
    ]
    for size in range(1, MAX_JOINS + 1):
        for chosen in itertools.combinations(joinable, size):
            if any(b - a == 1 for a, b in itertools.pairwise(chosen)):
                continue  # one join per pair of pieces
            out: list[Piece] = []
            skip = False
            for i, piece in enumerate(pieces):
                if skip:
                    skip = False
                    continue
                if i in chosen:
                    after = pieces[i + 1]
                    out.append(Piece("VALUE", piece.text + after.text, piece.start, after.end))
                    skip = True
                else:
                    out.append(piece)
            yield tuple(out)


def _limited(readings: Iterable[Reading]) -> tuple[Reading, ...] | None:
    listed = tuple(itertools.islice(readings, MAX_READINGS + 1))
    return None if len(listed) > MAX_READINGS else _unique(listed)


def row_readings(
    tokens: Sequence[Token],
    width: int,
    quiet: frozenset[int] = frozenset(),
    *,
    collapsed: bool = False,
    wrapped: bool = False,
) -> Row:
    """The readings of a row's printed cells (VALUE/NULL/BLANK tokens).

    ``quiet`` holds the indices of blank cells the layout explains (merged
    label cells, trailing cells of a narrower block): they are dropped first,
    without a diagnostic. ``collapsed`` says the row is crawler text whose
    runs of equal cells may have collapsed into one; ``wrapped`` that its
    cells are lines of their own, more than its columns, so that a line may
    have wrapped a number (``1`` / ``62`` for 162): its readings are then
    those joining adjacent numbers into exactly its cells, which use every
    printed digit, and those leaving values out only its fallback.
    """
    pieces = [Piece.of(t) for t in tokens]
    count = len(pieces)
    fallback: tuple[Reading, ...] = ()
    complete = True
    if wrapped and count > width:

        def rejoined() -> Iterator[Reading]:
            for joined in _joins(pieces):
                if len(joined) == width:
                    yield joined
                elif collapsed and len(joined) < width:
                    yield from _expansions(joined, width)

        listed = _limited(rejoined())
        if listed is None:
            return Row((), "unplaced")
        if listed:
            dropping = row_readings(tokens, width, quiet)
            return Row(listed, "joined", dropping.readings, complete=dropping.how != "unplaced")
    if collapsed:
        values = [p for p in pieces if p.kind == "VALUE"]

        def alternatives() -> Iterator[Reading]:
            if len(values) == 1:
                yield from _splits(values[0], width)
            for joined in _joins(pieces):
                if len(joined) == width:
                    yield joined
                elif len(joined) < width:
                    yield from _expansions(joined, width)

        listed = _limited(alternatives())
        complete = listed is not None
        fallback = listed or ()
    if count == width:
        return Row((tuple(pieces),), "exact", fallback, complete=complete)
    if count > width:
        extra = count - width
        blanks = [i for i, p in enumerate(pieces) if p.kind == "BLANK"]
        if len(blanks) >= extra:
            silent = sorted(quiet.intersection(blanks))
            pool = silent if len(silent) >= extra else blanks
            combos = list(itertools.islice(itertools.combinations(pool, extra), MAX_READINGS + 1))
            if len(combos) > MAX_READINGS:
                return Row((), "unplaced", fallback)
            readings = _unique(_without(pieces, c) for c in reversed(combos))
            dropped = tuple(pieces[i] for i in combos[-1])
            return Row(readings, "padded", fallback, dropped, pool is silent)
        kept = _without(pieces, blanks)
        extra = len(kept) - width
        limited = _limited(
            _without(kept, c)
            for c in reversed(
                list(itertools.islice(itertools.combinations(range(len(kept)), extra), MAX_READINGS + 1))
            )
        )
        if limited is None:
            return Row((), "unplaced", fallback)
        return Row(limited, "extra", fallback, tuple(pieces[i] for i in blanks))
    distinct = all(a.key != b.key for a, b in itertools.pairwise(pieces))
    if collapsed and count and distinct and all(p.kind != "BLANK" for p in pieces):
        limited = _limited(_expansions(pieces, width))
        if limited is None:
            return Row((), "unplaced", fallback)
        return Row(limited, "collapsed", fallback, complete=complete)
    return Row((), "short", fallback, complete=complete)


# ---------------------------------------------------------------------------
# Flattened rows: printed groups cut into cells
# ---------------------------------------------------------------------------

_GROUP: Final = re.compile(
    r"(?P<sign>[+-])?(?P<digits>\d+)(?P<fraction>\.\d+)?(?P<unit>万元|元|\(元\)|\(万元\)|万|件|个|条|批|项|次)?"
)
_MONEY_UNITS: Final = frozenset({"万元", "元", "(元)", "(万元)", "万"})
_MONEY_MARK: Final = re.compile(r"\.\d|万|元")


@attrs.frozen
class _Group:
    """A printed group of a flattened row: a sign, digits, a decimal part and
    a unit (``-720``, ``2832995元``, ``61234.5万元``), or a piece that is one
    cell whatever happens (a null mark, a number with a thousands comma)."""

    piece: Piece
    sign: str = ""
    digits: str = ""
    tail: str = ""  # the decimal part and the unit
    money: bool = False  # the tail has a decimal part or a money unit
    whole: bool = True  # one cell: not to be cut

    @classmethod
    def of(cls, piece: Piece) -> _Group:
        # Printed with white space inside (``12 .5``): one cell.
        inside = piece.end - piece.start != len(piece.text)
        match = _GROUP.fullmatch(piece.text) if piece.kind == "VALUE" and not inside else None
        if match is None:
            return cls(piece, money=piece.kind == "VALUE" and bool(_MONEY_MARK.search(piece.text)))
        tail = (match["fraction"] or "") + (match["unit"] or "")
        money = bool(match["fraction"]) or (match["unit"] or "") in _MONEY_UNITS
        return cls(piece, match["sign"] or "", match["digits"], tail, money, whole=False)

    def cells(self) -> int:
        """The most cells the group can hold: a run of null marks (``——``,
        ``//``) is one mark for one cell, or one for each."""
        if self.piece.kind == "NULL":
            return max(1, len(self.piece.text))
        return 1 if self.whole else len(self.digits)


def _fits_column(kind: str, signed: bool, money: bool) -> bool:
    """Whether a number (with a sign, with a decimal or money unit) can be a
    cell of a column of type ``kind`` (a :class:`~govreport.vocabulary.ValueType` value)."""
    if signed and kind != "signed":
        return False
    return not (money and kind != "money")


def split_readings(
    tokens: Sequence[Token],
    kinds: Sequence[str],
    local: Sequence[Constraint] = (),
    name: str = "",
) -> Row | None:
    """The readings of a flattened row: its printed groups (VALUE/NULL
    tokens) cut into exactly ``len(kinds)`` cells of the given types
    (``count``, ``signed``, ``money``). ``local`` are the rules on the row
    alone (named ``name``), checked as the cells are placed.

    ``forced`` when there is one way of cutting the groups (read as
    printed, whatever the arithmetic says); ``split`` with the cuts that
    fit ``local`` when there are several (none fitting: no reading);
    ``unplaced`` past :data:`MAX_READINGS` readings or :data:`MAX_NODES`
    steps; None when the groups cannot make the row at all (too few or too
    many digits), for the caller to read the row as any other.
    """
    groups = tuple(_Group.of(Piece.of(t)) for t in tokens)
    if not groups:
        return None
    try:
        first_two = list(itertools.islice(_Cutter(groups, kinds, (), name).cuts(), 2))
        if not first_two:
            return None
        if len(first_two) == 1:
            return Row((first_two[0],), "forced")
        listed = _limited(_Cutter(groups, kinds, local, name).cuts())
    except _TooMany:
        return Row((), "unplaced")
    if listed is None:
        return Row((), "unplaced")
    return Row(listed, "split")


class _TooMany(Exception):
    """Cutting a row went past :data:`MAX_NODES` steps."""


class _Cutter:
    """Every way of cutting a flattened row's groups into its cells.

    A row whose rules tile it into blocks of cells followed by their total
    (rule B: a request row's six applicant cells and 总计; rule D: the review
    row's three groups of four outcomes and 总计), printed as plain digits,
    is cut block by block: each way of taking a block's total off the
    digits fixes the sum the block's other cells must make, and those are
    found met in the middle (the sums of the ways of cutting the digits
    before a point into half the cells, against those after it). Any other
    row is cut depth first, each rule of ``local`` checked once its last
    cell is placed.
    """

    def __init__(
        self, groups: Sequence[_Group], kinds: Sequence[str], local: Sequence[Constraint], name: str
    ) -> None:
        self.groups = tuple(groups)
        self.kinds = tuple(kinds)
        self.local = tuple(local)
        self.name = name
        self.steps = 0

    def step(self) -> None:
        self.steps += 1
        if self.steps > MAX_NODES:
            raise _TooMany

    def cuts(self) -> Iterator[Reading]:
        blocks = self._blocks()
        plain = all(not g.whole and not g.sign and not g.tail for g in self.groups)
        if blocks is not None and plain and set(self.kinds) == {"count"}:
            yield from _Blocks(self, blocks).cuts()
        else:
            yield from self._search()

    def _blocks(self) -> list[tuple[int, int]] | None:
        """(first cell, total cell) of each block, when the rules tile the
        row into cells followed by their total; else None."""
        if not self.local:
            return None
        found: dict[int, int] = {}
        for constraint in self.local:
            for one, many in ((constraint.left, constraint.right), (constraint.right, constraint.left)):
                columns = sorted(column for _, column in many)
                if (
                    len(one) == 1
                    and columns
                    and columns == list(range(columns[0], one[0][1]))
                    and all(row == self.name for row, _ in (*one, *many))
                ):
                    found[columns[0]] = one[0][1]
                    break
            else:
                return None
        blocks = sorted(found.items())
        at = 0
        for first, total in blocks:
            if first != at:
                return None
            at = total + 1
        return blocks if at == len(self.kinds) and len(blocks) == len(self.local) else None

    def _search(self) -> Iterator[Reading]:
        groups, kinds, width = self.groups, self.kinds, len(self.kinds)
        due: list[list[Constraint]] = [[] for _ in range(width)]
        for constraint in self.local:
            last = max(column for _, column in (*constraint.left, *constraint.right))
            if last < width:
                due[last].append(constraint)
        # The fewest and the most cells the groups after each group can hold.
        fewest = [0] * (len(groups) + 1)
        most = [0] * (len(groups) + 1)
        for index in range(len(groups) - 1, -1, -1):
            fewest[index] = fewest[index + 1] + 1
            most[index] = most[index + 1] + groups[index].cells()
        cells: list[Piece] = []
        counts: list[int | None] = []
        row = {self.name: counts}

        def place(piece: Piece, column: int) -> bool:
            """Whether ``piece`` can be the cell at ``column``; placed if so."""
            self.step()
            cells.append(piece)
            counts.append(piece.count)
            if all(c.holds(row) is not False for c in due[column]):
                return True
            unplace()
            return False

        def unplace() -> None:
            cells.pop()
            counts.pop()

        def visit(index: int, at: int) -> Iterator[Reading]:
            column = len(cells)
            if index == len(groups):
                if column == width:
                    yield tuple(cells)
                return
            if column == width:
                return
            group = groups[index]
            left = width - column
            if group.piece.kind == "NULL" and len(group.piece.text) > 1:
                # ``——`` is one cell's mark or two cells' (``—`` each): every split.
                mark = group.piece
                for count in range(1, len(mark.text) + 1):
                    if not fewest[index + 1] <= left - count <= most[index + 1]:
                        continue
                    bounds = [mark.start + round(i * len(mark.text) / count) for i in range(count + 1)]
                    pieces = [Piece("NULL", "", a, b) for a, b in itertools.pairwise(bounds)]
                    placed = 0
                    for offset, piece in enumerate(pieces):
                        if not place(piece, column + offset):
                            break
                        placed += 1
                    if placed == count:
                        yield from visit(index + 1, 0)
                    for _ in range(placed):
                        unplace()
                return
            if group.whole:
                if left < fewest[index] or left > most[index]:
                    return
                piece = group.piece
                signed = piece.kind == "VALUE" and piece.text[:1] in ("+", "-", "增", "减")
                if _fits_column(kinds[column], signed, group.money) and place(piece, column):
                    yield from visit(index + 1, 0)
                    unplace()
                return
            digits = group.digits
            base = group.piece.start
            after = left - 1  # cells still to place once this one is
            # The cell ends the group when the groups after need every cell left.
            stops = (
                range(len(digits), len(digits) + 1)
                if after < 1 + fewest[index + 1]
                else range(at + 1, len(digits) + 1)
            )
            for stop in stops:
                if stop - at > 1 and digits[at] == "0":
                    break  # no leading zeros: 0 is a cell of its own
                last = stop == len(digits)
                if last:
                    if after < fewest[index + 1] or after > most[index + 1]:
                        continue
                elif after > len(digits) - stop + most[index + 1]:
                    break  # the rest of the group and the groups after cannot hold them
                first = at == 0
                sign = group.sign if first else ""
                tail = group.tail if last else ""
                if not _fits_column(kinds[column], bool(sign), group.money and last):
                    continue
                start = base + (0 if first else len(group.sign) + at)
                end = base + len(group.sign) + stop + (len(tail) if last else 0)
                if place(Piece("VALUE", sign + digits[at:stop] + tail, start, end), column):
                    yield from visit(index + 1, 0) if last else visit(index, stop)
                    unplace()

        yield from visit(0, 0)


class _Blocks:
    """Cutting plain digit groups block by block (see :class:`_Cutter`):
    the sums each stretch of digits can make in so many cells are worked
    out once (and remembered), so only the cuts that make a block's total
    are ever listed."""

    def __init__(self, cutter: _Cutter, blocks: Sequence[tuple[int, int]]) -> None:
        self.cutter = cutter
        self.blocks = tuple(blocks)
        groups = cutter.groups
        self.flat = "".join(g.digits for g in groups)
        self.offsets: list[int] = []
        self.forced: set[int] = set()  # where one group ends and the next starts
        for group in groups:
            if self.offsets:
                self.forced.add(len(self.offsets))
            self.offsets.extend(range(group.piece.start, group.piece.start + len(group.digits)))
        size = len(self.flat)
        # The end of the group each digit is in: no cell runs past it.
        self.limit = [0] * size
        end = size
        for index in range(size - 1, -1, -1):
            self.limit[index] = end
            if index in self.forced:
                end = index
        self.memo: dict[tuple[int, int, int, int], frozenset[int]] = {}
        # Digit sums of the prefixes: a number and its digits agree modulo 9,
        # so however a stretch is cut, its cells sum to its digit sum mod 9.
        self.nines = [0]
        for digit in self.flat:
            self.nines.append((self.nines[-1] + int(digit)) % 9)

    def cuts(self) -> Iterator[Reading]:
        for points in self._from(0, 0):
            bounds = (0, *points)
            yield tuple(
                Piece("VALUE", self.flat[a:b], self.offsets[a], self.offsets[b - 1] + 1)
                for a, b in itertools.pairwise(bounds)
            )

    def _from(self, block: int, low: int) -> Iterator[tuple[int, ...]]:
        """The cut points (each cell's end) of the blocks from ``block`` on,
        cutting the digits from ``low``."""
        flat, size = self.flat, len(self.flat)
        if block == len(self.blocks):
            if low == size:
                yield ()
            return
        first, total = self.blocks[block]
        count = total - first  # the cells the total sums
        later = len(self.cutter.kinds) - total - 1  # cells after this block
        final = block == len(self.blocks) - 1
        # The total is flat[start:stop]: after one digit per cell at least;
        # no cell longer than the total, nor the total than a cell + 1.
        for start in range(low + count, size - later):
            stops = range(size, size + 1) if final else range(start + 1, size - later + 1)
            for stop in stops:
                length = stop - start
                if length > 1 and flat[start] == "0":
                    break
                if self.limit[start] < stop:
                    break
                if start - low > count * length:
                    continue  # the cells would be longer than their total
                if length > start - low - count + 2:
                    break  # the total would be longer than any sum of the cells
                target = int(flat[start:stop])
                if (self.nines[start] - self.nines[low] - target) % 9:
                    continue  # casting out nines: no cut of the cells makes this total
                if target not in self._sums(low, start, count, length):
                    continue
                for points in self._making(low, start, count, target, length):
                    for rest in self._from(block + 1, stop):
                        yield (*points, stop, *rest)

    def _sums(self, low: int, high: int, count: int, longest: int) -> frozenset[int]:
        """The sums of the ways of cutting flat[low:high] into ``count``
        numbers of at most ``longest`` digits, none across a group's end nor
        with a leading zero."""
        key = (low, high, count, longest)
        found = self.memo.get(key)
        if found is not None:
            return found
        self.cutter.step()
        flat = self.flat
        out: set[int] = set()
        if not count <= high - low <= count * longest:
            pass
        elif count == 1:
            if self.limit[low] >= high and (high - low == 1 or flat[low] != "0"):
                out.add(int(flat[low:high]))
        else:
            cap = 10**longest  # a sum is a total, which has at most ``longest`` digits
            for stop in range(low + 1, min(self.limit[low], high - count + 1, low + longest) + 1):
                if stop - low > 1 and flat[low] == "0":
                    break
                value = int(flat[low:stop])
                out.update(
                    value + rest for rest in self._sums(stop, high, count - 1, longest) if value + rest < cap
                )
        found = frozenset(out)
        self.memo[key] = found
        return found

    def _making(
        self, low: int, high: int, count: int, target: int, longest: int
    ) -> Iterator[tuple[int, ...]]:
        """The cut points of the ways of cutting flat[low:high] into
        ``count`` numbers of at most ``longest`` digits that sum to ``target``."""
        if count == 1:
            yield (high,)
            return
        flat = self.flat
        for stop in range(low + 1, min(self.limit[low], high - count + 1, low + longest) + 1):
            if stop - low > 1 and flat[low] == "0":
                break
            value = int(flat[low:stop])
            if value > target:
                break
            if target - value in self._sums(stop, high, count - 1, longest):
                for points in self._making(stop, high, count - 1, target - value, longest):
                    yield (stop, *points)


# ---------------------------------------------------------------------------
# Solving a table
# ---------------------------------------------------------------------------


@attrs.frozen
class Constraint:
    """``sum(left) == sum(right)`` over cells named (row, column index)."""

    rule: str
    left: tuple[tuple[str, int], ...]
    right: tuple[tuple[str, int], ...]
    rows: frozenset[str] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "rows", frozenset(r for r, _ in (*self.left, *self.right)))

    def holds(self, values: Mapping[str, Sequence[int | None]]) -> bool | None:
        """True or False, or None when a cell has no value (not checked)."""
        total = 0
        for side, sign in ((self.left, 1), (self.right, -1)):
            for row, column in side:
                value = values[row][column]
                if value is None:
                    return None
                total += sign * value
        return total == 0


@attrs.frozen
class Outcome:
    """What the solver made of one row.

    ``readings`` are the row's readings that fit the arithmetic (all of them
    when the arithmetic could not be used); ``fitted`` tells whether the
    arithmetic chose among them; ``used_fallback`` whether they are digit-run
    or joined readings; ``gave_up`` whether the search hit its limits;
    ``refuted`` the rules that the only reading of a row resting on the
    damage model (values left out, numbers joined) broke with the other
    rows: the row is not placed.
    """

    readings: tuple[Reading, ...]
    fitted: bool = False
    used_fallback: bool = False
    gave_up: bool = False
    refuted: tuple[str, ...] = ()


def _counts(reading: Reading) -> tuple[int | None, ...]:
    return tuple(p.count for p in reading)


def solve(rows: Mapping[str, Row], constraints: Sequence[Constraint]) -> dict[str, Outcome]:
    """The readings of every row that fit the constraints jointly."""
    local: dict[str, list[Constraint]] = {name: [] for name in rows}
    for constraint in constraints:
        if len(constraint.rows) == 1:
            (only,) = constraint.rows
            if only in local:
                local[only].append(constraint)
    joint = [c for c in constraints if len(c.rows) > 1 and c.rows <= rows.keys()]
    options: dict[str, tuple[Reading, ...]] = {}
    outcome: dict[str, Outcome] = {}
    for name, row in rows.items():
        readings = row.readings
        if not local[name]:
            options[name] = readings
            continue
        fits = tuple(r for r in readings if _fits(local[name], {name: _counts(r)}))
        if fits:
            options[name] = fits
            outcome[name] = Outcome(fits, fitted=len(fits) < len(readings) or row.damaged)
            continue
        fits = ()
        if row.damaged:  # an undamaged row is taken as printed
            if not row.complete:
                options[name] = ()
                outcome[name] = Outcome((), gave_up=True)
                continue
            fits = tuple(r for r in row.fallback if _fits(local[name], {name: _counts(r)}))
        if fits:
            options[name] = fits
            outcome[name] = Outcome(fits, fitted=True, used_fallback=True)
        elif row.damaged:
            options[name] = ()  # no reading of the damage fits: not placed
        else:
            options[name] = readings  # printed as it stands: the report's own error
    # Joint rules: drop those the certain rows already break (the report's
    # own errors), then search the damaged rows' combinations. A row whose
    # one reading leaves printed values out or joins numbers is certain only
    # if the table's rules agree: a rule it breaks refutes it, not the report.
    single = {n: _counts(o[0]) for n, o in options.items() if len(o) == 1}
    guessed = {
        n for n in single if rows[n].how in ("extra", "joined") or outcome.get(n, Outcome(())).used_fallback
    }
    refuted: dict[str, list[str]] = {}
    for constraint in joint:
        if constraint.rows <= single.keys() and constraint.holds(single) is False:
            for name in constraint.rows & guessed:
                refuted.setdefault(name, []).append(constraint.rule)
    for name, broken in refuted.items():
        options[name] = ()
        single.pop(name)
        outcome[name] = Outcome((), refuted=tuple(dict.fromkeys(broken)))
    usable = []
    for constraint in joint:
        if not all(n in options and options[n] for n in constraint.rows):
            continue
        if constraint.rows <= single.keys() and constraint.holds(single) is False:
            continue
        usable.append(constraint)
    open_rows = sorted((n for n, o in options.items() if len(o) > 1), key=lambda n: len(options[n]))
    if open_rows and usable:
        found = _search(open_rows, options, single, usable)
        if found is None:
            for name in open_rows:
                outcome[name] = Outcome(options[name], gave_up=True)
            return _finish(rows, options, outcome)
        if all(found[n] for n in open_rows):
            for name in open_rows:
                kept = tuple(options[name][i] for i in sorted(found[name]))
                previous = outcome.get(name, Outcome(()))
                outcome[name] = Outcome(
                    kept,
                    fitted=previous.fitted or len(kept) < len(options[name]),
                    used_fallback=previous.used_fallback,
                )
                options[name] = kept
    return _finish(rows, options, outcome)


def _finish(
    rows: Mapping[str, Row], options: Mapping[str, tuple[Reading, ...]], outcome: dict[str, Outcome]
) -> dict[str, Outcome]:
    for name in rows:
        if name not in outcome:
            outcome[name] = Outcome(options[name])
        elif outcome[name].readings != options[name] and not outcome[name].gave_up:
            outcome[name] = attrs.evolve(outcome[name], readings=options[name])
    return outcome


def _fits(constraints: Sequence[Constraint], values: Mapping[str, Sequence[int | None]]) -> bool:
    return all(c.holds(values) is not False for c in constraints)


def _search(
    open_rows: Sequence[str],
    options: Mapping[str, tuple[Reading, ...]],
    single: Mapping[str, tuple[int | None, ...]],
    constraints: Sequence[Constraint],
) -> dict[str, set[int]] | None:
    """For each open row, the indices of its readings that take part in some
    joint solution; None if the search went past MAX_NODES."""
    order = {name: i for i, name in enumerate(open_rows)}
    # Check each constraint as soon as its last open row is assigned.
    due: list[list[Constraint]] = [[] for _ in open_rows]
    for constraint in constraints:
        involved = [order[n] for n in constraint.rows if n in order]
        if involved:
            due[max(involved)].append(constraint)
    counts = {name: [_counts(r) for r in options[name]] for name in open_rows}
    values: dict[str, Sequence[int | None]] = dict(single)
    chosen: list[int] = []
    good: dict[str, set[int]] = {name: set() for name in open_rows}
    nodes = 0

    def visit(depth: int) -> bool:
        nonlocal nodes
        if depth == len(open_rows):
            for name, index in zip(open_rows, chosen, strict=True):
                good[name].add(index)
            return True
        name = open_rows[depth]
        for index, row_values in enumerate(counts[name]):
            nodes += 1
            if nodes > MAX_NODES:
                return False
            values[name] = row_values
            if _fits(due[depth], values):
                chosen.append(index)
                if not visit(depth + 1):
                    return False
                chosen.pop()
        del values[name]
        return True

    if not visit(0):
        return None
    return good


def settled(
    pieces: Sequence[Piece],
    width: int,
    printed: frozenset[int],
    sums: Sequence[tuple[tuple[int, ...], int]],
) -> tuple[frozenset[int], ...]:
    """Per column, the printed pieces (by index; ``-1`` for a blank) that the
    readings of a row of crawler text give it under both of the text's
    damage models at once: a line equal to the line before it dropped (a
    run of equal cells printed once) and an empty cell never written (a
    blank prints nothing). A reading gives each column a blank, the piece
    of the column before it again, or the next piece, and uses every piece;
    only the columns not in ``printed`` (those a report may leave blank) may
    be blank. ``sums`` are the row's own rules, (parts, total) with the
    total after its parts; a blank counts as nothing in them, and a piece
    that is not a count leaves its rule unchecked.

    A column whose set holds one piece has that piece in every reading of
    both models: the text settles it. The row's readings are not searched
    one by one (a 15-cell review row has millions): the possible pieces of
    each column come from the states reachable before it and able to
    finish after it.
    """
    return _settled(tuple(p.count for p in pieces), width, printed, tuple(sums))


@functools.lru_cache(maxsize=1024)
def _settled(
    values: tuple[int | None, ...],
    width: int,
    printed: frozenset[int],
    sums: tuple[tuple[tuple[int, ...], int], ...],
) -> tuple[frozenset[int], ...]:
    """:func:`settled` over the pieces' counts: crawler rows print the same
    few patterns (``0``, ``n`` / ``0`` / ``n``) report after report."""
    count = len(values)
    role: dict[int, tuple[int, bool]] = {}
    for rule, (parts, total) in enumerate(sums):
        role.update({part: (rule, False) for part in parts})
        role[total] = (rule, True)
    State = tuple[int, tuple[int | None, ...]]  # the last piece used, each rule's running sum

    def moves(column: int, state: State) -> Iterator[tuple[int, State]]:
        last, sums_so_far = state
        choices = [last, last + 1] if last >= 0 else [0]
        if column not in printed:
            choices.insert(0, -1)
        for piece in choices:
            if piece >= count:
                continue
            value = 0 if piece < 0 else values[piece]
            running = sums_so_far
            if column in role:
                rule, is_total = role[column]
                so_far = running[rule]
                if is_total:
                    if so_far is not None and value is not None and so_far != value:
                        continue
                    so_far = 0
                else:
                    so_far = None if so_far is None or value is None else so_far + value
                running = (*running[:rule], so_far, *running[rule + 1 :])
            yield piece, (max(last, piece), running)

    @functools.cache
    def finishes(column: int, state: State) -> bool:
        if column == width:
            return state[0] == count - 1
        return any(finishes(column + 1, after) for _, after in moves(column, state))

    out: list[frozenset[int]] = []
    frontier: set[State] = {(-1, (0,) * len(sums))} if count else set()
    for column in range(width):
        possible: set[int] = set()
        reached: set[State] = set()
        for state in frontier:
            for piece, after in moves(column, state):
                if finishes(column + 1, after):
                    possible.add(piece)
                    reached.add(after)
        out.append(frozenset(possible))
        frontier = reached
    finishes.cache_clear()
    return tuple(out)


def agree(readings: Sequence[Reading], width: int) -> tuple[Piece | None, ...]:
    """Per column, the piece all readings agree on (the first reading's), or None."""
    if not readings:
        return (None,) * width
    if len(readings) == 1:
        return tuple(readings[0][column] for column in range(width))
    out: list[Piece | None] = []
    for column in range(width):
        keys = {r[column].key for r in readings}
        out.append(readings[0][column] if len(keys) == 1 else None)
    return tuple(out)


def candidates(readings: Sequence[Reading], column: int) -> list[str]:
    """The values the readings give a column, in order, as printed."""
    seen: list[str] = []
    for reading in readings:
        text = reading[column].text or "(blank)"
        if text not in seen:
            seen.append(text)
    return seen


def digit_count(text: str) -> int:
    return sum(len(d) for d in _DIGITS.findall(text))
