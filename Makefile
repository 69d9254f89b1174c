# sse-timeline: build, run, test, install.
#   make run      build and run the daemon in the foreground on the embedded default timeline
#   make test     install what is missing, build, and run every test
#   make deb      the Debian package, sse-timeline_<version>_<arch>.deb, checked with lintian
# See README.md for the rest.

SHELL        := bash
.SHELLFLAGS  := -eo pipefail -c
SWIFT        ?= swift
PREFIX       ?= /usr/local
DESTDIR      ?=
BINDIR       ?= $(PREFIX)/bin
DATADIR      ?= $(PREFIX)/share
MANDIR       ?= $(DATADIR)/man
DOCDIR       ?= $(DATADIR)/doc/sse-timeline
UNITDIR      ?= $(PREFIX)/lib/systemd/system
USERUNITDIR  ?= $(PREFIX)/lib/systemd/user
PKGDATADIR   ?= $(DATADIR)/sse-timeline
CATALOGDIR   ?= $(PREFIX)/lib/systemd/catalog
# The system instance's permissions: its D-Bus policy, its static user, its polkit rule (docs/operations.md).
DBUSSYSTEMDIR ?= $(DATADIR)/dbus-1/system.d
SYSUSERSDIR  ?= $(PREFIX)/lib/sysusers.d
POLKITRULESDIR ?= $(DATADIR)/polkit-1/rules.d
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

.PHONY: all deps build release run test unit-test toml-test icalendar-test desktop-test views-test e2e bus-test deb deb-deps \
	deb-test fleet-test bench fuzz install uninstall clean

all: build

# Installs the system packages the build and the unit tests need, when they are missing (Debian/Ubuntu, as root):
# libsystemd-dev and pkg-config to build; dbus-daemon and busctl (systemd) for the bus tests' private buses.
deps:
	@if ! pkg-config --exists libsystemd 2>/dev/null || ! [ -x /usr/bin/dbus-daemon ]; then \
		echo "installing libsystemd-dev, pkg-config and dbus-daemon"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq libsystemd-dev pkg-config dbus-daemon >/dev/null; \
	fi

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --static-swift-stdlib --scratch-path $(RELEASE_DIR) --product sse-timeline \
		-Xlinker -z -Xlinker now

run: build
	mkdir -p .build/state
	$(DEBUG_BIN) run --default-timeline --state-dir .build/state

unit-test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

# The unit tests always; the end-to-end test under a real systemd when running as root (CI does).
test: unit-test
	$(MAKE) toml-test
	$(MAKE) icalendar-test
	$(MAKE) desktop-test
	$(MAKE) views-test
	$(MAKE) fuzz-replay
	python3 integration/robustness/kill9.py
	python3 integration/robustness/kill9_snooze.py
	$(MAKE) fuzz-smoke
	@if [ "$$(id -u)" = 0 ] && [ -f integration/e2e/run.sh ]; then $(MAKE) e2e; else echo "e2e: skipped (needs root)"; fi
	@if [ "$$(id -u)" = 0 ]; then $(MAKE) bus-test; \
	else echo "bus-test: skipped (needs root: it boots a systemd container with a system bus, polkit and a user manager)"; fi
	@if [ "$$(id -u)" = 0 ]; then $(MAKE) deb deb-test fleet-test; \
	else echo "deb, deb-test, fleet-test: skipped (need root: they install build tools and boot containers)"; fi

# The TOML 1.0 files of toml-test (Tests/TOMLTests/toml-test) through the decoder, as toml-test runs decoders.
toml-test: deps
	$(SWIFT) build --product TOMLTestDecoder
	python3 scripts/toml-test.py .build/debug/TOMLTestDecoder

# The iCalendar export read back by icalendar, ical, recurring-ical-events, libical and khal (installs them
# when missing); see integration/icalendar/check.py.
icalendar-test: build
	bash integration/icalendar/run.sh $(DEBUG_BIN)

# Desktop notifications with a real notification server: dunst under Xvfb on a session bus of its own
# (installs dunst, xvfb, dbus, imagemagick when missing; as root only, otherwise it says it skips); see
# integration/desktop/run.sh. SCREENSHOT=docs/desktop-notification.png keeps the screenshot it takes.
desktop-test: build
	bash integration/desktop/run.sh $(DEBUG_BIN)

# calendar, agenda and history typed into a real terminal (tmux, installed when missing) at a wide and a narrow
# width, read back with capture-pane: layout, colour, NO_COLOR, pipes, --json; see integration/views/run.sh.
views-test: build
	bash integration/views/run.sh $(DEBUG_BIN)

# The end-to-end test under a real systemd in a throwaway container (root only); see integration/e2e/run.sh.
e2e: release
	bash integration/e2e/run.sh

