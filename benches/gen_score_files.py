#!/usr/bin/env python3
"""Writes N generated Score workloads (one file each) into a folder, for load benchmarks.

Usage: gen_score_files.py N OUT_DIR

Each workload has two containers, variables with placeholders, a file, probes, resources,
a service with two ports and three resources, so that every stage of `goldpath validate`
(YAML, schema, semantic rules, placeholders) does real work.
"""
import os
import sys

TEMPLATE = """apiVersion: score.dev/v1b1
metadata:
  name: svc-{i}
  team: team-{team}
  annotations:
    example.com/owner: team-{team}
containers:
  main:
    image: registry.example.com/shop/svc-{i}:1.{i}.0
    command: ["/bin/server"]
    args: ["--port", "8080"]
    variables:
      DB_HOST: ${{resources.db.host}}
      DB_URL: postgres://${{resources.db.username}}@${{resources.db.host}}:${{resources.db.port}}/${{resources.db.name}}
      CACHE: ${{resources.cache.host}}:${{resources.cache.port}}
      TEAM: ${{metadata.team}}
      LOG_LEVEL: info
    files:
      /etc/svc/config.yaml:
        content: |
          name: ${{metadata.name}}
          peers: {peers}
        mode: "0644"
    resources:
      requests: {{cpu: 100m, memory: 128Mi}}
      limits: {{cpu: "1", memory: 256Mi}}
    livenessProbe:
      httpGet: {{path: /healthz, port: 8080}}
    readinessProbe:
      httpGet: {{path: /ready, port: 8080}}
  sidecar:
    image: registry.example.com/proxy:2.1
    variables:
      UPSTREAM: localhost:8080
service:
  ports:
    http: {{port: 80, targetPort: 8080}}
    metrics: {{port: 9090}}
resources:
  db:
    type: postgres
    id: db-{shard}
  cache:
    type: redis
  dns:
    type: dns
"""


def main() -> None:
    count, out = int(sys.argv[1]), sys.argv[2]
    os.makedirs(out, exist_ok=True)
    for i in range(count):
        text = TEMPLATE.format(i=i, team=i % 7, shard=i // 10, peers=max(i - 1, 0))
        with open(os.path.join(out, f"svc-{i:05d}.score.yaml"), "w", encoding="utf-8") as f:
            f.write(text)


if __name__ == "__main__":
    main()
