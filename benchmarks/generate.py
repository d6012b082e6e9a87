"""Synthetic corpus generator for benchmarks: articles about catalog meetings with planted
policy threads, a gold file (format of data/gold/sample.toml) and a machine-readable
planted.json.

    python -m benchmarks.generate OUT_DIR --meetings N --articles-per-meeting M --seed S

Everything is deterministic from the seed: every random choice comes from a `random.Random`
seeded with a string built from the seed (string seeds are hashed with SHA-512, so the result
does not depend on PYTHONHASHSEED), and every iteration is over sorted or ordered data.

A POLICY THREAD is a commitment carried from meeting to meeting: a topic frame whose topic
term drifts between synonyms of topics.toml ("AI" / "artificial intelligence"), a verb
that drifts between synonyms, and a distinctive OBJECT phrase ("provincial power grids")
that stays verbatim, so gold and planted.json can find the thread's sentences by that phrase.
Each thread is active in one or two runs of consecutive meetings (it may disappear and come
back) with an emphasis level that rises and falls.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import json
import random
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "tracker" / "defaults" / "meetings.toml"  # read without importing tracker

# ------------------------------------------------------------------------------------ vocabulary
# Surface forms are terms of the packaged topics.toml, so the lexicon maps every form of one topic to
# the same canonical token. MOD forms read as noun modifiers, NOUN forms as nouns.

TOPIC_FORMS: dict[str, dict[str, list[str]]] = {
    "ai": {"mod": ["AI", "artificial intelligence", "large model", "machine learning"],
           "noun": ["artificial intelligence", "AI", "large models"]},
    "ev": {"mod": ["EV", "electric vehicle", "new energy vehicle", "NEV"],
           "noun": ["new energy vehicles", "electric vehicles", "EVs"]},
    "semiconductors": {"mod": ["chip", "semiconductor", "integrated circuit"],
                       "noun": ["chips", "semiconductors", "integrated circuits"]},
    "self_reliance": {"mod": ["indigenous innovation", "independent innovation", "homegrown innovation"],
                      "noun": ["self-reliance", "self-sufficiency", "indigenous innovation"]},
    "low_carbon": {"mod": ["low-carbon", "carbon reduction", "decarbonization"],
                   "noun": ["carbon neutrality", "decarbonization", "carbon reduction"]},
    "green": {"mod": ["eco-friendly", "environmental protection", "green development"],
              "noun": ["green development", "environmental protection", "the green transition"]},
    "clean_energy": {"mod": ["clean energy", "renewable energy", "new energy"],
                     "noun": ["clean energy", "renewable energy", "renewables"]},
    "industrial_system": {"mod": ["advanced manufacturing", "smart manufacturing", "high-end manufacturing"],
                          "noun": ["advanced manufacturing", "the modern industrial system", "new industrialization"]},
    "digital_economy": {"mod": ["5G", "digital economy", "information technology"],
                        "noun": ["the digital economy", "digitalization", "digital development"]},
    "private_sector": {"mod": ["private enterprise", "private sector"],
                       "noun": ["the private sector", "private enterprises", "private firms"]},
    "opening_up": {"mod": ["foreign investment", "foreign capital"],
                   "noun": ["foreign investment", "opening up", "foreign capital"]},
    "trade": {"mod": ["foreign trade", "export", "trade"],
              "noun": ["foreign trade", "exports", "international markets"]},
    "talent_education": {"mod": ["vocational", "talent", "education"],
                         "noun": ["talent", "vocational education", "higher education"]},
    "supply_chains": {"mod": ["supply chain", "industrial chain"],
                      "noun": ["supply chains", "industrial chains", "industrial and supply chains"]},
    "quantum": {"mod": ["quantum", "quantum technology", "quantum information"],
                "noun": ["quantum technology", "quantum computing", "quantum information"]},
    "science_innovation": {"mod": ["R&D", "basic research", "technological innovation"],
                           "noun": ["basic research", "scientific research", "technological innovation"]},
    "biotech": {"mod": ["biotech", "biotechnology", "biomanufacturing"],
                "noun": ["biotechnology", "biomanufacturing", "life sciences"]},
    "aerospace": {"mod": ["aerospace", "commercial aerospace", "aviation"],
                  "noun": ["commercial aerospace", "aviation", "satellite navigation"]},
    "new_materials": {"mod": ["new materials", "advanced materials"],
                      "noun": ["new materials", "advanced materials"]},
    "regulation_security": {"mod": ["data security", "regulation"],
                            "noun": ["data security", "national security", "intellectual property"]},
    "growth_demand": {"mod": ["domestic demand", "domestic consumption"],
                      "noun": ["domestic demand", "domestic consumption", "the domestic market"]},
    "state_enterprises": {"mod": ["state-owned enterprise", "SOE"],
                          "noun": ["state-owned enterprises", "SOEs"]},
}

# Frames of a thread's core: {t} is a MOD form of its primary topic.
FRAMES = [
    "{t} computing clusters", "{t} training bases", "{t} inspection systems", "{t} service hubs",
    "{t} demonstration zones", "{t} testing centres", "{t} credit lines", "{t} guarantee funds",
    "{t} monitoring networks", "{t} certification schemes", "{t} procurement lists", "{t} incubators",
    "{t} upgrade funds", "{t} supplier parks", "{t} leasing schemes", "{t} standards bodies",
    "{t} research institutes", "{t} fellowship programmes", "{t} cloud platforms", "{t} logistics networks",
    "{t} retrofit programmes", "{t} repair workshops", "{t} data exchanges", "{t} insurance products",
]

VERB_FAMILIES = [
    ["expand", "broaden", "scale up"], ["upgrade", "modernize", "overhaul"], ["roll out", "deploy", "introduce"],
    ["back", "fund", "finance"], ["improve", "enhance", "refine"], ["set up", "establish", "create"],
    ["extend", "widen", "spread"], ["coordinate", "integrate", "connect"], ["protect", "safeguard", "secure"],
    ["standardize", "streamline", "simplify"], ["enlarge", "multiply", "grow"], ["open", "launch", "start"],
]

PREPOSITIONS = ["for", "in", "across", "serving"]

OBJECT_ADJS = [
    "coastal", "inland", "provincial", "county-level", "northwestern", "northeastern", "southwestern", "border",
    "mountainous", "riverside", "suburban", "cross-regional", "frontier", "island", "high-altitude", "desert",
    "lakeside", "township-level", "prefecture-level", "remote", "landlocked", "upland", "steppe", "plateau",
    "interior", "metropolitan", "municipal", "village-level", "hillside", "lowland", "gulf", "valley", "tropical",
    "subtropical", "arid", "alpine", "estuary", "borderland",
]
OBJECT_NOUNS = [
    "power grids", "river ports", "grain depots", "freight corridors", "water utilities", "textile clusters",
    "steel towns", "fishing harbours", "logistics parks", "mining belts", "tea plantations", "cotton farms",
    "rail junctions", "dairy cooperatives", "timber yards", "salt lakes", "cement works", "shipyards",
    "border crossings", "tourism towns", "wholesale markets", "district hospitals", "nursing homes", "bus depots",
    "pipeline networks", "cold-chain warehouses", "fruit orchards", "livestock farms", "paper mills",
    "glass factories", "chemical parks", "ceramics kilns", "furniture workshops", "garment workshops",
    "toy factories", "shoe factories", "rice paddies", "fisheries", "forest farms", "oil fields", "gas fields",
    "copper smelters", "seed banks", "irrigation districts", "ferry terminals", "postal depots",
]

# Actor framings of a commitment sentence; {core} starts with a bare verb.
FRAMINGS_COMMON = [
    "China will {core}.", "Beijing will {core}.", "The government plans to {core}.",
    "The leadership also wants to {core}.", "Xi vowed to {core}.", "President Xi Jinping pledged that China will {core}.",
    "The document calls on officials to {core}.", "Officials said the country intends to {core}.",
    "The meeting urged local authorities to {core}.", "The state will {core}.",
    "Top policymakers stressed that the country must {core}.", "China also aims to {core}.",
]
FRAMINGS_BY_KIND = {
    "plenum": ["The communique calls for efforts to {core}.", "According to the decision, the state will {core}.",
               "The plenum set out plans to {core}.", "The resolution commits the party to {core}."],
    "party_congress": ["Xi's report to the congress calls for efforts to {core}.", "The congress report says the party will {core}.",
                       "In his report, Xi said China will {core}."],
    "two_sessions": ["The work report says the government will {core}.", "Premier {premier} pledged to {core}.",
                     "The draft plan sets out steps to {core}.", "Premier {premier} said the government will {core}."],
    "cewc": ["The conference called for efforts to {core}.", "The meeting emphasized the need to {core}.",
             "According to the readout, the country will {core}."],
}
PREMIERS = [(2013, "Li Keqiang"), (2023, "Li Qiang")]  # from this year on

EMPHASIS_PREFIX = {2: ["vigorously "], 1: ["actively ", "resolutely ", "firmly "], 0: [""],
                   -1: ["carefully ", "gradually ", "explore ways to "]}
EMPHASIS_SUFFIX = {2: [" as a top priority"], 1: ["", " as a key task"], 0: [""],
                   -1: [", step by step", " where conditions permit", ""]}

LIST_ITEMS = [
    "industrial software", "humanoid robots", "the low-altitude economy", "brain-computer interfaces",
    "innovative drugs", "high-end equipment", "6G networks", "hydrogen energy", "commercial aerospace",
    "integrated circuits", "biomanufacturing", "quantum technology", "new materials", "smart manufacturing",
    "marine engineering", "advanced nuclear power", "photonic devices", "industrial robots",
]
LIST_FRAMINGS = [
    "The {doc} also highlighted emerging industries such as {items}.",
    "The {doc} calls for breakthroughs in frontier fields such as {items}.",
    "Officials also identified future industries, including {items}.",
]
GENERIC_COMMITMENTS = [
    "The meeting stressed that the country will keep economic growth stable.",
    "China will pursue high-quality development while keeping risks in check.",
    "The leadership wants to expand domestic demand and revive household confidence.",
    "The document calls for deeper reform of the fiscal and tax system.",
    "Beijing will keep prices of food and energy stable.",
    "The government plans to stabilize employment for college graduates.",
    "The party will tighten discipline and fight corruption.",
    "China will keep its currency basically stable at a reasonable level.",
]

STAT_SUBJECTS = ["Exports", "Retail sales", "Fixed-asset investment", "Industrial output", "Imports", "Property investment",
                 "Foreign direct investment", "Household spending", "Steel output", "Grain output", "Tax revenue"]
STAT_VERBS_UP = ["grew", "rose", "increased", "jumped"]
STAT_VERBS_DOWN = ["fell", "declined", "dropped"]
FOREIGN = [
    ("The United States", ["restricts exports of advanced {x} to Chinese buyers", "has tightened controls on {x}",
                           "wants allies to limit sales of {x}"]),
    ("The European Union", ["will impose duties on imported {x}", "opened an anti-subsidy probe into {x}"]),
    ("Japan", ["plans to subsidize domestic makers of {x}", "has joined curbs on {x}"]),
    ("Washington", ["has vowed to keep its lead in {x}", "will review investment in {x}"]),
    ("India", ["aims to attract makers of {x} with subsidies"]),
    ("Brussels", ["is set to tighten screening of {x}"]),
]
FOREIGN_OBJECTS = ["lithography tools", "memory chips", "battery cells", "solar modules", "drones", "telecom gear",
                   "machine tools", "steel products", "wind turbines", "medical devices"]
COMMENTARY = [
    "In my view, the {n} targets will test the patience of local officials.",
    "I think the plan will struggle to overcome weak demand.",
    "Investors will want to watch how quickly local governments act.",
    "It remains to be seen whether Beijing will fund the plans in full.",
    "Analysts said the measures will take years to show results.",
    "China might also revisit its housing policies later in the year.",
    "The central bank is expected to cut interest rates again.",
    "Policymakers elsewhere would do well to study the approach.",
    "Based on existing patterns, the reforms will move slowly.",
    "Experts warned that the targets are ambitious.",
]
BACKGROUND = [
    "The session brought together more than {n},000 delegates in the Great Hall of the People.",
    "Much of the language is familiar from documents published over the past decade.",
    "Provincial officials often adapt national slogans to local conditions, which makes implementation uneven.",
    "Markets reacted calmly to the announcements, and the yuan was little changed.",
    "Local governments carry debts estimated at about {n} trillion yuan, according to official figures.",
    "Growth slowed in the second half of the year as property sales weakened and exporters faced higher tariffs.",
    "Readers of earlier documents will recognise several passages, sometimes word for word.",
    "Foreign chambers of commerce have long complained about unequal treatment in public tenders.",
    "The text runs to about {n},000 characters and is divided into {m} sections.",
    "Youth unemployment remains a sensitive subject, and the statistics bureau changed its method of counting.",
    "Several ministries are responsible for turning the broad guidance into detailed rules.",
    "Delegates from the manufacturing provinces of the east coast spoke most often about labour shortages.",
    "The property slump has cut land sales, once the main source of income for many cities.",
    "Household savings are high by international standards, and consumption is a smaller share of output than elsewhere.",
    "Private entrepreneurs have become more cautious after several years of regulatory campaigns.",
    "Hong Kong stocks rose modestly on the day the document was published.",
    "State media devoted several pages to the document and to commentary by party theorists.",
    "A press conference followed, at which officials answered questions from domestic and foreign reporters.",
    "Some of the numbers in the text are repeated from the five-year plan.",
    "The wording of the economic sections was shorter than usual.",
    "The last decade saw a rapid shift of investment from housing towards factories.",
    "Credit growth has been slowing for several quarters, a sign of weak demand for loans.",
    "Many of the listed measures were first tried in a handful of provinces.",
    "Officials described the agenda as broad but familiar.",
    "A number of delegates wore traditional dress from their home regions.",
    "The full text was released by the official news agency late in the evening.",
    "Local newspapers printed the communique on their front pages the next morning.",
    "The document was drafted over several months by a group led by senior officials.",
]
BG_TEMPLATES = [
    "In {province}, officials have spent the past year reorganising {goods} companies into larger groups.",
    "Factory managers in {city} say orders for {goods} have been uneven since the spring.",
    "{province} is among the provinces that depend most on {goods} for jobs.",
    "Bankers in {city} describe lending to {goods} firms as cautious.",
    "A trade association in {city} publishes a monthly survey of {goods} makers.",
    "The region around {city} is home to dozens of {goods} suppliers.",
    "Land prices in {city} have fallen for {n} consecutive quarters.",
    "Reporters visited {city}, where {goods} makers complained about late payments from local governments.",
    "Delegates from {province} brought a proposal about freight costs for {goods}.",
    "Wages in {city} have risen faster than productivity in the {goods} business.",
    "Many {goods} workshops in {province} are family firms with fewer than {n}0 employees.",
    "Traffic on the expressways around {city} is a rough guide to activity in the {goods} trade.",
    "Local officials in {province} were praised in state media for clearing unpaid bills.",
    "The {goods} industry of {city} has shrunk since rents rose.",
]
BG_PROVINCES = ["Guangdong", "Zhejiang", "Jiangsu", "Sichuan", "Hubei", "Shaanxi", "Yunnan", "Henan", "Shandong", "Fujian",
                "Anhui", "Hunan", "Liaoning", "Jilin", "Guizhou", "Gansu"]
BG_CITIES = ["Shenzhen", "Hangzhou", "Suzhou", "Chengdu", "Wuhan", "Xi'an", "Kunming", "Zhengzhou", "Qingdao", "Xiamen",
             "Hefei", "Changsha", "Shenyang", "Changchun", "Guiyang", "Lanzhou"]
BG_GOODS = ["furniture", "garment", "toy", "auto parts", "machine parts", "ceramics", "bicycle", "appliance", "textile",
            "processed food", "packaging", "footwear", "lighting", "hardware"]
SITE_NAMES = ["Policy Monitor", "Asia Review", "Economy Watch", "The Diplomat", "Beijing Brief", "Sinocism Digest",
              "Trade Desk", "China Insight"]
NAV_LABELS = ["China", "Economy", "Politics", "Overview", "Analysis", "Asia"]
AUTHORS = ["Jane Doe", "Wei Zhang", "Maria Gonzalez", "Tom Becker", "Li Na", "Amit Rao", "Sophie Martin",
           "Kenji Sato", "Olga Petrova", "Daniel Kim", "Laura Chen", "Peter Novak"]
AUTHOR_ROLES = ["a senior analyst at a consultancy in Singapore", "a researcher at a think tank in Berlin",
                "a correspondent covering Chinese economic policy", "a fellow at a policy institute in Washington"]
RELATED_TITLES = ["How local debt shapes China's stimulus", "The limits of China's chip push",
                  "Why consumption is still weak", "Inside the new industrial policy", "What the yuan tells us",
                  "A short history of the Third Plenum", "Five charts on Chinese trade"]
TITLE_TEMPLATES = [
    "What the {m} means for {x}", "Five takeaways from the {m}", "Inside the {m}: {X} in focus",
    "{M}: Beijing doubles down on {x}", "The {m} and the future of {x}", "Reading the {m} on {x}",
]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
GENERIC_ALIASES = {  # generic names (dated in the text): many meetings share them
    "plenum": "the {ord} Plenum", "two_sessions": "the Two Sessions", "cewc": "the Central Economic Work Conference",
}
ORD_WORDS = ["First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh"]
SECONDARY_TAILS = [" to support {t2}", " in support of {t2}", " as part of the push for {t2}"]


# ------------------------------------------------------------------------------------ plan


@dataclass
class MeetingPlan:
    id: str
    name: str
    kind: str
    start: dt.date
    end: dt.date
    aliases: list[str]
    attrs: dict


@dataclass
class Thread:
    id: str
    topic: str
    topic2: str | None
    frame: str
    verbs: list[str]
    prep: str
    object: str
    presence: dict[int, int] = field(default_factory=dict)  # meeting position -> emphasis level
    articles: dict[int, list[int]] = field(default_factory=dict)  # meeting position -> article indices
    wording: dict[int, dict] = field(default_factory=dict)  # meeting position -> choices


def load_meetings(catalog_path: Path = CATALOG) -> list[MeetingPlan]:
    with catalog_path.open("rb") as fh:
        catalog = tomllib.load(fh)
    keys = ("congress", "cc", "plenum", "npc", "npc_session", "year")
    # Only the kinds this generator writes articles for (FRAMINGS_BY_KIND): the catalog's other
    # kinds (Politburo meetings) would change which meetings a seed picks, and so every figure.
    meetings = [MeetingPlan(m["id"], m["name"], m["kind"], m["start"], m["end"], list(m.get("aliases", [])),
                            {k: m[k] for k in keys if k in m}) for m in catalog["meeting"] if m["kind"] in FRAMINGS_BY_KIND]
    meetings.sort(key=lambda m: (m.start, m.id))
    return meetings


def pick_meetings(catalog: list[MeetingPlan], n: int, include: tuple[str, ...] = ()) -> list[MeetingPlan]:
    """n meetings spread across kinds (round robin over kinds, evenly spaced within each kind),
    in date order. n is capped at the catalog size. Each meeting id in `include` is taken in
    place of the chosen meeting of its kind nearest in date (a corpus that must hold a given
    pair, e.g. the 20th Party Congress and the Third Plenum)."""
    n = min(n, len(catalog))
    by_kind: dict[str, list[MeetingPlan]] = {}
    for m in catalog:
        by_kind.setdefault(m.kind, []).append(m)
    kinds = sorted(by_kind, key=lambda k: (-len(by_kind[k]), k))
    quota = {k: 0 for k in kinds}
    left = n
    while left:
        for k in kinds:
            if left and quota[k] < len(by_kind[k]):
                quota[k] += 1
                left -= 1
    chosen = []
    for k in kinds:
        pool, q = by_kind[k], quota[k]
        if q == 0:
            continue
        # evenly spaced, recent meetings first when few are taken
        idx = sorted({round(len(pool) - 1 - i * (len(pool) - 1) / max(1, q - 1)) if q > 1 else len(pool) - 1 for i in range(q)})
        chosen.extend(pool[i] for i in idx)
    by_id = {m.id: m for m in catalog}
    for wanted in include:
        if wanted not in by_id:
            raise ValueError(f"{wanted!r} is not in the catalog")
        m = by_id[wanted]
        if m in chosen:
            continue
        same_kind = [c for c in chosen if c.kind == m.kind and c.id not in include] or [
            c for c in chosen if c.id not in include
        ]
        nearest = min(same_kind, key=lambda c: abs((c.start - m.start).days))
        chosen[chosen.index(nearest)] = m
    chosen.sort(key=lambda m: (m.start, m.id))
    return chosen


def _lexicon():
    """The project's lexicon (to check that wording carries exactly the intended topics)."""
    try:
        from tracker.config import Settings
        from tracker.lexicon import load_lexicon

        return load_lexicon(Settings(project_dir=ROOT))
    except Exception:  # the generator must work without the library
        return None


