/*
 * Helpers for the resolver tests: an event_base with a real-clock timer
 * facility and resolvers on it, a DNS server to point them at (dnsmasq
 * on a free loopback port with the records of resolve_test_util.c, a
 * socket that never answers, or a closed port), and a lookup that drives
 * the loop without sleeping until its callback runs. Targets print as
 * "udp:10.0.0.1:5060" / "tls:[fd00::1]:5061" for exact comparisons.
 */
#ifndef TANDEM_RESOLVE_TEST_UTIL_H
#define TANDEM_RESOLVE_TEST_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "tandem/resolve.h"
#include "test.h"

struct event_base;

enum rt_server {
	RT_NONE,     /* no DNS server at all: the servers list names none */
	RT_DNSMASQ,  /* dnsmasq with the test records */
	RT_SILENT,   /* a bound UDP socket nobody reads */
	RT_REFUSING, /* a loopback UDP port nothing is bound to */
};

/* What a lookup's callback got. */
struct rt_result {
	int calls;
	int err;
	struct net_targets *targets; /* owned here */
};
void rt_record(void *arg, int err, struct net_targets *targets_take);
void rt_result_clear(struct rt_result *r);

#define RT_MAX_RESOLVERS 2

struct rt_env {
	struct event_base *base;
	struct tnd_timers timers;
	struct net_resolver *res[RT_MAX_RESOLVERS]; /* [0]: the default */
	char servers[64];
	pid_t dns_pid; /* 0: no dnsmasq */
	int silent_fd;
	struct rt_result last;
};

/*
 * Opens env with `server` and a resolver res[0] on it, configured by
 * `cfg` (NULL: defaults) with its servers field replaced. Returns 0, or
 * an errno after reporting why through test_fail.
 */
int rt_open(struct rt_env *env, enum rt_server server,
	    const struct net_resolver_config *cfg);
/* Another resolver on env's server, into res[i]. */
int rt_add_resolver(struct rt_env *env, size_t i,
		    const struct net_resolver_config *cfg);
/* Frees the resolvers, the last result, stops dnsmasq. Always safe. */
void rt_close(struct rt_env *env);
/* rt_open, body(env), rt_close: a case whose checks may return early. */
int rt_with_env(enum rt_server server, const struct net_resolver_config *cfg,
		int (*body)(struct rt_env *env));

/* Starts resolving `uri` with res[0] into `r`: net_resolve_uri's error. */
int rt_start(struct rt_env *env, const char *uri, struct rt_result *r,
	     struct net_resolve **handle_out);

/*
 * Resolves `uri` with env->res[i], driving the loop until the callback
 * runs (at most `limit_ms` of wall time), into env->last. Returns
 * net_resolve_uri's error, the callback's, or ETIME when it never came.
 */
int rt_resolve(struct rt_env *env, size_t i, const char *uri, int limit_ms);
/* Drives the loop until r's callback ran; false after `limit_ms`. */
bool rt_wait_result(struct rt_env *env, const struct rt_result *r,
		    int limit_ms);
/* Drives the loop until res[i] holds no lookup; false after `limit_ms`. */
bool rt_wait_idle(struct rt_env *env, size_t i, int limit_ms);
/* Milliseconds on the monotonic clock. */
uint64_t rt_now_ms(void);

/* "udp:10.0.0.1:5060 tcp:[::1]:5061" into buf[size]. */
const char *rt_targets_str(const struct net_targets *ts, char *buf,
			   size_t size);

#define CHECK_TARGETS(ts, want)                                            \
	do {                                                               \
		char tb_[1024];                                            \
		const char *got_ = rt_targets_str((ts), tb_, sizeof(tb_)); \
		if (strcmp(got_, (want)) != 0) {                           \
			test_fail(__FILE__, __LINE__,                      \
				  "targets \"%s\", want \"%s\"", got_,     \
				  (want));                                 \
			return EPROTO;                                     \
		}                                                          \
	} while (0)

#endif
