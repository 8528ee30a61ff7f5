# Interlink build entry points. `make test` and `make demo` work on a fresh Debian
# machine with the Swift toolchain: they install missing system packages first.

SWIFT        ?= swift
PREFIX       ?= /usr/local
# What building needs, and what only the tests and reliability runs need (a PostgreSQL
# server, Prometheus, stunnel, man): `make build` and `make install` never install the second.
BUILD_PACKAGES := libcurl4-openssl-dev libsqlite3-dev libssl-dev libpq-dev
TEST_PACKAGES  := postgresql python3 python3-venv prometheus systemd man-db groff-base stunnel4 openssl lintian debootstrap systemd-container zsh
# Warnings are errors everywhere we build, so none can creep in.
STRICT       := -Xswiftc -warnings-as-errors

.PHONY: deps test-deps apt-missing deb systemd-test build debug test demo bench bench-tools reliability fuzz install install-files uninstall clean

# The demo's simulated world: the fixtures plus generated dossiers, with some faults so
# retries show, and land decisions that take a moment, as they do.
DEMO_DOSSIERS ?= 300
# DIALECT=portal runs the same demo with the simulator speaking the national portal's
# conventions, onboarded by Config/dialect-example.json alone.
DIALECT      ?= contract
DEMO_CONFIG  := $(if $(filter portal,$(DIALECT)),Config/dialect-example.json,Config/demo.json)
DEMO_SIM_FLAGS := --dialect $(DIALECT) --register-port 28080 --civil-registry-port 28081 --land-port 28082 --insurance-port 28083 \
	--dossiers $(DEMO_DOSSIERS) --seed 2025 \
	--fault insurance.error5xxRate=0.05 --fault civil-registry.resetRate=0.02 \
	--fault land.malformedJsonRate=0.03 --fault land.decisionDelayMs=1500 --fault insurance.decisionDelayMs=300

## deps: install the missing build packages (as root), or print the command to do it; test-deps: the same for the tests
deps:
	@$(MAKE) --no-print-directory apt-missing PACKAGES="$(BUILD_PACKAGES)"

# One look and one `apt-get update` for both lists, as CI wants.
test-deps:
	@$(MAKE) --no-print-directory apt-missing PACKAGES="$(BUILD_PACKAGES) $(TEST_PACKAGES)"

