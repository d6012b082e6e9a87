"""The topic a thread is filed under, and the order topics are listed in wherever threads or
commitments are grouped by topic (the site's home page, topic tables and meeting pages)."""

from __future__ import annotations

NO_TOPIC = ""  # the topic id of a commitment or thread without a topic


def main_topic(topics: list[str], carried: list[str]) -> str:
    """A thread's main topic: the one its links carried most often (what actually went on from
    meeting to meeting; ties go to the one carried first). `carried`: the topics of each link
    into the thread, in date order. A thread without links is filed under its commitments'
    first topic (`topics`, in date order)."""
    if carried:
        return max(dict.fromkeys(carried), key=lambda t: (carried.count(t), -carried.index(t)))
    return topics[0] if topics else NO_TOPIC


def topic_rank(topic_id: str, lexicon_order: dict[str, int]) -> tuple:
    """Sort key of a topic: the lexicon's order (topics.toml), topics it does not list
    after those, by id, and no topic last."""
    return (topic_id == NO_TOPIC, lexicon_order.get(topic_id, 10_000), topic_id)
