/*
 * The helpers of resolve_test_util.h. dnsmasq runs in the foreground as
 * our child, on a port found free just before, with every record the
 * cases use on its command line; a case waits for it by resolving a
 * known name through the loop (bounded), and it is stopped by its PID.
 * A missing dnsmasq fails the case: the test never passes without its
 * server.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "resolve_test_util.h"

#define DNSMASQ          "/usr/sbin/dnsmasq"
#define DNSMASQ_START_MS 5000

/* The zone the cases resolve in; "test" is reserved (RFC 6761 §6.2). */
static const char *const records[] = {
	"--local=/test/", /* unknown names: NXDOMAIN, never forwarded */
	"--host-record=ready.test,127.0.0.9",
	/* Two priorities, weights 60 and 40 in the first. */
	"--srv-host=_sip._udp.prio.test,p1a.prio.test,5071,10,60",
	"--srv-host=_sip._udp.prio.test,p1b.prio.test,5072,10,40",
	"--srv-host=_sip._udp.prio.test,p2.prio.test,5073,20,0",
	"--host-record=p1a.prio.test,10.0.1.1",
	"--host-record=p1b.prio.test,10.0.1.2",
	"--host-record=p2.prio.test,10.0.2.1",
	/* An SRV target with A and AAAA. */
	"--srv-host=_sip._udp.dual.test,host.dual.test,5080,10,0",
	"--host-record=host.dual.test,10.0.3.1,fd00::31",
	/* No SRV at all. */
	"--host-record=plain.test,10.0.4.1",
	/* SIPS beside SIP. */
	"--srv-host=_sips._tcp.secure.test,tls.secure.test,5099,10,0",
	"--srv-host=_sip._udp.secure.test,udp.secure.test,5098,10,0",
	"--host-record=tls.secure.test,10.0.5.1",
	"--host-record=udp.secure.test,10.0.5.2",
	/* UDP and TCP, no NAPTR. */
	"--srv-host=_sip._udp.mixed.test,u.mixed.test,5001,10,0",
	"--srv-host=_sip._tcp.mixed.test,t.mixed.test,5002,10,0",
	"--host-record=u.mixed.test,10.0.6.1",
	"--host-record=t.mixed.test,10.0.6.2",
	/* NAPTR: SCTP first (unusable), then TCP and UDP by preference,
	 * SIPS at a later order. */
	"--naptr-record=naptr.test,5,10,s,SIP+D2S,,_sip._sctp.naptr.test",
	"--naptr-record=naptr.test,10,20,s,SIP+D2U,,_sip._udp.naptr.test",
	"--naptr-record=naptr.test,10,10,s,SIP+D2T,,_sip._tcp.naptr.test",
	"--naptr-record=naptr.test,30,10,s,SIPS+D2T,,_sips._tcp.naptr.test",
	"--srv-host=_sip._udp.naptr.test,nu.naptr.test,5010,10,0",
	"--srv-host=_sip._tcp.naptr.test,nt.naptr.test,5011,10,0",
	"--srv-host=_sips._tcp.naptr.test,ns.naptr.test,5012,10,0",
	"--host-record=nu.naptr.test,10.0.7.1",
	"--host-record=nt.naptr.test,10.0.7.2",
	"--host-record=ns.naptr.test,10.0.7.3",
	/* A name with its own address and an SRV pointing elsewhere. */
	"--host-record=withsrv.test,10.0.8.1",
	"--srv-host=_sip._udp.withsrv.test,other.withsrv.test,5090,10,0",
	"--host-record=other.withsrv.test,10.0.8.2",
	/* RFC 2782's target ".": no SIP over UDP here, whatever A says. */
	"--srv-host=_sip._udp.gone.test",
	"--host-record=gone.test,10.0.10.1",
};

void rt_record(void *arg, int err, struct net_targets *targets_take)
{
	struct rt_result *r = arg;

	r->calls++;
	r->err = err;
	net_targets_free(r->targets);
	r->targets = targets_take;
}

void rt_result_clear(struct rt_result *r)
{
	net_targets_free(r->targets);
	memset(r, 0, sizeof(*r));
}

uint64_t rt_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

