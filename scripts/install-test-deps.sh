#!/usr/bin/env bash
# Installs what the test suites need on a fresh Debian/Ubuntu machine; does nothing for what is already there.
#   Celery conformance tests: Debian's Celery (with the Redis and AMQP transports), a Redis server and client,
#   and a RabbitMQ server. The tests start the servers themselves on loopback, so the services the packages
#   register are stopped again and not left enabled where a service manager runs.
#   Client-library tests: @kubernetes/client-node with the Node.js 22 it needs, both from npm into .tools/client-node
#   (ignored by git); without npm those tests skip and say so.
#   Metrics tests: Prometheus and promtool (rule unit tests, exposition checks, dashboard queries against a real
#   server the tests start on loopback) and the Python Prometheus client's strict OpenMetrics parser.
# Quiet on success; prints apt's output only when it fails. Uses sudo only when not root.
set -euo pipefail

install_client_node() {
  local root target log
  root=$(cd "$(dirname "$0")/.." && pwd)
  target="$root/.tools/client-node"
  if [[ -x $target/node_modules/.bin/node && -d $target/node_modules/@kubernetes/client-node ]]; then
    return
  fi
  if ! command -v npm >/dev/null 2>&1; then
    echo "test dependencies: npm not found; client-node tests will skip" >&2
    return
  fi
  mkdir -p "$target"
  log=$(mktemp)
  if ! (cd "$target" && npm install --no-audit --no-fund --silent @kubernetes/client-node@2.0.1 node@22) >"$log" 2>&1; then
    cat "$log" >&2
    echo "test dependencies: npm install of @kubernetes/client-node failed; client-node tests will skip" >&2
  fi
  rm -f "$log"
}
install_client_node

packages=(python3-celery python3-redis python3-kombu python3-amqp redis-server redis-tools rabbitmq-server
  prometheus python3-prometheus-client)

if ! command -v apt-get >/dev/null 2>&1; then
  echo "test dependencies: apt-get not found; install ${packages[*]} by hand (Celery conformance tests skip without them)" >&2
  exit 0
fi

as_root=()
if [[ $(id -u) -ne 0 ]]; then
  as_root=(sudo -n)
fi

installed() {
  [[ $(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null) == installed ]]
}

missing=()
for package in "${packages[@]}"; do
  installed "$package" || missing+=("$package")
done

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "test dependencies: all installed"
  exit 0
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
run_quietly() {
  if ! "$@" >"$log" 2>&1; then
    cat "$log" >&2
    echo "test dependencies: '$*' failed" >&2
    exit 1
  fi
}

export DEBIAN_FRONTEND=noninteractive
# Package maintainer scripts must not start the servers: the tests run their own instances on free ports.
policy=/usr/sbin/policy-rc.d
created_policy=0
if [[ ! -e $policy ]]; then
  run_quietly "${as_root[@]}" sh -c "printf '#!/bin/sh\nexit 101\n' > $policy && chmod +x $policy"
  created_policy=1
fi
cleanup() {
  rm -f "$log"
  if [[ $created_policy -eq 1 ]]; then
    "${as_root[@]}" rm -f "$policy"
  fi
}
trap cleanup EXIT

run_quietly "${as_root[@]}" apt-get update -q
run_quietly "${as_root[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
echo "test dependencies: installed ${missing[*]}"
