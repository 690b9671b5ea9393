"""Type stubs of the compiled module goldpath._goldpath (checked by mypy.stubtest in CI)."""

import os
import pathlib
import datetime
from typing import Any, Dict, Iterator, List, Mapping, Optional, Sequence, Tuple, Union, final

from typing_extensions import disjoint_base

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
    "ERROR_KINDS",
    "PolicyError",
    "PermissionDenied",
    "StoreError",
    "ClusterError",
    "Location",
    "Diagnostic",
    "Platform",
    "Plan",
    "Session",
    "Resource",
    "Graph",
    "GraphNode",
    "GraphEdge",
    "Explanation",
    "Violation",
    "Principal",
    "Decision",
    "authorize",
    "Store",
    "MemoryStore",
    "DirStore",
    "PgStore",
    "Environment",
    "History",
    "HistoryEntry",
    "Deployment",
    "Rollback",
    "Diff",
    "InputChanges",
    "ObjectDiff",
    "WorkloadDiff",
    "DocumentChange",
    "Change",
    "diff",
    "_check_panic_guard",
]

# A Score workload or platform document: a file or folder path, YAML or JSON text (a str
# holding a line break or starting with `{` or `[`), or a dict.
_Document = Union[str, "os.PathLike[str]", Mapping[str, Any]]
_Documents = Union[_Document, Sequence[_Document]]
_Seed = Union[str, bytes, None]
# When an operation happens: RFC 3339 text or a datetime with a time zone.
_Timestamp = Union[str, datetime.datetime]
# Who acts: a Principal, or a user id without groups.
_PrincipalLike = Union["Principal", str]

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
    """One problem: kind, code, message, path and location."""

    @property
    def kind(self) -> str: ...
    @property
    def code(self) -> str: ...
    @property
    def path(self) -> Optional[str]: ...
    @property
    def location(self) -> Location: ...
    @property
    def message(self) -> str: ...
    def to_dict(self) -> Dict[str, Any]: ...

# Every kind of problem: (kind, code, exception class name), from the engine's one list.
ERROR_KINDS: List[Tuple[str, str, str]]

class Error(Exception):
    """Every failure of goldpath; ``message`` lists every problem, the others describe the first."""

    kind: str
    code: str
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
class ClusterError(Error): ...

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
    def violations(self) -> List[Violation]: ...
    def catalog(
        self, *, namespace: Optional[str] = None, owner: Optional[str] = None, lifecycle: Optional[str] = None
    ) -> List[Dict[str, Any]]: ...
    def catalog_yaml(
        self, *, namespace: Optional[str] = None, owner: Optional[str] = None, lifecycle: Optional[str] = None
    ) -> str: ...
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
class Session:
    """A plan kept up to date as workloads are updated and removed (`Platform.session`)."""

    def update(self, workload: _Document) -> Plan: ...
    def remove(self, name: str) -> Plan: ...
    @property
    def plan(self) -> Plan: ...
    @property
    def workloads(self) -> List[str]: ...

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
        env: Optional[str] = None,
        env_type: str = "development",
        namespace: Optional[str] = None,
        create_namespace: bool = False,
        image: Optional[str] = None,
        store: Optional[Store] = None,
        provision: bool = False,
    ) -> Plan: ...
    def session(
        self,
        workloads: _Documents,
        *,
        app: str,
        env: Optional[str] = None,
        env_type: str = "development",
        namespace: Optional[str] = None,
        create_namespace: bool = False,
        image: Optional[str] = None,
        store: Optional[Store] = None,
        provision: bool = False,
    ) -> Session: ...
    def deploy(
        self,
        store: Store,
        workloads: _Documents,
        *,
        app: str,
        env: str,
        at: _Timestamp,
        principal: Optional[_PrincipalLike] = None,
        namespace: Optional[str] = None,
        create_namespace: bool = False,
        image: Optional[str] = None,
    ) -> Deployment: ...
    def rollback(
        self, store: Store, *, app: str, env: str, to: str, at: _Timestamp, principal: Optional[_PrincipalLike] = None
    ) -> Rollback: ...
    def promote(
        self,
        store: Store,
        *,
        app: str,
        from_env: str,
        to_env: str,
        at: _Timestamp,
        principal: Optional[_PrincipalLike] = None,
    ) -> Deployment: ...
    def create_environment(
        self,
        store: Store,
        *,
        app: str,
        env: str,
        env_type: str,
        at: _Timestamp,
        clone_from: Optional[str] = None,
        ephemeral: bool = False,
        principal: Optional[_PrincipalLike] = None,
    ) -> Tuple[Environment, Optional[Deployment]]: ...
    def delete_environment(
        self, store: Store, *, app: str, env: str, principal: Optional[_PrincipalLike] = None
    ) -> None: ...
    def mark_failed(self, store: Store, *, id: str, principal: Optional[_PrincipalLike] = None) -> None:
        """Marks record `id` as failed to apply (needs the right to deploy to its environment)."""
    @property
    def environment_types(self) -> List[str]: ...
    @property
    def definitions(self) -> List[str]: ...
    @property
    def warnings(self) -> List[str]: ...

