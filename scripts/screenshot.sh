#!/usr/bin/env bash
# Screenshots of the HTML reports, for people to look at and for the README
# gallery: builds llmcost, renders an analyze page and a simulate page
# (synthetic logs from scripts/gen-logs), a check page (the gate fixtures)
# and a breakeven page, and photographs each with headless Chromium, the
# analyze page also in the dark colour scheme.
#
#   scripts/screenshot.sh [<outdir>]     # default: scripts/screenshots
#
# Needs Chromium (Debian: apt-get install -y chromium; CHROMIUM=<binary> to
# use another). pngquant, when installed, shrinks the PNGs. Nothing is
# fetched: the pages are self-contained and Chromium runs with its network
# features off and a fresh profile.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-scripts/screenshots}
chromium=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)}
if [ -z "$chromium" ]; then
	echo "screenshot.sh: no chromium found (apt-get install -y chromium, or set CHROMIUM)" >&2
	exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"

go build -o "$work/llmcost" ./cmd/llmcost
go run ./scripts/gen-logs -format mixed -records 20000 -days 30 -start 2026-03-01 -seed 7 -q -o "$work/logs.jsonl"
"$work/llmcost" analyze --quiet --format html -o "$work/analyze.html" "$work/logs.jsonl"
"$work/llmcost" simulate --quiet --format html -o "$work/simulate.html" "$work/logs.jsonl"
# check exits 3: the fixtures break the gate on purpose.
"$work/llmcost" check --quiet --baseline testdata/gate/baseline.json --current testdata/gate/current-up.json \
	--gate-file testdata/gate/gate.yaml --format html -o "$work/check.html" || [ $? -eq 3 ]
"$work/llmcost" breakeven --quiet --model llama-3.1-70b --provider aws,bedrock --format html -o "$work/breakeven.html"

# shot <page> <png> <height> [chromium flags...]
shot() {
	local page=$1 png=$2 height=$3
	shift 3
	local profile
	profile=$(mktemp -d)
	"$chromium" --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
		--disable-sync --no-first-run --user-data-dir="$profile" --hide-scrollbars "$@" \
		--screenshot="$png" --window-size=1280,"$height" "file://$page" >/dev/null 2>&1
	rm -rf "$profile"
	if command -v pngquant >/dev/null; then
		pngquant --force --skip-if-larger --quality 70-95 --output "$png" -- "$png" || true
	fi
	echo "$png $(wc -c <"$png") bytes"
}
shot "$work/analyze.html" "$out/analyze.png" 2400
shot "$work/analyze.html" "$out/analyze-dark.png" 1400 --force-dark-mode
shot "$work/check.html" "$out/check.png" 1900
shot "$work/breakeven.html" "$out/breakeven.png" 1700
shot "$work/simulate.html" "$out/simulate.png" 2100
