"""Storage: SQLAlchemy 2.x models and the engine/session helpers.

SQLite file by default, any SQLAlchemy URL (PostgreSQL included) by `--db` or `TRACKER_DB`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    create_engine,
    event,
    select,
)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship, sessionmaker


class Base(DeclarativeBase):
    pass


class Meeting(Base):
    """A dated political meeting: from the catalog, or inferred from an article that dates it."""

    __tablename__ = "meetings"

    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    name: Mapped[str] = mapped_column(String(400))
    kind: Mapped[str] = mapped_column(String(40))
    start: Mapped[dt.date] = mapped_column(Date)
    end: Mapped[dt.date] = mapped_column(Date)
    aliases: Mapped[list] = mapped_column(JSON, default=list)
    # The numbers that tell it apart from the other meetings of its kind ({"cc": 20, "plenum": 3};
    # which ones: meetings.toml [kinds]), from the catalog or the article it was inferred from.
    numbers: Mapped[dict] = mapped_column(JSON, default=dict)
    inferred: Mapped[bool] = mapped_column(Boolean, default=False)
    # For inferred meetings: the article and the words that dated it.
    inferred_from: Mapped[str | None] = mapped_column(Text, default=None)

    articles: Mapped[list[Article]] = relationship(back_populates="meeting", order_by="Article.file")
    commitments: Mapped[list[Commitment]] = relationship(
        back_populates="meeting", order_by="Commitment.position", cascade="all, delete-orphan"
    )


class Article(Base):
    """One input file, cleaned of page furniture, with the meeting it is about."""

    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    file: Mapped[str] = mapped_column(String(1000), unique=True)  # relative to the articles folder
    sha256: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str | None] = mapped_column(Text, default=None)
    url: Mapped[str | None] = mapped_column(Text, default=None)
    encoding: Mapped[str] = mapped_column(String(40), default="utf-8")
    text: Mapped[str] = mapped_column(Text)  # cleaned body: evidence offsets point into it
    language: Mapped[str] = mapped_column(String(8), default="en")  # "en" or "zh" (tracker.language)
    date: Mapped[dt.date | None] = mapped_column(Date, default=None)  # the meeting date it states
    # When it was published (front matter, HTML metadata or byline: tracker.metadata), as cited.
    published: Mapped[dt.date | None] = mapped_column(Date, default=None)
    meeting_id: Mapped[str | None] = mapped_column(ForeignKey("meetings.id"), default=None, index=True)
    # Why this meeting (or why none): shown by `tracker show` and the site.
    assignment: Mapped[str] = mapped_column(Text, default="")
    # Source kind: official (a full text: work report, communique, resolution), readout (an
    # official readout or excerpt) or news (news and analysis); declared in front matter or
    # detected from the text at extraction, with the reason.
    declared_kind: Mapped[str | None] = mapped_column(String(20), default=None)
    kind: Mapped[str | None] = mapped_column(String(20), default=None)
    kind_reason: Mapped[str] = mapped_column(Text, default="")
    # Quantified targets it sets (tracker.targets): [{"target": {...}, "sentence": ..., "start": ...}]
    targets: Mapped[list] = mapped_column(JSON, default=list)

    meeting: Mapped[Meeting | None] = relationship(back_populates="articles")
    evidence: Mapped[list[Evidence]] = relationship(back_populates="article", cascade="all, delete-orphan")

    def citation(self) -> dict:
        """What its evidence is cited by: title (None when only made from the file name), source
        (the outlet), date (published) and url."""
        return {
            "title": None if self.title in ("", self.file, Path(self.file).stem) else self.title,
            "source": self.source,
            "date": self.published.isoformat() if self.published else None,
            "url": self.url,
        }


class Commitment(Base):
    """What one meeting committed to, merged over all its articles, with evidence."""

    __tablename__ = "commitments"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)  # stable hash of meeting + text
    meeting_id: Mapped[str] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)  # order within the meeting
    text: Mapped[str] = mapped_column(Text)
    # The language of its evidence: commitments are matched within a language.
    language: Mapped[str] = mapped_column(String(8), default="en")
    topics: Mapped[list] = mapped_column(JSON, default=list)
    items: Mapped[list] = mapped_column(JSON, default=list)
    emphasis: Mapped[float] = mapped_column(Float, default=0.0)
    signals: Mapped[dict] = mapped_column(JSON, default=dict)  # what the emphasis is built from
    cues: Mapped[dict] = mapped_column(JSON, default=dict)  # why it is a commitment
    thread_id: Mapped[str | None] = mapped_column(String(40), default=None, index=True)
    thread_status: Mapped[str | None] = mapped_column(String(20), default=None)

    meeting: Mapped[Meeting] = relationship(back_populates="commitments")
    evidence: Mapped[list[Evidence]] = relationship(
        back_populates="commitment", cascade="all, delete-orphan", order_by="Evidence.position"
    )

    def as_dict(self) -> dict:
        """The published JSON shape of a commitment (`tracker commitments --format json`)."""
        return {
            "id": self.id,
            "meeting": self.meeting_id,
            "text": self.text,
            "language": self.language,
            "topics": list(self.topics or []),
            "emphasis": self.emphasis,
            "emphasis_explained": (self.signals or {}).get("explanation"),
            "items": list(self.items or []),
            "thread": self.thread_id,
            "thread_status": self.thread_status,
            "evidence": [
                {"file": ev.article.file, "sentence": ev.sentence, "start": ev.start, "end": ev.end}
                | ev.article.citation()
                for ev in self.evidence
            ],
        }


class Evidence(Base):
    """A sentence of an article that states a commitment; offsets point into Article.text."""

    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    commitment_id: Mapped[str] = mapped_column(ForeignKey("commitments.id", ondelete="CASCADE"), index=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    sentence: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)

    commitment: Mapped[Commitment] = relationship(back_populates="evidence")
    article: Mapped[Article] = relationship(back_populates="evidence")


class ThreadMember(Base):
    """A commitment's place in a thread. A commitment that carries on several earlier ones
    (they merged into it) belongs to each of their threads; Commitment.thread_id is the
    thread of its best-scoring link."""

    __tablename__ = "thread_members"

    thread_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    commitment_id: Mapped[str] = mapped_column(
        ForeignKey("commitments.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    status: Mapped[str] = mapped_column(String(20))
    topics: Mapped[list] = mapped_column(JSON, default=list)  # topics the link into the thread carried

    commitment: Mapped[Commitment] = relationship()


class Change(Base):
    """How a commitment moved between two consecutive meetings (a link, or new/disappeared)."""

    __tablename__ = "changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    from_meeting_id: Mapped[str] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    to_meeting_id: Mapped[str] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    score: Mapped[float | None] = mapped_column(Float, default=None)
    reason: Mapped[str] = mapped_column(Text, default="")
    from_commitment_id: Mapped[str | None] = mapped_column(
        ForeignKey("commitments.id", ondelete="CASCADE"), default=None
    )
    to_commitment_id: Mapped[str | None] = mapped_column(ForeignKey("commitments.id", ondelete="CASCADE"), default=None)
    position: Mapped[int] = mapped_column(Integer, default=0)
    topics: Mapped[list] = mapped_column(JSON, default=list)  # for links: topics the matched units share
    # The two meetings are next to each other on the timeline (threads, the change pages and
    # the run summaries follow these pairs; the others serve `tracker diff` and the compare page).
    adjacent: Mapped[bool] = mapped_column(Boolean, default=False, index=True)

    from_commitment: Mapped[Commitment | None] = relationship(foreign_keys=[from_commitment_id])
    to_commitment: Mapped[Commitment | None] = relationship(foreign_keys=[to_commitment_id])


class Run(Base):
    """One build that changed something: what it did, for the site's recent changes and feed."""

    __tablename__ = "runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    finished: Mapped[str] = mapped_column(String(40))  # ISO 8601 UTC
    full: Mapped[bool] = mapped_column(Boolean, default=False)
    summary: Mapped[dict] = mapped_column(JSON, default=dict)