# The bus API, snooze/dismiss and on_due actions with the system bus, polkit and a user's own systemd --user in a
# throwaway container (root only); see integration/bus/run.sh.
bus-test: release
	bash integration/bus/run.sh

# The release binary, the system and user units, the journal catalog, the man page, shell completions, the
# docs, a readable copy of the default timeline (the binary embeds it; nothing reads the copy), and an empty
# drop-in directory in $(SYSCONFDIR)/sse-timeline. `make install PREFIX=/usr` for a system install;
# `DESTDIR=` stages the tree elsewhere (the Debian package, the e2e test). Whatever is added here goes into
# the package too (debian/rules runs this target).
install: release
	scripts/generate-manual.sh $(RELEASE_BIN) $(GENERATED)
	scripts/generate-completions.sh $(RELEASE_BIN) $(GENERATED)
	sed -e 's|@BINDIR@|$(BINDIR)|g' -e 's|@DOCDIR@|$(DOCDIR)|g' systemd/sse-timeline.service.in \
		>$(GENERATED)/sse-timeline.service
	sed -e 's|@BINDIR@|$(BINDIR)|g' -e 's|@DOCDIR@|$(DOCDIR)|g' systemd/user/sse-timeline.service.in \
		>$(GENERATED)/sse-timeline.user.service
	{ echo "# A copy of the default timeline that $(BINDIR)/sse-timeline embeds and uses when there is no"; \
	  echo "# $(SYSCONFDIR)/sse-timeline/timeline.toml. Nothing reads this copy: to change the timeline, copy it to"; \
	  echo "# $(SYSCONFDIR)/sse-timeline/timeline.toml, or add drop-ins in $(SYSCONFDIR)/sse-timeline/timeline.d/."; \
	  echo "#"; cat Config/timeline.toml; } >$(GENERATED)/timeline.toml
	install -d -m 0755 $(DESTDIR)$(BINDIR) $(DESTDIR)$(UNITDIR) $(DESTDIR)$(USERUNITDIR) $(DESTDIR)$(CATALOGDIR) \
		$(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR) $(DESTDIR)$(FISHCOMPDIR) \
		$(DESTDIR)$(DOCDIR) $(DESTDIR)$(PKGDATADIR) $(DESTDIR)$(SYSCONFDIR)/sse-timeline/timeline.d
	install -m 0755 $(RELEASE_BIN) $(DESTDIR)$(BINDIR)/sse-timeline
	install -m 0644 $(GENERATED)/sse-timeline.service $(DESTDIR)$(UNITDIR)/sse-timeline.service
	install -m 0644 $(GENERATED)/sse-timeline.user.service $(DESTDIR)$(USERUNITDIR)/sse-timeline.service
	install -m 0644 $(GENERATED)/timeline.toml $(DESTDIR)$(PKGDATADIR)/timeline.toml
	install -m 0644 systemd/sse-timeline.catalog $(DESTDIR)$(CATALOGDIR)/sse-timeline.catalog
	install -d -m 0755 $(DESTDIR)$(DBUSSYSTEMDIR) $(DESTDIR)$(SYSUSERSDIR)
	install -m 0644 systemd/io.github.ssetimeline.Timeline1.conf $(DESTDIR)$(DBUSSYSTEMDIR)/io.github.ssetimeline.Timeline1.conf
	install -m 0644 systemd/sse-timeline.sysusers $(DESTDIR)$(SYSUSERSDIR)/sse-timeline.conf
	@# polkit keeps its rules directory private (0700 polkitd): create it only when missing, never change it.
	[ -d $(DESTDIR)$(POLKITRULESDIR) ] || install -d -m 0755 $(DESTDIR)$(POLKITRULESDIR)
	install -m 0644 systemd/sse-timeline.rules $(DESTDIR)$(POLKITRULESDIR)/50-sse-timeline.rules
	install -m 0644 $(GENERATED)/sse-timeline.1 $(DESTDIR)$(MANDIR)/man1/sse-timeline.1
	install -m 0644 $(GENERATED)/sse-timeline.bash $(DESTDIR)$(BASHCOMPDIR)/sse-timeline
	install -m 0644 $(GENERATED)/_sse-timeline $(DESTDIR)$(ZSHCOMPDIR)/_sse-timeline
	install -m 0644 $(GENERATED)/sse-timeline.fish $(DESTDIR)$(FISHCOMPDIR)/sse-timeline.fish
	$(if $(DOCS),install -m 0644 $(DOCS) $(DESTDIR)$(DOCDIR)/)
	@if $(SYSTEMD_RUNNING); then \
		echo "systemd-sysusers sse-timeline.conf && journalctl --update-catalog && systemctl daemon-reload"; \
		systemd-sysusers sse-timeline.conf && journalctl --update-catalog && systemctl daemon-reload; \
		echo "systemctl reload dbus (the bus policy)"; systemctl reload dbus.service || true; \
	fi

