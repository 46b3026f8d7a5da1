"""Stage 2b: Lark's contextual lexer, with each match tried only against the
terminals that can start at that position.

Lark's lexer matches one alternation of every terminal the parser state
accepts, in priority order, at every position: the first alternative that
matches wins. White space (WS, priority 0) is half the tokens of a report
and comes last, so each white-space token used to run the whole
alternation, about a hundred label patterns, to fail.

A terminal cannot match where its first character cannot be. This module
computes, from each terminal's parsed regex, the set of characters it can
start with, whether it is anchored at a line start (``(?<![^\\n])``), and,
for a terminal that begins with a run of cell separators (``[ \\t|]*``, the
row labels) followed by what cannot be one, that the character after the
run is the one that counts. At a position, the lexer then matches the
alternation of the candidate terminals only, in the same order: the token,
its type and its length are those the full alternation gives, since every
terminal left out would have failed there. A newline, for one, is then
matched against two terminals (WS and the request note) instead of about a
hundred, and a tab before a 0 against three.

The candidate set depends on the position's key: its character, whether it
is at a line start, and the character after each separator run that starts
there. Characters are classed by what the terminals test (their literal
characters and character classes), so the candidates of a class are
computed once. The alternation of a set of candidates is compiled once the
set has come up a few times in a parser state; until then its terminals are
tried one by one, each with its own regex, compiled once for all states
(Lark compiled each when it built the parser, and Python's cache of
compiled patterns usually still holds it). No state's full alternation is
compiled: Lark compiles one per state lexer, and that was most of the first
parse's time.

Plugged into Lark with its ``_plugins`` option (:func:`govreport.grammar.parser`).
"""

from __future__ import annotations

import re
from typing import Any, Final

import lark.exceptions
import lark.lexer

try:  # Python 3.11 and later
    import re._constants as sre  # type: ignore[import-not-found]
    import re._parser as sre_parse  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as sre
    import sre_parse

