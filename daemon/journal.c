/*
 * journal.c: the one journal writer, for alerts (alert.c) and the log
 * (log.c).
 *
 * sd_journal_sendv() writes to a blocking socket: when journald stalls
 * (SIGSTOP, its queue full) the caller stalls with it (systemd #16456,
 * #5720), and in the loop that would stop the capture and starve the
 * watchdog.  A nonblocking socket of our own would mean redoing
 * libsystemd's sending (field encoding, the memfd path for large
 * entries).  So one thread owns all journal I/O: the loop puts entries
 * into a bounded queue and goes on; the thread sends them in order,
 * takes an entry off the queue only once journald took it (nothing is
 * written twice), and retries while journald is away.
 *
 * The loop learns of trouble from a timer that runs while entries wait:
 * when the writer has been on one entry for STALL_US, journald is
 * stalled or gone (a healthy journald takes a datagram at once).  Then
 * every alert still waiting, and each new one, is shown on stderr at once
 * (syslog once detached), and still goes to the journal when it takes
 * entries again.  An alert that waits SHOW_US behind others (journald
 * slow rather than stuck) is shown too.  Not when stderr is journald's
 * own stream: that would put the alert into the journal twice, so there
 * the entry just waits.
 *
 * A full queue drops the oldest droppable entry (a reminder, a notice)
 * and counts it; an alert that fits nowhere is shown on stderr and
 * counted as not written.  The queue is allocated on first use.
 */
#define SD_JOURNAL_SUPPRESS_LOCATION	/* CODE_FILE= etc. add nothing */

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/un.h>

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <systemd/sd-journal.h>

#include "journal.h"
#include "log.h"

#define QUEUE_MAX	1024		/* entries waiting for journald */
#define TEXT_MAX	1280		/* an alert's stderr line */
#define STALL_US	250000LL	/* one entry not taken: trouble */
#define SHOW_US		500000LL	/* an alert waiting this long: shown */
#define RETRY_US	1000000LL	/* journald away: try again after */
#define US		1000000LL

struct jitem {
	struct dr_journal_entry	 je;
	char			 text[TEXT_MAX];	/* "" for log lines */
	int64_t			 queued;	/* monotonic us */
	int			 shown;		/* on stderr already */
};

static struct {
	/* Shared with the writer thread, under mtx. */
	pthread_mutex_t		 mtx;
	pthread_cond_t		 work;		/* to the writer */
	pthread_cond_t		 progress;	/* from the writer */
	struct jitem		*items;
	uint16_t		 order[QUEUE_MAX];	/* ring, oldest first */
	uint16_t		 freelist[QUEUE_MAX];
	size_t			 head, len, nfree;
	int64_t			 head_since;	/* order[head] is the head */
	int			 inflight;	/* order[head] being sent */
	int			 error;		/* errno of the last try, 0 */
	int			 stop;
	uint64_t		 sent, dropped, unwritten;

	/* The loop's side only. */
	int			 ready;
	int			 may_run, running, closed;
	pthread_t		 thread;
	int			 trouble;
	uint64_t		 dropped_said;
	int			 detached, patient, stream;
	struct event		*ev_check;
} J = {
	.mtx = PTHREAD_MUTEX_INITIALIZER,
	.stream = -1,
};

static void	close_at_exit(void);

static int64_t
mono_us(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * US + ts.tv_nsec / 1000;
}

static struct timespec
mono_at(int64_t us)
{
	struct timespec	ts;

	ts.tv_sec = (time_t)(us / US);
	ts.tv_nsec = (long)(us % US) * 1000;
	return ts;
}

int
journal_stream_is_stderr(void)
{
	const char		*s;
	unsigned long long	 dev, ino;
	struct stat		 st;

	if (J.stream != -1)
		return J.stream;
	J.stream = 0;
	if ((s = getenv("JOURNAL_STREAM")) != NULL &&
	    sscanf(s, "%llu:%llu", &dev, &ino) == 2 &&
	    fstat(STDERR_FILENO, &st) == 0 &&
	    (unsigned long long)st.st_dev == dev &&
	    (unsigned long long)st.st_ino == ino)
		J.stream = 1;
	return J.stream;
}

