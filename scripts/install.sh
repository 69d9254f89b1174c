#!/usr/bin/env bash
# Installs or removes sse-timeline: what `make install` / `make uninstall` (SCOPE system) and
# `make install-user` / `make uninstall-user` (SCOPE user) do. Run by the Makefile, which sets the directories.
#
#   scripts/install.sh install|uninstall system|user
#
# Environment (from the Makefile): DESTDIR PREFIX BINDIR MANDIR DOCDIR UNITDIR USERUNITDIR PKGDATADIR CATALOGDIR
# DBUSSYSTEMDIR SYSUSERSDIR POLKITRULESDIR SYSCONFDIR BASHCOMPDIR ZSHCOMPDIR FISHCOMPDIR (where each file goes),
# RELEASE_BIN (the binary), DOCS, LANGUAGES and LOCALE_BUILD_DIR (the compiled catalogs, by `make locale`). The man pages, completions and units are made in a temporary directory.
#
# An install with an empty DESTDIR records what it put and which directories it created in a manifest
# ($PKGDATADIR/installed-files, or $DATADIR/sse-timeline/installed-files for a user install); the uninstall
# removes exactly those, then the directories if they are empty. Without a manifest (a tree staged with DESTDIR,
# an install from before the manifest) it removes the files the same variables name.
set -euo pipefail
action=${1:?usage: install.sh install|uninstall system|user}
scope=${2:?usage: install.sh install|uninstall system|user}
cd "$(dirname "$0")/.."

DESTDIR=${DESTDIR:-}
manifest_dir=$PKGDATADIR
[ "$scope" = system ] || manifest_dir=$DATADIR/sse-timeline
manifest=$manifest_dir/installed-files

# The files of SCOPE, one "MODE SOURCE DESTINATION" a line (destinations without DESTDIR).
files() {
    echo "0755 $RELEASE_BIN $BINDIR/sse-timeline"
    echo "0644 $GENERATED/sse-timeline.user.service $USERUNITDIR/sse-timeline.service"
    echo "0644 $GENERATED/sse-timeline-deliver@.user.service $USERUNITDIR/sse-timeline-deliver@.service"
    echo "0644 $GENERATED/sse-timeline-fetch.user.service $USERUNITDIR/sse-timeline-fetch.service"
    echo "0644 systemd/user/sse-timeline-fetch.timer $USERUNITDIR/sse-timeline-fetch.timer"
    echo "0644 $GENERATED/sse-timeline.1 $MANDIR/man1/sse-timeline.1"
    echo "0644 $GENERATED/sse-timeline.toml.5 $MANDIR/man5/sse-timeline.toml.5"
    echo "0644 $GENERATED/sse-timeline.8 $MANDIR/man8/sse-timeline.8"
    echo "0644 $GENERATED/sse-timeline.bash $BASHCOMPDIR/sse-timeline"
    echo "0644 $GENERATED/_sse-timeline $ZSHCOMPDIR/_sse-timeline"
    echo "0644 $GENERATED/sse-timeline.fish $FISHCOMPDIR/sse-timeline.fish"
    local doc
    for doc in $DOCS; do echo "0644 $doc $DOCDIR/$(basename "$doc")"; done
    # The binary reads them from share/locale beside its own directory (Sources/Gettext).
    local lang
    for lang in $LANGUAGES; do
        echo "0644 $LOCALE_BUILD_DIR/$lang/LC_MESSAGES/sse-timeline.mo $DATADIR/locale/$lang/LC_MESSAGES/sse-timeline.mo"
    done
    [ "$scope" = system ] || return 0
    echo "0644 $GENERATED/sse-timeline.service $UNITDIR/sse-timeline.service"
    echo "0644 $GENERATED/sse-timeline-deliver@.service $UNITDIR/sse-timeline-deliver@.service"
    echo "0644 $GENERATED/sse-timeline-fetch.service $UNITDIR/sse-timeline-fetch.service"
    echo "0644 systemd/sse-timeline-fetch.timer $UNITDIR/sse-timeline-fetch.timer"
    echo "0644 $GENERATED/timeline.toml $PKGDATADIR/timeline.toml"
    echo "0644 systemd/sse-timeline.catalog $CATALOGDIR/sse-timeline.catalog"
    echo "0644 systemd/sse-timeline.fr.catalog $CATALOGDIR/sse-timeline.fr.catalog"
    echo "0644 systemd/sse-timeline.es.catalog $CATALOGDIR/sse-timeline.es.catalog"
    echo "0644 systemd/io.github.ssetimeline.Timeline1.conf $DBUSSYSTEMDIR/io.github.ssetimeline.Timeline1.conf"
    echo "0644 systemd/sse-timeline.sysusers $SYSUSERSDIR/sse-timeline.conf"
    echo "0644 systemd/sse-timeline.rules $POLKITRULESDIR/50-sse-timeline.rules"
}

