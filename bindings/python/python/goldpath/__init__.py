"""goldpath: the engine of an Internal Developer Platform.

Score workloads and a platform (environment types, resource definitions) in; the resource
graph and deterministic Kubernetes manifests out. The engine is goldpath's Rust crate: it runs
in-process, without the GIL, and raises ``goldpath.Error`` (one subclass per error kind).

Example::

    import goldpath

    platform = goldpath.Platform.load("fixtures/platform")
    plan = platform.plan(["fixtures/shop"], app="shop", env="qa-42", env_type="qa-light")
    print(plan.to_yaml())

    store = goldpath.DirStore(".goldpath")
    ada = goldpath.Principal("ada", groups=["shop-team"])
    record = platform.deploy(store, ["fixtures/shop"], app="shop", env="qa-42",
                             at="2026-11-23T10:00:00Z", principal=ada)
    print(record.id, [e.id for e in store.history("shop", "qa-42")])
"""

from goldpath._goldpath import (
    Change,
    ClusterError,
    ConflictError,
    CycleError,
    Decision,
    Deployment,
    Diagnostic,
    Diff,
    DirStore,
    DocumentChange,
    DriverError,
    ERROR_KINDS,
    Environment,
    Error,
    Explanation,
    Graph,
    GraphEdge,
    GraphNode,
    History,
    HistoryEntry,
    InputChanges,
    InvalidNameError,
    InvalidValueError,
    IoError,
    LimitError,
    Location,
    MemoryStore,
    NoMatchError,
    ObjectDiff,
    PermissionDenied,
    PgStore,
    PlaceholderError,
    Plan,
    Platform,
    PolicyError,
    Principal,
    Resource,
    Rollback,
    SchemaError,
    Session,
    Store,
    StoreError,
    Violation,
    WorkloadDiff,
    YamlError,
    authorize,
    diff,
    __version__,
)

__all__ = [
    "Change",
    "ClusterError",
    "ConflictError",
    "CycleError",
    "Decision",
    "Deployment",
    "Diagnostic",
    "Diff",
    "DirStore",
    "DocumentChange",
    "DriverError",
    "ERROR_KINDS",
    "Environment",
    "Error",
    "Explanation",
    "Graph",
    "GraphEdge",
    "GraphNode",
    "History",
    "HistoryEntry",
    "InputChanges",
    "InvalidNameError",
    "InvalidValueError",
    "IoError",
    "LimitError",
    "Location",
    "MemoryStore",
    "NoMatchError",
    "ObjectDiff",
    "PermissionDenied",
    "PgStore",
    "PlaceholderError",
    "Plan",
    "Platform",
    "PolicyError",
    "Principal",
    "Resource",
    "Rollback",
    "SchemaError",
    "Session",
    "Store",
    "StoreError",
    "Violation",
    "WorkloadDiff",
    "YamlError",
    "authorize",
    "diff",
    "__version__",
]
