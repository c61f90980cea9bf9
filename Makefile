# IOP administration system — developer entry points. `make` alone lists them.
# Every target works from a fresh clone on Debian 12: scripts/deps.sh installs what is missing.

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
export PATH := /usr/local/go/bin:$(PATH)

.DEFAULT_GOAL := help

.PHONY: help run test generate check-generated lint audit bench build db-start db-stop db-status \
	db-reset migrate-new clean distclean

help: ## List the targets
	@echo "Usage: make <target>"
	@echo
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | \
		awk 'BEGIN {FS = ":.*## "}; {printf "  %-16s %s\n", $$1, $$2}'

run: ## Install deps, start local PostgreSQL, migrate, load demo data and serve (DATABASE_URL set: use it)
	@scripts/run.sh

test: ## Everything CI runs: deps, gofmt/vet, generated-code check, all tests (TESTFLAGS=..., PKG=...)
	@scripts/test.sh

generate: ## Regenerate templ code (*_templ.go)
	go tool templ generate

check-generated: ## Fail if the committed *_templ.go files are not what templ generates
	@scripts/check-generated.sh

lint: ## gofmt (excluding *_templ.go) and go vet
	@scripts/lint.sh

audit: ## govulncheck against the Go vulnerability database (must be reachable; see README)
	@scripts/audit.sh

bench: ## Run the benchmarks against the local PostgreSQL cluster
	@scripts/deps.sh run
	@scripts/with-db.sh go test -v -run '^$$' -bench . -benchmem $${PKG:-./...}

build: ## Build bin/iop (vendors htmx first)
	@scripts/deps.sh assets
	go build -o bin/iop ./cmd/iop

db-start: ## Start the local PostgreSQL cluster under .data/ (idempotent)
	@scripts/db.sh start

db-stop: ## Stop the local PostgreSQL cluster
	@scripts/db.sh stop

db-status: ## Show whether the local PostgreSQL cluster is running
	@scripts/db.sh status

db-reset: ## Drop and recreate the local database iop (the cluster must be running)
	@scripts/db.sh reset

migrate-new: ## Create the next migrations/NNNNNN_<name>.{up,down}.sql (name=snake_case)
	@scripts/migrate-new.sh "$(name)"

clean: ## Remove build output (bin/) and coverage files
	rm -rf bin/ coverage.out coverage.html *.coverprofile

distclean: clean ## Also stop and delete the local cluster, node_modules and vendored assets
	@scripts/db.sh stop
	rm -rf .data/ node_modules/ web/static/vendor/
