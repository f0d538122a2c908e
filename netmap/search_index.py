"""One search over institutions, contacts, cities and initiatives, across scripts and accents.

``Пловдив`` finds Plovdiv, ``Θεσσαλονίκη`` Thessaloniki, and ``Nis``, ``Niš`` and ``Ниш`` are
the same word: every name is reduced with :func:`netmap.graph.name_key` (ASCII, lower
case, transliteration digraphs merged) before it is indexed or compared. Typos are forgiven
(``Thesaloniki``), and a word being typed matches by prefix (``Thess``).

Build a :class:`SearchIndex` once per store revision, then query it on every keystroke::

    index = SearchIndex.build(store.snapshot())
    index.search("Ниш")[0]      # Hit(kind='city', id='rs-nis', name='Niš', ...)

Speed: every name is split into words; a query word is looked up in the vocabulary of
distinct words exactly, by prefix (bisection in the sorted vocabulary) and, when it is not a
known word and has four letters or more, fuzzily: rapidfuzz scores only the words that share
half of its letter pairs. Matches are gathered and ranked with numpy. Measured on the
development machine (2 cores, Python 3.11, other jobs running) with a synthetic network of
60,000 institutions, 40,000 contacts and 22,000 cities (122,000 records, 131,000 distinct
words): building the index takes 6–9 s, once per store revision; a query takes 0.5–2 ms for
whole or mistyped words and up to 5 ms for a single letter (a prefix shared by thousands of
words) — fast enough for every keystroke.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable, Container, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz import process as fuzzy

if TYPE_CHECKING:
    import pandas as pd

    from netmap.store.base import GraphStore

from netmap.errors import NetmapError
from netmap.model import name_key
from netmap.store.base import Network
from netmap.taxonomy import load_taxonomy

KINDS = ("city", "institution", "initiative", "contact")
# How much a match in each field counts: the name itself, other names of the same thing,
# and text that only describes it (an institution's city, a contact's role).
_NAME, _ALIAS, _CONTEXT = 1.0, 0.95, 0.6
# What a query word earns for the vocabulary word it matches.
_EXACT, _PREFIX_BASE, _PREFIX_SPAN, _FUZZY = 1.0, 0.7, 0.25, 0.8
_FUZZY_MIN_LENGTH = 4  # shorter words have too many neighbours one typo away
_FUZZY_CUTOFF = 75.0  # rapidfuzz ratio (0-100): one typo in a word of four or more letters
_FUZZY_LIMIT = 40  # closest vocabulary words considered per query word
_PREFIX_LIMIT = 400  # vocabulary words considered per prefix (shortest first)


@dataclass(frozen=True)
class Hit:
    """One search result: what it is, its id and name, a short description, a score 0–100."""

    kind: str
    id: str
    name: str
    detail: str
    score: float

    def to_json(self) -> dict[str, object]:
        """Return the hit as a JSON-ready dict."""
        return {
            "kind": self.kind,
            "id": self.id,
            "name": self.name,
            "detail": self.detail,
            "score": self.score,
        }


@dataclass(frozen=True)
class _Entry:
    kind: str
    id: str
    name: str
    detail: str
    keys: tuple[str, ...]  # the name keys of its own names, for whole-name bonuses
    sort_name: str


def _columns(frame: pd.DataFrame, *names: str) -> Iterator[tuple[Any, ...]]:
    """Yield the rows of ``frame`` as tuples of the ``names`` columns (None for NaN)."""
    columns = [
        [None if isinstance(v, float) and math.isnan(v) else v for v in frame[name].tolist()]
        for name in names
    ]
    return zip(*columns, strict=True)


class SearchIndex:
    """A search index over one network snapshot; build it with :meth:`build`."""

    def __init__(self, entries: list[_Entry], postings: dict[str, list[tuple[int, float]]]):
        self._entries = entries
        # Postings in one flat array per field (CSR layout), so that a query word's matches
        # are gathered and maxed with numpy rather than a Python loop per record.
        words = sorted(postings)
        self._word_id = {word: i for i, word in enumerate(words)}
        lengths = np.fromiter((len(postings[w]) for w in words), dtype=np.int64, count=len(words))
        self._offsets = np.concatenate(([0], np.cumsum(lengths)))
        flat = [pair for w in words for pair in postings[w]]
        self._posting_entry = np.fromiter((e for e, _ in flat), dtype=np.int64, count=len(flat))
        self._posting_weight = np.fromiter((w for _, w in flat), dtype=np.float64, count=len(flat))
        self._vocabulary = words  # sorted: prefixes are a bisection away
        self._length = np.fromiter((len(w) for w in words), dtype=np.int64, count=len(words))
        # Letter pairs -> words holding them: a typo'd word shares most of its letter pairs
        # with the word meant, so only those words are scored with rapidfuzz.
        pair_words: dict[str, list[int]] = {}
        for word_id, word in enumerate(words):
            for pair in {word[i : i + 2] for i in range(len(word) - 1)}:
                pair_words.setdefault(pair, []).append(word_id)
        self._pair_id = {pair: i for i, pair in enumerate(pair_words)}
        pair_sizes = np.fromiter((len(v) for v in pair_words.values()), dtype=np.int64)
        self._pair_offsets = np.concatenate(([0], np.cumsum(pair_sizes)))
        self._pair_word = np.fromiter(
            (w for ids in pair_words.values() for w in ids),
            dtype=np.int64,
            count=int(pair_sizes.sum()),
        )
        # Each record's own names (whole), sorted, for the whole-name and prefix bonuses.
        own = sorted((key, i) for i, entry in enumerate(entries) for key in entry.keys)
        self._own_keys = [key for key, _ in own]
        self._own_entry = np.array([i for _, i in own], dtype=np.int64)
        self._kind = np.array([KINDS.index(e.kind) for e in entries], dtype=np.int64)
        # Equal scores are ordered by kind, then name, then id: precomputed once.
        order = sorted(
            range(len(entries)),
            key=lambda i: (self._kind[i], entries[i].sort_name, entries[i].id),
        )
        self._order = np.empty(len(entries), dtype=np.int64)
        self._order[order] = np.arange(len(entries))

    def __len__(self) -> int:
        return len(self._entries)

    @classmethod
    def build(cls, network: Network) -> SearchIndex:
        """Return an index of every institution, contact, city and initiative of ``network``.

        Institutions are found by name, local name, acronym, id and (weaker) city;
        contacts by name and (weaker) role and institution; cities by name and local name;
        initiatives by name.
        """
        taxonomy = load_taxonomy()
        entries: list[_Entry] = []
        postings: dict[str, list[tuple[int, float]]] = {}
        keys: dict[str | None, str] = {None: ""}

        def key_of(text: str | None) -> str:
            # Names repeat (cities, roles, institutions named in contacts): fold each once.
            found = keys.get(text)
            if found is None:
                found = keys[text] = name_key(text)
            return found

        def add(
            kind: str,
            record_id: str,
            name: str,
            detail: str,
            fields: Iterable[tuple[str | None, float]],
        ) -> None:
            index = len(entries)
            own = []
            best: dict[str, float] = {}
            for text, weight in fields:
                key = key_of(text)
                if not key:
                    continue
                if weight >= _ALIAS:
                    own.append(key)
                for word in key.split():
                    if weight > best.get(word, 0.0):
                        best[word] = weight
            for word, weight in best.items():
                postings.setdefault(word, []).append((index, weight))
            sort_name = own[0] if own else key_of(name)
            entries.append(
                _Entry(kind, record_id, name, detail, tuple(dict.fromkeys(own)), sort_name)
            )

        institutions = network.institutions
        cities = network.cities
        city_local = {
            (country, key_of(name)): local
            for country, name, local in _columns(cities, "country", "name", "name_local")
            if local
        }
        short: dict[str, str] = {}
        place: dict[str, str] = {}
        sector_labels = taxonomy.sectors
        for record_id, name, local, acronym, sector, country, city in _columns(
            institutions, "id", "name", "name_local", "acronym", "sector", "country", "city"
        ):
            where = f"{city}, {country}" if city else country
            short[record_id] = acronym or name
            place[record_id] = where
            add(
                "institution",
                record_id,
                name,
                f"{sector_labels.get(sector, sector)} · {where}",
                [
                    (name, _NAME),
                    (local, _ALIAS),
                    (acronym, _ALIAS),
                    (record_id.replace("-", " "), _CONTEXT),
                    (city, _CONTEXT),
                    (city_local.get((country, key_of(city))), _CONTEXT),
                ],
            )
        for record_id, name, role, institution in _columns(
            network.contacts, "id", "name", "role", "institution_id"
        ):
            shown = role or "Contact"
            shown = shown if len(shown) <= 48 else shown[:47].rstrip() + "…"
            at = short.get(institution, institution)
            add(
                "contact",
                record_id,
                name,
                " · ".join(p for p in (shown, at, place.get(institution)) if p),
                [(name, _NAME), (role, _CONTEXT), (at, _CONTEXT)],
            )
        seen_cities = set()
        for record_id, name, local, country in _columns(
            cities, "id", "name", "name_local", "country"
        ):
            seen_cities.add((country, key_of(name)))
            other = local if local and local != name else None
            detail = " · ".join(p for p in ("City", other, country) if p)
            add("city", record_id, name, detail, [(name, _NAME), (local, _ALIAS)])
        for country, city in sorted(
            {(country, city) for country, city in _columns(institutions, "country", "city") if city}
        ):
            if (country, key_of(city)) in seen_cities:
                continue
            seen_cities.add((country, key_of(city)))
            city_id = f"{country.lower()}-{key_of(city).replace(' ', '-')}"
            add("city", city_id, city, f"City · {country}", [(city, _NAME)])
        initiative_kinds = taxonomy.initiative_kinds
        for record_id, name, kind, start, end in _columns(
            network.initiatives, "id", "name", "kind", "start", "end"
        ):
            years = "–".join(dict.fromkeys(d[:4] for d in (start, end) if d))
            label = initiative_kinds.get(kind or "", "Initiative")
            detail = " · ".join(p for p in (label, years) if p)
            add("initiative", record_id, name, detail, [(name, _NAME)])
        return cls(entries, postings)

    def _matches(self, word: str) -> dict[str, float]:
        """Vocabulary words that ``word`` may stand for, with how well it matches each."""
        return word_matches(word, self._vocabulary, self._word_id, self._typo_candidates)

    def _typo_candidates(self, word: str) -> list[str]:
        """Vocabulary words that share at least half of ``word``'s letter pairs and have a
        length a typo can reach (a rapidfuzz ratio of 75 needs lengths within 0.6x-1.67x)."""
        pairs = {word[i : i + 2] for i in range(len(word) - 1)}
        ids = [self._pair_id[p] for p in pairs if p in self._pair_id]
        if not ids:
            return []
        chunks = [self._pair_word[self._pair_offsets[i] : self._pair_offsets[i + 1]] for i in ids]
        shared = np.bincount(np.concatenate(chunks), minlength=len(self._vocabulary))
        lengths = self._length
        keep = (
            (shared >= max(1, (len(pairs) + 1) // 2))
            & (lengths >= int(len(word) * 0.6))
            & (lengths <= int(len(word) / 0.6) + 1)
        )
        return [self._vocabulary[i] for i in np.flatnonzero(keep)]

    def _best_per_record(self, word: str) -> np.ndarray:
        """For every record, how well its best word matches ``word`` (0: not at all)."""
        best = np.zeros(len(self._entries))
        matches = self._matches(word)
        if not matches:
            return best
        ids = np.fromiter((self._word_id[w] for w in matches), dtype=np.int64, count=len(matches))
        similarity = np.fromiter(matches.values(), dtype=np.float64, count=len(matches))
        starts, stops = self._offsets[ids], self._offsets[ids + 1]
        sizes = stops - starts
        positions = np.repeat(stops - sizes.cumsum(), sizes) + np.arange(sizes.sum())
        values = self._posting_weight[positions] * np.repeat(similarity, sizes)
        np.maximum.at(best, self._posting_entry[positions], values)
        return best

    def search(self, text: str, limit: int = 20, kinds: Iterable[str] | None = None) -> list[Hit]:
        """Return the best matches for ``text``, best first (at most ``limit``).

        Every word of ``text`` must match a word of the record (exactly, as the beginning
        of a word, or with a typo); when no record matches them all, records matching some
        of them are returned, scored lower. A record whose own name is the whole query, or
        begins with it, gets a bonus. ``kinds`` restricts the results to some of ``city``,
        ``institution``, ``initiative`` and ``contact``. Equal scores are ordered by kind
        (in that order), then name, then id, so the same query gives the same list.
        """
        wanted = _check_kinds(kinds)
        query = name_key(text)
        words = list(dict.fromkeys(query.split()))
        if not words or limit <= 0 or not self._entries:
            return []
        total = np.zeros(len(self._entries))
        matched = np.zeros(len(self._entries), dtype=np.int64)
        for word in words:
            best = self._best_per_record(word)
            total += best
            matched += best > 0
        score = total / len(words)
        complete = matched == len(words)
        if complete.any():
            pool = complete
        else:
            pool = matched > 0
            score *= 0.5  # only some of the words matched
        start = bisect.bisect_left(self._own_keys, query)
        middle = bisect.bisect_right(self._own_keys, query, lo=start)
        stop = bisect.bisect_left(self._own_keys, query + "\x7f", lo=middle)
        bonus = np.zeros(len(self._entries))
        bonus[self._own_entry[middle:stop]] = 0.05  # its own name begins with the query
        bonus[self._own_entry[start:middle]] = 0.15  # its own name is the query
        if len(wanted) < len(KINDS):
            pool &= np.isin(self._kind, [KINDS.index(k) for k in wanted])
        candidates = np.flatnonzero(pool)
        if candidates.size == 0:
            return []
        final = np.round(np.minimum((score[candidates] + bonus[candidates]) / 1.15, 1.0) * 100, 1)
        if candidates.size > limit:
            cut = -np.partition(-final, limit - 1)[limit - 1]
            keep = final >= cut
            candidates, final = candidates[keep], final[keep]
        ranked = np.lexsort((self._order[candidates], -final))[:limit]
        return [
            Hit(entry.kind, entry.id, entry.name, entry.detail, float(final[i]))
            for i, entry in ((i, self._entries[candidates[i]]) for i in ranked)
        ]


def word_matches(
    word: str,
    vocabulary: Sequence[str],
    known: Container[str],
    typo_candidates: Callable[[str], list[str]],
) -> dict[str, float]:
    """The words of ``vocabulary`` (sorted; ``known`` holds the same) that ``word`` may
    stand for, with how well it matches each: itself, the words it begins (the shortest
    first, :data:`_PREFIX_LIMIT` at the most) and, for a long enough word, those a typo
    away among ``typo_candidates(word)``."""
    found: dict[str, float] = {}
    exact = word in known
    if exact:
        found[word] = _EXACT
    start = bisect.bisect_left(vocabulary, word)
    stop = bisect.bisect_left(vocabulary, word + "\x7f", lo=start)
    prefixed = list(vocabulary[start:stop])
    if len(prefixed) > _PREFIX_LIMIT:
        prefixed = sorted(prefixed, key=lambda w: (len(w), w))[:_PREFIX_LIMIT]
    for candidate in prefixed:
        if candidate != word:
            found[candidate] = _PREFIX_BASE + _PREFIX_SPAN * len(word) / len(candidate)
    if not exact and len(word) >= _FUZZY_MIN_LENGTH:
        for candidate, score, _ in fuzzy.extract(
            word,
            typo_candidates(word),
            scorer=fuzz.ratio,
            processor=None,
            score_cutoff=_FUZZY_CUTOFF,
            limit=_FUZZY_LIMIT,
        ):
            value = _FUZZY * score / 100
            if value > found.get(candidate, 0.0):
                found[candidate] = value
    return found


class Vocabulary:
    """The distinct words of a store's search table, to match a query's words against
    as :class:`SearchIndex` matches them against its own (exactly, by prefix, with a
    typo), without the records they come from."""

    def __init__(self, words: list[str]):
        self._words = words  # sorted, as SearchIndex keeps its vocabulary
        self._known = set(words)
        self._length = np.fromiter((len(w) for w in words), dtype=np.int64, count=len(words))

    def matches(self, word: str) -> dict[str, float]:
        """The words ``word`` may stand for, as :meth:`SearchIndex._matches` finds them."""
        return word_matches(word, self._words, self._known, self._typo_candidates)

    def _typo_candidates(self, word: str) -> list[str]:
        """The words :meth:`SearchIndex._typo_candidates` offers rapidfuzz that could pass
        its cutoff, in the same order: those within a typo's length and ratio that share
        half of ``word``'s letter pairs. The ratio is taken first, over every word of a
        fitting length (rapidfuzz compares a hundred thousand words in milliseconds),
        and the pairs of the few that pass; SearchIndex keeps a table of pairs instead,
        which a store's vocabulary would have to rebuild for every query."""
        lengths = self._length
        fitting = np.flatnonzero(
            (lengths >= int(len(word) * 0.6)) & (lengths <= int(len(word) / 0.6) + 1)
        )
        words = [self._words[i] for i in fitting]
        passing = fuzzy.extract(
            word, words, scorer=fuzz.ratio, processor=None, score_cutoff=_FUZZY_CUTOFF,
            limit=None,
        )  # fmt: skip
        pairs = {word[i : i + 2] for i in range(len(word) - 1)}
        needed = max(1, (len(pairs) + 1) // 2)
        kept = sorted(
            position
            for candidate, _, position in passing
            if len(pairs & {candidate[i : i + 2] for i in range(len(candidate) - 1)}) >= needed
        )
        return [words[position] for position in kept]


def search_store(
    store: GraphStore,
    text: str,
    limit: int = 20,
    kinds: Iterable[str] | None = None,
    *,
    personal: bool = True,
) -> list[Hit]:
    """Return what ``SearchIndex.build(store.snapshot()).search(text, limit, kinds)``
    returns, reading only the records the query's words can match.

    The query's words are matched against the store's vocabulary (its search table's
    words); the records holding a matched word, and the records their descriptions name,
    are read (:meth:`GraphStore.search_network`) and ranked by an index of them alone,
    which ranks them as the index of the whole network would. ``personal`` False: as a
    role below member sees the network (see :func:`netmap.access.redact_network`).
    """
    kinds = None if kinds is None else list(kinds)
    _check_kinds(kinds)
    words = list(dict.fromkeys(name_key(text).split()))
    if not words or limit <= 0:
        return []
    vocabulary = Vocabulary(store.search_words(personal=personal))
    matched = {found for word in words for found in vocabulary.matches(word)}
    if not matched:
        return []
    network = store.search_network(matched, personal=personal)
    return SearchIndex.build(network).search(text, limit=limit, kinds=kinds)


def _check_kinds(kinds: Iterable[str] | None) -> set[str]:
    wanted = set(KINDS if kinds is None else kinds)
    unknown = wanted - set(KINDS)
    if unknown:
        raise NetmapError(f"unknown kind {', '.join(sorted(unknown))} (one of: {', '.join(KINDS)})")
    return wanted


def search(network: Network, text: str, limit: int = 20) -> list[Hit]:
    """Return the best matches for ``text`` in ``network`` (builds a one-off index).

    For repeated queries build a :class:`SearchIndex` once and call its ``search``.
    """
    return SearchIndex.build(network).search(text, limit=limit)
