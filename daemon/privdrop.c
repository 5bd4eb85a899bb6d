/*
 * privdrop.c: libcap-ng does the setuid-with-capabilities dance
 * (PR_SET_KEEPCAPS, setgroups, setresgid, setresuid, re-raise).
 */
#include <sys/types.h>

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cap-ng.h>

#include "log.h"
#include "privdrop.h"

static int
lookup(const char *user, uid_t *uid, gid_t *gid)
{
	struct passwd	*pw;
	char		*end;
	unsigned long	 n;

	if ((pw = getpwnam(user)) != NULL) {
		*uid = pw->pw_uid;
		*gid = pw->pw_gid;
		return 0;
	}
	/* A number is a uid, 0 too (allow_root decides about that one). */
	errno = 0;
	n = strtoul(user, &end, 10);
	if (*user >= '0' && *user <= '9' && *end == '\0' && errno == 0 &&
	    n < (unsigned long)(uid_t)-1) {
		*uid = (uid_t)n;
		*gid = (gid_t)n;
		return 0;
	}
	return -1;
}

/*
 * Started unprivileged (systemd DynamicUser=yes with AmbientCapabilities=
 * CAP_NET_RAW): nothing to switch, only shed any capability beyond
 * CAP_NET_RAW.  Usually there is none, and then capset(2) is not called:
 * the unit's seccomp filter may forbid it, rightly.
 */
static int
shed_extra_caps(void)
{
	int	i;

	capng_get_caps_process();
	for (i = 0; i <= CAP_LAST_CAP; i++) {
		if (i == CAP_NET_RAW || !capng_have_capability(CAPNG_PERMITTED,
		    (unsigned)i))
			continue;
		capng_clear(CAPNG_SELECT_CAPS);
		capng_update(CAPNG_ADD, CAPNG_EFFECTIVE | CAPNG_PERMITTED,
		    CAP_NET_RAW);
		if (capng_apply(CAPNG_SELECT_CAPS) != 0)
			log_warnx("cannot shed capabilities beyond "
			    "CAP_NET_RAW");
		break;
	}
	return 0;
}

int
priv_drop(const char *user, int allow_root, char *err, size_t errlen)
{
	uid_t	uid;
	gid_t	gid;

	if (geteuid() != 0)
		return shed_extra_caps();
	capng_clear(CAPNG_SELECT_BOTH);
	capng_update(CAPNG_ADD, CAPNG_EFFECTIVE | CAPNG_PERMITTED, CAP_NET_RAW);
	if (user[0] == '\0') {
		if (!allow_root) {
			snprintf(err, errlen, "refusing to run as root: set "
			    "\"user\" in the configuration (or --user), or "
			    "\"allow_root = yes\"");
			return -1;
		}
		log_warnx("running as root (allow_root = yes)");
		return 0;
	}
	if (lookup(user, &uid, &gid) == -1) {
		snprintf(err, errlen, "unknown user \"%s\"", user);
		return -1;
	}
	if (uid == 0 && !allow_root) {
		snprintf(err, errlen, "user \"%s\" is root: set allow_root = "
		    "yes to run as root", user);
		return -1;
	}
	if (capng_change_id((int)uid, (int)gid,
	    CAPNG_DROP_SUPP_GRP | CAPNG_CLEAR_BOUNDING) != 0) {
		snprintf(err, errlen, "cannot switch to user \"%s\" keeping "
		    "CAP_NET_RAW", user);
		return -1;
	}
	if (uid != 0 && (getuid() == 0 || geteuid() == 0)) {
		snprintf(err, errlen, "still root after switching user");
		return -1;
	}
	log_info("running as user %s (uid %lu) with CAP_NET_RAW only", user,
	    (unsigned long)uid);
	return 0;
}
