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
PKGDATADIR   ?= $(DATADIR)/sse-timeline
SYSCONFDIR   ?= /etc
# Files that other programs read go where those programs look, whatever PREFIX is. Ask pkg-config where its
# .pc file says (as systemd's own build does), else the standard places. systemd reads units, catalogs and
# sysusers.d under /usr/local/lib as well as /usr/lib (its unit path says which prefixes): there they follow
# PREFIX; for any other prefix they go to systemd's own directories. dbus-daemon and polkitd read only their
# own data directories (and /etc), never a prefix's.
pkgvar = $(shell pkg-config --variable=$(2) $(1) 2>/dev/null)
SYSTEMD_UNITPATH := $(or $(subst :, ,$(call pkgvar,systemd,systemdsystemunitpath)),/usr/local/lib/systemd/system /usr/lib/systemd/system)
ifneq ($(filter $(PREFIX)/lib/systemd/system,$(SYSTEMD_UNITPATH)),)
UNITDIR      ?= $(PREFIX)/lib/systemd/system
USERUNITDIR  ?= $(PREFIX)/lib/systemd/user
CATALOGDIR   ?= $(PREFIX)/lib/systemd/catalog
SYSUSERSDIR  ?= $(PREFIX)/lib/sysusers.d
else
UNITDIR      ?= $(or $(call pkgvar,systemd,systemdsystemunitdir),/usr/lib/systemd/system)
USERUNITDIR  ?= $(or $(call pkgvar,systemd,systemduserunitdir),/usr/lib/systemd/user)
CATALOGDIR   ?= $(or $(call pkgvar,systemd,catalogdir),/usr/lib/systemd/catalog)
SYSUSERSDIR  ?= $(or $(call pkgvar,systemd,sysusersdir),/usr/lib/sysusers.d)
endif
# The system instance's permissions: its D-Bus policy and its polkit rule (docs/operations.md).
DBUSSYSTEMDIR ?= $(or $(call pkgvar,dbus-1,datadir),/usr/share)/dbus-1/system.d
POLKIT_POLICYDIR := $(call pkgvar,polkit-gobject-1,policydir)
POLKITRULESDIR ?= $(if $(POLKIT_POLICYDIR),$(dir $(POLKIT_POLICYDIR))rules.d,/usr/share/polkit-1/rules.d)
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
# What the release binary is built from: `make install` rebuilds it only when one of these is newer (or the
# version from git describe has changed), so that an install from a tree built before needs no write to it.
RELEASE_SOURCES := Package.swift $(shell find Sources Config Plugins -type f 2>/dev/null)
VERSION_STAMP := $(RELEASE_DIR)/version
DOCS         := $(wildcard README.md docs/*.md)
# The message catalogs (po/LANG.po), compiled to LOCALE_BUILD_DIR/LANG/LC_MESSAGES/sse-timeline.mo: the debug
# binary, .build/debug -> .build/TRIPLE/debug, finds them in .build/TRIPLE/share/locale (share/locale beside its
# directory, as an installed PREFIX/bin/sse-timeline finds PREFIX/share/locale; SSE_TIMELINE_LOCALEDIR overrides).
LANGUAGES    := $(basename $(notdir $(wildcard po/*.po)))
LOCALE_BUILD_DIR := .build/$(shell uname -m)-unknown-linux-gnu/share/locale
LOCALE_MO    := $(foreach l,$(LANGUAGES),$(LOCALE_BUILD_DIR)/$(l)/LC_MESSAGES/sse-timeline.mo)

.PHONY: FORCE all deps build release run test unit-test toml-test icalendar-test calendars-test workdays-test feeds-test desktop-test views-test e2e bus-test deb deb-deps \
	deb-test fleet-test channels-test bench fuzz install uninstall install-user uninstall-user man-deps man-test cli-test \
	version-test install-test clean locale pot i18n-test

all: build

# Installs the system packages the build and the unit tests need, when they are missing (Debian/Ubuntu, as root):
# libsystemd-dev, libcurl4-openssl-dev (curl's headers: `fetch` opens libcurl at run time) and pkg-config to build; dbus-daemon and busctl (systemd) for the bus tests' private buses;
# gettext (msgfmt, xgettext) for the message catalogs.
deps:
	@if ! pkg-config --exists libsystemd libcurl 2>/dev/null || ! [ -x /usr/bin/dbus-daemon ] || ! command -v msgfmt >/dev/null; then \
		echo "installing libsystemd-dev, libcurl4-openssl-dev, pkg-config, dbus-daemon and gettext"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq libsystemd-dev libcurl4-openssl-dev pkg-config dbus-daemon gettext >/dev/null; \
	fi

# Every catalog checked (msgfmt --check: formats, plural forms, header) and compiled. No `deps` here: `make
# install` in a container without the build tools finds the catalogs already compiled (build and release made them).
locale: $(LOCALE_MO)

$(LOCALE_BUILD_DIR)/%/LC_MESSAGES/sse-timeline.mo: po/%.po
	@mkdir -p $(@D)
	msgfmt --check -o $@ $<

# po/sse-timeline.pot from the messages the sources mark (scripts/update-pot.sh), then each po/LANG.po merged
# with it: run after adding or changing a message, then translate what msgmerge marked fuzzy or left empty.
pot:
	scripts/update-pot.sh
	for po in po/*.po; do msgmerge --quiet --update --backup=none --no-location --sort-by-file $$po po/sse-timeline.pot; done

build: deps locale
	$(SWIFT) build

release: deps locale
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
	$(MAKE) calendars-test
	$(MAKE) workdays-test
	$(MAKE) feeds-test
	$(MAKE) desktop-test
	$(MAKE) views-test
	$(MAKE) fuzz-replay
	python3 integration/robustness/kill9.py
	python3 integration/robustness/kill9_snooze.py
	$(MAKE) fuzz-smoke
	$(MAKE) man-test
	$(MAKE) version-test
	$(MAKE) i18n-test
	@if [ "$$(id -u)" = 0 ] && [ -f integration/e2e/run.sh ]; then $(MAKE) e2e; else echo "e2e: skipped (needs root)"; fi
	@if [ "$$(id -u)" = 0 ]; then $(MAKE) bus-test; \
	else echo "bus-test: skipped (needs root: it boots a systemd container with a system bus, polkit and a user manager)"; fi
	@if [ "$$(id -u)" = 0 ]; then $(MAKE) channels-test; \
	else echo "channels-test: skipped (needs root: it boots a systemd container with exim, Synapse and a webhook)"; fi
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

# Calendars on real CalDAV servers: Radicale and Xandikos on loopback, vdirsyncer into a vdir, the caldav client on the server
# side, the daemon on a private session bus (installs radicale, xandikos, vdirsyncer and caldav into .build/calendars-venv);
# see integration/calendars/check.py.
calendars-test: build
	bash integration/calendars/run.sh $(DEBUG_BIN)

# Working days, holidays and on_non_working_day against Remind over ten years (installs remind when missing, as
# root); see integration/workdays/check.py.
workdays-test: build
	bash integration/workdays/run.sh $(DEBUG_BIN)

# Desktop notifications with a real notification server: dunst under Xvfb on a session bus of its own
# (installs dunst, xvfb, dbus, imagemagick when missing; as root only, otherwise it says it skips); see
# integration/desktop/run.sh. SCREENSHOT=docs/desktop-notification.png keeps the screenshot it takes.
# Calendar feeds: `sse-timeline fetch` against a web server on loopback, over http and https with a test CA,
# through every failure of issue 20's point 6 (integration/feeds/check.py; needs python3 and openssl).
feeds-test: build
	python3 integration/feeds/check.py $(DEBUG_BIN)

desktop-test: build
	bash integration/desktop/run.sh $(DEBUG_BIN)

# calendar, agenda and history typed into a real terminal (tmux, installed when missing) at a wide and a narrow
# width, read back with capture-pane: layout, colour, NO_COLOR, pipes, --json; see integration/views/run.sh.
views-test: build
	bash integration/views/run.sh $(DEBUG_BIN)

# French and Spanish: the catalogs checked, the template equal to the marked messages, list, next and validate
# under LANG=fr_FR.UTF-8 and es_ES.UTF-8 (locales generated as root; skipped otherwise); integration/i18n/run.sh.
i18n-test: build
	bash integration/i18n/run.sh $(DEBUG_BIN)

# The end-to-end test under a real systemd in a throwaway container (root only); see integration/e2e/run.sh. Its
# last step is install-test: make install at the default prefix and make install-user.
e2e: release man-deps
	bash integration/e2e/run.sh

# The bus API, snooze/dismiss and on_due actions with the system bus, polkit and a user's own systemd --user in a
# throwaway container (root only); see integration/bus/run.sh.
bus-test: release
	bash integration/bus/run.sh

# The mail and Apprise channels' delivery unit with a real MTA (exim, and msmtp relaying to it), a real Matrix
# homeserver (Synapse) and a json:// webhook in a throwaway container (root only; installs exim4-daemon-light
# and msmtp, and matrix-synapse, apprise and icalendar into .build-channels/venv); see integration/channels/run.sh.
channels-test: release man-deps
	bash integration/channels/run.sh

# The release binary, the system and user units (the daemon's, and the template sse-timeline-deliver@ of the
# mail and Apprise channels, with an empty $(SYSCONFDIR)/sse-timeline/credentials, 0700), the journal catalog, the man pages sse-timeline(1),
# sse-timeline.toml(5) and sse-timeline(8), shell completions, the docs, a readable copy of the default timeline
# (the binary embeds it; nothing reads the copy), the D-Bus policy, the sysusers.d user and the polkit rule of
# the system instance, and an empty drop-in directory in $(SYSCONFDIR)/sse-timeline (scripts/install.sh).
# Whatever PREFIX is, the files that systemd, dbus-daemon and polkitd read go where they read them; the install
# says which went outside the prefix. `DESTDIR=` stages the tree elsewhere (the Debian package, the tests).
# Whatever is added here goes into the package too (debian/rules runs this target).
INSTALL_VARS = DESTDIR="$(DESTDIR)" PREFIX="$(PREFIX)" BINDIR="$(BINDIR)" DATADIR="$(DATADIR)" MANDIR="$(MANDIR)" \
	DOCDIR="$(DOCDIR)" UNITDIR="$(UNITDIR)" USERUNITDIR="$(USERUNITDIR)" PKGDATADIR="$(PKGDATADIR)" \
	CATALOGDIR="$(CATALOGDIR)" DBUSSYSTEMDIR="$(DBUSSYSTEMDIR)" SYSUSERSDIR="$(SYSUSERSDIR)" \
	POLKITRULESDIR="$(POLKITRULESDIR)" SYSCONFDIR="$(SYSCONFDIR)" BASHCOMPDIR="$(BASHCOMPDIR)" \
	ZSHCOMPDIR="$(ZSHCOMPDIR)" FISHCOMPDIR="$(FISHCOMPDIR)" RELEASE_BIN="$(RELEASE_BIN)" \
	DOCS="$(DOCS)" LANGUAGES="$(LANGUAGES)" LOCALE_BUILD_DIR="$(LOCALE_BUILD_DIR)"

# The release binary, when it is older than its sources or the version has changed since it was built.
$(RELEASE_BIN): $(RELEASE_SOURCES) $(VERSION_STAMP)
	$(MAKE) release
	touch $@

# Rewritten only when scripts/deb-version.sh says something else than it holds.
$(VERSION_STAMP): FORCE
	@version=$$(scripts/deb-version.sh 2>/dev/null || echo unknown); \
	if [ "$$(cat $@ 2>/dev/null)" != "$$version" ]; then mkdir -p $(@D) && echo "$$version" >$@; fi

FORCE:

install: $(RELEASE_BIN) man-deps locale
	@$(INSTALL_VARS) scripts/install.sh install system

# Removes what `install` put (from the list it kept, or the one these variables give); the config in
# $(SYSCONFDIR)/sse-timeline and the state stay.
uninstall:
	@$(INSTALL_VARS) scripts/install.sh uninstall system

# A user's own install, without root: the binary in ~/.local/bin, the user unit in ~/.local/share/systemd/user
# (where `systemd --user` looks) running that binary, man pages in ~/.local/share/man (man finds them beside
# ~/.local/bin on PATH), completions where bash-completion and fish read a user's own. Then
# `systemctl --user enable --now sse-timeline`. `make uninstall-user` removes exactly what it put.
USER_PREFIX   ?= $(HOME)/.local
USER_DATADIR  ?= $(or $(XDG_DATA_HOME),$(USER_PREFIX)/share)
USER_INSTALL_VARS = $(INSTALL_VARS) PREFIX="$(USER_PREFIX)" BINDIR="$(USER_PREFIX)/bin" DATADIR="$(USER_DATADIR)" \
	MANDIR="$(USER_DATADIR)/man" DOCDIR="$(USER_DATADIR)/doc/sse-timeline" PKGDATADIR="$(USER_DATADIR)/sse-timeline" \
	USERUNITDIR="$(USER_DATADIR)/systemd/user" BASHCOMPDIR="$(USER_DATADIR)/bash-completion/completions" \
	ZSHCOMPDIR="$(USER_DATADIR)/zsh/site-functions" FISHCOMPDIR="$(USER_DATADIR)/fish/vendor_completions.d" \
	DESTDIR=

install-user: $(RELEASE_BIN) man-deps locale
	@if [ "$$(id -u)" = 0 ]; then echo "install-user: run it as the user it is for, not as root" >&2; exit 1; fi
	@$(USER_INSTALL_VARS) scripts/install.sh install user

uninstall-user:
	@$(USER_INSTALL_VARS) scripts/install.sh uninstall user

# The man pages render without warnings and name every command, option, config key and MESSAGE_ID that the
# binary and the catalog know (scripts/check-manuals.sh).
man-test: build man-deps
	scripts/check-manuals.sh $(DEBUG_BIN)

# `sse-timeline --version` of a fresh clone's plain `swift build` is make install's (integration/version/run.sh).
version-test: release
	bash integration/version/run.sh $(RELEASE_BIN)

# `make install` at the default prefix and `make install-user` in a booted container (root only; make e2e runs
# it too): integration/install/run.sh.
install-test: $(RELEASE_BIN) man-deps
	bash integration/install/run.sh

# scdoc makes the man pages (docs/man/*.scd); mandoc and groff check them (make man-test).
man-deps:
	@if ! command -v scdoc >/dev/null; then \
		echo "installing scdoc"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq scdoc >/dev/null; \
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
deb-deps: deps man-deps
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
