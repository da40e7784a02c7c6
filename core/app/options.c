/*
 * Command-line parsing for the tandem command.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"
#include "tandem/mem.h"

void app_options_usage(FILE *to)
{
	fprintf(
	    to,
	    "usage: tandem [options]\n"
	    "  --script FILE             the Lua dialplan; SIGHUP reloads "
	    "it\n"
	    "  --check FILE              load a dialplan, report errors, "
	    "exit\n"
	    "  --lua-dir DIR             where tandem/*.lua live (built-in)\n"
	    "  --max-calls N             live calls before 503 (100000)\n"
	    "  --listen PROTO:ADDR:PORT  listen (udp, tcp, tls); repeatable, "
	    "e.g.\n"
	    "                            udp:127.0.0.1:5060, tls:[::1]:5061\n"
	    "  --tls-cert FILE           PEM certificate chain for TLS (ours "
	    "first)\n"
	    "  --tls-key FILE            PEM private key of --tls-cert\n"
	    "  --tls-ca FILE             PEM CAs trusted for TLS peers (system "
	    "ones)\n"
	    "  --tls-verify-client       TLS clients must present a "
	    "certificate\n"
	    "  --t1 MS, --t2 MS, --t4 MS RFC 3261 timer bases (500, 4000, "
	    "5000)\n"
	    "  --ping URI                send OPTIONS to this peer every\n"
	    "                            --ping-interval MS (30000); "
	    "repeatable\n"
	    "  --dns-server ADDR[:PORT]  DNS servers, comma-separated "
	    "(resolv.conf)\n"
	    "  --config FILE             settings as \"key = value\" lines;\n"
	    "                            the command line wins\n"
	    "  --max-transactions N      live server transactions before 503 "
	    "(1000000)\n"
	    "  --media-bind ADDR         the RTP relay's address (the first\n"
	    "                            --listen address)\n"
	    "  --media-advertise ADDR    the address SDP names (--media-bind)\n"
	    "  --rtp-ports MIN-MAX       relay ports (16384-32767)\n"
	    "  --media-timeout SECONDS   no RTP this long ends a call (60; 0 "
	    "never)\n"
	    "  --log-level LEVEL         error, warn, info (default), debug\n"
	    "  --parse FILE|-            show how a SIP message parses, exit\n"
	    "  --version, --help\n");
}

static int parse_ms(const char *name, const char *text, uint32_t *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(text, &end, 10);
	if (errno || *end || end == text || v == 0 || v > 600000) {
		fprintf(stderr,
			"tandem: --%s wants milliseconds (1..600000), "
			"not \"%s\"\n",
			name, text);
		return EINVAL;
	}
	*out = (uint32_t)v;
	return 0;
}

static int parse_count(const char *name, const char *text, uint32_t *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(text, &end, 10);
	if (errno || *end || end == text || v == 0 || v > 100000000) {
		fprintf(stderr, "tandem: --%s wants 1..100000000, not \"%s\"\n",
			name, text);
		return EINVAL;
	}
	*out = (uint32_t)v;
	return 0;
}

static int parse_level(const char *text, enum tnd_log_level *out)
{
	static const char *const names[] = { "error", "warn", "info", "debug" };

	for (int i = 0; i < 4; i++) {
		if (strcmp(text, names[i]) == 0) {
			*out = (enum tnd_log_level)i;
			return 0;
		}
	}
	fprintf(stderr, "tandem: unknown log level \"%s\"\n", text);
	return EINVAL;
}

static int add_listen(struct app_options *opts, const char *spec)
{
	if (opts->nlisten == APP_MAX_LISTEN) {
		fprintf(stderr, "tandem: at most %d --listen\n",
			APP_MAX_LISTEN);
		return EINVAL;
	}
	opts->listen[opts->nlisten++] = spec;
	return 0;
}

/* Long options without a one-letter form. */
enum {
	OPT_TLS_CERT = 256,
	OPT_TLS_KEY,
	OPT_TLS_CA,
	OPT_TLS_VERIFY_CLIENT,
	OPT_PING,
	OPT_PING_INTERVAL,
	OPT_DNS_SERVER,
	OPT_CONFIG,
	OPT_MAX_TXNS,
	OPT_SCRIPT,
	OPT_CHECK,
	OPT_LUA_DIR,
	OPT_MAX_CALLS,
	OPT_MEDIA_BIND,
	OPT_MEDIA_ADVERTISE,
	OPT_RTP_PORTS,
	OPT_MEDIA_TIMEOUT,
};

