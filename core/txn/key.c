/*
 * A transaction's key: the parts of its request that match retransmissions
 * and responses (RFC 3261 §17.1.3, §17.2.3), copied into bytes at the end
 * of the transaction's own block, so that matching never needs the request
 * and a lingering transaction can drop it.
 */
#include <string.h>

#include "tandem/rand.h"
#include "txn_int.h"

bool txn_branch_has_cookie(struct tnd_slice branch)
{
	const size_t n = sizeof(TND_BRANCH_COOKIE) - 1;

	return branch.len > n && memcmp(branch.p, TND_BRANCH_COOKIE, n) == 0;
}

/* The slices the key copies, in the order txn_key_copy lays them out. */
#define KEY_SLICES(req)                                                 \
	{                                                               \
		(req)->via.branch, (req)->via.host, (req)->method_name, \
		    (req)->cseq.method_name, (req)->ruri_text,          \
		    (req)->from.tag, (req)->to.tag, (req)->call_id      \
	}

size_t txn_key_size(const struct sip_msg *req)
{
	const struct tnd_slice parts[] = KEY_SLICES(req);
	size_t n = 0;

	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
		n += parts[i].len;
	return n;
}

void txn_key_copy(struct txn_key *key, char *bytes, const struct sip_msg *req)
{
	const struct tnd_slice parts[] = KEY_SLICES(req);
	struct tnd_slice *to[] = { &key->branch,      &key->host,
				   &key->method_name, &key->cseq_method,
				   &key->ruri,        &key->from_tag,
				   &key->to_tag,      &key->call_id };

	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		if (parts[i].len)
			memcpy(bytes, parts[i].p, parts[i].len);
		*to[i] = (struct tnd_slice){ bytes, parts[i].len };
		bytes += parts[i].len;
	}
	key->port = req->via.port;
	key->method = req->method;
	key->cseq_number = req->cseq.number;
	key->legacy = !txn_branch_has_cookie(req->via.branch);
}
