#!/usr/bin/env python3
"""The comparison for goldpath's Python package: a straightforward pure-Python pipeline doing
the job of `goldpath render` on the synthetic application of gen_app.py.

Usage: python_pipeline.py APP_DIR OUT.yaml

Steps, each the obvious library call: PyYAML loads every Score file, jsonschema validates it
against goldpath's Score schema (validator compiled once), the resource graph is built
(workload -> resource, workload -> linked workload), sorted topologically (Kahn, ties by name),
resources are "provisioned" into outputs and manifests (postgres and redis as
StatefulSet + Service + Secret, routes as Ingress rules, service links as host/port), the
`${...}` placeholders of every variable are substituted (secrets become secretKeyRefs), each
workload becomes a Deployment, a Service and an Ingress per route, and everything is dumped as sorted-key YAML.

It does less than goldpath (no platform matching, limits, name checks, leak checks, YAML 1.1
quoting rules), so it flatters Python: it is the lower bound of a hand-written pipeline.
Needs PyYAML and jsonschema (`pip install pyyaml jsonschema`).
"""

import base64
import hashlib
import heapq
import hmac
import json
import re
import sys
from pathlib import Path
from typing import Any, Dict, List, Tuple

import jsonschema
import yaml

SCHEMA = Path(__file__).resolve().parents[1] / "schemas" / "score-v1b1.schema.json"
PLACEHOLDER = re.compile(r"\$\{([^}]+)\}")
SEED = b"goldpath-python-pipeline-development-seed"
LABELS = "app.kubernetes.io"


def load(app: Path) -> List[Dict[str, Any]]:
    schema = json.loads(SCHEMA.read_text())
    validator = jsonschema.validators.validator_for(schema)(schema)
    workloads = []
    for file in sorted(app.glob("*.yaml")):
        doc = yaml.load(file.read_text(), Loader=yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader)
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
        if errors:
            raise SystemExit(f"{file}: {errors[0].message}")
        workloads.append(doc)
    return workloads


def resource_key(workload: str, name: str, spec: Dict[str, Any]) -> str:
    rid = spec.get("id", f"{workload}.{name}")
    return f"{spec['type']}.{spec.get('class', 'default')}#{rid}"


def graph(workloads: List[Dict[str, Any]]) -> Tuple[Dict[str, Any], List[str]]:
    nodes: Dict[str, Any] = {}
    needs: Dict[str, set] = {}
    for w in workloads:
        name = w["metadata"]["name"]
        nodes[name] = {"workload": w}
        needs.setdefault(name, set())
        for local, spec in w.get("resources", {}).items():
            key = resource_key(name, local, spec)
            node = nodes.setdefault(key, {"type": spec["type"], "params": spec.get("params", {}), "id": key.split("#")[1]})
            needs.setdefault(key, set())
            needs[name].add(key)
            if spec["type"] == "service":
                needs[name].add(spec["params"]["workload"])
                node["target"] = spec["params"]["workload"]
    return nodes, topological(needs)


def topological(needs: Dict[str, set]) -> List[str]:
    waiting = {n: len(d) for n, d in needs.items()}
    dependents: Dict[str, List[str]] = {n: [] for n in needs}
    for n, deps in needs.items():
        for d in deps:
            dependents[d].append(n)
    ready = [n for n, count in waiting.items() if count == 0]
    heapq.heapify(ready)
    order = []
    while ready:
        n = heapq.heappop(ready)
        order.append(n)
        for m in dependents[n]:
            waiting[m] -= 1
            if waiting[m] == 0:
                heapq.heappush(ready, m)
    if len(order) != len(needs):
        raise SystemExit("cycle in the resource graph")
    return order


def guid(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def password(key: str) -> str:
    return base64.b32encode(hmac.new(SEED, key.encode(), hashlib.sha256).digest())[:24].decode().lower()


def server(kind: str, name: str, image: str, port: int, app: str) -> List[Dict[str, Any]]:
    labels = {f"{LABELS}/name": kind, f"{LABELS}/instance": name, f"{LABELS}/managed-by": "goldpath", f"{LABELS}/part-of": app}
    secret = base64.b64encode(password(name).encode()).decode()
    return [
        {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": name, "labels": labels}, "data": {"password": secret}},
        {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": name, "labels": labels}, "spec": {
            "serviceName": name, "replicas": 1, "selector": {"matchLabels": labels},
            "template": {"metadata": {"labels": labels}, "spec": {"containers": [{
                "name": kind, "image": image, "ports": [{"containerPort": port}],
                "env": [{"name": "PASSWORD", "valueFrom": {"secretKeyRef": {"name": name, "key": "password"}}}],
            }]}}}},
        {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name, "labels": labels},
         "spec": {"selector": labels, "ports": [{"port": port, "targetPort": port}]}},
    ]


