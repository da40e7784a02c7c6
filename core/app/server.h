/*
 * The SIP service: one event loop with its timers, the network, the
 * transaction layer and, until scripts exist, the default responder.
 */
#ifndef TANDEM_APP_SERVER_H
#define TANDEM_APP_SERVER_H

#include "options.h"

/* Runs until SIGINT or SIGTERM; returns the process exit status. */
int app_server_run(const struct app_options *opts);

#endif
