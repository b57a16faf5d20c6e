#!/usr/bin/env bash
# Installs what the test suites need on a fresh machine; does nothing for what is already there.
set -euo pipefail
echo "test dependencies: nothing to install yet"
