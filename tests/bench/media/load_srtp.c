/*
 * rtp_load's SRTP: AES_CM_128_HMAC_SHA1_80 through libsrtp2, one
 * session per direction of a call (side A only).
 *
 * The libsrtp2 is tandem's (on OpenSSL when scripts/setup-srtp.sh
 * built it; Debian's NSS build costs more per packet as sessions grow).
 * In the SRTP mix the generator encrypts and decrypts as well as sending
 * and receiving, so it saturates before a relay does. The relay's packets
 * per CPU-second, what the mix compares, are measured on the relay's own
 * CPU time and stay valid at the steps below that.
 */
#include "rtp_load.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <srtp2/srtp.h>

struct load_srtp {
	srtp_t session;
	bool outbound;
};

int load_srtp_start(void)
{
	return srtp_init() == srtp_err_status_ok ? 0 : EIO;
}

void load_srtp_stop(void)
{
	srtp_shutdown();
}

static int srtp_new(const uint8_t *master, bool outbound,
		    struct load_srtp **out)
{
	struct load_srtp *s = calloc(1, sizeof(*s));
	srtp_policy_t p;

	*out = NULL;
	if (!s)
		return ENOMEM;
	memset(&p, 0, sizeof(p));
	srtp_crypto_policy_set_rtp_default(&p.rtp);
	srtp_crypto_policy_set_rtcp_default(&p.rtcp);
	p.ssrc.type = outbound ? ssrc_any_outbound : ssrc_any_inbound;
	p.key = (unsigned char *)master;
	p.window_size = 1024;
	if (srtp_create(&s->session, &p) != srtp_err_status_ok) {
		free(s);
		return EIO;
	}
	s->outbound = outbound;
	*out = s;
	return 0;
}

int load_srtp_new_tx(const uint8_t *master, struct load_srtp **out)
{
	return srtp_new(master, true, out);
}

int load_srtp_new_rx(const uint8_t *master, struct load_srtp **out)
{
	return srtp_new(master, false, out);
}

void load_srtp_free(struct load_srtp *s)
{
	if (!s)
		return;
	srtp_dealloc(s->session);
	free(s);
}

int load_srtp_protect(struct load_srtp *s, uint8_t *pkt, int *len)
{
	return srtp_protect(s->session, pkt, len) == srtp_err_status_ok ? 0
									: EIO;
}

int load_srtp_unprotect(struct load_srtp *s, uint8_t *pkt, int *len)
{
	return srtp_unprotect(s->session, pkt, len) == srtp_err_status_ok ? 0
									  : EIO;
}
