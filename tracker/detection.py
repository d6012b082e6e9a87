"""Detection: which meeting an article is about, with the date it states, resolved against the
catalog, by the [detection] rules of rules.toml.

In brief: recognisers and catalog aliases find mentions of meetings (tracker.mentions); a mention
that names one meeting counts fully, a generic one ("Third Plenum", "Two Sessions") is resolved
to the meeting the article names elsewhere or, failing that, to the candidate that the dates and
years stated in the text fit best (tracker.dates finds them, tracker.text_time reads them).
Mentions count by where they stand (title, lead, body) and how they are framed ("last year's
..." barely counts). A mention dated, right next to it, by dates no candidate covers is a
meeting the catalog lacks: it is inferred.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field

from .dates import TimeCue, find_time_cues, stated_date
from .language import CHINESE, has_cjk, language_of, matching_form
from .meetings import MeetingInfo, MeetingKind, find_meeting, infer_meeting
from .mentions import Mention, find_mentions
from .text_time import TextTime, compiled_time_rules, nearest_day, read_text_time

# ---------------------------------------------------------------- how the dates of a text fit a meeting


def _resolved_day(cue: TimeCue, year: int) -> dt.date | None:
    if cue.month is None or cue.day is None:
        return None
    try:
        return dt.date(year, cue.month, cue.day)
    except ValueError:
        return None


def time_fit(meeting: MeetingInfo, cues: list[tuple[int, TimeCue]], tt: TextTime, det: dict, local: bool) -> float:
    """How well dates stated in an article fit a meeting. `local`: the dates stand next to the
    mention and say which meeting it means, whatever their tense; elsewhere in the text, dates
    about the past count for nothing and years bound to a target count for the meeting that sets it."""
    score = 0.0
    months = {meeting.start.month, meeting.end.month}
    for index, cue in cues:
        frame = tt.frames[index] if index < len(tt.frames) else "plain"
        if frame == "period_end" or (frame == "past" and not local):
            continue
        if cue.month is None:
            if frame in ("target", "future"):
                if cue.year == meeting.target_year(det["next_year_from_month"]):
                    score += det["target_year_weight"]
            elif cue.year == meeting.start.year:
                score += det["year_weight"]
            continue
        if cue.year is not None:
            day = cue.resolve(cue.year)
            if cue.day is not None and day is not None and meeting.contains(day, slack_days=3):
                score += det["date_inside_weight"]
            elif cue.year == meeting.start.year and cue.month in months:
                score += det["month_year_weight"]
            elif cue.year == meeting.start.year:
                score += det["year_weight"]
            continue
        # No year: the text's anchor supplies it (see TextTime.anchor), else the catalog.
        if tt.anchor is not None:
            near = nearest_day(cue, tt.anchor)
            if near is None or near.year not in (meeting.start.year, meeting.end.year):
                continue
        if cue.day is None:
            if cue.month in months:
                score += det["month_weight"]
            continue
        day = _resolved_day(cue, meeting.start.year)
        if day is None or not meeting.contains(day):
            continue
        if index in tt.weekdays and day.weekday() != tt.weekdays[index]:
            continue  # "Thursday, March 5": not that year's March 5
        score += det["day_weight"]
        if index in tt.weekdays:
            score += det["weekday_weight"]
        edge = tt.boundary.get(index)
        if (
            edge == "end"
            and day == meeting.end
            or edge == "start"
            and meeting.start <= day <= meeting.start + dt.timedelta(days=2)
        ):
            score += det["boundary_weight"]
    if not local:  # deadlines are set a few years ahead: "to be completed by 2029" is a meeting of 2023-2028
        horizon = det["deadline_horizon"]
        for year in tt.deadlines:
            if year - horizon <= meeting.start.year < year:
                score += det["deadline_weight"]
        if tt.own_year is not None and meeting.start.year == tt.own_year:  # a report of the year after its review
            score += det["own_year_weight"]
    return score


def _excluded(meeting: MeetingInfo, tt: TextTime, det: dict, local_full_date: bool) -> str | None:
    """Why the text cannot be about this meeting (None if it can)."""
    if local_full_date:
        return None
    if tt.floor_year is not None and meeting.end.year < tt.floor_year:
        return f"held before {tt.floor_year}, which the text speaks of as past ({tt.floor_cue!r})"
    if tt.published is not None:
        preview = dt.timedelta(days=det["preview_days"])
        if meeting.start > tt.published + preview:
            return f"held after the text was published ({tt.published_how})"
    for name, start, end, modifier in tt.offices:
        if meeting.end < start or meeting.start > end:
            return f"held outside {name}'s term ({start} to {end if end.year < 9999 else 'now'})"
        if modifier == "outgoing" and not (end - dt.timedelta(days=60) <= meeting.end and meeting.start <= end):
            return f"not at the end of {name}'s term ('outgoing')"
        if modifier in ("new", "incoming") and not (
            meeting.start <= start + dt.timedelta(days=90) and meeting.end >= start - dt.timedelta(days=7)
        ):
            return f"not at the start of {name}'s term ('new')"
    return None


def _publication_fit(meeting: MeetingInfo, tt: TextTime, det: dict) -> float:
    """News about a meeting appears during or after it, previews shortly before."""
    if tt.published is None:
        return 0.0
    preview = dt.timedelta(days=det["preview_days"])
    recent = dt.timedelta(days=det["recent_days"])
    if meeting.start - preview <= tt.published <= meeting.end + recent:
        return det["published_weight"]
    return 0.0


# ---------------------------------------------------------------- detection


@dataclass
class Assignment:
    """The meeting detection assigns an article to (or none), the date the article states, and why."""

    meeting_id: str | None
    date: dt.date | None
    reason: str
    new_meeting: MeetingInfo | None = None  # inferred from the article, to be stored
    candidates: tuple[str, ...] = ()  # when unassigned: the meetings the text leaves open


def _dated_here(
    mention: Mention,
    local: list[tuple[int, TimeCue]],
    tt: TextTime,
    meetings: list[MeetingInfo],
    kinds: dict[str, MeetingKind],
    rules: dict,
) -> MeetingInfo | None:
    """The meeting the catalog lacks that a mention means when the dates stated right next to it
    fall in none of its candidates (None when they do, or when it states none)."""
    dated = []
    for _i, c in local:
        if c.day is not None and c.month is not None:
            day = c.resolve(c.year) if c.year else (nearest_day(c, tt.anchor) if tt.anchor is not None else None)
            if day is not None:
                dated.append((day, c.end_day))
    if dated and not any(m.contains(d, 3) for m in mention.candidates for d, _e in dated):
        return infer_meeting(mention, dated[0][0], dated[0][1], meetings, kinds, rules)
    return None


@dataclass
class _Article:
    """An article as detection reads it: its title and text as one document, the dates it states
    and how it places itself in time, with the [detection] rules."""

    doc: str
    title_len: int
    cues: list[TimeCue]
    time: TextTime
    det: dict
    rx: dict[str, re.Pattern]  # the time rules, compiled
    chinese: bool = False  # read in matching form (tracker.language)
    cue_starts: list[int] = field(init=False)
    numbered_cues: list[tuple[int, TimeCue]] = field(init=False)
    heading_end: int = field(init=False)  # mentions before it stand in the document's heading

    def __post_init__(self) -> None:
        self.cue_starts = [c.start for c in self.cues]
        self.numbered_cues = list(enumerate(self.cues))
        self.heading_end = self.title_len + 2 + self.det["heading_chars"]


@dataclass
class _Tally:
    """What the mentions of an article add up to, mention by mention."""

    scores: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    why: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    unresolved: list[str] = field(default_factory=list)  # mentions that count for no meeting, and why
    open_candidates: list[str] = field(default_factory=list)  # meetings that tied for a generic mention
    excluded: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # reason -> meetings
    inferred: dict[str, MeetingInfo] = field(default_factory=dict)
    decisive: dict[str, str] = field(default_factory=dict)  # meeting -> the heading or delivery line naming it


def _region_weight(position: int, title_len: int, det: dict) -> tuple[float, str]:
    if position < title_len:
        return det["title_weight"], "title"
    if position < title_len + det["lead_chars"]:
        return det["lead_weight"], "lead"
    return det["body_weight"], "body"


# A Chinese sentence ends in 。, or in ! ? ; (full-width in the original) without a space after.
_SENTENCE_ENDS = (". ", "\n")
_CHINESE_SENTENCE_ENDS = (". ", "\n", "。", "!", "?", ";")


def _sentence_around(text: str, start: int, end: int, chinese: bool = False) -> tuple[int, int]:
    marks = _CHINESE_SENTENCE_ENDS if chinese else _SENTENCE_ENDS
    left = max(text.rfind(mark, 0, start) for mark in marks)
    right_candidates = [i for i in (text.find(mark, end) for mark in marks) if i != -1]
    return left + 1, (min(right_candidates) if right_candidates else len(text))


def _ids(meetings, most: int = 4) -> str:
    ids = [m.id if isinstance(m, MeetingInfo) else m for m in meetings]
    return ", ".join(ids[:most]) + (f" and {len(ids) - most} more" if len(ids) > most else "")


def _looking_back(article: _Article, mentions: list[Mention]) -> list[bool]:
    """Whether each mention is framed as a passing or contrasting reference ("last year's ...",
    "unlike at the 2013 plenum"): about another meeting than the article's."""
    doc, tt = article.doc, article.time
    passing = re.compile(article.det["passing_before"], re.I)
    contrast, passing_after = article.rx.get("contrast_before"), article.rx.get("passing_after")
    framed: list[bool] = []
    for mention in mentions:
        before = doc[max(0, mention.start - 60) : mention.start]
        looks_back = bool(passing.search(before)) or bool(contrast is not None and contrast.search(before))
        if not looks_back and passing_after is not None:
            looks_back = passing_after.match(doc[mention.end : mention.end + 20]) is not None  # 十八大以来
        if not looks_back and tt.floor_year is not None and mention.attrs.get("year", 9999) < tt.floor_year:
            looks_back = True  # "the 2019 Two Sessions" in a text that speaks of later years as past
        framed.append(looks_back)
    return framed