def plan_threads(meetings: list[MeetingPlan], seed: int) -> list[Thread]:
    rng = random.Random(f"{seed}:threads")
    n_meetings = len(meetings)
    n_threads = min(120, max(24, 10 * n_meetings))
    topics = sorted(TOPIC_FORMS)
    lexicon = _lexicon()
    # distinctive objects: unique adjective+noun pairs, no phrase inside another
    objects: list[str] = []
    adj_use: dict[str, int] = {}
    noun_use: dict[str, int] = {}
    attempts = 0
    while len(objects) < n_threads:
        attempts += 1
        adj, noun = rng.choice(OBJECT_ADJS), rng.choice(OBJECT_NOUNS)
        phrase = f"{adj} {noun}"
        if attempts < 100_000 and (adj_use.get(adj, 0) >= 4 or noun_use.get(noun, 0) >= 3):
            continue
        if any(phrase in o or o in phrase for o in objects):
            continue
        if lexicon is not None and lexicon.topics_of(phrase):
            continue
        objects.append(phrase)
        adj_use[adj] = adj_use.get(adj, 0) + 1
        noun_use[noun] = noun_use.get(noun, 0) + 1
    threads = []
    frame_use: dict[tuple[str, str], int] = {}
    for i in range(n_threads):
        topic = topics[i % len(topics)] if i < len(topics) else rng.choice(topics)
        topic2 = rng.choice([t for t in topics if t != topic]) if rng.random() < 0.6 else None
        frames = sorted(FRAMES, key=lambda f: (frame_use.get((topic, f), 0), rng.random()))
        if lexicon is not None:  # the frame must not add a topic of its own
            frames = [f for f in frames if all(lexicon.topics_of(f.format(t=form)) == [topic]
                                               for form in TOPIC_FORMS[topic]["mod"])] or frames
        frame = frames[0]
        frame_use[(topic, frame)] = frame_use.get((topic, frame), 0) + 1
        thread = Thread(f"T{i:03d}", topic, topic2, frame, list(rng.choice(VERB_FAMILIES)), rng.choice(PREPOSITIONS),
                        objects[i])
        # one run, sometimes a second one after a gap (the thread disappears and reappears)
        max_len = max(1, min(n_meetings, 12))
        length = rng.randint(1, max_len)
        start = rng.randint(0, n_meetings - 1)
        level = rng.choice([-1, 0, 0, 1, 1, 2])
        positions = list(range(start, min(n_meetings, start + length)))
        if rng.random() < 0.3 and positions[-1] + 2 < n_meetings:
            gap_start = positions[-1] + 1 + rng.randint(1, 3)
            positions += list(range(gap_start, min(n_meetings, gap_start + rng.randint(1, 4))))
        for pos in positions:
            thread.presence[pos] = level
            # emphasis drifts: rises or falls by a step now and then
            level = max(-1, min(2, level + rng.choice([-1, 0, 0, 0, 1])))
        threads.append(thread)
    # wording per meeting: verb, topic form, clause order, target
    for thread in threads:
        wrng = random.Random(f"{seed}:wording:{thread.id}")
        for pos in sorted(thread.presence):
            m = meetings[pos]
            thread.wording[pos] = {
                "verb": wrng.choice(thread.verbs),
                "form": wrng.choice(TOPIC_FORMS[thread.topic]["mod"]),
                "form2": wrng.choice(TOPIC_FORMS[thread.topic2]["noun"]) if thread.topic2 else None,
                "tail2": wrng.choice(SECONDARY_TAILS),
                "order": wrng.random() < 0.5,  # secondary clause before or after the object
                "target": (f", covering {wrng.choice([30, 40, 50, 60, 70, 80])} percent of them by {m.start.year + wrng.randint(2, 5)}"
                           if wrng.random() < 0.25 else ""),
                "prefix": wrng.choice(EMPHASIS_PREFIX[thread.presence[pos]]),
                "suffix": wrng.choice(EMPHASIS_SUFFIX[thread.presence[pos]]),
            }
    return threads


