/*
 * The tandem command: reads the command line, then shows how a message
 * parses (--parse), checks a dialplan (--check), or runs the SIP service
 * until SIGINT or SIGTERM.
 */
#include <stdio.h>

#include "tandem/script.h"

#include "options.h"
#include "parse_cmd.h"
#include "server.h"
#include "tandem/version.h"

/* --check: the dialplan loads, or why not; exit 1 on error. */
static int app_check_script(const struct app_options *opts)
{
	struct script_config sc = { .path = opts->script,
				    .lua_dir = opts->lua_dir };
	char err[1024];

	if (script_check(&sc, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", opts->script, err);
		return 1;
	}
	printf("%s: ok\n", opts->script);
	return 0;
}

int main(int argc, char **argv)
{
	struct app_options opts;
	int status = 0;

	if (app_options_parse(argc, argv, &opts)) {
		app_options_free(&opts);
		return 2;
	}
	switch (opts.mode) {
	case APP_VERSION: printf("tandem %s\n", TANDEM_VERSION); break;
	case APP_HELP: app_options_usage(stdout); break;
	case APP_PARSE: status = app_parse_file(opts.parse_path); break;
	case APP_RUN: status = app_server_run(&opts); break;
	case APP_CHECK: status = app_check_script(&opts); break;
	}
	app_options_free(&opts);
	return status;
}