# Is systemd running here, and is this install for this machine? (Then tell it about the new files.)
live() { [ -z "$DESTDIR" ] && [ -d /run/systemd/system ]; }
# Can the user's own manager be reached? (make install-user from a shell without a session has none.)
user_manager() { live && systemctl --user show-environment >/dev/null 2>&1; }
run() { echo "$*"; "$@"; }

GENERATED=
generate() {
    GENERATED=$(mktemp -d /tmp/sse-timeline-install.XXXXXX)
    trap 'rm -rf "$GENERATED"' EXIT
    scripts/generate-manuals.sh "$GENERATED"
    scripts/generate-completions.sh "$RELEASE_BIN" "$GENERATED"
    sed -e "s|@BINDIR@|$BINDIR|g" -e "s|@DOCDIR@|$DOCDIR|g" systemd/sse-timeline.service.in \
        >"$GENERATED/sse-timeline.service"
    sed -e "s|@BINDIR@|$BINDIR|g" -e "s|@DOCDIR@|$DOCDIR|g" systemd/user/sse-timeline.service.in \
        >"$GENERATED/sse-timeline.user.service"
    # The delivery units of the mail and Apprise channels (docs/channels.md).
    sed -e "s|@BINDIR@|$BINDIR|g" -e "s|@DOCDIR@|$DOCDIR|g" systemd/sse-timeline-deliver@.service.in \
        >"$GENERATED/sse-timeline-deliver@.service"
    sed -e "s|@BINDIR@|$BINDIR|g" -e "s|@DOCDIR@|$DOCDIR|g" systemd/user/sse-timeline-deliver@.service.in \
        >"$GENERATED/sse-timeline-deliver@.user.service"
    # The calendar feeds' download (docs/calendars.md).
    sed -e "s|@BINDIR@|$BINDIR|g" -e "s|@DOCDIR@|$DOCDIR|g" systemd/sse-timeline-fetch.service.in \
        >"$GENERATED/sse-timeline-fetch.service"
    sed -e "s|@BINDIR@|$BINDIR|g" -e "s|@DOCDIR@|$DOCDIR|g" systemd/user/sse-timeline-fetch.service.in \
        >"$GENERATED/sse-timeline-fetch.user.service"
    {
        echo "# A copy of the default timeline that $BINDIR/sse-timeline embeds and uses when there is no"
        echo "# $SYSCONFDIR/sse-timeline/timeline.toml. Nothing reads this copy: to change the timeline, copy it to"
        echo "# $SYSCONFDIR/sse-timeline/timeline.toml, or add drop-ins in $SYSCONFDIR/sse-timeline/timeline.d/."
        echo "#"
        cat Config/timeline.toml
    } >"$GENERATED/timeline.toml"
}

# make_dir DIR: creates DIR (under DESTDIR) and its missing parents, 0755; records each one it created.
created_dirs=()
make_dir() {
    local dir=$1 missing=() parent
    parent=$dir
    while [ "$parent" != / ] && [ ! -d "$DESTDIR$parent" ]; do
        missing=("$parent" "${missing[@]}")
        parent=$(dirname "$parent")
    done
    for parent in "${missing[@]}"; do
        install -d -m 0755 "$DESTDIR$parent"
        created_dirs+=("$parent")
    done
}