bool rt_wait_result(struct rt_env *env, const struct rt_result *r, int limit_ms)
{
	uint64_t end = rt_now_ms() + (uint64_t)limit_ms;

	while (!r->calls && rt_now_ms() < end)
		event_base_loop(env->base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
	return r->calls > 0;
}

bool rt_wait_idle(struct rt_env *env, size_t i, int limit_ms)
{
	uint64_t end = rt_now_ms() + (uint64_t)limit_ms;

	while (net_resolver_pending(env->res[i]) && rt_now_ms() < end)
		event_base_loop(env->base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
	return net_resolver_pending(env->res[i]) == 0;
}

int rt_resolve(struct rt_env *env, size_t i, const char *text, int limit_ms)
{
	struct sip_parse_error perr;
	struct sip_uri uri;
	int rc;

	rt_result_clear(&env->last);
	if (sip_uri_parse(S(text), &uri, &perr)) {
		test_fail(__FILE__, __LINE__, "bad URI %s", text);
		return EINVAL;
	}
	rc = net_resolve_uri(env->res[i], &uri, rt_record, &env->last, NULL);
	if (rc)
		return rc;
	if (!rt_wait_result(env, &env->last, limit_ms))
		return ETIME;
	return env->last.err;
}

int rt_start(struct rt_env *env, const char *text, struct rt_result *r,
	     struct net_resolve **handle_out)
{
	struct sip_parse_error perr;
	struct sip_uri uri;

	if (sip_uri_parse(S(text), &uri, &perr)) {
		test_fail(__FILE__, __LINE__, "bad URI %s", text);
		return EINVAL;
	}
	return net_resolve_uri(env->res[0], &uri, rt_record, r, handle_out);
}

/* A loopback UDP socket bound to a free port; its fd, or -1. */
static int udp_bound(uint16_t *port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	socklen_t len = sizeof(sin);
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sin, sizeof(sin)) ||
	    getsockname(fd, (struct sockaddr *)&sin, &len)) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	*port = ntohs(sin.sin_port);
	return fd;
}

static pid_t dnsmasq_spawn(uint16_t port)
{
	enum { FIXED = 10, NREC = sizeof(records) / sizeof(records[0]) };
	char port_arg[32];
	const char *argv[FIXED + NREC + 1] = {
		DNSMASQ,
		"--no-daemon",
		port_arg,
		"--listen-address=127.0.0.1",
		"--bind-interfaces",
		"--no-resolv",
		"--no-hosts",
		"--conf-file=/dev/null",
		"--log-facility=-",
		"--pid-file=",
	};
	pid_t pid;
	int devnull;

	snprintf(port_arg, sizeof(port_arg), "--port=%u", port);
	memcpy(&argv[FIXED], records, sizeof(records));
	argv[FIXED + NREC] = NULL;
	if ((pid = fork()) != 0)
		return pid;
	/* The child: never outlive the test, even when it crashes. */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	devnull = open("/dev/null", O_RDWR);
	dup2(devnull, 0);
	dup2(devnull, 1);
	dup2(devnull, 2);
	execv(DNSMASQ, (char *const *)argv);
	_exit(127);
}

static void dnsmasq_stop(struct rt_env *env)
{
	int status;

	if (env->dns_pid <= 0)
		return;
	kill(env->dns_pid, SIGTERM);
	waitpid(env->dns_pid, &status, 0);
	env->dns_pid = 0;
}

/* Resolves a known name until dnsmasq answers, or exits, or time's up. */
static int dnsmasq_wait(struct rt_env *env)
{
	struct net_resolver_config cfg = { .timeout_ms = 200, .tries = 1 };
	uint64_t end = rt_now_ms() + DNSMASQ_START_MS;
	int rc = ETIME, status;

	cfg.servers = env->servers;
	if ((rc =
		 net_resolver_new(env->base, &env->timers, &cfg, &env->res[0])))
		return rc;
	do {
		if (waitpid(env->dns_pid, &status, WNOHANG) == env->dns_pid) {
			fprintf(stderr, "dnsmasq on %s exited (status %d)\n",
				env->servers,
				WIFEXITED(status) ? WEXITSTATUS(status) : -1);
			env->dns_pid = 0;
			rc = ECHILD;
			break;
		}
		rc = rt_resolve(env, 0, "sip:ready.test:5060", 1000);
	} while (rc && rt_now_ms() < end);
	net_resolver_free(env->res[0]);
	env->res[0] = NULL;
	rt_result_clear(&env->last);
	return rc;
}