@final
class Violation:
    """A broken rule of a policy or a lock of the environment type."""

    @property
    def rule(self) -> str: ...
    @property
    def severity(self) -> str: ...
    @property
    def blocking(self) -> bool: ...
    @property
    def policy(self) -> Optional[str]: ...
    @property
    def workload(self) -> Optional[str]: ...
    @property
    def file(self) -> Optional[str]: ...
    @property
    def path(self) -> str: ...
    @property
    def message(self) -> str: ...
    def to_dict(self) -> Dict[str, Any]: ...

@final
class Principal:
    """Who acts: a user id and the user's groups."""

    def __new__(cls, user: str, groups: Sequence[str] = ...) -> Principal: ...
    @property
    def user(self) -> str: ...
    @property
    def groups(self) -> List[str]: ...

@final
class Decision:
    """An access decision; ``bool(decision)`` is ``allowed``."""

    @property
    def allowed(self) -> bool: ...
    @property
    def binding(self) -> Optional[str]: ...
    @property
    def bindings(self) -> List[str]: ...
    @property
    def reason(self) -> str: ...
    def to_dict(self) -> Dict[str, Any]: ...
    def __bool__(self) -> bool: ...

def authorize(
    platform: Platform,
    principal: _PrincipalLike,
    action: str,
    *,
    app: Optional[str] = None,
    env: Optional[str] = None,
    env_type: Optional[str] = None,
) -> Decision:
    """Whether ``principal`` may perform ``action`` on the target, under the platform's bindings."""

@disjoint_base
class Store:
    """Where environments and deployment records are kept."""

    def environments(self, app: str) -> List[Environment]: ...
    def environment(self, app: str, env: str) -> Optional[Environment]: ...
    def history(self, app: str, env: str) -> History: ...
    def record(self, id: str) -> Deployment: ...
    def resolve_id(self, prefix: str) -> str: ...
    def record_ids(self) -> List[str]: ...

@final
class MemoryStore(Store):
    """A store in memory."""

    def __init__(self) -> None: ...

@final
class DirStore(Store):
    """A store in a folder: one JSON file per record."""

    def __new__(cls, path: Union[str, "os.PathLike[str]"]) -> DirStore: ...
    @property
    def path(self) -> pathlib.Path: ...

@final
class PgStore(Store):
    """A store in a PostgreSQL database (postgres://USER@HOST:PORT/DATABASE)."""

    def __new__(cls, url: str) -> PgStore: ...
    @property
    def url(self) -> str:
        """The store's URL, without its password."""