def _nearby_cues(article: _Article, s_start: int, s_end: int) -> list[tuple[int, TimeCue]]:
    """The dates of a mention's sentence, and dates just after it in the same paragraph that are
    not told as past ("... was held in Beijing. It ran from October 20 to 23, 2025")."""
    doc, cues = article.doc, article.cues
    paragraph_end = doc.find("\n\n", s_end)
    reach = min(s_end + 120, paragraph_end if paragraph_end != -1 else len(doc))
    lo, hi = bisect_left(article.cue_starts, s_start), bisect_left(article.cue_starts, max(s_end, reach))
    return [(i, cues[i]) for i in range(lo, hi) if cues[i].start < s_end or article.time.frames[i] != "past"]


def _resolve_generic(
    phrase: str,
    candidates: list[MeetingInfo],
    local: list[tuple[int, TimeCue]],
    article: _Article,
    named: set[str],
    tally: _Tally,
) -> tuple[MeetingInfo, str] | None:
    """(meeting, how) a generic mention ("the Third Plenum") means: the one the article names
    elsewhere, else the one the dates of the text fit best. None, with the reason noted in
    `tally`, when the text rules them all out or leaves several open."""
    tt, det = article.time, article.det
    fits: dict[str, float] = {}
    for m in candidates:
        inside = any(c.year and c.day and m.contains(c.resolve(c.year) or m.start, 3) for _i, c in local)
        reason = _excluded(m, tt, det, inside)
        if reason is not None:
            if m.id not in tally.excluded[reason]:
                tally.excluded[reason].append(m.id)
            continue
        fits[m.id] = (
            (10.0 if m.id in named else 0.0)
            + 2 * time_fit(m, local, tt, det, True)
            + time_fit(m, article.numbered_cues, tt, det, False)
            + _publication_fit(m, tt, det)
        )
    best = max(fits.values(), default=0.0)
    winners = [m for m in candidates if m.id in fits and fits[m.id] == best]
    if best <= 0 or len(winners) > 1:
        if best > 0:
            tally.unresolved.append(f"{phrase!r} could be {_ids(winners)}: the dates in the text fit them equally")
            tally.open_candidates.extend(m.id for m in winners)
        else:
            left = [m for m in candidates if m.id in fits]
            tally.unresolved.append(
                f"{phrase!r} could be {len(left)} meetings ({_ids(left)}) and the text states no date that decides"
            )
        return None
    chosen = winners[0]
    return chosen, ("named elsewhere in the article" if chosen.id in named else "the dates in the text fit")


