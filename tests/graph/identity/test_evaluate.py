from graph.identity.evaluate import score


def test_pairwise_scores() -> None:
    truth = {"a": "1", "b": "1", "c": "1", "d": "2"}
    perfect = score({"a": "x", "b": "x", "c": "x", "d": "y"}, truth)
    assert (perfect.precision, perfect.recall, perfect.f1) == (1.0, 1.0, 1.0)
    over = score({"a": "x", "b": "x", "c": "x", "d": "x"}, truth)
    assert over.precision == 0.5 and over.recall == 1.0
    under = score({"a": "x", "b": "x", "c": "z", "d": "y"}, truth)
    assert under.precision == 1.0 and round(under.recall, 4) == 0.3333
    assert score({"a": "x", "zz": "x"}, truth).records == 1