apt-missing:
	@missing=""; \
	for package in $(PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$package"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing:$$missing"; \
	    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $$missing; \
	  else \
	    echo "missing system packages:$$missing"; \
	    echo "run: sudo apt-get install -y$$missing"; \
	    exit 1; \
	  fi; \
	fi

## build: release binaries in .build/release
build: deps
	$(SWIFT) build -c release $(STRICT)

debug: deps
	$(SWIFT) build $(STRICT)

## test: every unit and end-to-end test, beside a throwaway PostgreSQL cluster (.ci/postgres-cluster)
test: test-deps
	$(SWIFT) build --build-tests $(STRICT)
	.ci/postgres-cluster run -- $(SWIFT) test --skip-build

## demo: the daemon's main job against the simulated register and agencies, then a summary (DIALECT=portal: the portal's dialect)
demo: debug
	@rm -rf demo-run && mkdir -p demo-run
	@.build/debug/interlink-sim $(DEMO_SIM_FLAGS) > demo-run/sim.json 2> demo-run/sim.log & echo $$! > demo-run/sim.pid
	@for i in $$(seq 1 100); do [ -s demo-run/sim.json ] && break; sleep 0.1; done; \
	if [ ! -s demo-run/sim.json ]; then echo "interlink-sim did not start; see demo-run/sim.log"; kill $$(cat demo-run/sim.pid); exit 1; fi
	@echo "simulated register and agencies: $$(cat demo-run/sim.json)"
	@echo "running: interlinkd --config $(DEMO_CONFIG) --until-idle (log: demo-run/interlinkd.log)"
	@status=0; .build/debug/interlinkd --config $(DEMO_CONFIG) --until-idle 2> demo-run/interlinkd.log || status=$$?; \
	kill $$(cat demo-run/sim.pid) 2>/dev/null; wait 2>/dev/null; \
	if [ $$status -ne 0 ]; then echo "interlinkd exited with $$status; see demo-run/interlinkd.log"; exit $$status; fi
	@echo "stopped the simulators; the journal stays in demo-run/journal.sqlite"

## install: release binaries, the systemd unit, the example config (if none), manual pages
BINDIR     = $(PREFIX)/bin
UNITDIR    = $(PREFIX)/lib/systemd/system
TMPFILESDIR = $(PREFIX)/lib/tmpfiles.d
MANDIR     = $(PREFIX)/share/man/man8
SYSCONFDIR ?= /etc
# Where the binaries to install were built; `make install` builds them first.
BUILT      ?= .build/release

## deb: interlink_<version>_amd64.deb (release build, Swift runtime linked in statically), checked by lintian
deb: deps
	@dpkg-query -W -f='$${Status}' lintian 2>/dev/null | grep -q 'install ok installed' || $(MAKE) --no-print-directory apt-missing PACKAGES=lintian
	bash .ci/make-deb

## systemd-test: the .deb under a real systemd as PID 1 (systemd-nspawn on a cached debootstrap bookworm root)
systemd-test: deb
	bash .ci/systemd-test

## install: the release binaries, built as the invoking user (under sudo, as $SUDO_USER), then installed as root
install:
	@if [ ! -x $(BUILT)/interlinkd ]; then \
	  if [ "$$(id -u)" = 0 ] && [ -n "$$SUDO_USER" ]; then sudo -u "$$SUDO_USER" $(MAKE) build; else $(MAKE) build; fi; \
	fi
	@$(MAKE) --no-print-directory install-files

install-files:
	@test -x $(BUILT)/interlinkd || { echo "no binaries in $(BUILT); run 'make build' first"; exit 1; }
	install -D -m 0755 $(BUILT)/interlinkd $(DESTDIR)$(BINDIR)/interlinkd
	install -D -m 0755 $(BUILT)/interlinkctl $(DESTDIR)$(BINDIR)/interlinkctl
	install -d -m 0755 $(DESTDIR)$(UNITDIR)
	sed 's|^ExecStart=/usr/local/bin/|ExecStart=$(BINDIR)/|' systemd/interlinkd.service > $(DESTDIR)$(UNITDIR)/interlinkd.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/interlinkd.service
	install -D -m 0644 systemd/interlink.tmpfiles.conf $(DESTDIR)$(TMPFILESDIR)/interlink.conf
	install -D -m 0644 systemd/interlinkd.8 $(DESTDIR)$(MANDIR)/interlinkd.8
	install -D -m 0644 systemd/interlinkctl.8 $(DESTDIR)$(MANDIR)/interlinkctl.8
	install -D -m 0644 systemd/interlink.catalog $(DESTDIR)$(PREFIX)/lib/systemd/catalog/interlink.catalog
	install -d -m 0755 $(DESTDIR)$(PREFIX)/share/interlink/monitoring
	install -m 0644 Config/monitoring/interlink-alerts.yml Config/monitoring/interlink-alerts.test.yml Config/monitoring/interlink-dashboard.json \
	  Config/monitoring/README.md $(DESTDIR)$(PREFIX)/share/interlink/monitoring/
	install -m 0644 Config/calendar-vn.json Config/calendar-vn.md $(DESTDIR)$(PREFIX)/share/interlink/
	install -d -m 0700 $(DESTDIR)$(SYSCONFDIR)/interlink/credentials
	@if [ -e $(DESTDIR)$(SYSCONFDIR)/interlink/interlink.json ]; then \
	  echo "kept the existing $(DESTDIR)$(SYSCONFDIR)/interlink/interlink.json"; \
	else \
	  install -m 0644 Config/interlink.example.json $(DESTDIR)$(SYSCONFDIR)/interlink/interlink.json; \
	fi

## uninstall: removes what install added; the config, credentials and journal stay
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/interlinkd $(DESTDIR)$(BINDIR)/interlinkctl
	rm -f $(DESTDIR)$(UNITDIR)/interlinkd.service $(DESTDIR)$(TMPFILESDIR)/interlink.conf
	rm -f $(DESTDIR)$(MANDIR)/interlinkd.8 $(DESTDIR)$(MANDIR)/interlinkctl.8
	rm -f $(DESTDIR)$(PREFIX)/lib/systemd/catalog/interlink.catalog
	rm -rf $(DESTDIR)$(PREFIX)/share/interlink
	@echo "kept $(DESTDIR)$(SYSCONFDIR)/interlink (config, credentials) and /var/lib/interlink (journal); remove them by hand to purge"

clean:
	rm -rf .build demo-run

## bench: the daemon end to end vs the raw HTTP client; VARIANT=throughput (default, N=10000),
## latency (LATENCY_MS=50), raw (only the HTTP client against the simulator, each side's CPU per request), backlog (N=100000, RSS at 10k and N), tools (EVENTS=1000000),
## postgres (1, 2 and 3 daemons on one PostgreSQL, N=3000: without latency vs SQLite, then with LATENCY_MS vs Little's bound),
## masking (parsing, personal values and masking per dossier, N=10000, no journal or network),
## years (10,000 new dossiers on an empty journal and on one of N=1000000 past ones; the tools and purge on it)
## or years-postgres (the same on a throwaway PostgreSQL)
## Benchmarks measure the binaries the .deb ships: release, the Swift runtime linked in statically
## (half the start-up time of interlinkctl, and no shared runtime libraries resident in the daemon).
VARIANT    ?= throughput
LATENCY_MS ?= 50
BENCH_BUILD := .build-deb
BENCH      := $(BENCH_BUILD)/release/interlink-bench
bench: test-deps
	for product in interlinkd interlinkctl interlink-sim interlink-bench; do \
	  $(SWIFT) build -c release --static-swift-stdlib --scratch-path $(BENCH_BUILD) $(STRICT) --product $$product || exit 1; \
	done
	@case "$(VARIANT)" in \
	  throughput) $(BENCH) sync --dossiers $${N:-10000} ;; \
	  latency) $(BENCH) sync --dossiers $${N:-10000} --latency-ms $(LATENCY_MS) ;; \
	  raw) $(BENCH) raw --dossiers $${N:-10000} ;; \
	  backlog) $(BENCH) backlog --dossiers $${N:-100000} ;; \
	  tools) $(BENCH) tools --events $${EVENTS:-1000000} ;; \
	  masking) $(BENCH) masking --dossiers $${N:-10000} ;; \
	  postgres) .ci/postgres-cluster run -- $(BENCH) nodes --dossiers $${N:-3000} && \
	    .ci/postgres-cluster run -- $(BENCH) nodes --dossiers $${N:-3000} --latency-ms $(LATENCY_MS) ;; \
	  years) $(BENCH) years --dossiers $${N:-1000000} ;; \
	  years-postgres) .ci/postgres-cluster run -- $(BENCH) years --postgres --dossiers $${N:-1000000} ;; \
	  *) echo "unknown VARIANT=$(VARIANT): use throughput, latency, raw, backlog, tools, masking, postgres, years or years-postgres"; exit 64 ;; \
	esac