static int dnsmasq_start(struct rt_env *env)
{
	int rc = ECHILD;

	if (access(DNSMASQ, X_OK) != 0) {
		test_fail(__FILE__, __LINE__,
			  "%s is missing: these tests need a real DNS server "
			  "(Debian package dnsmasq-base, see scripts/setup.sh)",
			  DNSMASQ);
		return ENOENT;
	}
	/* The port may be taken for TCP, or between our probe and its
	 * bind: dnsmasq then exits, and we try another. */
	for (int attempt = 0; attempt < 5 && rc == ECHILD; attempt++) {
		uint16_t port;
		int fd = udp_bound(&port);

		if (fd < 0)
			return errno;
		close(fd);
		snprintf(env->servers, sizeof(env->servers), "127.0.0.1:%u",
			 port);
		if ((env->dns_pid = dnsmasq_spawn(port)) < 0)
			return errno;
		rc = dnsmasq_wait(env);
	}
	if (rc)
		test_fail(__FILE__, __LINE__, "dnsmasq did not answer (%s)",
			  strerror(rc));
	return rc;
}

static int server_open(struct rt_env *env, enum rt_server server)
{
	uint16_t port = 0;
	int fd;

	switch (server) {
	case RT_DNSMASQ: return dnsmasq_start(env);
	case RT_NONE: /* the discard port: any query would go nowhere */
	case RT_SILENT:
	case RT_REFUSING:
		if ((fd = udp_bound(&port)) < 0)
			return errno;
		if (server == RT_SILENT)
			env->silent_fd = fd;
		else
			close(fd);
		break;
	}
	snprintf(env->servers, sizeof(env->servers), "127.0.0.1:%u",
		 server == RT_NONE ? 9 : port);
	return 0;
}

int rt_add_resolver(struct rt_env *env, size_t i,
		    const struct net_resolver_config *cfg)
{
	struct net_resolver_config c = { 0 };

	if (cfg)
		c = *cfg;
	c.servers = env->servers;
	return net_resolver_new(env->base, &env->timers, &c, &env->res[i]);
}

int rt_open(struct rt_env *env, enum rt_server server,
	    const struct net_resolver_config *cfg)
{
	int rc;

	memset(env, 0, sizeof(*env));
	env->silent_fd = -1;
	tnd_timers_init(&env->timers, tnd_clock_monotonic);
	if (!(env->base = event_base_new()))
		return ENOMEM;
	if ((rc = server_open(env, server)))
		return rc;
	return rt_add_resolver(env, 0, cfg);
}

void rt_close(struct rt_env *env)
{
	for (size_t i = 0; i < RT_MAX_RESOLVERS; i++) {
		net_resolver_free(env->res[i]);
		env->res[i] = NULL;
	}
	rt_result_clear(&env->last);
	dnsmasq_stop(env);
	if (env->silent_fd >= 0)
		close(env->silent_fd);
	env->silent_fd = -1;
	if (env->base)
		event_base_free(env->base);
	env->base = NULL;
}

int rt_with_env(enum rt_server server, const struct net_resolver_config *cfg,
		int (*body)(struct rt_env *env))
{
	struct rt_env env;
	int rc = rt_open(&env, server, cfg);

	if (!rc)
		rc = body(&env);
	rt_close(&env);
	return rc;
}

static const char *transport_name(enum net_transport t)
{
	return t == NET_UDP ? "udp" : t == NET_TCP ? "tcp" : "tls";
}

const char *rt_targets_str(const struct net_targets *ts, char *buf, size_t size)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; ts && i < ts->n && used < size; i++) {
		const struct net_target *t = &ts->t[i];
		char ip[INET6_ADDRSTRLEN] = "?";
		unsigned port = 0;
		bool v6 = t->addr.ss_family == AF_INET6;

		if (v6) {
			const struct sockaddr_in6 *a = (const void *)&t->addr;

			inet_ntop(AF_INET6, &a->sin6_addr, ip, sizeof(ip));
			port = ntohs(a->sin6_port);
		} else {
			const struct sockaddr_in *a = (const void *)&t->addr;

			inet_ntop(AF_INET, &a->sin_addr, ip, sizeof(ip));
			port = ntohs(a->sin_port);
		}
		used +=
		    (size_t)snprintf(buf + used, size - used, "%s%s:%s%s%s:%u",
				     i ? " " : "", transport_name(t->transport),
				     v6 ? "[" : "", ip, v6 ? "]" : "", port);
	}
	return buf;
}
