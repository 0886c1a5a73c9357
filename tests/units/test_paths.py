"""Unit.ancestor_paths / parent_path: the materialized-path arithmetic in one place."""
from units.models import Unit


def test_ancestor_and_parent_paths():
    step = Unit.steplen
    root, district, commune = "1" * step, "1" * step + "2" * step, "1" * step + "2" * step + "3" * step
    unit = Unit(path=commune, depth=3)
    assert unit.ancestor_paths() == [root, district]
    assert unit.ancestor_paths(include_self=True) == [root, district, commune]
    assert unit.parent_path == district
    assert Unit(path=root, depth=1).parent_path == ""
    assert Unit(path=root, depth=1).ancestor_paths() == []
    assert Unit.path_ancestors(district, include_self=True) == [root, district]
