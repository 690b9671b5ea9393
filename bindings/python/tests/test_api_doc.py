"""docs/api.md matches what the package exports: every name documented exists, every public
name of the package and of Platform, Plan, Session and Store is documented."""

import re
from typing import Set, Tuple

import goldpath
from conftest import REPO

CLASSES = {
    "Platform": goldpath.Platform,
    "Plan": goldpath.Plan,
    "Session": goldpath.Session,
    "Store": goldpath.Store,
}


def documented(column: int) -> Tuple[Set[str], Set[str]]:
    """(top-level names, Class.member names) of one column of the doc's tables (2 Python, 3 Node)."""
    names: Set[str] = set()
    members: Set[str] = set()
    text = (REPO / "docs" / "api.md").read_text()
    # The operations start at the Platform section (the Inputs table names types, not names).
    for line in text[text.index("## Platform") :].splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not line.startswith("|") or len(cells) != 4 or set(cells[0]) <= {"-"}:
            continue
        for code in re.findall(r"`([^`]+)`", cells[column]):
            name = re.match(r"[A-Za-z_][A-Za-z0-9_.]*", code)
            if name is None:
                continue
            head, _, member = name.group(0).partition(".")
            names.add(head)
            if member:
                members.add(f"{head}.{member}")
    return names, members


def test_every_documented_python_name_exists() -> None:
    names, members = documented(2)
    for name in names:
        assert hasattr(goldpath, name), name
    for member in members:
        cls, attr = member.split(".")
        assert hasattr(CLASSES[cls], attr), member


def test_every_public_name_is_documented() -> None:
    names, members = documented(2)
    result_types = (REPO / "docs" / "api.md").read_text()
    errors = {name for _, _, name in goldpath.ERROR_KINDS}
    for name in goldpath.__all__:
        if name in errors or name == "__version__":
            continue  # the classes of ERROR_KINDS, documented as one row
        assert name in names or f"`{name}`" in result_types, name
    for cls_name, cls in CLASSES.items():
        for attr in dir(cls):
            if not attr.startswith("_"):
                assert f"{cls_name}.{attr}" in members, f"{cls_name}.{attr}"
