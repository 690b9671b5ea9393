"""goldpath: the engine of an Internal Developer Platform.

Score workloads and a platform (environment types, resource definitions) in; the resource
graph and deterministic Kubernetes manifests out. The engine is goldpath's Rust crate: it runs
in-process, without the GIL, and raises ``goldpath.Error`` (one subclass per error kind).

Example::

    import goldpath

    platform = goldpath.Platform.load("fixtures/platform")
    plan = platform.plan(["fixtures/shop"], app="shop", env="qa-42", env_type="qa-light")
    print(plan.to_yaml())
"""

from goldpath._goldpath import (
    ConflictError,
    CycleError,
    Diagnostic,
    DriverError,
    Error,
    Explanation,
    Graph,
    GraphEdge,
    GraphNode,
    InvalidNameError,
    InvalidValueError,
    IoError,
    LimitError,
    Location,
    NoMatchError,
    PermissionDenied,
    PlaceholderError,
    Plan,
    Platform,
    PolicyError,
    Resource,
    SchemaError,
    StoreError,
    YamlError,
    __version__,
)

__all__ = [
    "ConflictError",
    "CycleError",
    "Diagnostic",
    "DriverError",
    "Error",
    "Explanation",
    "Graph",
    "GraphEdge",
    "GraphNode",
    "InvalidNameError",
    "InvalidValueError",
    "IoError",
    "LimitError",
    "Location",
    "NoMatchError",
    "PermissionDenied",
    "PlaceholderError",
    "Plan",
    "Platform",
    "PolicyError",
    "Resource",
    "SchemaError",
    "StoreError",
    "YamlError",
    "__version__",
]