static int
setup(void)
{
	pthread_condattr_t	ca;
	size_t			i;

	if (J.ready)
		return 0;
	if ((J.items = calloc(QUEUE_MAX, sizeof(*J.items))) == NULL)
		return -1;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&J.work, &ca);
	pthread_cond_init(&J.progress, &ca);
	pthread_condattr_destroy(&ca);
	for (i = 0; i < QUEUE_MAX; i++)
		J.freelist[i] = (uint16_t)(QUEUE_MAX - 1 - i);
	J.nfree = QUEUE_MAX;
	J.ready = 1;
	atexit(close_at_exit);
	return 0;
}

static struct jitem *
at(size_t k)
{
	return &J.items[J.order[(J.head + k) % QUEUE_MAX]];
}

/* Take the k-th oldest entry off the queue (under mtx). */
static void
unqueue(size_t k)
{
	size_t	i;

	J.freelist[J.nfree++] = J.order[(J.head + k) % QUEUE_MAX];
	if (k == 0) {
		J.head = (J.head + 1) % QUEUE_MAX;
		J.head_since = mono_us();
	} else {
		for (i = k; i + 1 < J.len; i++)
			J.order[(J.head + i) % QUEUE_MAX] =
			    J.order[(J.head + i + 1) % QUEUE_MAX];
	}
	J.len--;
}

static int
send_entry(const struct dr_journal_entry *je)
{
	struct iovec	iov[DR_JOURNAL_FIELDS];
	uint32_t	i;
	int		r;

	/*
	 * sd_journal_sendv() returns 0 when the socket is missing (systemd
	 * #4472): look for it first so that the entry stays queued.
	 */
	if (access(DR_JOURNAL_SOCKET, W_OK) == -1)
		return -errno;
	for (i = 0; i < je->nfields && i < DR_JOURNAL_FIELDS; i++) {
		iov[i].iov_base = (void *)(uintptr_t)(je->buf + je->off[i]);
		iov[i].iov_len = je->len[i];
	}
	r = sd_journal_sendv(iov, (int)i);
	return r < 0 ? r : 0;
}

/* The writer thread: all journal I/O happens here, and nothing else. */
static void *
writer(void *arg)
{
	struct dr_journal_entry	 je;
	struct timespec		 ts;
	int			 r;

	(void)arg;
	pthread_mutex_lock(&J.mtx);
	for (;;) {
		while (!J.stop && J.len == 0)
			pthread_cond_wait(&J.work, &J.mtx);
		if (J.stop)
			break;
		je = at(0)->je;
		J.inflight = 1;
		pthread_mutex_unlock(&J.mtx);
		r = send_entry(&je);	/* may block for as long as journald */
		pthread_mutex_lock(&J.mtx);
		J.inflight = 0;
		if (r == 0) {
			unqueue(0);
			J.sent++;
			J.error = 0;
		} else
			J.error = -r;
		pthread_cond_broadcast(&J.progress);
		if (r != 0 && !J.stop) {
			/* Away: try again later, or when told to stop. */
			ts = mono_at(mono_us() + RETRY_US);
			pthread_cond_timedwait(&J.work, &J.mtx, &ts);
		}
	}
	pthread_mutex_unlock(&J.mtx);
	return NULL;
}

static void
run_writer(void)
{
	sigset_t	all, old;

	if (J.running || !J.may_run || J.closed)
		return;
	/* Signals are the loop's business: the thread takes none. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	if (pthread_create(&J.thread, NULL, writer, NULL) == 0)
		J.running = 1;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (!J.running)
		log_warnx("cannot start the journal writer; entries wait");
}

/*
 * syslog(3) would block on a stalled /dev/log just as the journal does:
 * one datagram, sent only if it can go at once.
 */
void
journal_syslog(int pri, const char *text)
{
	struct sockaddr_un	sun;
	char			buf[TEXT_MAX + 64];
	size_t			len;
	int			fd, n;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", _PATH_LOG);
	len = strcspn(text, "\n");
	n = snprintf(buf, sizeof(buf), "<%d>dnsreachd[%ld]: %.*s",
	    LOG_DAEMON | (pri & LOG_PRIMASK), (long)getpid(), (int)len, text);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(buf))
		n = (int)sizeof(buf) - 1;
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
		return;
	(void)sendto(fd, buf, (size_t)n, MSG_DONTWAIT | MSG_NOSIGNAL,
	    (struct sockaddr *)&sun, sizeof(sun));
	close(fd);
}

/*
 * Show an entry where a person sees it while the journal does not take
 * it.  Not on stderr when that is journald's stream (the entry would be
 * in the journal twice), unless force: the entry will never be sent.
 */
