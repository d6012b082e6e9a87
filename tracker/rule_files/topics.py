"""The options of topics.toml: the topic lexicon. Extraction tags every commitment with the
topics whose terms it contains; matching replaces every term with its topic's canonical term."""

from __future__ import annotations

from typing import Any

from pydantic import Field, model_validator

from .validation import RuleTable


class TopicEntry(RuleTable):
    """[[topic]]: a topic and its terms."""

    id: str
    """The topic's id (`tracker commitments --topic ID`)."""
    label: str
    """What people read (default: the id)."""
    canonical: str
    """What every term becomes for matching (default: the first term)."""
    terms: list[str] = Field(min_length=1)
    """Terms, synonyms and abbreviations; English ones match whole words, case-insensitively,
    Chinese ones (in simplified characters) anywhere in a text ..."""
    exact_case: list[str] = []
    """... except these (short abbreviations that are also common words), which match only as
    written. Short all-capital terms ("AI", "EV") always do."""

    @model_validator(mode="before")
    @classmethod
    def _label_and_canonical_default(cls, data: Any) -> Any:
        if isinstance(data, dict):
            # Without an id or terms the entry fails on those: its defaults are not missing too.
            terms = data.get("terms")
            defaults = {"label": data.get("id", ""), "canonical": terms[0] if isinstance(terms, list) and terms else ""}
            return {**defaults, **data}
        return data


class TopicsFile(RuleTable):
    """topics.toml."""

    topic: list[TopicEntry] = []
    """The topics, in the order the site lists them."""

    @model_validator(mode="after")
    def _ids_are_unique(self) -> TopicsFile:
        ids = [t.id for t in self.topic]
        if twice := sorted({i for i in ids if ids.count(i) > 1}):
            raise ValueError(f"[[topic]] id {twice[0]!r} is used twice")
        return self
