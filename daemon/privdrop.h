/*
 * privdrop.h: become an unprivileged user that keeps only CAP_NET_RAW.
 */
#ifndef DR_PRIVDROP_H
#define DR_PRIVDROP_H

/*
 * As root: switch to user keeping CAP_NET_RAW (reopening the capture
 * needs it) and nothing else; with user "" refuse unless allow_root.
 * Not root (systemd DynamicUser=yes with AmbientCapabilities): drop
 * every capability but CAP_NET_RAW.  Returns 0 or -1 with err set.
 */
int	priv_drop(const char *user, int allow_root, char *err, size_t errlen);

#endif
