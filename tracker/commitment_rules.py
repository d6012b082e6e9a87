"""Whether a sentence is a commitment: commitments.toml compiled once (CommitmentRules), the
decision for one sentence with the cues that fired (in a news text, an official readout or an
official full text in its own voice), the actor a pronoun stands for, and the areas a sentence
lists. Extracting a whole meeting from these decisions is tracker/extract.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .formulations import FormulationFinder
from .language import CHINESE, CJK_CHARACTER, has_cjk, language_of, matching_form
from .reading import NEWS, OFFICIAL, OPENING, READOUT, REVIEW, Reading, ReadingRules
from .regexscan import Gate, any_gate, gate_text, literal_alternation
from .rule_files.commitments import CommitmentsFile
from .sentences import Sentence


@dataclass
class Decision:
    is_commitment: bool
    cues: list[str]  # what fired, for --why
    excluded_by: str | None = None


class CommitmentRules:
    """commitments.toml ([reading], [official], [detection], [items], [emphasis]),
    validated (tracker/rule_files/commitments.py), compiled once."""

    def __init__(self, rules: CommitmentsFile):
        det = rules.detection
        window = det.actor_window
        actors = "|".join(f"(?:{a})" for a in det.actors)
        forward = "|".join(f"(?:{f})" for f in det.forward)
        self.actor_forward = re.compile(
            rf"(?<![\w-])(?P<actor>{actors})(?:[\s,]+|[\s,]*\([^)]*\)[\s,]*)(?:[\w’'\-]+[\s,]+){{0,{window}}}?(?P<forward>{forward})(?![\w])",
            re.I,
        )
        self.bullet_start = re.compile("^(?:" + "|".join(det.bullet_starts) + ")", re.I)
        self.impersonal = [re.compile(p, re.I) for p in det.impersonal]
        self.nominal = [re.compile(p, re.I) for p in det.nominal]
        self.exclusions = [(e.name, re.compile(e.pattern, re.I)) for e in det.exclusion]
        # A sentence whose subject is a pronoun ("It also calls for ...") is the last named actor's.
        self.actor = re.compile(rf"(?<![\w-])(?:{actors})(?![\w-])", re.I)
        self.pronoun_forward = re.compile(
            rf"^(?P<pronoun>It|He|She|They)(?:[\s,]+[\w’'\-]+){{0,{window}}}?[\s,]+(?P<forward>{forward})(?![\w])"
        )
        continuation = "|".join(f"(?:{f})" for f in det.reported_continuation)
        self.pronoun_continues = re.compile(
            rf"^(?P<pronoun>It|He|She|They)(?:[\s,]+[\w’'\-]+){{0,{window}}}?[\s,]+(?P<forward>{continuation})(?![\w])"
            if continuation
            else r"(?!)"
        )
        self.reported = re.compile(r"\bsaid\b[^.;]*?\b(?:" + continuation + r")\b" if continuation else r"(?!)", re.I)
        # "..., Xi said." after a forward clause: the statement is attributed to the actor.
        self.attributed = re.compile(
            rf"\b(?P<forward>will|must|should|needs?\s+to|plans?\s+to|aims?\s+to|intends?\s+to"
            rf"|it\s+is\s+(?:necessary|essential|imperative|important|vital)\s+to)\b[^.;]*?,\s*"
            rf"(?:according\s+to\s+(?P<source>{actors})|(?P<actor>{actors})\s+(?:said|says|added|stressed|told|declared|announced|noted|urged))\b",
            re.I,
        )
        self.reading = ReadingRules(rules.reading)
        self.formulations = FormulationFinder(rules.formulations)
        official = rules.official
        self.official = official is not None
        if official is not None:
            self.speaker_resolve = re.compile(
                rf"(?<![\w-])(?P<actor>{official.speakers})\s+(?:[\w’'\-]+,?\s+){{0,{official.speaker_window}}}?"
                rf"(?P<forward>{official.resolves})(?![\w])",
                re.I,
            )
            self.official_cues = [(c.name, re.compile(c.pattern, re.I)) for c in official.cue]
            self.official_exclusions = [
                (e.name, re.compile(e.pattern, re.I), tuple(e.only_for)) for e in official.exclusion
            ]
            self.task_heading = re.compile(official.task_heading)
            self.task_heading_max_words = official.task_heading_max_words
            self.list_item_min_words = official.list_item_min_words
            self.readout_cues = set(official.readout_cues)
            self.list_item_subject = re.compile(official.list_item_subject, re.I)
        self.chinese_cues = [(c.name, re.compile(c.pattern, re.I), frozenset(c.voices)) for c in rules.chinese.cue]
        self.chinese_exclusions = [
            (e.name, re.compile(e.pattern, re.I), tuple(e.only_for)) for e in rules.chinese.exclusion
        ]
        chinese = rules.chinese
        self.chinese_clause_end = re.compile(chinese.clause_end)
        self.chinese_task_clause = re.compile(chinese.task_clause)
        self.chinese_task_cues = [p for name, p, _v in self.chinese_cues if name in chinese.task_clause_cues]
        self.chinese_min_task = chinese.min_task_characters
        items = rules.items
        self.item_introducer = re.compile(items.introducers, re.I)
        self.min_items = items.min_items
        self.max_item_words = items.max_item_words
        emphasis = rules.emphasis
        self.emphasis = emphasis
        self.strong = _phrase_pattern(emphasis.strong)
        self.hedged = _phrase_pattern(emphasis.hedged)
        self.target = re.compile(emphasis.target, re.I)

        # Each pattern runs only on sentences that contain the literal strings its matches must
        # contain (derived from the pattern: see regexscan.Gate), which most sentences lack.
        self._actor_forward = Gate(self.actor_forward)
        self._impersonal = [Gate(p) for p in self.impersonal]
        self._nominal = [Gate(p) for p in self.nominal]
        self._exclusions = [(name, Gate(p)) for name, p in self.exclusions]
        self._any_cue = any_gate([self.actor_forward, *self.impersonal, *self.nominal])  # all but bullets

    def decide(
        self,
        sentence: Sentence,
        reading: Reading | None = None,
        last_actor: str | None = None,
        after_reported: bool = False,
    ) -> Decision:
        """Is `sentence` a commitment? `reading` says whose voice the text is in and which section
        the sentence stands in; `last_actor` is the actor the previous sentence of its paragraph
        named (the referent of a pronoun subject); `after_reported`: that sentence reported what
        a speaker said the state would do."""
        if has_cjk(sentence.text) and language_of(sentence.text) == CHINESE:
            return self._decide_chinese(sentence, reading)
        if reading is not None and reading.voice == OFFICIAL and self.official:
            return self._decide_official(sentence, reading)
        if reading is not None and reading.voice == READOUT and self.official:
            return self._decide_readout(sentence, last_actor)
        text = sentence.text
        if sentence.kind == "heading":
            return Decision(False, [], "heading")
        gated = gate_text(text)
        pronoun = self.pronoun_forward.match(text) if last_actor else None
        if last_actor and after_reported and not pronoun:
            pronoun = self.pronoun_continues.match(text)
        attributed = self.attributed.search(text) if _REPORTING_VERB.search(text) else None
        if sentence.kind != "bullet" and not self._any_cue(gated) and not pronoun and not attributed:
            return Decision(False, [], None)
        # Cues first: most sentences have none, and then no exclusion needs to run.
        cues: list[str] = []
        match = self._actor_forward.search(text, gated)
        if match:
            cues.append(f"actor {match.group('actor').strip()!r} + forward {match.group('forward').strip()!r}")
        elif pronoun:
            cues.append(f"{pronoun.group('pronoun')!r} = {last_actor!r} + forward {pronoun.group('forward').strip()!r}")
        if attributed and not match:
            speaker = (attributed.group("actor") or attributed.group("source")).strip()
            cues.append(f"forward {attributed.group('forward')!r} attributed to {speaker!r}")
        if sentence.kind == "bullet":
            bullet = self.bullet_start.match(text)
            if bullet:
                cues.append(f"bullet goal {bullet.group().strip()!r}")
        for gate in self._impersonal:
            m = gate.search(text, gated)
            if m:
                cues.append(f"impersonal {m.group().strip()!r}")
        for gate in self._nominal:
            m = gate.search(text, gated)
            if m:
                cues.append(f"nominal {m.group().strip()!r}")
        if not cues:
            return Decision(False, [], None)
        for name, gate in self._exclusions:
            m = gate.search(text, gated)
            if m:
                return Decision(False, cues, f"{name}: {m.group().strip()!r}")
        return Decision(True, cues)

    def _decide_readout(self, sentence: Sentence, last_actor: str | None) -> Decision:
        """An official readout ("The meeting stressed ...") speaks for the meeting in the third
        person: the news rules, and its impersonal directives ("It is necessary to ...",
        "Efforts should be made to ...") are the meeting's too."""
        decision = self.decide(sentence, None, last_actor)
        if decision.is_commitment or decision.excluded_by or sentence.kind == "heading":
            return decision
        cues = [
            f"readout: {name} {m.group().strip()!r}"
            for name, pattern in self.official_cues
            if name in self.readout_cues
            for m in [pattern.search(sentence.text)]
            if m
        ]
        if not cues:
            return decision
        for name, gate in self._exclusions:
            m = gate.search(sentence.text, gate_text(sentence.text))
            if m:
                return Decision(False, cues, f"{name}: {m.group().strip()!r}")
        return Decision(True, cues)

    def _decide_official(self, sentence: Sentence, reading: Reading) -> Decision:
        """An official text in its own voice: position first (review and opening are not
        committed to), then the speaker's resolve, the impersonal and target cues, task headings."""
        placed = _not_committed_here(sentence, reading)
        if placed is not None:
            return placed
        text = sentence.text
        cues: list[str] = []
        if sentence.kind in ("heading", "bullet"):
            if len(text.split()) <= self.task_heading_max_words and self.task_heading.match(text):
                cues.append(f"task heading {text.split()[0]!r}")
            elif sentence.kind == "heading":
                return Decision(False, [], "heading")
            elif len(text.split()) >= self.list_item_min_words and not self.list_item_subject.match(text):
                cues.append("list item of a forward section")
        match = self.speaker_resolve.search(text)
        if match:
            cues.append(f"speaker {match.group('actor').strip()!r} + {match.group('forward').strip()!r}")
        for name, pattern in self.official_cues:
            m = pattern.search(text)
            if m:
                cues.append(f"{name} {m.group().strip()!r}")
        return _excluded_or_committed(text, cues, self.official_exclusions)

    def _decide_chinese(self, sentence: Sentence, reading: Reading | None) -> Decision:
        """A sentence in Chinese ([chinese]): in an official text the section decides first, as
        in English; then the cues of the text's voice, then the exclusions."""
        voice = reading.voice if reading is not None else NEWS
        if voice == OFFICIAL and reading is not None:
            placed = _not_committed_here(sentence, reading)
            if placed is not None:
                return placed
        if sentence.kind == "heading" and voice != OFFICIAL:
            return Decision(False, [], "heading")
        text = matching_form(sentence.text)
        cues = [
            f"{name} {m.group().strip()!r}"
            for name, pattern, voices in self.chinese_cues
            if voice in voices
            for m in [pattern.search(text)]
            if m
        ]
        return _excluded_or_committed(text, cues, self.chinese_exclusions)

    def last_actor(self, text: str) -> str | None:
        """The last actor a sentence names (for a pronoun in the next one)."""
        matches = list(self.actor.finditer(text))
        return matches[-1].group().strip() if matches else None

    def items(self, text: str) -> tuple[str, list[str]]:
        """(head, items) of a sentence that lists areas; (text, []) when it lists none."""
        for intro in self.item_introducer.finditer(text):
            tail = text[intro.end() :]
            tail = re.split(
                r"(?<=[a-z)])\s*[.;](?:\s|$)|\s+[-–—]\s+|,\s+(?:which|while|whereby|so\s+that|in\s+order|given|to\s+support|building\s+on)\b",
                tail,
            )[0]
            tail = re.sub(r"\([^)]*\)", "", tail)
            parts = re.split(r",\s*(?:and\s+|or\s+|as\s+well\s+as\s+)?|\s+as\s+well\s+as\s+|;\s*", tail)
            items = []
            for part in parts:
                item = re.sub(
                    r"^(?:and|or|the|other|its|their|both)\s+", "", part.strip(" .,:;\"”“’‘'"), flags=re.I
                ).strip()
                if item and len(item.split()) <= self.max_item_words:
                    items.append(item)
            if len(items) >= self.min_items:
                return text[: intro.start()].strip(" ,:"), list(dict.fromkeys(items))
        return text, []

    def tasks(self, sentence: Sentence) -> list[Sentence]:
        """The tasks a Chinese commitment chains with ， and ； ("深化…，加快…，推进…。"): a
        clause that opens like a task ([chinese] task_clause) starts one, any other clause
        belongs to the task before it (or, first, to the one after it). Each task is a
        commitment of its own: one restated, the next new. An English sentence is one task."""
        text = sentence.text
        if not has_cjk(text):
            return [sentence]
        folded = matching_form(text)
        starts = [0]
        for end in self.chinese_clause_end.finditer(folded):
            clause_start = end.end()
            if clause_start < len(folded) and self._opens_task(folded[clause_start:]):
                starts.append(clause_start)
        if len(starts) > 1 and not self._opens_task(folded):
            del starts[1]  # a first clause that sets the scene ("依托黄金水道，") belongs to the next
        tasks = []
        for begin, finish in zip(starts, [*starts[1:], len(text)]):
            piece = text[begin:finish]
            stripped = piece.rstrip("，,；; ")
            if not CJK_CHARACTER.search(stripped):
                continue
            lead = len(piece) - len(piece.lstrip())
            tasks.append(
                Sentence(
                    sentence.start + begin + lead,
                    sentence.start + begin + len(stripped),
                    stripped.strip(),
                    sentence.kind,
                )
            )
        return tasks or [sentence]

    def _opens_task(self, rest: str) -> bool:
        clause = self.chinese_clause_end.split(rest, maxsplit=1)[0]
        if len(CJK_CHARACTER.findall(clause)) < self.chinese_min_task:
            return False
        return bool(self.chinese_task_clause.match(clause)) or any(p.match(clause) for p in self.chinese_task_cues)


