/*
 * The tandem command: reads the command line, then shows how a message
 * parses (--parse) or runs the SIP service until SIGINT or SIGTERM.
 */
#include <stdio.h>

#include "options.h"
#include "parse_cmd.h"
#include "server.h"
#include "tandem/version.h"

int main(int argc, char **argv)
{
	struct app_options opts;

	if (app_options_parse(argc, argv, &opts))
		return 2;
	switch (opts.mode) {
	case APP_VERSION: printf("tandem %s\n", TANDEM_VERSION); return 0;
	case APP_HELP: app_options_usage(stdout); return 0;
	case APP_PARSE: return app_parse_file(opts.parse_path);
	case APP_RUN: break;
	}
	return app_server_run(&opts);
}