class Setting(Base):
    """Key/value facts about the stored state (e.g. the fingerprint of the rules it was built with)."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class DatabaseError(Exception):
    """The database cannot be reached or used; the message says which and why."""


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # Python's sqlite3 module emits no BEGIN before a SAVEPOINT, so RELEASE would commit for
    # good and a crash mid-run would leave half a run behind. Take over transaction control,
    # as the SQLAlchemy SQLite documentation ("Serializable isolation / Savepoints") advises.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def _sqlite_wal(dbapi_connection, _record) -> None:
    # Write-ahead log: readers (the CLI's queries, a second process) see the last committed state
    # while a build writes, instead of "database is locked" once it commits or spills its cache.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def _sqlite_begin(connection) -> None:
    connection.exec_driver_sql("BEGIN")


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, future=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        database = engine.url.database or ""
        if database not in ("", ":memory:") and not database.startswith("file:"):  # a file of its own
            event.listen(engine, "connect", _sqlite_wal)
        event.listen(engine, "begin", _sqlite_begin)
    return engine


# Bumped whenever a table or column changes; a database of another version is refused with a
# message rather than failing half-way (there are no migrations yet).
SCHEMA_VERSION = "7"


def _schema_matches(engine: Engine) -> bool:
    """Do the existing tables have every column the models need?"""
    from sqlalchemy import inspect

    inspector = inspect(engine)
    for table in Base.metadata.sorted_tables:
        if not inspector.has_table(table.name):
            return False
        if not {c.name for c in table.columns} <= {c["name"] for c in inspector.get_columns(table.name)}:
            return False
    return True


def connect(url: str) -> Engine:
    """Engine with the schema in place; a clear DatabaseError instead of a driver traceback."""
    from sqlalchemy import inspect
    from sqlalchemy.exc import SQLAlchemyError

    safe_url = url.split("@")[-1] if "@" in url else url
    try:
        engine = make_engine(url)
        existing = set(inspect(engine).get_table_names())
        Base.metadata.create_all(engine)
        with Session(engine) as session, session.begin():
            stored = session.get(Setting, "schema_version")
            if stored is None and existing & {"articles", "commitments"} and not _schema_matches(engine):
                version = "1"  # made before versions were recorded, with other tables or columns
            elif stored is None:
                session.add(Setting(key="schema_version", value=SCHEMA_VERSION))
                version = SCHEMA_VERSION
            else:
                version = stored.value
    except (SQLAlchemyError, ImportError, OSError) as exc:
        raise DatabaseError(
            f"cannot use database {safe_url}: {exc.__class__.__name__}: {str(exc).splitlines()[0]}"
        ) from exc
    if version != SCHEMA_VERSION:
        raise DatabaseError(
            f"database {safe_url} has schema version {version}, this policy-tracker needs {SCHEMA_VERSION}: "
            "build into a new database (or delete the old SQLite file) with `tracker build --full`"
        )
    return engine


# The PostgreSQL advisory lock a run holds: one fixed key ("policytr" read as a number), so
# runs started from different project folders or machines on one database exclude each other.
ADVISORY_LOCK_KEY = int.from_bytes(b"policytr", "big")


class DatabaseLocked(Exception):
    """Another run holds the database's advisory lock and did not release it in time."""


