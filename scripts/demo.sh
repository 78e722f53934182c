#!/usr/bin/env bash
# From nothing to a knowledge graph of examples/: build the store, run a query, write the HTML.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/kg build examples/ --store kg-store
.venv/bin/kg query ontology/queries/who-made-what.rq --store kg-store
.venv/bin/kg query ontology/queries/box-office.rq --store kg-store
.venv/bin/kg viz --store kg-store -o graph.html
echo "open graph.html in a browser (it works offline)"
