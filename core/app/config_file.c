/*
 * Reading the configuration file of config_file.h into option words.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "config_file.h"
#include "tandem/mem.h"

#define CONFIG_MAX_BYTES (64 * 1024)

/* Settings that take no value on the command line: yes/no here. */
static bool is_flag(const char *key)
{
	return strcmp(key, "tls-verify-client") == 0;
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

static int fault(const char *path, int line, const char *what)
{
	fprintf(stderr, "tandem: %s:%d: %s\n", path, line, what);
	return EINVAL;
}

/* Turns one "key = value" line into its option words (at most two). */
static int take_line(struct app_config_file *cfg, const char *path, int line,
		     char *text)
{
	char *hash = strchr(text, '#'), *eq, *key, *value;

	if (hash)
		*hash = '\0';
	key = trim(text);
	if (!*key)
		return 0;
	if (!(eq = strchr(key, '=')))
		return fault(path, line, "expected \"key = value\"");
	*eq = '\0';
	key = trim(key);
	value = trim(eq + 1);
	if (!*key || !*value || strcmp(key, "config") == 0)
		return fault(path, line, "expected \"key = value\"");
	/* "--" + key: the key is written over the two bytes before it. */
	key[-2] = '-';
	key[-1] = '-';
	if (is_flag(key)) {
		if (strcmp(value, "yes") == 0 || strcmp(value, "true") == 0)
			cfg->args[cfg->nargs++] = key - 2;
		else if (strcmp(value, "no") && strcmp(value, "false"))
			return fault(path, line, "expected yes or no");
		return 0;
	}
	cfg->args[cfg->nargs++] = key - 2;
	cfg->args[cfg->nargs++] = value;
	return 0;
}

/* The file into cfg->text, each line prefixed by two spare bytes. */
static int load(const char *path, struct app_config_file *cfg, size_t *lines)
{
	FILE *f = fopen(path, "r");
	char line[1024];
	size_t used = 0;

	if (!f) {
		fprintf(stderr, "tandem: cannot read %s: %s\n", path,
			strerror(errno));
		return errno ? errno : EIO;
	}
	cfg->text = tnd_malloc(CONFIG_MAX_BYTES);
	*lines = 0;
	while (cfg->text && fgets(line, sizeof(line), f)) {
		size_t n = strlen(line);
		bool complete = n && line[n - 1] == '\n';

		if (complete)
			line[--n] = '\0';
		/* Each line takes 2 spare bytes, its text and a NUL. */
		if ((!complete && !feof(f)) ||
		    used + n + 3 > CONFIG_MAX_BYTES) {
			fclose(f);
			return fault(path, (int)*lines + 1,
				     "line or file too long");
		}
		memcpy(cfg->text + used, "  ", 2);
		memcpy(cfg->text + used + 2, line, n + 1);
		used += n + 3;
		(*lines)++;
	}
	fclose(f);
	return cfg->text ? 0 : ENOMEM;
}

int app_config_file_read(const char *path, struct app_config_file *cfg)
{
	size_t lines, used = 0;
	int rc;

	*cfg = (struct app_config_file){ 0 };
	if ((rc = load(path, cfg, &lines)) ||
	    !(cfg->args = tnd_calloc(2 * lines + 1, sizeof(char *)))) {
		app_config_file_free(cfg);
		return rc ? rc : ENOMEM;
	}
	for (size_t i = 0; i < lines; i++) {
		char *text = cfg->text + used + 2;

		used += strlen(text) + 3;
		if ((rc = take_line(cfg, path, (int)i + 1, text))) {
			app_config_file_free(cfg);
			return rc;
		}
	}
	return 0;
}

void app_config_file_free(struct app_config_file *cfg)
{
	tnd_free(cfg->text);
	tnd_free(cfg->args);
	*cfg = (struct app_config_file){ 0 };
}
