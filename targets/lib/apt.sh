# shellcheck shell=sh
# Debian package helpers for the install scripts (POSIX sh). Source it; do not run it.
#   apt_install PKG[=VER]...  install what is missing; never starts a service
#   deb_extract PKG DEST      unpack PKG's .deb into DEST without registering it with dpkg
#   base_tools             python3 + openssl, which every start/stop script uses
set -eu
export DEBIAN_FRONTEND=noninteractive
APT_OPTS="-q -o DPkg::Lock::Timeout=300"

installed() {   # installed PKG[=VER]
    case $1 in
    *=*) [ "$(dpkg-query -W -f='${Status} ${Version}' "${1%%=*}" 2>/dev/null)" = \
           "install ok installed ${1#*=}" ] ;;
    *) dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed" ;;
    esac
}

apt_lists_present() {
    for f in /var/lib/apt/lists/*_Packages*; do [ -e "$f" ] && return 0; done
    return 1
}

apt_update() {
    # shellcheck disable=SC2086
    apt-get update $APT_OPTS
}

# Run "$@" (an apt-get command); if it fails, refresh the package lists and retry:
# old lists name .deb versions the mirror no longer serves.
apt_retry() {
    apt_lists_present || apt_update
    "$@" && return 0
    echo "apt: '$*' failed; refreshing package lists and retrying" >&2
    apt_update
    "$@"
}

apt_install() {
    [ $# -gt 0 ] || return 0
    missing=""
    for p in "$@"; do installed "$p" || missing="$missing $p"; done
    if [ -z "$missing" ]; then echo "already installed: $*"; return 0; fi
    # Package postinst scripts must not start daemons (we start private instances).
    made_policy=0
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
        chmod +x /usr/sbin/policy-rc.d; made_policy=1
    fi
    rc=0
    # shellcheck disable=SC2086
    apt_retry apt-get install -y --no-install-recommends $APT_OPTS $missing || rc=$?
    [ $made_policy = 1 ] && rm -f /usr/sbin/policy-rc.d
    return $rc
}

candidate() {
    apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/{print $2}'
}

# dovecot-imapd, cyrus-imapd and courier-imap all "Provide: imap-server" and conflict:
# `apt-get install` of one silently REMOVES the others. So Cyrus and Courier are
# unpacked into a private prefix instead; their dependencies are apt-installed.
deb_extract() {
    pkg=$1; dest=$2
    apt_lists_present || apt_update
    ver=$(candidate "$pkg")
    if [ -z "$ver" ] || [ "$ver" = "(none)" ]; then apt_update; ver=$(candidate "$pkg"); fi
    if [ -f "$dest/.deb-version" ] && [ "$(cat "$dest/.deb-version")" = "$pkg=$ver" ]; then
        echo "already unpacked: $pkg=$ver in $dest"; return 0
    fi
    tmp=$(mktemp -d); chmod 755 "$tmp"
    chown _apt "$tmp" 2>/dev/null || true   # apt downloads as its _apt user
    if ! (cd "$tmp" && apt-get download -q "$pkg=$ver"); then
        apt_update; ver=$(candidate "$pkg")
        (cd "$tmp" && apt-get download -q "$pkg=$ver")
    fi
    # Its exact-version dependencies (cyrus-imapd: cyrus-common (= V)) must match.
    # shellcheck disable=SC2046
    apt_install $(dpkg-deb -f "$tmp"/*.deb Depends | tr ',' '\n' |
        sed -n 's/^ *\([^ |]*\) (= \([^)]*\)).*$/\1=\2/p')
    rm -rf "$dest"; mkdir -p "$dest"
    dpkg-deb -x "$tmp"/*.deb "$dest"
    echo "$pkg=$ver" > "$dest/.deb-version"
    rm -rf "$tmp"
    echo "unpacked $pkg=$ver into $dest"
}

base_tools() {
    apt_install python3 openssl
}
