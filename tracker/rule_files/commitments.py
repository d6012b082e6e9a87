"""The options of commitments.toml: which sentences are commitments ([detection], [reading],
[official]), their list items and emphasis, how they merge within a meeting and match across
meetings, and the key formulations they carry. Patterns are Python regular expressions,
case-insensitive unless noted."""

from __future__ import annotations

from .validation import NEVER, Pattern, RuleTable


class NamedPattern(RuleTable):
    """A named pattern: [[detection.exclusion]], [[official.cue]]."""

    name: str
    """What `tracker commitments MEETING --why` calls it."""
    pattern: Pattern
    """The pattern."""


class DetectionTable(RuleTable):
    """[detection]: a sentence (or bullet item) is a commitment when an actor is followed within
    actor_window words by a forward cue, or it is a bullet item that starts like bullet_starts, or
    it carries an impersonal or nominal cue; and no exclusion fires."""

    actor_window: int = 5
    """At most this many words between an actor and a forward cue."""
    actors: list[Pattern]
    """Who commits: the state, the meeting, its documents or leaders."""
    forward: list[Pattern]
    """What makes it a commitment after an actor: a commitment verb, a modal, a call."""
    reported_continuation: list[Pattern] = []
    """Modals that count only in the sentence after reported speech ("It would also pursue ...")."""
    bullet_starts: list[Pattern]
    """A bullet item that starts like this (an infinitive, a policy verb) states a goal."""
    impersonal: list[Pattern] = []
    """Impersonal cues ("there is an emphasis on ...")."""
    nominal: list[Pattern] = []
    """Nominal cues ("a commitment by the central government to ...")."""
    exclusion: list[NamedPattern] = []
    """Any of these in a sentence means it is not a commitment of the meeting."""


class ReadingTable(RuleTable):
    """[reading]: whose voice a text is in (an official full text, an official readout, news) and
    which of its sections look back or forward."""

    official_marks: list[Pattern] = []
    """Marks of an official full text in its title or first lead_lines non-empty lines
    ("Report on the Work of the Government", "Delivered at ...")."""
    lead_lines: int = 8
    """How many lines an official mark is looked for in."""
    first_person: Pattern = NEVER
    """The speaker's first person ("we", "our", "us")."""
    first_person_per_1000_words: float = 0
    """An official text says first_person at least this often per 1,000 words (reports: 25-35;
    news: under 5); a communique in the third person is read like news."""
    first_person_per_1000_words_chinese: float = 0
    """The same for a Chinese text, whose sentences mostly leave the subject out."""
    readout_mark: Pattern = NEVER
    """How an official readout reports the meeting ("the meeting stressed", "according to the meeting")."""
    readout_min: int = 3
    """A readout says readout_mark at least this many times ..."""
    readout_per_1000_words: float = 0
    """... and this often per 1,000 words."""
    section_heading: Pattern = NEVER
    """A top-level section of an official text (case-sensitive; groups number and title)."""
    review_heading: list[Pattern] = []
    """A section heading that looks back: nothing in the section is a commitment ..."""
    forward_heading: list[Pattern] = []
    """... unless it also names what is to come."""


class OfficialExclusion(NamedPattern):
    """[[official.exclusion]]."""

    only_for: list[str] = []
    """Checked only when the sole cues are these (default: always)."""


class OfficialTable(RuleTable):
    """[official]: official texts in their own voice, forward sections only: a sentence is a
    commitment when a cue fires and no exclusion does."""

    speakers: Pattern
    """The speaker of an official text and those it binds ("we", governments at all levels, China)."""
    resolves: Pattern
    """What the speaker will, must or means to do."""
    speaker_window: int = 2
    """At most this many words between the speaker and the resolve."""
    readout_cues: list[str] = []
    """The cues below (by name) that an official readout's impersonal sentences carry."""
    task_heading: Pattern
    """A task heading or list item that names an action ("Making steady efforts to ..."; case-sensitive)."""
    task_heading_max_words: int = 25
    """A task heading has at most this many words."""
    list_item_min_words: int = 3
    """Any other item of a list in a forward section with at least this many words is a commitment ..."""
    list_item_subject: Pattern = NEVER
    """... unless it starts with a subject: then it describes."""
    cue: list[NamedPattern] = []
    """Cues of a commitment in an official text's own voice."""
    exclusion: list[OfficialExclusion] = []
    """Exclusions in an official text."""


class ChineseCue(NamedPattern):
    """[[chinese.cue]]."""

    voices: list[str] = ["official", "readout", "news"]
    """The voices of text (see [reading]) the cue counts in."""


class ChineseTable(RuleTable):
    """[chinese]: sentences in Chinese. In an official text's forward sections, in a readout and
    in news, a sentence is a commitment when a cue for its voice fires and no exclusion does."""

    cue: list[ChineseCue] = []
    """Cues of a commitment."""
    exclusion: list[OfficialExclusion] = []
    """Exclusions (only_for: checked only when the sole cues are these)."""
    clause_end: Pattern = NEVER
    """Where a clause ends inside a sentence (， ；)."""
    task_clause: Pattern = NEVER
    """A clause that opens like this starts a task of its own (a modal first: 要…, 必须…) ..."""
    task_clause_cues: list[str] = []
    """... and so does a clause on which one of these cues matches (by name)."""
    min_task_characters: int = 4
    """A clause with fewer Chinese characters than this never starts a task."""


