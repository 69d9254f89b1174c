# sse-timeline: build, run, test, install.
#   make run      build and run the daemon in the foreground on the embedded default timeline
#   make test     install what is missing, build, and run every test
# See README.md for the rest.

SWIFT        ?= swift
PREFIX       ?= /usr/local
DESTDIR      ?=
BINDIR       ?= $(PREFIX)/bin
DATADIR      ?= $(PREFIX)/share
MANDIR       ?= $(DATADIR)/man
DOCDIR       ?= $(DATADIR)/doc/sse-timeline
UNITDIR      ?= $(PREFIX)/lib/systemd/system
CATALOGDIR   ?= $(PREFIX)/lib/systemd/catalog
SYSCONFDIR   ?= /etc
RELEASE_DIR  := .build-release
RELEASE_BIN  := $(RELEASE_DIR)/release/sse-timeline
DEBUG_BIN    := .build/debug/sse-timeline

.PHONY: all deps build release run test unit-test e2e bench fuzz install uninstall clean

all: build

# Installs the system packages the build needs, when they are missing (Debian/Ubuntu, as root).
deps:
	@if ! pkg-config --exists libsystemd 2>/dev/null; then \
		echo "installing libsystemd-dev and pkg-config"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq libsystemd-dev pkg-config >/dev/null; \
	fi

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --static-swift-stdlib --scratch-path $(RELEASE_DIR)

run: build
	mkdir -p .build/state
	$(DEBUG_BIN) run --default-timeline --state-dir .build/state

unit-test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

# The unit tests always; the end-to-end test under a real systemd when running as root (CI does).
test: unit-test
	@if [ "$$(id -u)" = 0 ] && [ -f tests/e2e/run.sh ]; then $(MAKE) e2e; else echo "e2e: skipped (needs root)"; fi

e2e: release
	bash tests/e2e/run.sh

bench: release
	bash bench/run.sh

clean:
	rm -rf .build $(RELEASE_DIR)
