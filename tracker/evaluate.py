"""`tracker eval`: score the database against an analyst's expectation file.

The format is that of ../shared/gold/sample.toml: meetings are named by a date inside them,
and a phrase matches an evidence sentence when it occurs in it, case-insensitively, full-width
and half-width forms alike (互联网＋ is 互联网+). The build never reads these files; only this
module does.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from .config import Settings
from .db import Article, Commitment, Evidence, Meeting
from .language import chinese_words, has_cjk, matching_form
from .queries import compare_meetings
from .sentences import split_sentences
from .toml_files import load_toml


@dataclass
class Result:
    kind: str
    expectation: str
    passed: bool
    found: str

    def as_dict(self) -> dict:
        return vars(self)


def _meeting_at(session: Session, value) -> Meeting | None:
    day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    rows = session.scalars(select(Meeting).where(Meeting.start <= day, Meeting.end >= day, Meeting.articles.any()))
    return next(iter(rows), None)


def _has(commitment: Commitment | None, phrase: str | list[str]) -> bool:
    """Does an evidence sentence of `commitment` contain the phrase (or one of the phrases)?"""
    if commitment is None:
        return False
    phrases = [phrase] if isinstance(phrase, str) else phrase
    return any(_contains(ev.sentence, p) for p in phrases for ev in commitment.evidence)


def _contains(sentence: str, phrase: str) -> bool:
    return _folded(phrase) in _folded(sentence)


def _folded(text: str) -> str:
    return matching_form(text).casefold()


def _phrase_label(phrase: str | list[str]) -> str:
    return repr(phrase) if isinstance(phrase, str) else " or ".join(repr(p) for p in phrase)


def _short(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


@dataclass
class SentenceLabel:
    """One `[[sentence]]` of a gold file and whether the build extracted it."""

    file: str
    meeting: str
    text: str
    commitment: bool
    extracted: bool
    why: str

    def as_dict(self) -> dict:
        return vars(self)


@dataclass
class SentenceScores:
    """Precision, recall and F1 of extraction on the labelled sentences (doubtful ones left out)."""

    labels: list[SentenceLabel]
    doubtful: int

    def _count(self, commitment: bool, extracted: bool) -> int:
        return sum(1 for s in self.labels if s.commitment == commitment and s.extracted == extracted)

    @property
    def true_positives(self) -> int:
        return self._count(True, True)

    @property
    def false_positives(self) -> int:
        return self._count(False, True)

    @property
    def false_negatives(self) -> int:
        return self._count(True, False)

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 0.0

    @property
    def recall(self) -> float:
        expected = self.true_positives + self.false_negatives
        return self.true_positives / expected if expected else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def by_file(self) -> dict[str, SentenceScores]:
        files: dict[str, list[SentenceLabel]] = {}
        for label in self.labels:
            files.setdefault(label.file, []).append(label)
        return {f: SentenceScores(labels, 0) for f, labels in sorted(files.items())}

    def summary(self) -> dict:
        return {
            "labelled": len(self.labels),
            "doubtful_left_out": self.doubtful,
            "true_positives": self.true_positives,
            "false_positives": self.false_positives,
            "false_negatives": self.false_negatives,
            "precision": round(self.precision, 3),
            "recall": round(self.recall, 3),
            "f1": round(self.f1, 3),
        }

    def as_dict(self) -> dict:
        return {
            **self.summary(),
            "by_file": {f: scores.summary() for f, scores in self.by_file().items()},
            "errors": [s.as_dict() for s in self.labels if s.commitment != s.extracted],
        }


_WORD = re.compile(r"\w+")
# A labelled sentence counts as extracted when this share of its words appears in one evidence
# sentence (the splitter may cut a sentence differently from the labeller).
EXTRACTED_WORD_SHARE = 0.8


def _words(text: str) -> Counter:
    if has_cjk(text):
        return Counter(chinese_words(text))
    return Counter(w.casefold() for w in _WORD.findall(text))


def _is_extracted(text: str, evidence: list[tuple[str, Counter]]) -> bool:
    folded = _folded(text)
    wanted = _words(text)
    total = sum(wanted.values())
    for sentence, words in evidence:
        if folded in _folded(sentence):
            return True
        if total and sum((wanted & words).values()) >= EXTRACTED_WORD_SHARE * total:
            return True
    return False


def score_sentences(session: Session, entries: list[dict]) -> SentenceScores:
    """Score `[[sentence]]` labels: a sentence is extracted when it, or 80 % of its words, is
    among the evidence sentences that its file gives the commitments of its meeting. A Chinese
    sentence that chains tasks gives one commitment per task: its evidence is read back into the
    sentence it was cut from (the tasks' texts joined in order)."""
    evidence_cache: dict[tuple[str, str], list[tuple[str, Counter]]] = {}
    labels: list[SentenceLabel] = []
    doubtful = 0
    for entry in entries:
        if entry.get("doubt"):
            doubtful += 1
            continue
        meeting = _meeting_at(session, entry["meeting"])
        key = (entry["file"], meeting.id if meeting else "")
        if key not in evidence_cache:
            rows: Iterable = (
                []
                if meeting is None
                else session.execute(
                    select(Evidence.sentence, Evidence.start, Evidence.end, Article.id)
                    .join(Commitment, Evidence.commitment_id == Commitment.id)
                    .join(Article, Evidence.article_id == Article.id)
                    .where(Commitment.meeting_id == meeting.id, Article.file == entry["file"])
                )
            )
            evidence_cache[key] = [(sentence, _words(sentence)) for sentence in _source_sentences(session, list(rows))]
        labels.append(
            SentenceLabel(
                entry["file"],
                str(entry["meeting"]),
                entry["text"],
                bool(entry["commitment"]),
                _is_extracted(entry["text"], evidence_cache[key]),
                entry.get("why", ""),
            )
        )
    return SentenceScores(labels, doubtful)


def _source_sentences(session: Session, rows: list) -> list[str]:
    """The evidence of one file, pieces of one sentence of the text joined in text order."""
    if not rows:
        return []
    text = session.get(Article, rows[0][3]).text  # type: ignore[union-attr]  # the rows' own article
    starts = [s.start for s in split_sentences(text)]
    pieces: dict[int, dict[int, str]] = {}
    for sentence, start, _end, _article in rows:
        pieces.setdefault(bisect_right(starts, start) - 1, {})[start] = sentence
    return ["".join(by_start[s] for s in sorted(by_start)) for _index, by_start in sorted(pieces.items())]


@dataclass
class Evaluation:
    results: list[Result]
    sentences: SentenceScores | None  # when the gold file has [[sentence]] labels


def evaluate(session: Session, settings: Settings, gold_path) -> Evaluation:
    gold = load_toml(gold_path)
    results: list[Result] = []
    cache: dict[tuple[str, str], list] = {}

    def changes(a: Meeting, b: Meeting):
        if (a.id, b.id) not in cache:
            cache[(a.id, b.id)] = compare_meetings(session, settings, a, b)
        return cache[(a.id, b.id)]

    for entry in gold.get("article", []):
        label = f"{entry['file']} is about the meeting of {entry['meeting']}"
        article = session.scalars(select(Article).where(Article.file == entry["file"])).first()
        expected = _meeting_at(session, entry["meeting"])
        if article is None:
            results.append(Result("article", label, False, "article not in the database"))
            continue
        found = article.meeting_id or f"unassigned ({article.assignment})"
        results.append(Result("article", label, expected is not None and article.meeting_id == expected.id, found))

    for entry in gold.get("link", []):
        label = (
            f"{entry['from']} {_phrase_label(entry['from_phrase'])} -> {entry['to']} "
            f"{_phrase_label(entry['to_phrase'])} as {'/'.join(entry['statuses'])}"
        )
        a, b = _meeting_at(session, entry["from"]), _meeting_at(session, entry["to"])
        if a is None or b is None:
            results.append(Result("link", label, False, "meeting not found"))
            continue
        relevant = [c for c in changes(a, b) if _has(c.before, entry["from_phrase"])]
        hits = [c for c in relevant if c.status in entry["statuses"] and _has(c.after, entry["to_phrase"])]
        if hits:
            found = f"{hits[0].status}: {_short(hits[0].before.text, 60)!r} -> {_short(hits[0].after.text, 60)!r}"
        elif relevant:
            found = "; ".join(
                f"{c.status}" + (f" -> {_short(c.after.text, 50)!r}" if c.after else "") for c in relevant[:3]
            )
        else:
            found = f"no commitment of {a.id} contains {_phrase_label(entry['from_phrase'])}"
        results.append(Result("link", label, bool(hits), found))

    for kind, side in (("disappeared", "before"), ("new", "after")):
        for entry in gold.get(kind, []):
            label = f"{entry['from']} -> {entry['to']}: {entry['phrase']!r} {kind}"
            a, b = _meeting_at(session, entry["from"]), _meeting_at(session, entry["to"])
            if a is None or b is None:
                results.append(Result(kind, label, False, "meeting not found"))
                continue
            relevant = [c for c in changes(a, b) if _has(getattr(c, side), entry["phrase"])]
            # Every commitment with the phrase must have that status: if one of them carries
            # on, the subject did not disappear (or was announced before).
            accepted = entry.get("statuses", [kind])
            wrong = [c for c in relevant if c.status not in accepted]
            if not relevant:
                found = f"no commitment contains {entry['phrase']!r}"
            elif wrong:
                found = "; ".join(
                    f"{c.status}: " + " -> ".join(repr(_short(x.text, 45)) if x else "-" for x in (c.before, c.after))
                    for c in wrong[:2]
                )
            else:
                found = f"{len(relevant)} commitment(s), all {'/'.join(accepted)}"
            results.append(Result(kind, label, bool(relevant) and not wrong, found))

    for entry in gold.get("not_commitment", []):
        label = f"{entry['phrase']!r} is not a commitment"
        offending = [
            c
            for c in session.scalars(select(Commitment))
            if any(_contains(ev.sentence, entry["phrase"]) for ev in c.evidence)
        ]
        found = (
            f"extracted in {offending[0].meeting_id}: {_short(offending[0].text)!r}" if offending else "not extracted"
        )
        results.append(Result("not_commitment", label, not offending, found))
    sentences = score_sentences(session, gold["sentence"]) if gold.get("sentence") else None
    return Evaluation(results, sentences)