class ItemsTable(RuleTable):
    """[items]: lists whose items are matched on their own."""

    introducers: Pattern
    """What introduces a list whose items can be matched on their own ("such as", "including", ":")."""
    min_items: int = 3
    """A list has at least this many items ..."""
    max_item_words: int = 9
    """... of at most this many words."""


class EmphasisTable(RuleTable):
    """[emphasis]: the language of a commitment's strongest statement: base + per_strong *
    boosters + per_hedge * hedges (each at most max_cues_counted), at least floor."""

    base: float
    """Emphasis of a plain statement."""
    per_strong: float
    """Added per booster."""
    per_hedge: float
    """Added per hedge (negative)."""
    max_cues_counted: int
    """At most this many boosters, and as many hedges, count."""
    floor: float
    """The lowest emphasis."""
    strong: list[str]
    """Boosters: how firmly something is committed to ("vigorously", "step up"). A longer phrase
    wins over the words inside it."""
    hedged: list[str]
    """Hedges ("explore", "gradually", "on a trial basis")."""
    target: Pattern
    """A number, a percentage or a target year: it makes a commitment quantified."""


class MergeTable(RuleTable):
    """[merge]: commitments of one meeting stated by several articles become one."""

    threshold: float
    """Commitments of one meeting whose text score (0-100, topics left out) reaches this become one."""


class MatchingTable(RuleTable):
    """[matching]: how commitments of different meetings are compared and linked."""

    text_weight: float
    """score = text_weight * text score + topic_weight * topic overlap (both 0-100)."""
    topic_weight: float
    """See text_weight."""
    chinese_topic_weight: float | None = None
    """topic_weight for Chinese commitments (text_weight is 1 minus it): a Chinese task is one
    clause that names one topic at most, so sharing it says less than for an English sentence."""
    threshold: float
    """Pairs of commitments of two meetings scoring at least this are linked."""
    reappear_threshold: float
    """A commitment that had disappeared comes back when a later one scores at least this ..."""
    reappear_lookback: int = 8
    """... within this many meetings after its thread ended."""
    strengthened: float
    """Emphasis ratio later/earlier at or above this: strengthened."""
    weakened: float
    """Emphasis ratio later/earlier at or below this: weakened."""
    pairs_nearby: int = 0
    """Changes are stored for every pair of meetings at most this many apart on the timeline ... (0: every pair)"""
    pairs_same_kind: int = 0
    """... and every pair of the same kind at most this many meetings of that kind apart (0: every pair).
    Other pairs are compared on demand by `tracker diff`."""
    formulation_set_ratio: float = 90
    """Two spellings are one formulation when one's words contain the other's (token_set_ratio at least this) ..."""
    formulation_ratio: float = 75
    """... and they read alike (ratio at least this)."""
    formulation_floor: float = 0
    """Two commitments sharing a rare formulation score at least this (0: off) ..."""
    formulation_rare: int = 5
    """... rare: stated by at most this many commitments of either meeting."""
    formulation_decides: bool = False
    """A commitment whose formulation the other meeting never states is new (or disappeared)."""
    generic_words: list[str] = []
    """Policy boilerplate left out when comparing ("implement", "enhance")."""
    stopwords: list[str] = []
    """Words that say nothing about what is committed to, left out when comparing."""


class KnownFormulation(RuleTable):
    """[[formulations.known]]."""

    name: str
    """The formulation."""
    variants: list[str] = []
    """Other spellings of it."""


class FormulationsTable(RuleTable):
    """[formulations]: key policy formulations (提法) a commitment carries: quoted phrases,
    title-case policy names, hyphenated policy compounds and the known ones."""

    min_words: int = 2
    """A formulation has at least this many words ..."""
    max_words: int = 6
    """... and at most this many."""
    title_heads: list[Pattern] = []
    """Title-case policy names ending in one of these are formulations ("Belt and Road Initiative")."""
    compound_heads: list[Pattern] = []
    """Hyphenated compounds before one of these are formulations ("supply-side reform") ..."""
    generic_modifiers: list[str] = []
    """... unless the compound is a generic modifier ("long-term")."""
    ignore: list[str] = []
    """Names that are institutions, places or people, not formulations."""
    chinese_heads: list[str] = []
    """A Chinese policy instrument's head noun (政策, 制度): with the word before it, a
    compound formulation ("临时收储政策", "存款保险制度") ..."""
    chinese_tags: list[str] = []
    """... and so is a word jieba tags with one of these parts of speech (j: an abbreviation)."""
    known: list[KnownFormulation] = []
    """Known formulations with their variants."""


class CommitmentsFile(RuleTable):
    """commitments.toml."""

    detection: DetectionTable
    reading: ReadingTable = ReadingTable()
    official: OfficialTable | None = None
    """Official texts in their own voice (see [reading]). Off when absent."""
    chinese: ChineseTable = ChineseTable()
    """Sentences in Chinese. None is a commitment when it has no cues."""
    items: ItemsTable
    emphasis: EmphasisTable
    merge: MergeTable
    matching: MatchingTable
    formulations: FormulationsTable = FormulationsTable()
