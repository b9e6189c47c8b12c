"""Duplicate clusters and the topic map of a call's proposals (no Django).

near_duplicates(docs, threshold=0.6) → Duplicates: clusters with a kept proposal and per-member similarity
topic_map(docs, seed=0) → TopicMap: themes labelled with whole Korean words, sizes and map positions
"""

from madang.solvers.topics.dedup import Cluster, Duplicates, Member, near_duplicates
from madang.solvers.topics.text import Doc, words
from madang.solvers.topics.themes import Theme, TopicMap, topic_map

__all__ = ["Cluster", "Doc", "Duplicates", "Member", "Theme", "TopicMap", "near_duplicates", "topic_map", "words"]
