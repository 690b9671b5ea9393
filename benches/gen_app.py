#!/usr/bin/env python3
"""Writes a synthetic application of N workloads (one Score file each) for render benchmarks.

Usage: gen_app.py N OUT_DIR

Workload i has: a postgres shared by every ten workloads (id db-<i//10>), its own redis, a
route, a `service` link to workload i-1, and an environment variable holding the database
password (a secret reference in the rendered Deployment).
"""
import os
import sys

TEMPLATE = """apiVersion: score.dev/v1b1
metadata:
  name: svc-{i}
containers:
  main:
    image: registry.example.com/app/svc-{i}:1.0.{i}
    variables:
      DB_HOST: ${{resources.db.host}}
      DB_NAME: ${{resources.db.name}}
      DB_USER: ${{resources.db.username}}
      DB_PASSWORD: ${{resources.db.password}}
      CACHE: ${{resources.cache.host}}:${{resources.cache.port}}
{link_var}    resources:
      requests: {{cpu: 100m, memory: 128Mi}}
      limits: {{memory: 256Mi}}
    readinessProbe:
      httpGet: {{path: /ready, port: 8080}}
service:
  ports:
    http: {{port: 80, targetPort: 8080}}
resources:
  db:
    type: postgres
    id: db-{shard}
  cache:
    type: redis
  web:
    type: route
    params: {{host: svc-{i}.example.com, path: /, port: http}}
{link}"""


def main() -> None:
    count, out = int(sys.argv[1]), sys.argv[2]
    os.makedirs(out, exist_ok=True)
    for i in range(count):
        link = link_var = ""
        if i > 0:
            link = f"  prev:\n    type: service\n    params: {{workload: svc-{i - 1}, port: http}}\n"
            link_var = "      PREVIOUS: http://${resources.prev.host}:${resources.prev.port}\n"
        text = TEMPLATE.format(i=i, shard=i // 10, link=link, link_var=link_var)
        with open(os.path.join(out, f"svc-{i:05d}.score.yaml"), "w", encoding="utf-8") as f:
            f.write(text)


if __name__ == "__main__":
    main()