_REPEATS: Final = tuple(
    op for op in (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", None)) if op is not None
)
_ATOMIC: Final = getattr(sre, "ATOMIC_GROUP", None)

__all__ = ["DispatchContextualLexer", "first_set", "supported"]

#: The Lark releases this module was written against and is tested with: it
#: subclasses Lark's lexer classes and uses their helpers (``_create_unless``,
#: ``Scanner``'s compiled alternations), which are not public API.
_LARK_RELEASES: Final = ((1, 3),)


def supported(version: str | None = None) -> bool:
    """Whether the installed Lark (or ``version``) is one this lexer is
    tested with; with another, :func:`govreport.grammar.parser` uses Lark's
    own lexer, which reads the same tokens, more slowly."""
    parts = (version or lark.__version__).split(".")
    try:
        release = (int(parts[0]), int(parts[1]))
    except (IndexError, ValueError):
        return False
    return release in _LARK_RELEASES and all(
        hasattr(lark.lexer, name) for name in ("Scanner", "_create_unless", "CallChain", "LineCounter")
    )


#: The alternation of a set of candidates is compiled once the set has come
#: up this many times in a state; until then its terminals are tried one by
#: one. Compiling the label patterns is the first parse's main cost, and most
#: sets are rare.
_COMPILE_AFTER: Final = 8

#: How many position keys a state lexer remembers (and the shared table of
#: characters four times as many) before starting afresh: about 300 keys come
#: up in 50 reports, and a corpus of any size stays within a few megabytes.
_CACHED_KEYS: Final = 8192

_CATEGORY_TEXT: Final = {
    sre.CATEGORY_DIGIT: r"\d",
    sre.CATEGORY_NOT_DIGIT: r"\D",
    sre.CATEGORY_SPACE: r"\s",
    sre.CATEGORY_NOT_SPACE: r"\S",
    sre.CATEGORY_WORD: r"\w",
    sre.CATEGORY_NOT_WORD: r"\W",
}


class _Any(Exception):
    """The first character of a pattern could be anything (or this module
    cannot tell): the terminal is always a candidate."""


class First:
    """What a terminal's first character can be: one of ``literals``, or any
    character one of ``classes`` (one-character regexes) matches; whether
    the terminal only matches at a line start; and ``lead``, the characters
    of a leading run the terminal skips (``[ \\t|]*``), when what follows the
    run cannot start with one of them: the first character is then the one
    after the run."""

    __slots__ = ("classes", "lead", "line_start", "literals")

    def __init__(
        self,
        literals: frozenset[str],
        classes: tuple[str, ...],
        line_start: bool,
        lead: frozenset[str] = frozenset(),
    ) -> None:
        self.literals = literals
        self.classes = classes
        self.line_start = line_start
        self.lead = lead

    def may_start(self, char: str) -> bool:
        """Whether the terminal (after its lead run) can start with ``char``."""
        return char in self.literals or any(re.fullmatch(c, char) for c in self.classes)


def _class_text(items: list[tuple[Any, Any]]) -> str:
    parts: list[str] = []
    for op, av in items:
        if op is sre.NEGATE:
            parts.insert(0, "^")
        elif op is sre.LITERAL:
            parts.append(re.escape(chr(av)))
        elif op is sre.RANGE:
            parts.append(re.escape(chr(av[0])) + "-" + re.escape(chr(av[1])))
        elif op is sre.CATEGORY and av in _CATEGORY_TEXT:
            parts.append(_CATEGORY_TEXT[av])
        else:
            raise _Any
    return "[" + "".join(parts) + "]"


def _first(items: Any, literals: set[str], classes: set[str]) -> bool:
    """Add the first characters of the sequence ``items`` to ``literals`` and
    ``classes``; return whether the sequence can match the empty string."""
    for op, av in items:
        if op is sre.LITERAL:
            literals.add(chr(av))
            return False
        if op is sre.NOT_LITERAL:
            classes.add("[^" + re.escape(chr(av)) + "]")
            return False
        if op is sre.IN:
            classes.add(_class_text(av))
            return False
        if op in (sre.ASSERT, sre.ASSERT_NOT, sre.AT):
            continue  # zero width: the first character is the next item's
        if op is sre.SUBPATTERN:
            _group, add_flags, _del_flags, sub = av
            if add_flags & (re.IGNORECASE | re.VERBOSE):
                raise _Any
            if not _first(sub, literals, classes):
                return False
        elif _ATOMIC is not None and op is _ATOMIC:
            if not _first(av, literals, classes):
                return False
        elif op is sre.BRANCH:
            nullable = False
            for alternative in av[1]:
                nullable |= _first(alternative, literals, classes)
            if not nullable:
                return False
        elif op in _REPEATS:
            low, _high, sub = av
            if not _first(sub, literals, classes) and low > 0:
                return False
        else:
            raise _Any
    return True


_AT_LINE_START: Final = (sre.ASSERT_NOT, (-1, [(sre.NOT_LITERAL, ord("\n"))]))


def first_set(regex: str, flags: int = 0) -> First | None:
    """What ``regex`` can start with, or None when that cannot be told."""
    if flags & (re.IGNORECASE | re.VERBOSE):
        return None
    try:
        items = list(sre_parse.parse(regex, flags))
        first = _first_of(items)
        if first is None:
            return None
        first.line_start = bool(items) and (items[0][0], _shape(items[0][1])) == _AT_LINE_START
        lead_at = next(
            (i for i, (op, _) in enumerate(items) if op not in (sre.ASSERT, sre.ASSERT_NOT, sre.AT)), None
        )
        if lead_at is not None:
            lead = _lead_run(items[lead_at])
            rest = _first_of(items[lead_at + 1 :]) if lead else None
            if lead and rest is not None and _disjoint(rest, lead, flags):
                first.literals, first.classes, first.lead = rest.literals, rest.classes, lead
    except _Any:
        return None
    return first


def _first_of(items: list[Any]) -> First | None:
    literals: set[str] = set()
    classes: set[str] = set()
    if _first(items, literals, classes):
        return None  # it can match the empty string: anything may follow
    return First(frozenset(literals), tuple(sorted(classes)), False)


def _lead_run(item: tuple[Any, Any]) -> frozenset[str]:
    """The characters of ``[ \t|]*`` (a starred set of literal characters)."""
    op, av = item
    if op is not sre.MAX_REPEAT or av[0] != 0 or av[1] != sre.MAXREPEAT:
        return frozenset()
    sub = list(av[2])
    if len(sub) != 1:
        return frozenset()
    sub_op, sub_av = sub[0]
    if sub_op is sre.LITERAL:
        return frozenset(chr(sub_av))
    if sub_op is sre.IN and all(o is sre.LITERAL for o, _ in sub_av):
        return frozenset(chr(a) for _, a in sub_av)
    return frozenset()


def _disjoint(first: First, chars: frozenset[str], flags: int) -> bool:
    return first.literals.isdisjoint(chars) and not any(
        re.fullmatch(c, char, flags) for c in first.classes for char in chars
    )


def _shape(av: Any) -> Any:
    if isinstance(av, tuple) and len(av) == 2 and hasattr(av[1], "data"):
        return (av[0], list(av[1].data))
    return av


_Signature = tuple[str | None, tuple[str, ...]]  # (the character if a literal, its classes)
_Key = tuple[Any, ...]  # (character, at a line start[, the character after each lead run])


class _Dispatch:
    """The candidate terminals per position key, for one set of terminals;
    shared by every parser state."""

    def __init__(self, terminals: list[Any], flags: int) -> None:
        self.firsts: dict[str, First | None] = {
            t.name: first_set(t.pattern.to_regexp(), flags | _pattern_flags(t)) for t in terminals
        }
        known = [f for f in self.firsts.values() if f is not None]
        self.literals = frozenset().union(*(f.literals for f in known))
        self.classes = tuple(sorted({c for f in known for c in f.classes}))
        self._compiled = tuple(re.compile(c, flags) for c in self.classes)
        #: The distinct lead runs, and per terminal the index of its own.
        self.leads: tuple[frozenset[str], ...] = tuple(sorted({f.lead for f in known if f.lead}, key=sorted))
        self.lead_chars = frozenset().union(*self.leads)
        self.lead_runs = tuple(
            re.compile("[" + "".join(re.escape(c) for c in sorted(lead)) + "]*") for lead in self.leads
        )
        self._lead_index = {name: self.leads.index(f.lead) for name, f in self.firsts.items() if f and f.lead}
        self._by_signature: dict[tuple[object, ...], frozenset[str]] = {}
        self._signatures: dict[str, _Signature] = {}
        self._flags = flags
        self._patterns: dict[str, re.Pattern[str]] = {}

    def compiled(self, terminal: Any) -> re.Pattern[str]:
        """The terminal's own regex, compiled once for every state."""
        found = self._patterns.get(terminal.name)
        if found is None:
            found = self._patterns[terminal.name] = re.compile(
                terminal.pattern.to_regexp(), self._flags | _pattern_flags(terminal)
            )
        return found

    def afters(self, string: str, pos: int, end: int) -> tuple[str, ...]:
        """The character after each lead run that starts at ``pos`` ("" at
        the end of the text): the last part of a position's key when its
        character may begin a lead run."""
        out = []
        for run in self.lead_runs:
            after = run.match(string, pos, end).end()  # type: ignore[union-attr]
            out.append(string[after] if after < end else "")
        return tuple(out)

    def _signature(self, char: str) -> _Signature:
        found = self._signatures.get(char)
        if found is None:
            matched = tuple(
                c for c, regex in zip(self.classes, self._compiled, strict=True) if regex.fullmatch(char)
            )
            found = (char if char in self.literals else None, matched)
            if len(self._signatures) < _CACHED_KEYS * 4:
                self._signatures[char] = found
        return found

    def candidates(self, key: _Key) -> frozenset[str]:
        """The terminals that may match at a position with this key."""
        char, line_start = key[0], key[1]
        afters = key[2] if len(key) > 2 else tuple(char for _ in self.leads)
        signature = (
            self._signature(char),
            line_start,
            tuple(self._signature(a) if a else None for a in afters),
        )
        found = self._by_signature.get(signature)
        if found is None:
            found = self._by_signature[signature] = frozenset(
                name
                for name, first in self.firsts.items()
                if self._admits(name, first, char, line_start, afters)
            )
        return found

    def _admits(
        self, name: str, first: First | None, char: str, line_start: bool, afters: tuple[str, ...]
    ) -> bool:
        if first is None:
            return True
        if first.line_start and not line_start:
            return False
        if first.lead:
            char = afters[self._lead_index[name]]
            if not char:
                return False
        literal, matched = self._signature(char)
        return literal in first.literals or not set(matched).isdisjoint(first.classes)


def _pattern_flags(terminal: Any) -> int:
    flags = 0
    for letter in getattr(terminal.pattern, "flags", ()):
        flags |= getattr(re, letter.upper(), 0)
    return flags


#: What a position key is matched with, in order: compiled patterns, each
#: with the terminal it stands for (None: an alternation of named groups,
#: whose ``lastgroup`` names the terminal).
_Matchers = tuple[tuple[re.Pattern[str], "str | None"], ...]


class _DispatchScanner:
    """A :class:`lark.lexer.Scanner` that matches each position against its
    candidate terminals only, in Lark's order.

    Until a set of candidates has come up ``_COMPILE_AFTER`` times in this
    state, its terminals are tried one by one (each terminal's regex is
    compiled once, for all states); then their alternation is compiled. A
    state's full alternation, which Lark compiles for every state lexer, is
    never compiled: that was most of the first parse's time.
    """

    def __init__(self, terminals: list[Any], dispatch: _Dispatch, flags: int, re_: Any) -> None:
        self._dispatch = dispatch
        self._flags = flags
        self._re = re_
        self.terminals = terminals
        self.allowed_types = {t.name for t in terminals}
        self._names = frozenset(self.allowed_types)
        self._lead_chars = dispatch.lead_chars
        self._by_key: dict[_Key, _Matchers] = {}
        self._by_set: dict[frozenset[str], _Matchers] = {}
        self._uses: dict[frozenset[str], int] = {}
        self._full: lark.lexer.Scanner | None = None

    def match(self, text: Any, pos: int) -> tuple[str, str] | None:
        string = text.text
        char = string[pos]
        key: _Key = (char, pos == 0 or string[pos - 1] == "\n")
        if char in self._lead_chars:
            key += (self._dispatch.afters(string, pos, text.end),)
        try:
            matchers = self._by_key[key]
        except KeyError:
            matchers = self._matchers_for(key)
        for pattern, name in matchers:
            found = pattern.match(string, pos, text.end)
            if found:
                return found.group(0), name or found.lastgroup  # type: ignore[return-value]
        return None

    def fullmatch(self, text: str) -> str | None:
        if self._full is None:
            self._full = lark.lexer.Scanner(self.terminals, self._flags, self._re, use_bytes=False)  # type: ignore[no-untyped-call]
        return self._full.fullmatch(text)

    def _matchers_for(self, key: _Key) -> _Matchers:
        """What to match at a position with this key (see the class)."""
        names = self._dispatch.candidates(key) & self._names
        found = self._by_set.get(names)
        if found is None:
            terminals = [t for t in self.terminals if t.name in names]  # Lark's order
            uses = self._uses[names] = self._uses.get(names, 0) + 1
            if len(terminals) > 1 and uses < _COMPILE_AFTER:
                # Not kept for the key: it comes back here, and is counted.
                return tuple((self._dispatch.compiled(t), t.name) for t in terminals)
            if len(terminals) == 1:
                found = ((self._dispatch.compiled(terminals[0]), terminals[0].name),)
            else:
                scanner = lark.lexer.Scanner(terminals, self._flags, self._re, use_bytes=False)  # type: ignore[no-untyped-call]
                found = tuple((pattern, None) for pattern in scanner._mres)
            self._by_set[names] = found
        if len(self._by_key) > _CACHED_KEYS:  # a bound on memory over any corpus
            self._by_key.clear()
        self._by_key[key] = found
        return found


class _DispatchBasicLexer(lark.lexer.BasicLexer):
    #: Set by DispatchContextualLexer for all its state lexers.
    dispatch: _Dispatch | None = None

    def _build_scanner(self) -> Any:
        if self.use_bytes or self.dispatch is None:
            return super()._build_scanner()
        # Lark's BasicLexer._build_scanner, with a scanner that compiles lazily.
        terminals, self.callback = lark.lexer._create_unless(  # type: ignore[no-untyped-call]
            self.terminals, self.g_regex_flags, self.re, self.use_bytes
        )
        for type_, function in self.user_callbacks.items():
            if type_ in self.callback:
                self.callback[type_] = lark.lexer.CallChain(  # type: ignore[no-untyped-call]
                    self.callback[type_], function, lambda t, type_=type_: t.type == type_
                )
            else:
                self.callback[type_] = function
        return _DispatchScanner(terminals, self.dispatch, self.g_regex_flags, self.re)

    def next_token(self, lex_state: Any, parser_state: Any = None) -> lark.Token:
        """Lark's ``BasicLexer.next_token``, except that a run of ignored
        tokens (white space) is skipped with one update of the line counter:
        the tokens, their positions and lines are the same."""
        line_ctr = lex_state.line_ctr
        text = lex_state.text
        end = text.end
        start = pos = line_ctr.char_pos
        match = self.scanner.match
        ignore = self.ignore_types
        callback = self.callback
        while pos < end:
            found = match(text, pos)
            if not found:
                break
            value, type_ = found
            ignored = type_ in ignore
            if ignored and type_ not in callback:
                pos += len(value)
                continue
            if pos > start:
                line_ctr.feed(text.text[start:pos])
            token = lark.Token(type_, value, pos, line_ctr.line, line_ctr.column)
            line_ctr.feed(value, type_ in self.newline_types)
            token.end_line = line_ctr.line
            token.end_column = line_ctr.column
            token.end_pos = line_ctr.char_pos
            if type_ in callback:
                token = callback[type_](token)
            start = pos = line_ctr.char_pos
            if ignored:
                continue
            if not isinstance(token, lark.Token):
                raise lark.exceptions.LexError(f"Callbacks must return a token (returned {token!r})")
            lex_state.last_token = token
            return token
        if pos > start:
            line_ctr.feed(text.text[start:pos])
        if pos < end:
            allowed = self.scanner.allowed_types - self.ignore_types or {"<END-OF-FILE>"}
            raise lark.exceptions.UnexpectedCharacters(  # type: ignore[no-untyped-call]
                text.text,
                pos,
                line_ctr.line,
                line_ctr.column,
                allowed=allowed,
                token_history=lex_state.last_token and [lex_state.last_token],
                state=parser_state,
                terminals_by_name=self.terminals_by_name,
            )
        raise EOFError(self)


class DispatchContextualLexer(lark.lexer.ContextualLexer):
    """Lark's contextual lexer, its state lexers matching candidates only."""

    def __init__(self, conf: Any, states: Any, always_accept: Any = ()) -> None:
        dispatch = _Dispatch(list(conf.terminals), conf.g_regex_flags)
        lexer_class = type("_StateLexer", (_DispatchBasicLexer,), {"dispatch": dispatch})
        self.BasicLexer = lexer_class
        super().__init__(conf, states, always_accept)