def assign_articles(threads: list[Thread], meetings: list[MeetingPlan], per_meeting: int, seed: int) -> None:
    """Which articles of a meeting state each active thread (at least one, often several)."""
    for pos, m in enumerate(meetings):
        rng = random.Random(f"{seed}:assign:{m.id}")
        active = [t for t in threads if pos in t.presence]
        # about 10 thread statements per article, each thread stated by one or several articles
        coverage = min(0.8, 10 / max(1, len(active))) * rng.uniform(0.7, 1.1)
        for k, t in enumerate(active):
            p = max(0.05, min(0.9, coverage * (1 + 0.25 * t.presence[pos]) + rng.uniform(-0.1, 0.1)))
            chosen = {k % per_meeting}
            chosen |= {a for a in range(per_meeting) if rng.random() < p}
            # keep articles readable: at most ~14 thread statements each
            t.articles[pos] = sorted(chosen)
        load: dict[int, int] = {}
        for t in active:
            kept = []
            for a in t.articles[pos]:
                if load.get(a, 0) < 14 or not kept:
                    kept.append(a)
                    load[a] = load.get(a, 0) + 1
            t.articles[pos] = kept


# ------------------------------------------------------------------------------------ wording


def core_phrase(thread: Thread, pos: int) -> str:
    w = thread.wording[pos]
    head = thread.frame.format(t=w["form"])
    obj = f"{head} {thread.prep} {thread.object}"
    verb = w["verb"]
    if thread.topic2:
        second = w["tail2"].format(t2=w["form2"])
        obj = f"{obj}{second}" if w["order"] else f"{head}{second} {thread.prep} {thread.object}"
    return f"{w['prefix']}{verb} {obj}{w['target']}{w['suffix']}"


