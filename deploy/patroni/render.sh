#!/usr/bin/env bash
# Writes the cluster's configuration into DIR from the templates next to this script:
# DIR/etcd.yml, DIR/node1.yml, DIR/node2.yml, DIR/haproxy.cfg (deploy/patroni/README.md).
# Every ${NAME} of the templates comes from the environment or the default below; a template
# naming anything else stops it. Values must not contain '|', '&' or '\'.
set -euo pipefail
if [ $# -ne 1 ]; then
  echo "usage: $0 DIR   (ports, passwords and paths from the environment: see the defaults in $0)" >&2
  exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$1"
out=$(cd "$1" && pwd)

: "${CLUSTER_DIR:=$out}"
: "${PG_BIN:=/usr/lib/postgresql/15/bin}"
: "${ETCD_PORT:=2379}"
: "${ETCD_PEER_PORT:=2380}"
: "${NODE1_PG_PORT:=5433}"
: "${NODE1_REST_PORT:=8009}"
: "${NODE2_PG_PORT:=5434}"
: "${NODE2_REST_PORT:=8010}"
: "${HAPROXY_PORT:=5000}"
: "${HAPROXY_REPLICA_PORT:=5001}"
: "${HAPROXY_STATS_PORT:=7000}"
: "${PATRONI_TTL:=10}"
: "${PATRONI_LOOP_WAIT:=1}"
: "${PATRONI_RETRY_TIMEOUT:=5}"
if [ -z "${SUPERUSER_PASSWORD:-}" ] || [ -z "${REPLICATION_PASSWORD:-}" ]; then
  echo "set SUPERUSER_PASSWORD and REPLICATION_PASSWORD (the postgres and replicator roles' passwords)" >&2
  exit 2
fi

render() { # template, output, then NAME=value pairs for this file only
  local template=$1 output=$2 script=() name value
  shift 2
  for name in CLUSTER_DIR PG_BIN ETCD_PORT ETCD_PEER_PORT NODE1_PG_PORT NODE1_REST_PORT NODE2_PG_PORT \
    NODE2_REST_PORT HAPROXY_PORT HAPROXY_REPLICA_PORT HAPROXY_STATS_PORT PATRONI_TTL PATRONI_LOOP_WAIT \
    PATRONI_RETRY_TIMEOUT SUPERUSER_PASSWORD REPLICATION_PASSWORD; do
    script+=(-e "s|\\\${$name}|${!name}|g")
  done
  for pair in "$@"; do
    name=${pair%%=*} value=${pair#*=}
    script+=(-e "s|\\\${$name}|$value|g")
  done
  sed "${script[@]}" "$here/$template" >"$output"
  if grep -n '\${' "$output" >&2; then
    echo "$template: a placeholder above has no value" >&2
    exit 1
  fi
}

render etcd.yml "$out/etcd.yml"
render patroni.yml "$out/node1.yml" NODE_NAME=node1 PG_PORT="$NODE1_PG_PORT" REST_PORT="$NODE1_REST_PORT"
render patroni.yml "$out/node2.yml" NODE_NAME=node2 PG_PORT="$NODE2_PG_PORT" REST_PORT="$NODE2_REST_PORT"
render haproxy.cfg "$out/haproxy.cfg"
# The node files hold passwords: readable by their owner only.
chmod 600 "$out/node1.yml" "$out/node2.yml"
mkdir -p "$out/node1" "$out/node2"
chmod 700 "$out" "$out/node1" "$out/node2"
echo "wrote $out/etcd.yml, node1.yml, node2.yml, haproxy.cfg"
