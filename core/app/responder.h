/*
 * The built-in answer while no script runs: OPTIONS gets 200 with Allow,
 * Accept and Supported; CANCEL gets 200 when it matches an INVITE server
 * transaction (which is then answered 487) and 481 when it does not; any
 * other request gets 480 "No Script Loaded". ACKs are absorbed. Every
 * answer goes through a real server transaction.
 */
#ifndef TANDEM_APP_RESPONDER_H
#define TANDEM_APP_RESPONDER_H

#include "tandem/txn.h"

struct responder {
	struct txn_layer *layer; /* set once the layer exists */
	uint64_t answered;       /* requests answered, for the logs */
};

/* The TU hook to give txn_layer_new (arg: the struct responder). */
void responder_on_request(void *arg, struct txn *st, const struct sip_msg *req,
			  const struct net_peer *from);

#endif
