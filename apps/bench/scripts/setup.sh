#!/usr/bin/env bash
# Installs what `pnpm bench` needs beyond node_modules: valgrind (callgrind, callgrind_control)
# from Debian. Safe to run again; does nothing when valgrind is already there.
set -euo pipefail
if command -v valgrind >/dev/null && command -v callgrind_control >/dev/null; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
echo "Installing valgrind from Debian…"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq valgrind
