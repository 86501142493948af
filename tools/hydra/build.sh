#!/usr/bin/env bash
# Builds the Ory Hydra v2.3.0 test peer into the directory given as $1 (default: ./bin).
# Hydra needs cgo SQLite for its in-memory DSN, hence the build tags; the pop replace in
# go.mod copies Hydra's own replace directive, which Go ignores in dependencies.
#   tools/hydra/build.sh /tmp/hydra-bin && export HYDRA_BIN=/tmp/hydra-bin/hydra
set -euo pipefail
cd "$(dirname "$0")"
out="${1:-bin}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
go build -tags sqlite,sqlite_omit_load_extension -o "$out/hydra" github.com/ory/hydra/v2
echo "$out/hydra"
