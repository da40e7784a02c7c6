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
	}
	app_options_free(&opts);
	return status;
}