static void
show(struct jitem *it, int force)
{
	if (it->shown || it->text[0] == '\0')
		return;
	if (J.detached)
		journal_syslog(it->je.priority, it->text);
	else if (!journal_stream_is_stderr() || force) {
		fputs(it->text, stderr);
		fflush(stderr);
	} else
		return;
	it->shown = 1;
}

static const char *
why(char *buf, size_t len)
{
	if (J.error != 0)
		snprintf(buf, len, "%s", strerror(J.error));
	else
		snprintf(buf, len, "stalled: nothing taken for %lld ms",
		    STALL_US / 1000);
	return buf;
}

enum edge { EDGE_NONE, EDGE_BAD, EDGE_BACK };

/*
 * Under mtx: has the writer been on one entry too long?  Returns the edge,
 * which the caller says once mtx is released, and then shows what waits
 * (the warning first, then the alerts); in trouble already, what waits
 * is shown here.
 */
static enum edge
check_locked(int64_t now, char *reason, size_t len)
{
	enum edge	e = EDGE_NONE;
	size_t		k;

	if (J.len > 0 && J.running && now - J.head_since >= STALL_US) {
		if (!J.trouble) {
			J.trouble = 1;
			why(reason, len);
			return EDGE_BAD;	/* shown after the warning */
		}
	} else if (J.len == 0 && J.trouble && J.error == 0) {
		J.trouble = 0;
		e = EDGE_BACK;
	}
	for (k = 0; k < J.len; k++)
		if (J.trouble || now - at(k)->queued >= SHOW_US)
			show(at(k), 0);
	return e;
}

static void
say(enum edge e, const char *reason)
{
	uint64_t	dropped;
	size_t		k;

	/* Logging queues an entry: never with mtx held. */
	if (e == EDGE_BAD)
		log_warnx("journal unavailable (%s); alerts go to stderr "
		    "until it is back", reason);
	else if (e == EDGE_BACK)
		log_notice("journal is back; alerts go there again");
	pthread_mutex_lock(&J.mtx);
	if (e == EDGE_BAD)
		for (k = 0; k < J.len; k++)
			show(at(k), 0);
	dropped = J.dropped;
	pthread_mutex_unlock(&J.mtx);
	if (dropped > J.dropped_said) {
		J.dropped_said = dropped;
		log_warnx("journal queue full: %llu reminders and notices "
		    "dropped so far", (unsigned long long)dropped);
	}
}

static void
arm_check(void)
{
	struct timeval	tv = { 0, STALL_US };

	if (J.ev_check != NULL && !evtimer_pending(J.ev_check, NULL))
		evtimer_add(J.ev_check, &tv);
}

static void
on_check(evutil_socket_t fd, short what, void *arg)
{
	enum edge	e;
	char		reason[128];
	size_t		len;

	(void)fd;
	(void)what;
	(void)arg;
	pthread_mutex_lock(&J.mtx);
	e = check_locked(mono_us(), reason, sizeof(reason));
	len = J.len;
	pthread_mutex_unlock(&J.mtx);
	say(e, reason);
	/* Idle costs nothing: the timer runs only while entries wait. */
	if (len > 0)
		arm_check();
}

void
journal_attach(struct event_base *base)
{
	if (J.ev_check != NULL) {
		event_free(J.ev_check);
		J.ev_check = NULL;
	}
	if (base == NULL)
		return;
	if ((J.ev_check = evtimer_new(base, on_check, NULL)) == NULL)
		fatalx("cannot set up the journal timer");
	/* Above the capture (live.c): a busy link does not delay it. */
	event_priority_set(J.ev_check, 0);
	pthread_mutex_lock(&J.mtx);
	if (J.len > 0)
		arm_check();
	pthread_mutex_unlock(&J.mtx);
}

void
journal_start(void)
{
	size_t	k;
	int64_t	now = mono_us();

	J.may_run = 1;
	if (!J.ready)
		return;
	/* What waited for the thread has waited for nothing else. */
	for (k = 0; k < J.len; k++)
		at(k)->queued = now;
	J.head_since = now;
	if (J.len > 0)
		run_writer();
}

void
journal_set_detached(int on)
{
	J.detached = on;
	J.stream = -1;		/* fd 2 changed */
}

void
journal_set_patient(int on)
{
	J.patient = on;
}

