/*
 * The configuration file: "key = value" lines naming the same settings as
 * the long command-line options (listen = udp:127.0.0.1:5060, t1 = 500,
 * tls-verify-client = yes, ...), '#' starting a comment. It is read into
 * the option words it stands for, which go before the command line's, so
 * the command line wins.
 */
#ifndef TANDEM_APP_CONFIG_FILE_H
#define TANDEM_APP_CONFIG_FILE_H

struct app_config_file {
	char *text;  /* the file, cut into NUL-terminated words */
	char **args; /* "--listen", "udp:...", ... pointing into text */
	int nargs;
};

/*
 * Reads `path` into cfg. Returns 0, or an errno after printing the file,
 * line and fault to stderr (EINVAL for a line that is no setting).
 */
int app_config_file_read(const char *path, struct app_config_file *cfg);
void app_config_file_free(struct app_config_file *cfg);

#endif