def _not_committed_here(sentence: Sentence, reading: Reading) -> Decision | None:
    """In an official text, position decides first: the review and the opening are not
    committed to, nor is a section's heading."""
    section = reading.section_at(sentence.start)
    if section.mode == REVIEW:
        return Decision(False, [], f"in the review section {section.title!r}")
    if section.mode == OPENING:
        return Decision(False, [], "in the opening of the report, before its first section")
    if section.start == sentence.start or (section.title and sentence.text in section.title):
        return Decision(False, [], "section heading")
    return None


def _excluded_or_committed(text: str, cues: list[str], exclusions: list) -> Decision:
    """A commitment when a cue fired and no exclusion does; an exclusion with `only_for`
    speaks only against those cues, and not when another one fired."""
    if not cues:
        return Decision(False, [], None)
    for name, pattern, only_for in exclusions:
        if only_for and not all(any(c.startswith(o) for o in only_for) for c in cues):
            continue
        m = pattern.search(text)
        if m:
            return Decision(False, cues, f"{name}: {m.group().strip()!r}")
    return Decision(True, cues)


def _phrase_pattern(phrases: list[str]) -> re.Pattern:
    # The longest phrase first, written as a trie that tries them in that order (faster in re).
    # Chinese phrases match as written: Chinese has no spaces to bound a word.
    latin = [p for p in phrases if not has_cjk(p)]
    chinese = [p for p in phrases if has_cjk(p)]
    pattern = rf"(?<![\w-]){literal_alternation([], sorted(latin, key=len, reverse=True))}(?![\w-])"
    if chinese:
        pattern += "|" + literal_alternation([], sorted(chinese, key=len, reverse=True))
    return re.compile(pattern, re.I)


_REPORTING_VERB = re.compile(r"\b(?:said|says|added|stressed|told|declared|announced|noted|urged|according)\b", re.I)
