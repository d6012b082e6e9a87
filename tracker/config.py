"""Where things live and the analyst-editable settings that steer the pipeline.

Everything an analyst may want to tune (thresholds, weights, cue words) is TOML under `data/`,
not constants in code. `Settings` only knows the paths and loads those files on demand.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

DEFAULT_DATA_DIR = Path("data")


def default_db_url(data_dir: Path) -> str:
    return os.environ.get("TRACKER_DB") or f"sqlite:///{data_dir / 'tracker.db'}"


class ConfigError(Exception):
    """A data file the pipeline needs is missing or malformed."""


def load_toml(path: Path | str) -> dict:
    path = Path(path)
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: file not found") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from exc


@dataclass
class Settings:
    data_dir: Path = field(default_factory=lambda: Path(os.environ.get("TRACKER_DATA", DEFAULT_DATA_DIR)))
    articles_dir: Path | None = None
    db_url: str | None = None
    site_dir: Path = Path("site")

    def __post_init__(self) -> None:
        self.data_dir = Path(self.data_dir)
        if self.articles_dir is None:
            self.articles_dir = self.data_dir / "articles"
        self.articles_dir = Path(self.articles_dir)
        if self.db_url is None:
            self.db_url = default_db_url(self.data_dir)

    @property
    def catalog_path(self) -> Path:
        return self.data_dir / "meetings.toml"

    def rule_sources(self, name: str) -> list[Path]:
        """The files that make up rule file `name`, read in order (later ones override earlier)."""
        return [self.data_dir / name]

    @property
    def corrections_path(self) -> Path:
        return self.data_dir / "corrections.toml"

    @cached_property
    def rules(self) -> dict:
        """Ingestion and meeting-detection rules (data/rules.toml), validated
        against tracker/rule_files/rules.py, every default filled in. A plain dict: the
        detection code reads the file as one."""
        from .rule_files.rules import RulesFile
        from .rule_files.validation import load_rule_file

        return load_rule_file(self.rule_sources("rules.toml"), RulesFile).model_dump(by_alias=True)

    @cached_property
    def commitment_rules(self):
        """Commitment detection, items, emphasis, merging and matching (data/commitments.toml),
        validated: a tracker.rule_files.commitments.CommitmentsFile."""
        from .rule_files.commitments import CommitmentsFile
        from .rule_files.validation import load_rule_file

        return load_rule_file(self.rule_sources("commitments.toml"), CommitmentsFile)

    @cached_property
    def target_rules(self):
        """Quantified targets: metrics, how they are phrased, which way is more ambitious
        (data/targets.toml), validated and compiled."""
        from .rule_files.targets import TargetsFile
        from .rule_files.validation import load_rule_file
        from .targets import TargetRules

        return TargetRules(load_rule_file(self.rule_sources("targets.toml"), TargetsFile))

    @cached_property
    def topics(self):
        """The topic lexicon (data/topics.toml), validated: a tracker.rule_files.topics.TopicsFile."""
        from .rule_files.topics import TopicsFile
        from .rule_files.validation import load_rule_file

        return load_rule_file(self.rule_sources("topics.toml"), TopicsFile)

    @cached_property
    def catalog(self) -> dict:
        from .rule_files.validation import read_rule_sources

        return read_rule_sources(self.rule_sources("meetings.toml"))