## reliability: every scenario of RELIABILITY.md (the multi-node ones beside a throwaway PostgreSQL), then schemathesis
## against the simulator's OpenAPI documents; exits non-zero when a guarantee breaks
reliability: test-deps
	$(SWIFT) build -c release $(STRICT)
	.ci/postgres-cluster run -- .build/release/interlink-bench reliability $(RELIABILITY_FLAGS)
	bash .ci/schemathesis
	$(MAKE) --no-print-directory systemd-test

## bench-tools: the same as make bench VARIANT=tools
bench-tools:
	$(MAKE) bench VARIANT=tools

## fuzz: libFuzzer on the HTTP request parser, the config reader, payload templates, time filters, secret files and the masker, each for
## FUZZ_RUNS runs or FUZZ_SECONDS, whichever ends first; crashes land in fuzz-findings/
FUZZ_RUNS    ?= 1000000
FUZZ_SECONDS ?= 600
FUZZ_TARGETS := http-request config template time-filter secret masker
fuzz: deps
	$(SWIFT) build -c release --scratch-path .build-fuzz --product interlink-fuzz -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING
	@mkdir -p fuzz-findings
	@status=0; for target in $(FUZZ_TARGETS); do \
	  mkdir -p .build-fuzz/corpus/$$target; \
	  echo "== $$target: up to $(FUZZ_RUNS) runs or $(FUZZ_SECONDS) s"; \
	  INTERLINK_FUZZ_TARGET=$$target .build-fuzz/release/interlink-fuzz -runs=$(FUZZ_RUNS) -max_total_time=$(FUZZ_SECONDS) \
	    -max_len=65536 -timeout=10 -print_final_stats=1 -artifact_prefix=fuzz-findings/$$target- \
	    .build-fuzz/corpus/$$target Fixtures/fuzz/$$target 2>&1 | grep -E '^(#[0-9]+ +DONE|Done|stat::number_of_executed_units|stat::average_exec_per_sec|==[0-9]+==ERROR|SUMMARY|artifact_prefix|Test unit written)' \
	    || true; \
	  if ls fuzz-findings/$$target-* >/dev/null 2>&1; then status=1; echo "   findings: $$(ls fuzz-findings/$$target-*)"; fi; \
	done; \
	if [ $$status -ne 0 ]; then echo "fuzz: crashes found; add each to Fixtures/fuzz/<target>/ once fixed"; fi; exit $$status