def premier_for(year: int) -> str:
    name = PREMIERS[0][1]
    for since, who in PREMIERS:
        if year >= since:
            name = who
    return name


def commitment_sentence(thread: Thread, pos: int, meeting: MeetingPlan, rng: random.Random) -> str:
    framings = FRAMINGS_COMMON + FRAMINGS_BY_KIND.get(meeting.kind, [])
    framing = rng.choice(framings)
    core = core_phrase(thread, pos)
    tail = rng.choice(["", "", "", " in the coming years", " over the next five years"])
    if tail and core.endswith(("priority", "task", "permit")):
        tail = ""
    return framing.format(core=core + tail, premier=premier_for(meeting.start.year))


def bullet_goal(thread: Thread, pos: int) -> str:
    core = core_phrase(thread, pos)
    return f"To {core}."


def _ordinal_of(meeting: MeetingPlan) -> str:
    return ORD_WORDS[meeting.attrs.get("plenum", 1) - 1]


def meeting_reference(meeting: MeetingPlan, rng: random.Random, generic_ok: bool) -> tuple[str, bool]:
    """A name for the meeting in one of its alias forms, or a generic one (True) that the date must
    disambiguate."""
    if generic_ok and meeting.kind in GENERIC_ALIASES and rng.random() < 0.3:
        return GENERIC_ALIASES[meeting.kind].format(ord=_ordinal_of(meeting)), True
    specific = [a for a in meeting.aliases if any(ch.isdigit() for ch in a) or "Central Committee" in a]
    return rng.choice(specific or meeting.aliases or [meeting.name]), False


