"""goldpath: the engine of an Internal Developer Platform.

Score workloads and a platform (environment types, resource definitions) in; the resource
graph and deterministic Kubernetes manifests out. The engine is goldpath's Rust crate: it runs
in-process, without the GIL, and raises ``goldpath.Error`` (one subclass per error kind).

    >>> import goldpath
    >>> platform = goldpath.Platform.default()
    >>> plan = platform.plan(["score.yaml"], app="shop", env="dev", env_type="development")
    >>> plan.manifests[0]["kind"]
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
