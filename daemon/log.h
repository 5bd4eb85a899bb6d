/*
 * log.h: the daemon's own messages (not alerts), OpenNTPD style.
 */
#ifndef DR_LOG_H
#define DR_LOG_H

#include <stdarg.h>

/*
 * to_journal: also send notices and worse to the journal (when journald
 * listens and stderr is not already a journal stream).  verbose: print
 * debug messages.
 */
void	log_init(int to_journal, int verbose);
void	log_set_journal(int);
/* stderr went to /dev/null (daemon(3)). */
void	log_set_detached(void);
void	log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_errx(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_notice(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
void	fatal(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));
void	fatalx(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));

#endif