def date_text(day: dt.date) -> str:
    return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"


def _strip_the(name: str) -> str:
    return name[4:] if name.lower().startswith("the ") else name


# ------------------------------------------------------------------------------------ articles


def distractor_sentences(meeting: MeetingPlan, rng: random.Random) -> list[tuple[str, str]]:
    """(kind, sentence) of sentences that are NOT commitments."""
    year = meeting.start.year - 1
    out = []
    subj = rng.choice(STAT_SUBJECTS)
    verb = rng.choice(STAT_VERBS_UP + STAT_VERBS_DOWN)
    out.append(("statistic", f"{subj} {verb} {rng.randint(2, 19)}.{rng.randint(0, 9)} percent in {year}, according to official data."))
    out.append(("statistic", f"China's {rng.choice(['trade surplus', 'grain harvest', 'car output', 'power consumption'])} reached "
                             f"{rng.randint(100, 900)} million tonnes in {year}." if rng.random() < 0.5 else
                             f"Spending on research {rng.choice(STAT_VERBS_UP)} to {rng.randint(2, 3)}.{rng.randint(0, 9)} trillion yuan in {year}."))
    country, preds = rng.choice(FOREIGN)
    out.append(("foreign", f"{country} {rng.choice(preds).format(x=rng.choice(FOREIGN_OBJECTS))}."))
    for text in rng.sample(COMMENTARY, 2):
        out.append(("commentary", text.format(n=rng.choice(['growth', 'spending', 'emissions']))))
    return out


