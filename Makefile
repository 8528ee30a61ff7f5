# Interlink build entry points. `make test` and `make demo` work on a fresh Debian
# machine with the Swift toolchain: they install missing system packages first.

SWIFT        ?= swift
PREFIX       ?= /usr/local
APT_PACKAGES := libcurl4-openssl-dev libsqlite3-dev libssl-dev python3 prometheus
# Warnings are errors everywhere we build, so none can creep in.
STRICT       := -Xswiftc -warnings-as-errors

.PHONY: deps build debug test demo bench-tools clean

# The demo's simulated world: the fixtures plus generated dossiers, with some faults so
# retries show, and land decisions that take a moment, as they do.
DEMO_DOSSIERS ?= 300
DEMO_SIM_FLAGS := --register-port 28080 --civil-registry-port 28081 --land-port 28082 --insurance-port 28083 \
	--dossiers $(DEMO_DOSSIERS) --seed 2025 \
	--fault insurance.error5xxRate=0.05 --fault civil-registry.resetRate=0.02 \
	--fault land.malformedJsonRate=0.03 --fault land.decisionDelayMs=1500 --fault insurance.decisionDelayMs=300

## deps: install missing Debian packages (as root), or print the command to do it.
deps:
	@missing=""; \
	for package in $(APT_PACKAGES); do \
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

## test: every unit and end-to-end test
test: deps
	$(SWIFT) build --build-tests $(STRICT)
	$(SWIFT) test --skip-build

## demo: the daemon's main job against the simulated register and agencies, then a summary
demo: debug
	@rm -rf demo-run && mkdir -p demo-run
	@.build/debug/interlink-sim $(DEMO_SIM_FLAGS) > demo-run/sim.json 2> demo-run/sim.log & echo $$! > demo-run/sim.pid
	@for i in $$(seq 1 100); do [ -s demo-run/sim.json ] && break; sleep 0.1; done; \
	if [ ! -s demo-run/sim.json ]; then echo "interlink-sim did not start; see demo-run/sim.log"; kill $$(cat demo-run/sim.pid); exit 1; fi
	@echo "simulated register and agencies: $$(cat demo-run/sim.json)"
	@echo "running: interlinkd --config Config/demo.json --until-idle (log: demo-run/interlinkd.log)"
	@status=0; .build/debug/interlinkd --config Config/demo.json --until-idle 2> demo-run/interlinkd.log || status=$$?; \
	kill $$(cat demo-run/sim.pid) 2>/dev/null; wait 2>/dev/null; \
	if [ $$status -ne 0 ]; then echo "interlinkd exited with $$status; see demo-run/interlinkd.log"; exit $$status; fi
	@echo "stopped the simulators; the journal stays in demo-run/journal.sqlite"

clean:
	rm -rf .build demo-run

## bench-tools: interlinkctl timings on a 1,000,000-event journal (release build)
bench-tools: deps
	$(SWIFT) build -c release $(STRICT)
	.build/release/interlink-bench tools --events $${EVENTS:-1000000}