@final
class Environment:
    """An environment of an application."""

    @property
    def app(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def env_type(self) -> str: ...
    @property
    def ephemeral(self) -> bool: ...
    @property
    def cloned_from(self) -> Optional[str]: ...
    @property
    def created_at(self) -> str: ...
    @property
    def namespace(self) -> Optional[str]:
        """The namespace fixed at creation (None for environments of older stores: then the type's pattern)."""
    @property
    def uid(self) -> Optional[str]:
        """The id of this creation (None for environments of older stores)."""
    def to_dict(self) -> Dict[str, Any]: ...

@final
class Deployment:
    """An immutable deployment record."""

    @property
    def id(self) -> str: ...
    @property
    def app(self) -> str: ...
    @property
    def env(self) -> str: ...
    @property
    def env_type(self) -> str: ...
    @property
    def parent(self) -> Optional[str]: ...
    @property
    def at(self) -> str: ...
    @property
    def principal(self) -> Optional[str]: ...
    @property
    def operation(self) -> Dict[str, str]: ...
    @property
    def workloads(self) -> List[Dict[str, Any]]: ...
    @property
    def options(self) -> Dict[str, Any]: ...
    @property
    def platform(self) -> Dict[str, Any]: ...
    @property
    def manifests(self) -> List[Dict[str, Any]]: ...
    @property
    def order(self) -> List[str]: ...
    @property
    def resources(self) -> List[Dict[str, str]]: ...
    @property
    def warnings(self) -> List[str]: ...
    def to_dict(self) -> Dict[str, Any]: ...
    def to_json(self) -> str: ...

@final
class HistoryEntry:
    """One entry of a history: the record, or the error that says why it is unreadable."""

    @property
    def id(self) -> str: ...
    @property
    def record(self) -> Optional[Deployment]: ...
    @property
    def error(self) -> Optional[Error]: ...
    @property
    def failed(self) -> bool: ...

@final
class History:
    """The history of an environment, oldest first."""

    @property
    def entries(self) -> List[HistoryEntry]: ...
    @property
    def ids(self) -> List[str]: ...
    @property
    def head(self) -> Optional[Deployment]: ...
    @property
    def current(self) -> Optional[Deployment]: ...
    def __len__(self) -> int: ...
    def __iter__(self) -> Iterator[HistoryEntry]: ...

@final
class Change:
    """One changed value: a JSON pointer, before and after (None when secret)."""

    @property
    def pointer(self) -> str: ...
    @property
    def before(self) -> Any: ...
    @property
    def after(self) -> Any: ...
    @property
    def secret(self) -> bool: ...

@final
class ObjectDiff:
    """A Kubernetes object added, removed or changed."""

    @property
    def api_version(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def namespace(self) -> Optional[str]: ...
    @property
    def name(self) -> str: ...
    @property
    def change(self) -> str: ...
    @property
    def changes(self) -> List[Change]: ...

@final
class WorkloadDiff:
    """A workload added, removed or changed."""

    @property
    def workload(self) -> str: ...
    @property
    def change(self) -> str: ...
    @property
    def changes(self) -> List[Change]: ...

@final
class DocumentChange:
    """A platform document added, removed or changed."""

    @property
    def document(self) -> str: ...
    @property
    def change(self) -> str: ...

@final
class InputChanges:
    """What changed in the inputs of two records."""

    @property
    def context(self) -> List[Change]: ...
    @property
    def workloads(self) -> List[WorkloadDiff]: ...
    @property
    def platform(self) -> List[DocumentChange]: ...

@final
class Diff:
    """The diff of two records; ``str()`` is the text ``goldpath diff`` prints."""

    @property
    def from_(self) -> str: ...
    @property
    def to(self) -> str: ...
    @property
    def inputs(self) -> InputChanges: ...
    @property
    def objects(self) -> List[ObjectDiff]: ...
    def is_empty(self) -> bool: ...
    def to_dict(self) -> Dict[str, Any]: ...
    def to_json(self) -> str: ...
    def __bool__(self) -> bool: ...

@final
class Rollback:
    """What a rollback did: the new record and what the platform changed since."""

    @property
    def record(self) -> Deployment: ...
    @property
    def platform_changes(self) -> List[DocumentChange]: ...
    @property
    def manifest_changes(self) -> List[ObjectDiff]: ...
    @property
    def platform_changed(self) -> bool: ...

def diff(a: Deployment, b: Deployment) -> Diff:
    """The diff of two records: inputs first, then manifests."""

def _check_panic_guard() -> None:
    """Panics inside the engine guard, to show a Rust panic arrives as goldpath.Error."""