def _list_sentence(meeting: MeetingPlan, rng: random.Random) -> str:
    items = rng.sample(LIST_ITEMS, rng.randint(3, 4))
    joined = ", ".join(items[:-1]) + ", and " + items[-1]
    doc = {"plenum": "communique", "party_congress": "report", "two_sessions": "work report", "cewc": "readout"}[meeting.kind]
    return rng.choice(LIST_FRAMINGS).format(doc=doc, items=joined)


def _background(rng: random.Random, count: int) -> list[str]:
    return [s.format(n=rng.randint(2, 9), m=rng.randint(4, 15)) for s in rng.sample(BACKGROUND, min(count, len(BACKGROUND)))]


def render_article(meetings: list[MeetingPlan], threads: list[Thread], pos: int, index: int, seed: int,
                   ext: str, thread_ids: list[str] | None = None, target_bytes: int = 8000) -> dict:
    """One article: returns {"text", "title", "statements": [(thread id, sentence)], "distractors": [...]}"""
    meeting = meetings[pos]
    rng = random.Random(f"{seed}:article:{meeting.id}:{index}")
    if thread_ids is None:
        mine = [t for t in threads if index in t.articles.get(pos, [])]
    else:
        mine = [t for t in threads if t.id in thread_ids]
    rng.shuffle(mine)
    day = meeting.start + dt.timedelta(days=rng.randint(0, (meeting.end - meeting.start).days))
    name, generic = meeting_reference(meeting, rng, generic_ok=True)
    topic_words = sorted({t.topic for t in mine}) or ["ai"]
    x = rng.choice(TOPIC_FORMS[rng.choice(topic_words)]["noun"])
    title = rng.choice(TITLE_TEMPLATES).format(m=_strip_the(name), M=_strip_the(name), x=x, X=x[:1].upper() + x[1:])
    ref2, _ = meeting_reference(meeting, rng, generic_ok=False)
    the_name = name[:1].upper() + name[1:] if generic else f"The {name}"
    lead = (f"{the_name} closed in Beijing on {date_text(day)} after "
            f"{rng.randint(3, 6)} days of closed-door discussions. " if rng.random() < 0.5 else
            f"On {date_text(day)}, {name if generic else 'the ' + name} ended with a lengthy document that lays out the next steps of economic policy. ")
    lead += f"This article reads the {_strip_the(ref2)} text closely, section by section."

    statements: list[tuple[str, str]] = []
    sentences: list[tuple[str, str]] = []  # (kind, text): kind commitment/bullet/other
    bullets: list[tuple[str, str]] = []
    for t in mine:
        if rng.random() < 0.25:
            b = bullet_goal(t, pos)
            bullets.append((t.id, b))
            statements.append((t.id, b))
        else:
            s = commitment_sentence(t, pos, meeting, rng)
            sentences.append(("commitment", s))
            statements.append((t.id, s))
    sentences.append(("list", _list_sentence(meeting, rng)))
    sentences.append(("generic", rng.choice(GENERIC_COMMITMENTS)))
    distractors = distractor_sentences(meeting, rng)
    sentences.extend(distractors)
    background = _background(rng, len(BACKGROUND))
    rng.shuffle(sentences)

    # paragraphs of 3-5 sentences, background filling the space between commitments
    paragraphs: list[str] = []
    queue = list(sentences)
    bg = list(background)
    size = len(lead) + sum(len(b) for _i, b in bullets)
    while queue or (size < target_bytes and bg):
        para = []
        for _ in range(rng.randint(3, 5)):
            if queue and (rng.random() < 0.55 or not bg or size >= target_bytes):
                para.append(queue.pop(0)[1])
            elif bg and size < target_bytes:
                para.append(bg.pop(0))
            elif queue:
                para.append(queue.pop(0)[1])
            size += len(para[-1]) + 1 if para else 0
        if para:
            paragraphs.append(" ".join(para))
        if not queue and not bg:
            break
    # fill up to the target size with more (reworded) background
    seen = set()
    while size < target_bytes:
        more = []
        while len(more) < 4:
            s = rng.choice(BG_TEMPLATES).format(province=rng.choice(BG_PROVINCES), city=rng.choice(BG_CITIES),
                                                goods=rng.choice(BG_GOODS), n=rng.randint(2, 9))
            if s not in seen:
                seen.add(s)
                more.append(s)
        para = " ".join(more)
        paragraphs.insert(rng.randint(0, len(paragraphs)), para)
        size += len(para)
    author = rng.choice(AUTHORS)
    bullet_intro = rng.choice(["Among the goals listed in the document:", "The text lists several goals for the coming years:",
                               "Other passages set goals in a list:"])
    bullet_at = rng.randint(1, max(1, len(paragraphs) - 1))
    related_at = rng.randint(1, max(1, len(paragraphs) - 1))
    related = rng.sample(RELATED_TITLES, 2)
    site = rng.choice(SITE_NAMES)
    bio = f"{author} is {rng.choice(AUTHOR_ROLES)}."
    text = _format(ext, site, rng.choice(NAV_LABELS), title, author, lead, paragraphs, bullet_intro, bullets, bullet_at,
                   related, related_at, bio, rng)
    return {"text": text, "title": title, "statements": statements,
            "distractors": [(k, s) for k, s in distractors], "date": day.isoformat(), "generic_name": generic}


