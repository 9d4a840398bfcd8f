#!/usr/bin/env bash
# Installs what is missing, builds the release and runs marktchat on
# http://127.0.0.1:3000 with an embedded SQLite database in ./data/ (created and
# migrated on first start). Extra arguments go to `marktchat serve`.
source "$(dirname "$0")/lib.sh"

ensure_build_tools
build_release
mkdir -p data
step "Starting marktchat on http://${MARKTCHAT_ADDR:-127.0.0.1:3000} (Ctrl-C stops it)"
exec target/release/marktchat serve --site-root target/site "$@"
