/*
 * The --parse tool of the tandem command.
 */
#ifndef TANDEM_APP_PARSE_CMD_H
#define TANDEM_APP_PARSE_CMD_H

/* Parses the SIP message in `path` ("-": stdin) and prints what it holds.
 * Returns the process exit status: 0 parsed, 1 refused, 2 unreadable. */
int app_parse_file(const char *path);

#endif