def _count_mention(
    mention: Mention,
    looking_back: bool,
    article: _Article,
    named: set[str],
    meetings: list[MeetingInfo],
    kinds: dict[str, MeetingKind],
    rules: dict,
    tally: _Tally,
) -> None:
    """Add what one mention says to `tally`: the meeting it means, weighted by where it stands
    and how it is framed, or why it means none."""
    doc, tt, det = article.doc, article.time, article.det
    region_w, region = _region_weight(mention.start, article.title_len, det)
    s_start, s_end = _sentence_around(doc, mention.start, mention.end, article.chinese)
    local = _nearby_cues(article, s_start, s_end)
    candidates = list(mention.candidates)
    new = _dated_here(mention, local, tt, meetings, kinds, rules)
    if new is not None:
        tally.inferred[new.id] = new
        candidates = [new]
    phrase = mention.text.strip("'\"“”‘’ ")
    if not candidates:
        kind = mention.kind.replace("_", " ")
        tally.unresolved.append(f"{phrase!r} names a {kind} meeting but the text states no date that dates it")
        return
    weight = region_w * mention.weight
    if len(candidates) == 1:
        chosen, how = candidates[0], "names it"
    else:
        weight *= det["generic_weight"]
        resolved = _resolve_generic(phrase, candidates, local, article, named, tally)
        if resolved is None:
            return
        chosen, how = resolved
    if not looking_back and region != "title" and tt.floor_year is not None and chosen.end.year < tt.floor_year:
        looking_back = True  # recalled: the text speaks of later years as past
    heading_cue = article.rx.get("heading_cue")
    if looking_back:
        weight *= det["passing_weight"]
    elif mention.start < article.heading_end and heading_cue is not None and heading_cue.search(doc[s_start:s_end]):
        tally.decisive.setdefault(chosen.id, f"{phrase!r} in the document's heading")
    tally.scores[chosen.id] += weight
    label = f"{phrase!r} in the {region}" + (" (looking back)" if looking_back else "")
    tally.why[chosen.id].append(f"{label}: {how}")


