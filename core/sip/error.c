/*
 * Parse error reporting shared by every SIP parser.
 */
#include <errno.h>

#include "tandem/sip_error.h"

int sip_parse_fail(struct sip_parse_error *err, uint16_t status,
		   const char *what, size_t offset)
{
	if (err) {
		err->status = status;
		err->what = what;
		err->offset = offset;
		err->header = TND_SLICE_NULL;
	}
	return EBADMSG;
}
