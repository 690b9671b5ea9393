"""Type stubs of the compiled module goldpath._goldpath (checked by mypy.stubtest in CI)."""

import os
from typing import Any, Dict, List, Mapping, Optional, Sequence, Union, final

__version__: str
__all__ = [
    "__version__",
    "Error",
    "YamlError",
    "SchemaError",
    "InvalidNameError",
    "InvalidValueError",
    "PlaceholderError",
    "LimitError",
    "IoError",
    "NoMatchError",
    "CycleError",
    "ConflictError",
    "DriverError",
    "PolicyError",
    "PermissionDenied",
    "StoreError",
    "Location",
    "Diagnostic",
    "Platform",
    "Plan",
    "Resource",
    "Graph",
    "GraphNode",
    "GraphEdge",
    "Explanation",
    "_check_panic_guard",
]

# A Score workload or platform document: a file or folder path, YAML text (a str holding a
# line break), or a dict.
_Document = Union[str, "os.PathLike[str]", Mapping[str, Any]]
_Documents = Union[_Document, Sequence[_Document]]
_Seed = Union[str, bytes, None]

@final
class Location:
    """Where a problem is: file, 1-based line and column (None when unknown), path."""

    @property
    def file(self) -> Optional[str]: ...
    @property
    def line(self) -> Optional[int]: ...
    @property
    def column(self) -> Optional[int]: ...
    @property
    def path(self) -> str: ...

@final
class Diagnostic:
    """One problem: kind, location and message."""

    @property
    def kind(self) -> str: ...
    @property
    def location(self) -> Location: ...
    @property
    def message(self) -> str: ...

class Error(Exception):
    """Every failure of goldpath; the attributes describe the first problem."""

    kind: str
    message: str
    path: Optional[str]
    location: Location
    diagnostics: List[Diagnostic]

class YamlError(Error): ...
class SchemaError(Error): ...
class InvalidNameError(Error): ...
class InvalidValueError(Error): ...
class PlaceholderError(Error): ...
class LimitError(Error): ...
class IoError(Error): ...
class NoMatchError(Error): ...
class CycleError(Error): ...
class ConflictError(Error): ...
class DriverError(Error): ...
class PolicyError(Error): ...
class PermissionDenied(Error): ...
class StoreError(Error): ...

@final
class Resource:
    """A resource of a plan."""

    @property
    def key(self) -> str: ...
    @property
    def type(self) -> str: ...
    @property
    def class_(self) -> str: ...
    @property
    def id(self) -> Optional[str]: ...
    @property
    def definition(self) -> str: ...
    @property
    def outputs(self) -> Dict[str, Any]: ...
    @property
    def secrets(self) -> List[str]: ...

@final
class GraphNode:
    """A workload or a resource of the graph."""

    @property
    def name(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def type(self) -> Optional[str]: ...
    @property
    def class_(self) -> Optional[str]: ...
    @property
    def id(self) -> Optional[str]: ...
    @property
    def definition(self) -> Optional[str]: ...

@final
class GraphEdge:
    """``from_`` needs ``to`` first, because of ``kind``."""

    @property
    def from_(self) -> str: ...
    @property
    def to(self) -> str: ...
    @property
    def kind(self) -> str: ...

@final
class Graph:
    """The resource graph of a plan."""

    @property
    def nodes(self) -> List[GraphNode]: ...
    @property
    def edges(self) -> List[GraphEdge]: ...
    @property
    def order(self) -> List[str]: ...

@final
class Explanation:
    """Why a resource got its definition."""

    @property
    def winner(self) -> str: ...
    @property
    def criterion(self) -> int: ...
    @property
    def builtin(self) -> bool: ...
    @property
    def candidates(self) -> List[Dict[str, Any]]: ...
    def to_dict(self) -> Dict[str, Any]: ...

@final
class Plan:
    """The manifests, resources and graph of one application in one context."""

    @property
    def manifests(self) -> List[Dict[str, Any]]: ...
    def to_yaml(self) -> str: ...
    def to_json(self) -> str: ...
    @property
    def graph(self) -> Graph: ...
    @property
    def resources(self) -> List[Resource]: ...
    def explain(self, key: str) -> Explanation: ...
    def to_dot(self) -> str: ...
    def to_mermaid(self) -> str: ...
    @property
    def warnings(self) -> List[str]: ...
    @property
    def namespace(self) -> Optional[str]: ...
    @property
    def app(self) -> str: ...
    @property
    def env(self) -> str: ...
    @property
    def env_type(self) -> str: ...

@final
class Platform:
    """Environment types, resource definitions, drivers and the secret seed."""

    @staticmethod
    def load(
        path: Union[str, "os.PathLike[str]"], *, builtins: bool = True, secret_seed: _Seed = None
    ) -> Platform: ...
    @staticmethod
    def from_documents(
        documents: _Documents, *, builtins: bool = True, secret_seed: _Seed = None
    ) -> Platform: ...
    @staticmethod
    def default(*, secret_seed: _Seed = None) -> Platform: ...
    def register_driver(self, name: str, function: Any) -> None: ...
    def plan(
        self,
        workloads: _Documents,
        *,
        app: str,
        env: str,
        env_type: str,
        namespace: Optional[str] = None,
        create_namespace: bool = False,
        image: Optional[str] = None,
    ) -> Plan: ...
    @property
    def environment_types(self) -> List[str]: ...
    @property
    def definitions(self) -> List[str]: ...

def _check_panic_guard() -> None:
    """Panics inside the engine guard, to show a Rust panic arrives as goldpath.Error."""