def _assigned(
    meeting_id: str, reason: str, tally: _Tally, meetings: list[MeetingInfo], meta: dict, cues: list[TimeCue]
) -> Assignment:
    meeting = tally.inferred.get(meeting_id) or next(m for m in meetings if m.id == meeting_id)
    if meeting.inferred:
        reason = f"inferred meeting not in the catalog, dated by the article; {reason}"
    return Assignment(
        meeting.id, stated_date(meta, cues, meeting), reason, new_meeting=meeting if meeting.inferred else None
    )


def _decision(tally: _Tally, meetings: list[MeetingInfo], meta: dict, cues: list[TimeCue]) -> Assignment:
    """The meeting the mentions add up to: the one a heading names, else the one with the
    highest score; none when nothing is named or two tie."""
    if len(tally.decisive) == 1:
        best_id, label = next(iter(tally.decisive.items()))
        others = ", ".join(
            f"{mid} {score:.1f}"
            for mid, score in sorted(tally.scores.items(), key=lambda kv: (-kv[1], kv[0]))
            if mid != best_id
        )
        reason = f"{label} names it (its delivery line, dateline or heading decides over meetings it mentions)" + (
            f" (others: {others})" if others else ""
        )
        return _assigned(best_id, reason, tally, meetings, meta, cues)
    notes = "".join(f"; excluded {_ids(ids)}: {reason}" for reason, ids in tally.excluded.items())
    if not tally.scores:
        reason = "no meeting named or implied"
        if tally.unresolved:
            reason = "ambiguous: " + "; ".join(dict.fromkeys(tally.unresolved)) + notes
        return Assignment(None, None, reason, candidates=tuple(dict.fromkeys(tally.open_candidates)))
    ranking = sorted(tally.scores.items(), key=lambda kv: (-kv[1], kv[0]))
    if len(ranking) > 1 and abs(ranking[0][1] - ranking[1][1]) < 1e-9:
        tied = [mid for mid, score in ranking if abs(score - ranking[0][1]) < 1e-9]
        return Assignment(None, None, f"ambiguous: {' and '.join(tied)} are equally prominent", candidates=tuple(tied))
    best_id = ranking[0][0]
    details = "; ".join(dict.fromkeys(tally.why[best_id]))
    others = ", ".join(f"{mid} {score:.1f}" for mid, score in ranking[1:4])
    reason = f"score {ranking[0][1]:.1f} from {details}" + (f" (others: {others})" if others else "") + notes
    return _assigned(best_id, reason, tally, meetings, meta, cues)


