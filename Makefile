# Every target is one go command that also works without make.
GO      ?= go
PKGS    := ./...
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X github.com/llmcost/llmcost/pkg/version.Version=$(VERSION)
FUZZTIME ?= 10s

.PHONY: build test test-update vet fuzz bench pricing pricing-check docs clean

build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags "$(LDFLAGS)" -o bin/llmcost ./cmd/llmcost

# vet + every test (fuzz seed corpora included); the README's test command.
test:
	$(GO) vet $(PKGS)
	$(GO) test -count=1 $(PKGS)

# Rewrite golden files after a deliberate output change; review the diff.
test-update:
	$(GO) test -count=1 ./pkg/... -update

# Run each fuzz target for FUZZTIME.
FUZZPKGS := ./pkg/ingest/ ./pkg/ingest/internal/jsonx/ ./pkg/pricing/ ./pkg/tokenize/ ./pkg/compress/ \
	./pkg/simulate/promptcache/ ./pkg/simulate/semcache/ ./pkg/simulate/selfhost/
fuzz:
	@for p in $(FUZZPKGS); do \
		for t in $$($(GO) test -list 'Fuzz.*' $$p | grep ^Fuzz); do \
			echo "fuzz $$p $$t"; $(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 10s $$p || exit 1; \
		done; \
	done

# End-to-end throughput and peak memory of `analyze` on generated logs.
bench:
	./scripts/bench.sh

# Regenerate pricing-data/ from the LiteLLM catalog copies in ../shared.
pricing:
	$(GO) run ./scripts/gen-pricing

# Fail if pricing-data/ is not what the generators make (needs ../shared).
pricing-check:
	$(GO) run ./scripts/gen-pricing -check
	$(GO) run ./scripts/gen-gpu-data -check

# Man pages and the Markdown CLI reference, from the command tree, into
# bin/docs/man and bin/docs/markdown (generated, not committed).
docs:
	$(GO) run ./cmd/gen-docs --dir bin/docs

clean:
	rm -rf bin