do_install() {
    generate
    local mode source destination installed=() outside=()
    while read -r mode source destination; do
        # polkit keeps its rules directory private (0700 polkitd): make_dir creates it only when missing.
        make_dir "$(dirname "$destination")"
        install -m "$mode" "$source" "$DESTDIR$destination"
        installed+=("$destination")
        case $destination in "$PREFIX"/*) ;; *) outside+=("$destination") ;; esac
    done < <(files)
    if [ "$scope" = system ]; then
        make_dir "$SYSCONFDIR/sse-timeline/timeline.d"
        case $SYSCONFDIR/ in "$PREFIX"/*) ;; *) outside+=("$SYSCONFDIR/sse-timeline/timeline.d/") ;; esac
        # The Apprise URLs of the channels and the feeds' passwords, root's alone; the delivery and fetch units
        # load them with LoadCredential=, which fails the unit when the directory is missing. Kept on uninstall,
        # as the config is.
        if [ ! -d "$DESTDIR$SYSCONFDIR/sse-timeline/credentials" ]; then
            install -d -m 0700 "$DESTDIR$SYSCONFDIR/sse-timeline/credentials"
            outside+=("$SYSCONFDIR/sse-timeline/credentials/")
        fi
    fi
    if [ -z "$DESTDIR" ]; then
        make_dir "$manifest_dir"
        {
            printf 'file %s\n' "${installed[@]}"
            printf 'dir %s\n' "${created_dirs[@]}"
        } >"$manifest"
    fi
    if [ "$scope" = system ]; then
        if live; then
            run systemd-sysusers sse-timeline.conf
            run journalctl --update-catalog
            run systemctl daemon-reload
            echo "systemctl reload dbus (the bus policy)"
            systemctl reload dbus.service || true
        fi
        if [ ${#outside[@]} -gt 0 ]; then
            echo "installed outside PREFIX=$PREFIX, where systemd, dbus-daemon and polkitd read them:"
            printf '  %s\n' "${outside[@]}"
        fi
        echo "next: systemctl enable --now sse-timeline"
    else
        if user_manager; then run systemctl --user daemon-reload; fi
        echo "installed for $(id -un) under $PREFIX; the unit runs $BINDIR/sse-timeline"
        echo "next: write ~/.config/sse-timeline/timeline.toml (the unit starts only when it exists), then"
        echo "      systemctl --user enable --now sse-timeline"
        case ":$PATH:" in *":$BINDIR:"*) ;; *) echo "note: $BINDIR is not on your PATH" ;; esac
        echo "note: zsh reads $ZSHCOMPDIR when it is on your fpath (fpath+=($ZSHCOMPDIR) in ~/.zshrc)"
    fi
}

do_uninstall() {
    local unit_file=$UNITDIR/sse-timeline.service
    if [ "$scope" = system ]; then
        if live && [ -e "$unit_file" ]; then
            echo "systemctl disable --now sse-timeline.service"
            systemctl disable --now sse-timeline.service || true
        fi
    elif user_manager && [ -e "$USERUNITDIR/sse-timeline.service" ]; then
        echo "systemctl --user disable --now sse-timeline.service"
        systemctl --user disable --now sse-timeline.service || true
    fi
    local kind path dirs=()
    if [ -z "$DESTDIR" ] && [ -f "$manifest" ]; then
        while read -r kind path; do
            case $kind in
            file) rm -f "$path" ;;
            dir) dirs=("$path" "${dirs[@]}") ;;
            esac
        done <"$manifest"
        rm -f "$manifest"
        # The directories it created, deepest first, when nothing else has been put in them since.
        for path in "$manifest_dir" "${dirs[@]}"; do rmdir "$path" 2>/dev/null || true; done
    else
        local mode source destination
        while read -r mode source destination; do rm -f "$DESTDIR$destination"; done < <(files)
        rm -rf "$DESTDIR$DOCDIR" "$DESTDIR$PKGDATADIR"
        [ "$scope" = system ] || rmdir "$DESTDIR$manifest_dir" 2>/dev/null || true
    fi
    if [ "$scope" = system ] && live; then
        run journalctl --update-catalog
        run systemctl daemon-reload
    elif [ "$scope" = user ] && user_manager; then
        run systemctl --user daemon-reload
    fi
    [ "$scope" = user ] || echo "kept: $SYSCONFDIR/sse-timeline (the config) and the state in /var/lib/private/sse-timeline"
}

case $action in
install) do_install ;;
uninstall) do_uninstall ;;
*) echo "install.sh: unknown action $action (install or uninstall)" >&2; exit 2 ;;
esac