def rules_for_chinese(rules: dict) -> dict:
    """`rules` with the [detection.chinese] patterns in place of those of the same name."""
    det = rules["detection"]
    chinese = {key: pattern for key, pattern in (det.get("chinese") or {}).items() if pattern is not None}
    return {**rules, "detection": {**det, **chinese}}


def detect_meeting(
    title: str, text: str, meta: dict, meetings: list[MeetingInfo], kinds: dict[str, MeetingKind], rules: dict
) -> Assignment:
    """Which meeting an article is about, the date it states, and why.

    In order: front matter; the document's own heading, dateline or delivery line ("Delivered at
    the Second Session of the 16th National People's Congress on March 5, 2034"); otherwise every
    mention, weighted by where it stands and how it is framed, a generic one ("Two Sessions", "the
    annual session of parliament") resolved by the meeting named elsewhere or by the dates, read as
    an analyst reads them (see TextTime). When the text leaves several meetings open, none is
    chosen: the reason lists them. `kinds` (meetings.toml [kinds]) says what a meeting the catalog
    lacks carries when a mention dates one."""
    doc = f"{title}\n\n{text}"
    cjk = has_cjk(doc)
    chinese = cjk and language_of(doc) == CHINESE
    if cjk:  # Chinese is read in one form: simplified, half-width (same length)
        doc = matching_form(doc)
    if chinese:
        rules = rules_for_chinese(rules)
    det = rules["detection"]
    cues = find_time_cues(doc, rules, cjk)
    if meta.get("meeting"):
        meeting = find_meeting(str(meta["meeting"]), meetings, rules)  # MeetingNotFound propagates
        return Assignment(meeting.id, stated_date(meta, cues, meeting), f"front matter names {meta['meeting']!r}")

    tt = read_text_time(doc, len(title), cues, meta, rules)
    article = _Article(doc, len(title), cues, tt, det, compiled_time_rules(det), chinese)
    mentions = find_mentions(doc, meetings, rules)
    looking_back = _looking_back(article, mentions)
    named = {mn.candidates[0].id for mn, back in zip(mentions, looking_back) if mn.specific and not back}
    tally = _Tally()
    for mention, back in zip(mentions, looking_back):
        _count_mention(mention, back, article, named, meetings, kinds, rules, tally)
    return _decision(tally, meetings, meta, cues)
