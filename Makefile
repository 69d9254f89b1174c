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
BASHCOMPDIR  ?= $(DATADIR)/bash-completion/completions
# zsh looks in site-functions under /usr/local; Debian's own packages use vendor-completions under /usr.
ifeq ($(PREFIX),/usr)
ZSHCOMPDIR   ?= $(DATADIR)/zsh/vendor-completions
else
ZSHCOMPDIR   ?= $(DATADIR)/zsh/site-functions
endif
FISHCOMPDIR  ?= $(DATADIR)/fish/vendor_completions.d
RELEASE_DIR  := .build-release
RELEASE_BIN  := $(RELEASE_DIR)/release/sse-timeline
DEBUG_BIN    := .build/debug/sse-timeline
# The unit, man page and completions made from the release binary and the templates.
GENERATED    := $(RELEASE_DIR)/generated
DOCS         := $(wildcard README.md docs/*.md)
# Tell the running systemd about new units and catalogs: only for a real install on a systemd-booted machine.
SYSTEMD_RUNNING := [ -z "$(DESTDIR)" ] && [ -d /run/systemd/system ]

.PHONY: all deps build release run test unit-test toml-test e2e bench fuzz install uninstall clean

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
	$(MAKE) toml-test
	$(MAKE) fuzz-replay
	python3 integration/robustness/kill9.py
	$(MAKE) fuzz-smoke
	@if [ "$$(id -u)" = 0 ] && [ -f integration/e2e/run.sh ]; then $(MAKE) e2e; else echo "e2e: skipped (needs root)"; fi

# The TOML 1.0 files of toml-test (Tests/TOMLTests/toml-test) through the decoder, as toml-test runs decoders.
toml-test: deps
	$(SWIFT) build --product TOMLTestDecoder
	python3 scripts/toml-test.py .build/debug/TOMLTestDecoder

# The end-to-end test under a real systemd in a throwaway container (root only); see integration/e2e/run.sh.
e2e: release
	bash integration/e2e/run.sh

# The release binary, the unit, the journal catalog, the man page, shell completions, the docs, and the
# default config (never over an existing one). `make install PREFIX=/usr` for a system install;
# `DESTDIR=` stages the tree elsewhere (packages, the e2e test).
install: release
	scripts/generate-manual.sh $(RELEASE_BIN) $(GENERATED)
	scripts/generate-completions.sh $(RELEASE_BIN) $(GENERATED)
	sed -e 's|@BINDIR@|$(BINDIR)|g' -e 's|@DOCDIR@|$(DOCDIR)|g' systemd/sse-timeline.service.in \
		>$(GENERATED)/sse-timeline.service
	install -d -m 0755 $(DESTDIR)$(BINDIR) $(DESTDIR)$(UNITDIR) $(DESTDIR)$(CATALOGDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR) $(DESTDIR)$(FISHCOMPDIR) $(DESTDIR)$(DOCDIR) \
		$(DESTDIR)$(SYSCONFDIR)/sse-timeline/timeline.d
	install -m 0755 $(RELEASE_BIN) $(DESTDIR)$(BINDIR)/sse-timeline
	install -m 0644 $(GENERATED)/sse-timeline.service $(DESTDIR)$(UNITDIR)/sse-timeline.service
	install -m 0644 systemd/sse-timeline.catalog $(DESTDIR)$(CATALOGDIR)/sse-timeline.catalog
	install -m 0644 $(GENERATED)/sse-timeline.1 $(DESTDIR)$(MANDIR)/man1/sse-timeline.1
	install -m 0644 $(GENERATED)/sse-timeline.bash $(DESTDIR)$(BASHCOMPDIR)/sse-timeline
	install -m 0644 $(GENERATED)/_sse-timeline $(DESTDIR)$(ZSHCOMPDIR)/_sse-timeline
	install -m 0644 $(GENERATED)/sse-timeline.fish $(DESTDIR)$(FISHCOMPDIR)/sse-timeline.fish
	$(if $(DOCS),install -m 0644 $(DOCS) $(DESTDIR)$(DOCDIR)/)
	@if [ -e $(DESTDIR)$(SYSCONFDIR)/sse-timeline/timeline.toml ]; then \
		echo "kept $(DESTDIR)$(SYSCONFDIR)/sse-timeline/timeline.toml"; \
	else \
		echo "install -m 0644 Config/timeline.toml $(DESTDIR)$(SYSCONFDIR)/sse-timeline/timeline.toml"; \
		install -m 0644 Config/timeline.toml $(DESTDIR)$(SYSCONFDIR)/sse-timeline/timeline.toml; \
	fi
	@if $(SYSTEMD_RUNNING); then \
		echo "journalctl --update-catalog && systemctl daemon-reload"; \
		journalctl --update-catalog && systemctl daemon-reload; \
	fi

# Removes what `install` added; the config in $(SYSCONFDIR)/sse-timeline and the state stay.
uninstall:
	@if $(SYSTEMD_RUNNING) && [ -e $(UNITDIR)/sse-timeline.service ]; then \
		echo "systemctl disable --now sse-timeline.service"; \
		systemctl disable --now sse-timeline.service || true; \
	fi
	rm -f $(DESTDIR)$(BINDIR)/sse-timeline $(DESTDIR)$(UNITDIR)/sse-timeline.service \
		$(DESTDIR)$(CATALOGDIR)/sse-timeline.catalog $(DESTDIR)$(MANDIR)/man1/sse-timeline.1 \
		$(DESTDIR)$(BASHCOMPDIR)/sse-timeline $(DESTDIR)$(ZSHCOMPDIR)/_sse-timeline \
		$(DESTDIR)$(FISHCOMPDIR)/sse-timeline.fish
	rm -rf $(DESTDIR)$(DOCDIR)
	@if $(SYSTEMD_RUNNING); then \
		echo "journalctl --update-catalog && systemctl daemon-reload"; \
		journalctl --update-catalog && systemctl daemon-reload; \
	fi

bench: release
	bash bench/run.sh

clean:
	rm -rf .build $(RELEASE_DIR)

# ---- Fuzzing (issue 6; see Fuzz/README.md) -------------------------------------------------------------------
# fuzz          every target for FUZZ_SECONDS in total (default 300 s, split evenly); fails on any crash, leak,
#               timeout (an input over 1 s) or out-of-memory (over 2 GiB RSS)
# fuzz-smoke    a short pass of each (FUZZ_SMOKE_SECONDS, default 15 s each): what `make test` runs
# fuzz-replay   the committed corpora and findings through the normal debug build (no sanitizers): regressions
# fuzz-open     the reproducers of open findings (Fuzz/Open): fails until they are fixed, then move them to
#               Fuzz/Findings
FUZZ_TARGETS       := FuzzConfigLoader FuzzTOML FuzzRecurrenceRule FuzzReminderOffset FuzzZone FuzzStateFile FuzzStderrLine FuzzTimeArgument
FUZZ_SECONDS       ?= 300
FUZZ_SMOKE_SECONDS ?= 15
FUZZ_SCRATCH       := .build-fuzz
FUZZ_BUILD_FLAGS   := -c release --scratch-path $(FUZZ_SCRATCH) -Xswiftc -DFUZZING -Xswiftc -sanitize=fuzzer,address \
	-Xcc -fsanitize=fuzzer-no-link,address -Xcxx -fsanitize=fuzzer-no-link,address

.PHONY: fuzz-build fuzz-smoke fuzz-replay fuzz-open

fuzz-build: deps
	@for target in $(FUZZ_TARGETS); do \
		$(SWIFT) build $(FUZZ_BUILD_FLAGS) --product $$target 2>&1 | grep -E 'error:|Compiling Fuzz|Build of' || exit 1; \
		test -x $(FUZZ_SCRATCH)/release/$$target || exit 1; \
	done

fuzz: fuzz-build fuzz-replay
	Fuzz/run.sh $$(( $(FUZZ_SECONDS) / $(words $(FUZZ_TARGETS)) )) $(FUZZ_TARGETS)

fuzz-smoke: fuzz-build fuzz-replay
	Fuzz/run.sh $(FUZZ_SMOKE_SECONDS) $(FUZZ_TARGETS)

fuzz-replay: deps
	@$(SWIFT) build 2>&1 | grep -E 'error:|Build complete' ; test -x .build/debug/FuzzStderrLine
	@for target in $(FUZZ_TARGETS); do \
		.build/debug/$$target Fuzz/Corpus/$$target $$(ls -d Fuzz/Findings/$$target 2>/dev/null) || exit 1; \
	done

fuzz-open: deps
	@$(SWIFT) build 2>&1 | grep -E 'error:|Build complete'
	@status=0; for target in $(FUZZ_TARGETS); do \
		[ -d Fuzz/Open/$$target ] || continue; \
		for input in Fuzz/Open/$$target/*; do \
			if SWIFT_BACKTRACE=enable=no .build/debug/$$target $$input >/dev/null 2>&1; then echo "fixed: $$input"; \
			else echo "still failing: $$input"; status=1; fi; \
		done; \
	done; exit $$status
