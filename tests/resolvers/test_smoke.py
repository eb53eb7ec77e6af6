def test_viewer(steward_api):
    assert steward_api.data("{ viewer { role } }") == {"viewer": {"role": "steward"}}