@contextmanager
def database_lock(url: str, timeout: float, poll: float = 0.25) -> Iterator[None]:
    """One run per database, held by the server: on PostgreSQL a session advisory lock on a
    connection of its own, taken for the whole run (the server drops it when the run's
    connection dies); other databases have none (SQLite has the lock file beside it)."""
    import time

    from sqlalchemy import text
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        backend = make_url(url).get_backend_name()
    except ArgumentError:  # connect() says what is wrong with it
        backend = None
    if backend != "postgresql":
        yield
        return
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            deadline = time.monotonic() + timeout
            key = {"key": ADVISORY_LOCK_KEY}
            while not connection.execute(text("SELECT pg_try_advisory_lock(:key)"), key).scalar():
                connection.rollback()
                if time.monotonic() >= deadline:
                    raise DatabaseLocked(f"waited {timeout:g} s")
                time.sleep(poll)
            connection.commit()  # the lock outlives the transaction; an idle open one would not be welcome
            try:
                yield
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), key)
                connection.commit()
    finally:
        engine.dispose()


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """One session, one transaction: committed on success, rolled back on any exception."""
    factory = sessionmaker(engine, expire_on_commit=False)
    with factory() as session:
        with session.begin():
            yield session


def meetings_with_articles(session: Session) -> list[Meeting]:
    stmt = select(Meeting).where(Meeting.articles.any()).order_by(Meeting.start, Meeting.id)
    return list(session.scalars(stmt))
