/*
 * journal.c: entries built by lib/sink.c, sent with sd_journal_sendv().
 */
#define SD_JOURNAL_SUPPRESS_LOCATION	/* CODE_FILE= etc. add nothing */

#include <sys/uio.h>

#include <errno.h>
#include <unistd.h>

#include <systemd/sd-journal.h>

#include "journal.h"

int
journal_available(void)
{
	return access(DR_JOURNAL_SOCKET, W_OK) == 0;
}

int
journal_send(const struct dr_journal_entry *je)
{
	struct iovec	iov[DR_JOURNAL_FIELDS];
	uint32_t	i;

	/*
	 * sd_journal_send() returns 0 when the socket is missing (systemd
	 * #4472): look for it ourselves so the caller can fall back.
	 */
	if (!journal_available())
		return -errno;
	for (i = 0; i < je->nfields && i < DR_JOURNAL_FIELDS; i++) {
		iov[i].iov_base = (void *)(uintptr_t)(je->buf + je->off[i]);
		iov[i].iov_len = je->len[i];
	}
	return sd_journal_sendv(iov, (int)i) < 0 ? -EIO : 0;
}