static int parse_ports(const char *text, struct media_config *m)
{
	unsigned lo, hi;
	char end;

	if (sscanf(text, "%u-%u%c", &lo, &hi, &end) != 2 || lo < 1024 ||
	    hi > 65535 || hi < lo + 3) {
		fprintf(stderr,
			"tandem: --rtp-ports wants MIN-MAX within 1024-65535 "
			"holding two pairs at least, not \"%s\"\n",
			text);
		return EINVAL;
	}
	m->port_min = (uint16_t)lo;
	m->port_max = (uint16_t)hi;
	return 0;
}

static int parse_seconds(const char *name, const char *text, uint32_t *ms)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(text, &end, 10);
	if (errno || *end || end == text || v > 86400) {
		fprintf(stderr,
			"tandem: --%s wants seconds (0..86400), not \"%s\"\n",
			name, text);
		return EINVAL;
	}
	*ms = (uint32_t)v * 1000;
	return 0;
}

/* The relay binds where SIP listens, unless told otherwise: the host of
 * the first --listen ("udp:10.0.0.1:5060", "tcp:[::1]:5060"). */
static void media_default_bind(struct app_options *opts)
{
	const char *spec, *host, *end;
	size_t len;

	if (opts->media.bind_addr || !opts->nlisten)
		return;
	spec = opts->listen[0];
	if (!(host = strchr(spec, ':')) || !(end = strrchr(spec, ':')) ||
	    end == host)
		return;
	host++;
	if (*host == '[' && end > host + 1 && end[-1] == ']') {
		host++;
		end--;
	}
	len = (size_t)(end - host);
	if (len == 0 || len >= sizeof(opts->media_bind))
		return;
	memcpy(opts->media_bind, host, len);
	opts->media_bind[len] = '\0';
	opts->media.bind_addr = opts->media_bind;
}

static int add_ping(struct app_options *opts, const char *uri)
{
	if (opts->nping == APP_MAX_PING) {
		fprintf(stderr, "tandem: at most %d --ping\n", APP_MAX_PING);
		return EINVAL;
	}
	opts->ping[opts->nping++] = uri;
	return 0;
}

static int take_option(struct app_options *opts, int c, const char *arg)
{
	switch (c) {
	case 'V': opts->mode = APP_VERSION; return 0;
	case 'h': opts->mode = APP_HELP; return 0;
	case 'p':
		opts->mode = APP_PARSE;
		opts->parse_path = arg;
		return 0;
	case 'l': return add_listen(opts, arg);
	case '1': return parse_ms("t1", arg, &opts->txn.t1_ms);
	case '2': return parse_ms("t2", arg, &opts->txn.t2_ms);
	case '4': return parse_ms("t4", arg, &opts->txn.t4_ms);
	case 'L': return parse_level(arg, &opts->log_level);
	case OPT_PING: return add_ping(opts, arg);
	case OPT_PING_INTERVAL:
		return parse_ms("ping-interval", arg, &opts->ping_interval_ms);
	case OPT_DNS_SERVER: opts->dns_servers = arg; return 0;
	case OPT_CONFIG: return 0; /* read before the other options */
	case OPT_MAX_TXNS:
		return parse_count("max-transactions", arg,
				   &opts->txn.max_server_txns);
	case OPT_MAX_CALLS:
		return parse_count("max-calls", arg, &opts->max_calls);
	case OPT_SCRIPT: opts->script = arg; return 0;
	case OPT_CHECK:
		opts->mode = APP_CHECK;
		opts->script = arg;
		return 0;
	case OPT_LUA_DIR: opts->lua_dir = arg; return 0;
	case OPT_MEDIA_BIND: opts->media.bind_addr = arg; return 0;
	case OPT_MEDIA_ADVERTISE: opts->media.advertise_addr = arg; return 0;
	case OPT_RTP_PORTS: return parse_ports(arg, &opts->media);
	case OPT_MEDIA_TIMEOUT:
		return parse_seconds("media-timeout", arg,
				     &opts->media.timeout_ms);
	case OPT_TLS_CERT: opts->tls.cert_file = arg; return 0;
	case OPT_TLS_KEY: opts->tls.key_file = arg; return 0;
	case OPT_TLS_CA: opts->tls.ca_file = arg; return 0;
	case OPT_TLS_VERIFY_CLIENT: opts->tls.verify_client = true; return 0;
	default: app_options_usage(stderr); return EINVAL;
	}
}

/* The --config path on the command line, or NULL. */
static const char *config_path(int argc, char **argv)
{
	const char *path = NULL;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
			path = argv[++i];
		else if (strncmp(argv[i], "--config=", 9) == 0)
			path = argv[i] + 9;
	}
	return path;
}