/* The queue is full (under mtx): make room, or say why not (-1). */
static int
make_room(const struct jitem *new)
{
	struct timespec	ts;
	size_t		k;

	/* A replay waits while journald keeps taking entries. */
	while (J.patient && J.len == QUEUE_MAX && J.running && !J.trouble &&
	    mono_us() - J.head_since < STALL_US) {
		ts = mono_at(mono_us() + STALL_US / 5);
		pthread_cond_timedwait(&J.progress, &J.mtx, &ts);
	}
	if (J.len < QUEUE_MAX)
		return 0;
	for (k = J.inflight ? 1 : 0; k < J.len; k++) {
		if (at(k)->je.droppable) {
			unqueue(k);
			J.dropped++;
			return 0;
		}
	}
	if (new->je.droppable)
		J.dropped++;
	else
		J.unwritten++;
	return -1;
}

void
journal_submit(const struct dr_journal_entry *je, const char *text)
{
	struct jitem	*it, tmp;
	enum edge	 e = EDGE_NONE;
	char		 reason[128];
	int64_t		 now;

	if (J.closed || setup() == -1) {
		/* No writer any more (exit) or no memory: stderr only. */
		if (text != NULL) {
			fputs(text, stderr);
			fflush(stderr);
		}
		return;
	}
	now = mono_us();
	pthread_mutex_lock(&J.mtx);
	e = check_locked(now, reason, sizeof(reason));
	tmp.je = *je;
	snprintf(tmp.text, sizeof(tmp.text), "%s", text != NULL ? text : "");
	tmp.shown = text == NULL;
	tmp.queued = now;
	if (J.trouble && e != EDGE_BAD)
		show(&tmp, 0);
	if (J.len == QUEUE_MAX && make_room(&tmp) == -1) {
		/* Nowhere to keep it: it must not vanish. */
		show(&tmp, !tmp.je.droppable);
		pthread_mutex_unlock(&J.mtx);
		say(e, reason);
		return;
	}
	it = &J.items[J.freelist[--J.nfree]];
	J.order[(J.head + J.len) % QUEUE_MAX] = (uint16_t)(it - J.items);
	*it = tmp;
	if (J.len++ == 0)
		J.head_since = now;
	pthread_cond_signal(&J.work);
	arm_check();
	pthread_mutex_unlock(&J.mtx);
	run_writer();
	say(e, reason);
}

void
journal_close(int ms)
{
	struct timespec	ts;
	int64_t		deadline = mono_us() + (int64_t)ms * 1000;
	size_t		k, left;
	int		joined = 0;
	char		reason[128];

	if (!J.ready || J.closed)
		return;
	J.may_run = 1;
	run_writer();
	pthread_mutex_lock(&J.mtx);
	/* Wait while journald takes entries; not when it is away. */
	while (J.len > 0 && J.running && mono_us() < deadline &&
	    (J.error == 0 || J.inflight)) {
		ts = mono_at(mono_us() + 50000);
		pthread_cond_timedwait(&J.progress, &J.mtx, &ts);
	}
	left = J.len;
	why(reason, sizeof(reason));
	J.stop = 1;
	pthread_cond_broadcast(&J.work);
	pthread_mutex_unlock(&J.mtx);
	if (left > 0 && !J.trouble)
		log_warnx("journal unavailable (%s); alerts go to stderr "
		    "until it is back", reason);
	J.closed = 1;
	pthread_mutex_lock(&J.mtx);
	/* Exiting: what journald did not take goes out by stderr. */
	for (k = 0; k < J.len; k++)
		show(at(k), 1);
	J.unwritten += left;
	pthread_mutex_unlock(&J.mtx);
	if (left > 0)
		log_warnx("%zu journal entries not written to the journal "
		    "(shown on stderr)", left);
	if (J.running) {
		/* A writer stuck in a send is left to exit(). */
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 200 * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		joined = pthread_timedjoin_np(J.thread, NULL, &ts) == 0;
	} else
		joined = 1;
	journal_attach(NULL);
	if (joined) {
		free(J.items);
		J.items = NULL;
		J.running = 0;
	}
}

static void
close_at_exit(void)
{
	journal_close(500);
}

void
journal_stats(struct journal_stats *st)
{
	memset(st, 0, sizeof(*st));
	if (!J.ready)
		return;
	pthread_mutex_lock(&J.mtx);
	st->sent = J.sent;
	st->dropped = J.dropped;
	st->unwritten = J.unwritten;
	st->queued = J.len;
	st->trouble = J.trouble;
	pthread_mutex_unlock(&J.mtx);
}
