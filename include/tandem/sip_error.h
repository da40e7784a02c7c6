/*
 * What a SIP parse error reports: enough for a log line and for a 400 whose
 * reason phrase says what was wrong.
 */
#ifndef TANDEM_SIP_ERROR_H
#define TANDEM_SIP_ERROR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tandem/slice.h"

struct sip_parse_error {
	uint16_t status;  /* response a UAS should send: 400, 413, 505, ... */
	const char *what; /* static text, fit for a reason phrase */
	size_t offset;    /* byte offset of the fault in the parsed text */
	struct tnd_slice header; /* the header's name as written, or empty */
};

/* Fills `err` (when not NULL) and returns EBADMSG, for one-line error exits. */
int sip_parse_fail(struct sip_parse_error *err, uint16_t status,
		   const char *what, size_t offset);

#endif
