/*
 * Level-filtered logging to stderr or to a sink a test installs.
 */
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#include "tandem/log.h"

static enum tnd_log_level max_level = TND_LOG_INFO;
static tnd_log_sink_fn sink;
static void *sink_arg;

static const char *level_name(enum tnd_log_level level)
{
	switch (level) {
	case TND_LOG_ERROR: return "ERROR";
	case TND_LOG_WARN: return "WARN";
	case TND_LOG_INFO: return "INFO";
	case TND_LOG_DEBUG: return "DEBUG";
	}
	return "?";
}

void tnd_log_set_level(enum tnd_log_level level)
{
	max_level = level;
}

void tnd_log_set_sink(tnd_log_sink_fn fn, void *arg)
{
	sink = fn;
	sink_arg = arg;
}

void tnd_log(enum tnd_log_level level, const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	if (level > max_level)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (sink) {
		sink(level, line, sink_arg);
		return;
	}
	struct timespec now;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &now);
	gmtime_r(&now.tv_sec, &tm);
	fprintf(stderr, "%02d:%02d:%02d.%03ld %-5s %s\n", tm.tm_hour, tm.tm_min,
		tm.tm_sec, now.tv_nsec / 1000000L, level_name(level), line);
}
