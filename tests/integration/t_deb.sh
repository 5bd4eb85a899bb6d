#!/bin/sh
# The Debian package: make deb builds it in a copy of the tree (the
# worktree stays as it was), lintian finds no error or warning, the
# binary has Debian's hardening; then it is installed, installed again,
# upgraded, removed and purged on this machine, where systemd is not
# PID 1 (the maintainer scripts must cope), and leaves nothing behind.
. "$(dirname "$0")/../lib.sh"

FAILING_ID=5b2d8a0e4c7f4f7e9a31d6c2b8e0f417	# a catalog entry of ours
tmp=$(mktemp -d)
installed=
cleanup() {
	# Whatever failed, the package does not stay on the machine.
	[ -n "$installed" ] && dpkg_w --purge dnsreach
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
# The package is built with Debian's flags, not those of a make that runs
# this test.
unset MAKEFLAGS MFLAGS MAKELEVEL

if [ "$(id -u)" != 0 ]; then
	skip "the package test installs a package: needs root"
	finish
	exit 0
fi
# Two checkouts tested at once on one machine would install and purge the
# same package under each other: one at a time.  The lock is on a
# directory, so no lock file stays behind.
exec 9</run/lock
if ! flock -w 900 9; then
	not_ok "another t_deb.sh held the lock for 15 minutes"
	finish
	exit 1
fi
st=$(dpkg-query -W -f='${db:Status-Status}' dnsreach 2>/dev/null)
if [ -n "$st" ] && [ "$st" != not-installed ]; then
	skip "dnsreach is already on this machine ($st): not touching it"
	finish
	exit 0
fi

# dpkg_w ARGS...: dpkg, waiting (up to 5 minutes) while another apt or
# dpkg holds its lock, as on a machine shared with other builds.  Output
# in $tmp/dpkg.out.
dpkg_w() {
	n=0
	while :; do
		dpkg "$@" </dev/null >"$tmp/dpkg.out" 2>&1 && return 0
		rc=$?
		grep -q "locked by another process" "$tmp/dpkg.out" &&
		    [ $n -lt 300 ] || return $rc
		sleep 1
		n=$((n + 1))
	done
}
# quiet_dpkg: dpkg said nothing alarming (a warning such as "directory
# not empty so not removed" means something was left behind).
quiet_dpkg() {
	grep -Ei 'warning|error|fail' "$tmp/dpkg.out" >"$tmp/alarm"
	[ -s "$tmp/alarm" ] && show "$tmp/alarm" && return 1
	return 0
}
# show FILE: FILE's lines as TAP comments, after a failed check.
show() {
	sed 's/^/#   /' "$1"
}
# leftovers: every path on the system named after the package.
leftovers() {
	find -H /etc /lib /usr /var/lib /var/cache /run -xdev \
	    -name '*dnsreach*' 2>/dev/null | sort
}

cd "$TESTS_DIR/.." || exit 1
touch "$tmp/stamp"
# The unit tests ran already (make check): nocheck saves their time.
DEB_BUILD_OPTIONS="nocheck${DEB_BUILD_OPTIONS:+ $DEB_BUILD_OPTIONS}" \
    make -s deb DEBOUT="$tmp" >"$tmp/deb.log" 2>&1
rc=$?
deb=$(ls "$tmp"/dnsreach_*.deb 2>/dev/null | head -n 1)
check "make deb builds dnsreach_*.deb" \
    sh -c "[ $rc = 0 ] && [ -n '$deb' ] && [ -s '$deb' ]"
if [ -z "$deb" ]; then
	tail -n 20 "$tmp/deb.log"
	finish
	exit 1
fi
# Git's own directory is not the worktree (and other worktrees of the
# same repository may commit meanwhile).
find . -path ./.git -prune -o -newer "$tmp/stamp" -print >"$tmp/touched"
check "make deb leaves the worktree as it was" \
    sh -c "! [ -s $tmp/touched ]"
[ -s "$tmp/touched" ] && show "$tmp/touched"

lintian --fail-on error,warning "$deb" >"$tmp/lintian" 2>&1
rc=$?
check "lintian: no errors or warnings (exit $rc)" \
    sh -c "[ $rc = 0 ] && ! grep -Eq '^[EW]: ' $tmp/lintian"
[ $rc = 0 ] || show "$tmp/lintian"

dpkg-deb -c "$deb" | awk '{ print $NF }' | sed 's|^\./|/|' >"$tmp/contents"
for f in /usr/sbin/dnsreachd /etc/dnsreach/dnsreach.conf \
    /lib/systemd/system/dnsreachd.service \
    /lib/systemd/system/dnsreachd@.service \
    /usr/lib/systemd/catalog/dnsreach.catalog \
    /usr/share/man/man8/dnsreachd.8.gz \
    /usr/share/man/man5/dnsreach.conf.5.gz \
    /usr/share/doc/dnsreach/copyright \
    /usr/share/doc/dnsreach/README.Debian; do
	check "package ships $f" grep -qx "$f" "$tmp/contents"
done
# dh_compress gzips documents over 4 kB.
for f in README.md operations.md; do
	check "package ships $f" \
	    grep -Eqx "/usr/share/doc/dnsreach/$f(\.gz)?" "$tmp/contents"
done
dpkg-deb --ctrl-tarfile "$deb" | tar -xOf - ./conffiles >"$tmp/conffiles"
check "/etc/dnsreach/dnsreach.conf is a conffile" \
    grep -qx /etc/dnsreach/dnsreach.conf "$tmp/conffiles"

# Files of the package that are on the machine already (a make install
# to /usr, say) would be taken over and then purged: leave them alone.
while read -r f; do
	[ -f "$f" ] && echo "$f"
done <"$tmp/contents" >"$tmp/present"
if [ -s "$tmp/present" ]; then
	skip "files of the package exist already, e.g. $(head -n 1 "$tmp/present")"
	finish
	exit 0
fi

leftovers >"$tmp/before"
journalctl --list-catalog 2>/dev/null | md5sum >"$tmp/catalog.before"

dpkg_w -i "$deb"
rc=$?
installed=1
check "dpkg -i without systemd as PID 1 (exit $rc)" [ $rc = 0 ]
check "dpkg -i: no warning from the maintainer scripts" quiet_dpkg
bin=/usr/sbin/dnsreachd
pkgver=$(dpkg-query -W -f='${Version}' dnsreach)
check "installed dnsreachd --version is the package's $pkgver" \
    sh -c "$bin --version | head -n 1 | grep -q '^dnsreachd $pkgver '"
check "installed configuration checks" \
    sh -c "$bin --check-config 2>&1 | grep -qx 'configuration OK'"
check "hardening: full RELRO (GNU_RELRO and BIND_NOW)" \
    sh -c "readelf -lW $bin | grep -q GNU_RELRO &&
    readelf -dW $bin | grep -Eq 'BIND_NOW|FLAGS_1.*NOW'"
check "hardening: PIE (ELF type DYN)" \
    sh -c "readelf -hW $bin | grep -q 'Type: *DYN'"
check "hardening: stack protector and fortified calls" \
    sh -c "readelf -sW --dyn-syms $bin | grep -q __stack_chk_fail &&
    readelf -sW --dyn-syms $bin | grep -Eq '__[a-z]+_chk@'"
check "package built with dpkg-buildflags, not the Makefile's defaults" \
    sh -c "$bin --version | grep -q '^CPPFLAGS: -Wdate-time' &&
    ! $bin --version | grep -q -- '-fPIE'"
# (systemctl --root reads the unit files: no systemd needed.)
check "unit installed but not enabled" \
    sh -c "[ \"\$(systemctl --root=/ is-enabled dnsreachd.service)\" = \
    disabled ] && [ -z \"\$(find /etc/systemd/system -name 'dnsreachd*')\" ]"
check "installed units verify" \
    sh -c "cp /lib/systemd/system/dnsreachd@.service \
    $tmp/dnsreachd@eth0.service &&
    systemd-analyze verify --man=no /lib/systemd/system/dnsreachd.service \
    $tmp/dnsreachd@eth0.service >$tmp/verify 2>&1 && ! [ -s $tmp/verify ]"
check "catalog updated on install (journalctl --dump-catalog)" \
    sh -c "journalctl --dump-catalog $FAILING_ID 2>/dev/null |
    grep -q 'Defined-By: dnsreach'"
check "man dnsreachd finds the page" \
    sh -c "man -w dnsreachd | grep -q /usr/share/man/man8/dnsreachd.8"

# A local change to the conffile survives reinstall and upgrade.
echo "# local change" >>/etc/dnsreach/dnsreach.conf
dpkg_w -i "$deb"
rc=$?
check "dpkg -i of the same package again (exit $rc)" [ $rc = 0 ]
check "reinstall: no warning" quiet_dpkg
# An upgrade: the same package as a newer version.
dpkg-deb -R "$deb" "$tmp/up"
sed -i "s/^Version: .*/Version: $pkgver+t1/" "$tmp/up/DEBIAN/control"
dpkg-deb -b "$tmp/up" "$tmp/up.deb" >/dev/null 2>&1
dpkg_w -i "$tmp/up.deb"
rc=$?
check "upgrade to $pkgver+t1 (exit $rc)" \
    sh -c "[ $rc = 0 ] &&
    [ \$(dpkg-query -W -f='\${Version}' dnsreach) = '$pkgver+t1' ]"
check "upgrade: no warning" quiet_dpkg
check "reinstall and upgrade keep the local change to the conffile" \
    grep -qx "# local change" /etc/dnsreach/dnsreach.conf

dpkg_w -r dnsreach
rc=$?
check "dpkg -r (exit $rc)" [ $rc = 0 ]
check "dpkg -r: no warning" quiet_dpkg
check "removed: binary, units and catalog gone, configuration kept" \
    sh -c "! [ -e $bin ] &&
    ! [ -e /lib/systemd/system/dnsreachd.service ] &&
    ! [ -e /lib/systemd/system/dnsreachd@.service ] &&
    ! [ -e /usr/lib/systemd/catalog/dnsreach.catalog ] &&
    [ -e /etc/dnsreach/dnsreach.conf ]"
check "removed: catalog entry gone" \
    sh -c "! journalctl --dump-catalog $FAILING_ID >/dev/null 2>&1"
dpkg_w -P dnsreach
rc=$?
check "dpkg -P (exit $rc)" [ $rc = 0 ]
check "dpkg -P: no warning" quiet_dpkg
installed=
leftovers >"$tmp/after"
check "purged: nothing named dnsreach left on the system" \
    cmp -s "$tmp/before" "$tmp/after"
diff "$tmp/before" "$tmp/after" >"$tmp/diff" || show "$tmp/diff"
check "purged: dpkg forgot the package" \
    sh -c "! dpkg-query -W dnsreach >/dev/null 2>&1"
journalctl --list-catalog 2>/dev/null | md5sum >"$tmp/catalog.after"
check "purged: the journal catalog is as it was" \
    cmp -s "$tmp/catalog.before" "$tmp/catalog.after"
finish