/* argv[0], the config file's words, then argv's: in opts->words. */
static int gather_words(int argc, char **argv, struct app_options *opts,
			int *nwords)
{
	const char *path = config_path(argc, argv);
	int rc, n = 0;

	if (path && (rc = app_config_file_read(path, &opts->config)))
		return rc;
	opts->words =
	    tnd_calloc((size_t)(argc + opts->config.nargs + 1), sizeof(char *));
	if (!opts->words)
		return ENOMEM;
	opts->words[n++] = argv[0];
	for (int i = 0; i < opts->config.nargs; i++)
		opts->words[n++] = opts->config.args[i];
	for (int i = 1; i < argc; i++)
		opts->words[n++] = argv[i];
	*nwords = n;
	return 0;
}

void app_options_free(struct app_options *opts)
{
	app_config_file_free(&opts->config);
	tnd_free(opts->words);
	opts->words = NULL;
}

int app_options_parse(int argc, char **argv, struct app_options *opts)
{
	static const struct option longopts[] = {
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ "parse", required_argument, NULL, 'p' },
		{ "listen", required_argument, NULL, 'l' },
		{ "t1", required_argument, NULL, '1' },
		{ "t2", required_argument, NULL, '2' },
		{ "t4", required_argument, NULL, '4' },
		{ "log-level", required_argument, NULL, 'L' },
		{ "ping", required_argument, NULL, OPT_PING },
		{ "ping-interval", required_argument, NULL, OPT_PING_INTERVAL },
		{ "dns-server", required_argument, NULL, OPT_DNS_SERVER },
		{ "config", required_argument, NULL, OPT_CONFIG },
		{ "max-transactions", required_argument, NULL, OPT_MAX_TXNS },
		{ "script", required_argument, NULL, OPT_SCRIPT },
		{ "check", required_argument, NULL, OPT_CHECK },
		{ "lua-dir", required_argument, NULL, OPT_LUA_DIR },
		{ "max-calls", required_argument, NULL, OPT_MAX_CALLS },
		{ "media-bind", required_argument, NULL, OPT_MEDIA_BIND },
		{ "media-advertise", required_argument, NULL,
		  OPT_MEDIA_ADVERTISE },
		{ "rtp-ports", required_argument, NULL, OPT_RTP_PORTS },
		{ "media-timeout", required_argument, NULL, OPT_MEDIA_TIMEOUT },
		{ "tls-cert", required_argument, NULL, OPT_TLS_CERT },
		{ "tls-key", required_argument, NULL, OPT_TLS_KEY },
		{ "tls-ca", required_argument, NULL, OPT_TLS_CA },
		{ "tls-verify-client", no_argument, NULL,
		  OPT_TLS_VERIFY_CLIENT },
		{ NULL, 0, NULL, 0 },
	};
	int c, rc, nwords, file_end;
	bool cli_listen = false, cli_ping = false;

	*opts = (struct app_options){ .mode = APP_RUN,
				      .txn = txn_config_default,
				      .tls = net_config_default.tls,
				      .ping_interval_ms = 30000,
				      .max_calls = 100000,
				      .log_level = TND_LOG_INFO,
				      .media = media_config_default };
	opts->media.bind_addr = NULL; /* the --listen host, below */
	if ((rc = gather_words(argc, argv, opts, &nwords)))
		return rc;
	file_end = 1 + opts->config.nargs;
	while ((c = getopt_long(nwords, opts->words, "", longopts, NULL)) !=
	       -1) {
		/* The command line's first --listen or --ping replaces the
		 * file's list: optind is past the file's words by then. */
		if (optind > file_end && c == 'l' && !cli_listen) {
			cli_listen = true;
			opts->nlisten = 0;
		}
		if (optind > file_end && c == OPT_PING && !cli_ping) {
			cli_ping = true;
			opts->nping = 0;
		}
		if ((rc = take_option(opts, c, optarg)))
			return rc;
	}
	if (optind < nwords) {
		fprintf(stderr, "tandem: unexpected argument \"%s\"\n",
			opts->words[optind]);
		return EINVAL;
	}
	if (opts->txn.t2_ms < opts->txn.t1_ms) {
		fprintf(stderr, "tandem: T2 must not be below T1\n");
		return EINVAL;
	}
	if (!opts->tls.cert_file != !opts->tls.key_file) {
		fprintf(stderr,
			"tandem: --tls-cert and --tls-key go together\n");
		return EINVAL;
	}
	if (opts->mode == APP_RUN && opts->nlisten == 0)
		add_listen(opts, "udp:127.0.0.1:5060");
	media_default_bind(opts);
	return 0;
}
