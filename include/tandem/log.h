/*
 * Logging: one line per event, to stderr by default, with a level filter.
 * Lower layers return codes and do not log; the layer that decides logs
 * once, with context.
 */
#ifndef TANDEM_LOG_H
#define TANDEM_LOG_H

enum tnd_log_level {
	TND_LOG_ERROR,
	TND_LOG_WARN,
	TND_LOG_INFO,
	TND_LOG_DEBUG,
};

typedef void (*tnd_log_sink_fn)(enum tnd_log_level level, const char *line,
				void *arg);

void tnd_log_set_level(enum tnd_log_level level);
/* Replaces the stderr sink (tests capture lines); NULL restores stderr. */
void tnd_log_set_sink(tnd_log_sink_fn sink, void *arg);
void tnd_log(enum tnd_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#define tnd_log_error(...) tnd_log(TND_LOG_ERROR, __VA_ARGS__)
#define tnd_log_warn(...)  tnd_log(TND_LOG_WARN, __VA_ARGS__)
#define tnd_log_info(...)  tnd_log(TND_LOG_INFO, __VA_ARGS__)
#define tnd_log_debug(...) tnd_log(TND_LOG_DEBUG, __VA_ARGS__)

#endif
