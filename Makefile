# Interlink build entry points. `make test` and `make demo` work on a fresh Debian
# machine with the Swift toolchain: they install missing system packages first.

SWIFT        ?= swift
PREFIX       ?= /usr/local
APT_PACKAGES := libcurl4-openssl-dev libsqlite3-dev python3
# Warnings are errors everywhere we build, so none can creep in.
STRICT       := -Xswiftc -warnings-as-errors

.PHONY: deps build debug test clean

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

clean:
	rm -rf .build demo-run
