/*
 * The command line: what tandem was asked to do and with which settings.
 */
#ifndef TANDEM_APP_OPTIONS_H
#define TANDEM_APP_OPTIONS_H

#include <stddef.h>
#include <stdio.h>

#include "config_file.h"
#include "tandem/log.h"
#include "tandem/media.h"
#include "tandem/net.h"
#include "tandem/txn.h"

#define APP_MAX_LISTEN 32
#define APP_MAX_PING   8

enum app_mode { APP_RUN, APP_VERSION, APP_HELP, APP_PARSE, APP_CHECK };

struct app_options {
	enum app_mode mode;
	const char *parse_path;
	const char *script;  /* --script (or --check) FILE: the dialplan */
	const char *lua_dir; /* --lua-dir: tandem's Lua modules */
	uint32_t max_calls;
	const char *listen[APP_MAX_LISTEN]; /* "udp:127.0.0.1:5060", ... */
	size_t nlisten;
	struct txn_config txn;
	struct net_tls_config tls;      /* paths point into argv */
	const char *ping[APP_MAX_PING]; /* peer URIs to send OPTIONS to */
	size_t nping;
	uint32_t ping_interval_ms;
	const char *dns_servers; /* "127.0.0.1:53,...", NULL: resolv.conf */
	struct app_config_file config; /* --config: its words back the above */
	char **words;                  /* the file's words, then argv's */
	enum tnd_log_level log_level;
	/* The media relay: bind_addr NULL when there is none to make. */
	struct media_config media;
	char media_bind[64]; /* the first --listen host, by default */
};

/*
 * Fills `opts` from the --config file, if any, then argv, which wins: a
 * setting given in both takes argv's value, and --listen or --ping given
 * on the command line replace the file's list. 0, or an errno after
 * printing why to stderr. app_options_free releases what it read.
 */
int app_options_parse(int argc, char **argv, struct app_options *opts);
void app_options_free(struct app_options *opts);
void app_options_usage(FILE *to);

#endif