def _format(ext, site, nav, title, author, lead, paragraphs, bullet_intro, bullets, bullet_at, related, related_at, bio, rng):
    if ext == ".html":
        e = html.escape
        body = [f"<p>{e(lead)}</p>"]
        for i, p in enumerate(paragraphs):
            if i == bullet_at and bullets:
                body.append(f"<p>{e(bullet_intro)}</p>\n<ul>\n" + "\n".join(f"<li>{e(b)}</li>" for _t, b in bullets) + "\n</ul>")
            if i == related_at:
                body.append("<aside><h4>Related</h4>" + "".join(f'<p><a href="#">{e(r)}</a></p>' for r in related) + "</aside>")
            body.append(f"<p>{e(p)}</p>")
        return ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + e(title) + " | " + e(site) + "</title>"
                "<script>var analytics = {};</script></head>\n<body>\n<nav><a href=\"/\">Home</a> <a href=\"/china\">China</a></nav>\n"
                f"<header><p>{e(site)}</p></header>\n<article>\n<h1>{e(title)}</h1>\n<p>By {e(author)}</p>\n"
                + "\n".join(body) +
                "\n<h3>The Authors</h3>\n<p>" + e(bio) + "</p>\n</article>\n"
                "<footer><p>Subscribe for full access.</p><p>All rights reserved.</p></footer>\n</body></html>\n")
    lines: list[str] = []
    if ext == ".md":
        if rng.random() < 0.5:
            lines += ["---", f"title: {json.dumps(title)}", f"source: {site}", "---"]
        lines += [f"# {title}", "", f"*By {author}*", "", lead, ""]
        bullet_mark = "- "
    else:
        lines += [site, nav, "", title, f"By {author}", f"Photo: {rng.choice(['Xinhua', 'Reuters', 'AFP'])}", "", lead, ""]
        bullet_mark = "• "
    for i, p in enumerate(paragraphs):
        if i == bullet_at and bullets:
            lines += [bullet_intro, ""] if ext == ".md" else [bullet_intro]
            lines += [bullet_mark + b for _t, b in bullets]
            lines.append("")
        if i == related_at:
            lines += [f"{r} Read more >" for r in related]
            lines += ["", "Subscribe now", ""] if ext != ".md" else [""]
        lines += [p, ""]
    lines += ["The Authors", "", bio, "", "Want to read more?", "Subscribe for full access."]
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------------------------ corpus


def _ext_for(rng: random.Random) -> str:
    r = rng.random()
    return ".html" if r < 0.05 else ".md" if r < 0.20 else ".txt"


def article_name(global_index: int, meeting: MeetingPlan, index: int, seed: int, ext: str) -> str:
    tag = random.Random(f"{seed}:name:{meeting.id}:{index}").getrandbits(32)
    return f"a{global_index:05d}_{tag:08x}{ext}"


def build_plan(meetings: int, per_meeting: int, seed: int, include: tuple[str, ...] = ()):
    catalog = load_meetings()
    chosen = pick_meetings(catalog, meetings, include)
    threads = plan_threads(chosen, seed)
    assign_articles(threads, chosen, per_meeting, seed)
    return catalog, chosen, threads


def extra_article(meetings: int, per_meeting: int, seed: int, position: int | None = None) -> tuple[str, str]:
    """A further article (name, text) for a corpus generated with the same arguments: the
    (per_meeting+1)-th article of one meeting (the middle one by default), stating a random
    subset of that meeting's active threads. For incremental-build benchmarks."""
    _catalog, chosen, threads = build_plan(meetings, per_meeting, seed)
    pos = len(chosen) // 2 if position is None else position
    rng = random.Random(f"{seed}:extra:{pos}")
    active = sorted(t.id for t in threads if pos in t.presence)
    picked = sorted(rng.sample(active, min(len(active), 8))) if active else []
    art = render_article(chosen, threads, pos, per_meeting, seed, ".txt", thread_ids=picked)
    return f"a{99999 - pos:05d}_extra.txt", art["text"]