# Removes what `install` added; the config in $(SYSCONFDIR)/sse-timeline and the state stay.
uninstall:
	@if $(SYSTEMD_RUNNING) && [ -e $(UNITDIR)/sse-timeline.service ]; then \
		echo "systemctl disable --now sse-timeline.service"; \
		systemctl disable --now sse-timeline.service || true; \
	fi
	rm -f $(DESTDIR)$(BINDIR)/sse-timeline $(DESTDIR)$(UNITDIR)/sse-timeline.service \
		$(DESTDIR)$(USERUNITDIR)/sse-timeline.service \
		$(DESTDIR)$(CATALOGDIR)/sse-timeline.catalog $(DESTDIR)$(MANDIR)/man1/sse-timeline.1 \
		$(DESTDIR)$(BASHCOMPDIR)/sse-timeline $(DESTDIR)$(ZSHCOMPDIR)/_sse-timeline \
		$(DESTDIR)$(FISHCOMPDIR)/sse-timeline.fish \
		$(DESTDIR)$(DBUSSYSTEMDIR)/io.github.ssetimeline.Timeline1.conf $(DESTDIR)$(SYSUSERSDIR)/sse-timeline.conf \
		$(DESTDIR)$(POLKITRULESDIR)/50-sse-timeline.rules
	rm -rf $(DESTDIR)$(DOCDIR) $(DESTDIR)$(PKGDATADIR)
	@if $(SYSTEMD_RUNNING); then \
		echo "journalctl --update-catalog && systemctl daemon-reload"; \
		journalctl --update-catalog && systemctl daemon-reload; \
	fi

# ---- The Debian package (issue 15; see debian/rules) ----------------------------------------------------------
# deb           sse-timeline_$(DEB_VERSION)_<arch>.deb in DEB_OUTDIR, from `make install PREFIX=/usr
#               DESTDIR=debian/tmp` around the static release binary, then lintian (fails on any error or
#               warning that debian/sse-timeline.lintian-overrides does not explain; LINTIAN=no skips it)
# deb-test      installs, reloads, upgrades, removes and purges the package in a booted systemd container
# fleet-test    two containers: one forwards its journal with systemd-journal-upload, the other stores it with
#               systemd-journal-remote
# DEB_VERSION defaults to scripts/deb-version.sh (from git describe); override it to build a higher version
# of the same tree, as the upgrade test does.
DEB_VERSION ?= $(shell scripts/deb-version.sh)
DEB_OUTDIR  ?= .
LINTIAN     ?= yes
DEB_ARCH    := $(shell dpkg --print-architecture 2>/dev/null)
DEB_FILE     = $(DEB_OUTDIR)/sse-timeline_$(DEB_VERSION)_$(DEB_ARCH).deb

# Installs debhelper and lintian when missing (Debian/Ubuntu, as root).
deb-deps: deps
	@if ! command -v dh >/dev/null || { [ "$(LINTIAN)" = yes ] && ! command -v lintian >/dev/null; }; then \
		echo "installing debhelper and lintian"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq debhelper lintian >/dev/null; \
	fi

deb: deb-deps release
	@test -n "$(DEB_VERSION)" || { echo "deb: no version; give DEB_VERSION=..." >&2; exit 1; }
	scripts/deb-changelog.sh "$(DEB_VERSION)" >debian/changelog
	dpkg-checkbuilddeps
	debian/rules clean
	DEB_OUTDIR="$(abspath $(DEB_OUTDIR))" debian/rules binary
	@echo "built $(DEB_FILE)"
	@if [ "$(LINTIAN)" = yes ]; then \
		echo "lintian $(DEB_FILE)"; \
		lintian --fail-on error,warning --display-info $(DEB_FILE); \
	fi

# Both take the package `make deb` has just built (DEB_PREBUILT), and build what else they need.
deb-test: deb
	DEB_VERSION="$(DEB_VERSION)" DEB_PREBUILT="$(DEB_OUTDIR)" bash integration/deb/run.sh

fleet-test: deb
	DEB_VERSION="$(DEB_VERSION)" DEB_PREBUILT="$(DEB_OUTDIR)" bash integration/fleet/run.sh

bench: release
	bash bench/run.sh

clean:
	rm -rf .build $(RELEASE_DIR)
	rm -rf debian/tmp debian/sse-timeline debian/.debhelper debian/debhelper-build-stamp debian/files \
		debian/*.substvars debian/*.debhelper debian/*.debhelper.log debian/changelog

# Fuzzing: make fuzz, fuzz-smoke, fuzz-replay, fuzz-open (Fuzz/README.md).
include Fuzz/fuzz.mk
