"""Shared inputs of the goldpath Python tests: the repository's fixtures and small builders."""

from pathlib import Path
from typing import Any, Dict, Optional

import pytest

import goldpath

REPO = Path(__file__).resolve().parents[3]
SHOP = REPO / "fixtures" / "shop"
PLATFORM = REPO / "fixtures" / "platform"
SEED = "0123456789abcdef0123456789abcdef-test-seed"


def workload(name: str, resources: Optional[Dict[str, Any]] = None, **container: Any) -> Dict[str, Any]:
    """A Score workload as a dict: one container `main` running nginx."""
    main: Dict[str, Any] = {"image": "nginx:1.27"}
    main.update(container)
    doc: Dict[str, Any] = {
        "apiVersion": "score.dev/v1b1",
        "metadata": {"name": name},
        "containers": {"main": main},
    }
    if resources:
        doc["resources"] = resources
    return doc


def definition(name: str, **spec: Any) -> Dict[str, Any]:
    """A ResourceDefinition document as a dict."""
    spec.setdefault("driver", "static")
    spec.setdefault("criteria", [{}])
    return {
        "apiVersion": "goldpath.dev/v1alpha1",
        "kind": "ResourceDefinition",
        "metadata": {"name": name},
        "spec": spec,
    }


@pytest.fixture(scope="session")
def sample_platform() -> goldpath.Platform:
    """The sample platform of fixtures/platform."""
    return goldpath.Platform.load(PLATFORM, secret_seed=SEED)


@pytest.fixture(scope="session")
def shop_plan(sample_platform: goldpath.Platform) -> goldpath.Plan:
    """The sample application planned for qa-42 (qa-light)."""
    return sample_platform.plan(SHOP, app="shop", env="qa-42", env_type="qa-light")