def generate(out_dir, meetings: int, per_meeting: int, seed: int, include: tuple[str, ...] = ()) -> dict:
    """Write OUT_DIR/articles/*, OUT_DIR/gold.toml and OUT_DIR/planted.json; return a summary.
    `include`: meeting ids the corpus must hold (see pick_meetings)."""
    out = Path(out_dir)
    articles_dir = out / "articles"
    articles_dir.mkdir(parents=True, exist_ok=True)
    catalog, chosen, threads = build_plan(meetings, per_meeting, seed, include)
    notes = []
    if meetings > len(catalog):
        notes.append(f"asked for {meetings} meetings; the catalog has {len(catalog)}, meetings are not reused: capped")
    files: dict[int, list[str]] = {}
    not_commitment: list[dict] = []
    total_bytes = 0
    found_statements: dict[tuple[str, int], list[str]] = {}
    g = 0
    for pos, m in enumerate(chosen):
        files[pos] = []
        for index in range(per_meeting):
            ext = _ext_for(random.Random(f"{seed}:ext:{m.id}:{index}"))
            name = article_name(g, m, index, seed, ext)
            g += 1
            art = render_article(chosen, threads, pos, index, seed, ext)
            data = art["text"].encode("utf-8")
            (articles_dir / name).write_bytes(data)
            total_bytes += len(data)
            files[pos].append(name)
            for tid, sentence in art["statements"]:
                found_statements.setdefault((tid, pos), []).append(name)
            for kind, sentence in art["distractors"]:
                if kind in ("statistic", "foreign") and len(not_commitment) < 6 and not any(
                        d["kind"] == kind and d["meeting"] == m.id for d in not_commitment):
                    not_commitment.append({"kind": kind, "meeting": m.id, "phrase": sentence.rstrip(".")})
    # gold
    lines = [f"# Generated by benchmarks.generate (seed {seed}, {len(chosen)} meetings x {per_meeting} articles).",
             "# A meeting is named by a date inside it; phrases are the distinctive objects of planted threads.", ""]
    for pos, m in enumerate(chosen):
        for name in files[pos][:2]:
            lines += ["[[article]]", f'file = "{name}"', f"meeting = \"{m.start.isoformat()}\"  # {m.id}", ""]
    links, disappeared, new = [], [], []
    for t in threads:
        for pos in range(len(chosen) - 1):
            here, there = pos in t.presence, pos + 1 in t.presence
            if here and there:
                links.append((t, pos))
            elif here:
                disappeared.append((t, pos))
            elif there:
                new.append((t, pos))
    for t, pos in links:
        a, b = chosen[pos], chosen[pos + 1]
        lines += ["[[link]]", f'from = "{a.start.isoformat()}"', f'to = "{b.start.isoformat()}"',
                  f'from_phrase = "{t.object}"', f'to_phrase = "{t.object}"',
                  'statuses = ["persisted", "strengthened", "weakened"]', f"# {t.id}: {a.id} -> {b.id}", ""]
    for kind, entries in (("disappeared", disappeared), ("new", new)):
        for t, pos in entries:
            a, b = chosen[pos], chosen[pos + 1]
            lines += [f"[[{kind}]]", f'from = "{a.start.isoformat()}"', f'to = "{b.start.isoformat()}"',
                      f'phrase = "{t.object}"', f"# {t.id}", ""]
    for d in not_commitment:
        lines += ["[[not_commitment]]", f"phrase = {json.dumps(d['phrase'])}  # {d['kind']}", ""]
    (out / "gold.toml").write_text("\n".join(lines), encoding="utf-8")
    planted = {
        "seed": seed,
        "per_meeting": per_meeting,
        "meetings": [{"id": m.id, "name": m.name, "kind": m.kind, "date": m.start.isoformat(), "articles": files[pos]}
                     for pos, m in enumerate(chosen)],
        "threads": [{
            "id": t.id, "topics": [x for x in (t.topic, t.topic2) if x], "object": t.object,
            "presence": {chosen[pos].id: {"phrase": t.object, "emphasis": t.presence[pos],
                                          "wording": core_phrase(t, pos),
                                          "articles": sorted(set(found_statements.get((t.id, pos), [])))}
                         for pos in sorted(t.presence)},
        } for t in threads],
        "links": [{"thread": t.id, "from": chosen[pos].id, "to": chosen[pos + 1].id, "phrase": t.object} for t, pos in links],
        "not_commitment": not_commitment,
    }
    (out / "planted.json").write_text(json.dumps(planted, indent=1, sort_keys=True), encoding="utf-8")
    summary = {"out_dir": str(out), "meetings": [m.id for m in chosen], "articles": g, "bytes": total_bytes,
               "threads": len(threads), "planted_links": len(links), "disappeared": len(disappeared), "new": len(new),
               "notes": notes}
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir")
    parser.add_argument("--meetings", type=int, default=3)
    parser.add_argument("--articles-per-meeting", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--include", action="append", default=[], metavar="MEETING_ID",
                        help="a meeting the corpus must hold (repeatable), e.g. cpc-20-cc-3-plenum")
    args = parser.parse_args(argv)
    summary = generate(args.out_dir, args.meetings, args.articles_per_meeting, args.seed, tuple(args.include))
    for note in summary["notes"]:
        print(f"note: {note}", file=sys.stderr)
    print(json.dumps(summary, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