def provision(key: str, node: Dict[str, Any], app: str) -> Tuple[Dict[str, Any], List[Dict[str, Any]]]:
    kind = node["type"]
    name = f"{kind}-{guid(key)}"
    secret = {"secretKeyRef": {"name": name, "key": "password"}}
    if kind == "postgres":
        outputs = {"host": name, "port": 5432, "name": "app", "username": "app", "password": secret}
        return outputs, server(kind, name, "postgres:17-alpine", 5432, app)
    if kind == "redis":
        return {"host": name, "port": 6379, "password": secret}, server(kind, name, "redis:7-alpine", 6379, app)
    if kind == "route":
        return {"host": node["params"]["host"], "path": node["params"]["path"]}, []
    if kind == "service":
        return {"host": node["target"], "port": 80}, []
    raise SystemExit(f"no definition for `{kind}`")


def substitute(text: str, scope: Dict[str, Any]) -> Any:
    def value(path: str) -> Any:
        node: Any = scope
        for part in path.split("."):
            node = node[part]
        return node

    whole = PLACEHOLDER.fullmatch(text)
    if whole:
        return value(whole.group(1))
    return PLACEHOLDER.sub(lambda m: str(value(m.group(1))), text)


def deployment(w: Dict[str, Any], outputs: Dict[str, Any], app: str) -> List[Dict[str, Any]]:
    name = w["metadata"]["name"]
    scope = {"metadata": w["metadata"], "resources": {
        local: outputs[resource_key(name, local, spec)] for local, spec in w.get("resources", {}).items()}}
    labels = {f"{LABELS}/name": name, f"{LABELS}/instance": f"{name}-{app}", f"{LABELS}/managed-by": "goldpath"}
    containers = []
    for cname, c in sorted(w["containers"].items()):
        env = []
        for var, text in sorted(c.get("variables", {}).items()):
            value = substitute(text, scope)
            if isinstance(value, dict):
                env.append({"name": var, "valueFrom": value})
            else:
                env.append({"name": var, "value": str(value)})
        containers.append({"name": cname, "image": c["image"], "env": env, "resources": c.get("resources", {})})
    objects = [{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name, "labels": labels},
                "spec": {"replicas": 1, "selector": {"matchLabels": labels},
                         "template": {"metadata": {"labels": labels}, "spec": {"containers": containers}}}}]
    ports = w.get("service", {}).get("ports", {})
    if ports:
        objects.append({"apiVersion": "v1", "kind": "Service", "metadata": {"name": name, "labels": labels}, "spec": {
            "selector": labels,
            "ports": [{"name": p, "port": s["port"], "targetPort": s.get("targetPort", s["port"])} for p, s in sorted(ports.items())]}})
    for local, spec in sorted(w.get("resources", {}).items()):
        if spec["type"] == "route":
            route = scope["resources"][local]
            backend = {"service": {"name": name, "port": {"name": spec["params"]["port"]}}}
            rule = {"host": route["host"], "http": {"paths": [{"path": route["path"], "pathType": "Prefix", "backend": backend}]}}
            objects.append({"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
                            "metadata": {"name": f"{name}-{local}", "labels": labels}, "spec": {"rules": [rule]}})
    return objects


def render(app_dir: Path, app: str = "bench") -> str:
    workloads = load(app_dir)
    nodes, order = graph(workloads)
    outputs: Dict[str, Any] = {}
    objects: List[Dict[str, Any]] = []
    for key in order:
        node = nodes[key]
        if "workload" in node:
            continue
        outputs[key], manifests = provision(key, node, app)
        objects.extend(manifests)
    for key in sorted(k for k, n in nodes.items() if "workload" in n):
        objects.extend(deployment(nodes[key]["workload"], outputs, app))
    dumper = yaml.CSafeDumper if hasattr(yaml, "CSafeDumper") else yaml.SafeDumper
    return yaml.dump_all(objects, Dumper=dumper, sort_keys=True, explicit_start=True)


if __name__ == "__main__":
    Path(sys.argv[2]).write_text(render(Path(sys.argv[1])))
