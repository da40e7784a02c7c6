/*
 * The request checks a UAS makes before acting on a request that parsed
 * (RFC 3261 §8.2): mandatory and single-instance headers, the method,
 * the Request-URI scheme, required extensions, the body's type and what
 * the sender accepts. Pure: it looks at the message and a policy and says
 * which response, if any, refuses the request.
 */
#ifndef TANDEM_SIP_CHECK_H
#define TANDEM_SIP_CHECK_H

#include <stdint.h>

#include "tandem/sip_msg.h"

struct sip_check_policy {
	/* Option tags we support (NULL-terminated); others in Require -> 420.
	 */
	const char *const *supported;
	/* Body types we process in INVITE, UPDATE, PRACK and ACK; NULL: any. */
	const char *const *body_types;
};

struct sip_check_result {
	uint16_t status;              /* 0 when the request may proceed */
	const char *reason;           /* reason phrase naming the fault */
	struct tnd_slice unsupported; /* 420: the first unknown option tag */
};

/* The policy tandem's SIP core applies: SDP bodies, its own extensions. */
extern const struct sip_check_policy sip_check_policy_default;

/*
 * Fills `res`; returns 0 when the request may proceed, EBADMSG when
 * res->status says how to refuse it.
 */
int sip_msg_check_request(const struct sip_msg *req,
			  const struct sip_check_policy *policy,
			  struct sip_check_result *res);

#endif
