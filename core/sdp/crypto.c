/*
 * SDES a=crypto (RFC 4568 §9.1): "<tag> <crypto-suite> <key-params>
 * [<session-params>]", each key-param "inline:<key||salt>[|<lifetime>]
 * [|<MKI>:<length>]". Split into fields and printed back; the base64 key
 * stays text, and which suites exist is the media layer's business.
 */
#include <errno.h>
#include <string.h>

#include "sdp_int.h"

static struct tnd_slice cut(struct tnd_slice *rest, char sep, bool *found)
{
	const char *at = rest->len ? memchr(rest->p, sep, rest->len) : NULL;
	struct tnd_slice head = *rest;

	*found = at != NULL;
	if (!at) {
		if (rest->len)
			rest->p += rest->len;
		rest->len = 0;
		return head;
	}
	head.len = (size_t)(at - rest->p);
	rest->p = at + 1;
	rest->len -= head.len + 1;
	return head;
}

/* "<MKI>:<length>" (§9.1: 1*DIGIT ":" 1*3DIGIT). */
static int key_mki(struct tnd_slice v, struct sdp_crypto_key *key)
{
	bool found;
	uint32_t n;

	key->mki = cut(&v, ':', &found);
	key->mki_length = v;
	if (!found || tnd_slice_to_u32(key->mki, 0xffffffffu, &n) ||
	    tnd_slice_to_u32(key->mki_length, 128, &n) || v.len > 3)
		return EBADMSG;
	return 0;
}

/* One key-param: the method, and for inline its '|' fields. */
static int key_param(struct tnd_slice v, struct sdp_crypto_key *key)
{
	struct tnd_slice f1, f2;
	bool found, more;

	*key = (struct sdp_crypto_key){ .method = cut(&v, ':', &found) };
	if (!found || key->method.len == 0 || v.len == 0)
		return EBADMSG;
	if (!tnd_slice_caseeq_cstr(key->method, "inline")) {
		key->key_salt = v;
		return 0;
	}
	key->key_salt = cut(&v, '|', &more);
	if (key->key_salt.len == 0)
		return EBADMSG;
	if (!more)
		return 0;
	f1 = cut(&v, '|', &more);
	f2 = v;
	if (more) {
		key->lifetime = f1;
		return f1.len ? key_mki(f2, key) : EBADMSG;
	}
	if (memchr(f1.p, ':', f1.len))
		return key_mki(f1, key);
	key->lifetime = f1;
	return f1.len ? 0 : EBADMSG;
}

int sdp_crypto_parse(struct tnd_slice value, struct sdp_crypto *out)
{
	struct tnd_slice tag, keys;
	bool more = true;

	*out = (struct sdp_crypto){ .tag = 0 };
	if (!sdp_token_next(&value, &tag) || tag.len > 9 ||
	    tnd_slice_to_u32(tag, 999999999, &out->tag) ||
	    !sdp_token_next(&value, &out->suite) ||
	    !sdp_token_next(&value, &keys))
		return EBADMSG;
	while (more) {
		struct tnd_slice one = cut(&keys, ';', &more);

		if (out->nkeys == SDP_CRYPTO_MAX_KEYS ||
		    key_param(one, &out->keys[out->nkeys]))
			return EBADMSG;
		out->nkeys++;
	}
	out->session_params = tnd_slice_trim(value);
	if (out->session_params.len == 0)
		out->session_params = TND_SLICE_NULL;
	return 0;
}

struct writer {
	char *buf;
	size_t size, off;
	bool full;
};

static void put(struct writer *w, struct tnd_slice s)
{
	if (w->full || s.len >= w->size - w->off) {
		w->full = true;
		return;
	}
	if (s.len)
		memcpy(w->buf + w->off, s.p, s.len);
	w->off += s.len;
}

static bool key_ok(const struct sdp_crypto_key *k)
{
	return sdp_token_ok(k->method) && sdp_token_ok(k->key_salt) &&
	       (k->lifetime.len == 0 || sdp_token_ok(k->lifetime)) &&
	       (k->mki.len == 0 ||
		(sdp_token_ok(k->mki) && sdp_token_ok(k->mki_length)));
}

static void put_key(struct writer *w, const struct sdp_crypto_key *k)
{
	put(w, k->method);
	put(w, TND_SLICE_LIT(":"));
	put(w, k->key_salt);
	if (k->lifetime.len) {
		put(w, TND_SLICE_LIT("|"));
		put(w, k->lifetime);
	}
	if (k->mki.len) {
		put(w, TND_SLICE_LIT("|"));
		put(w, k->mki);
		put(w, TND_SLICE_LIT(":"));
		put(w, k->mki_length);
	}
}

int sdp_crypto_print(const struct sdp_crypto *c, char *buf, size_t size,
		     size_t *len)
{
	struct writer w = { buf, size, 0, size == 0 };
	char tag[21];

	if (c->tag > 999999999 || !sdp_token_ok(c->suite) || c->nkeys == 0 ||
	    c->nkeys > SDP_CRYPTO_MAX_KEYS || !sdp_value_ok(c->session_params))
		return EINVAL;
	for (size_t i = 0; i < c->nkeys; i++) {
		if (!key_ok(&c->keys[i]))
			return EINVAL;
	}
	put(&w, sdp_u64_text(c->tag, tag));
	put(&w, TND_SLICE_LIT(" "));
	put(&w, c->suite);
	put(&w, TND_SLICE_LIT(" "));
	for (size_t i = 0; i < c->nkeys; i++) {
		if (i)
			put(&w, TND_SLICE_LIT(";"));
		put_key(&w, &c->keys[i]);
	}
	if (c->session_params.len) {
		put(&w, TND_SLICE_LIT(" "));
		put(&w, c->session_params);
	}
	if (w.full)
		return ENOSPC;
	buf[w.off] = '\0';
	if (len)
		*len = w.off;
	return 0;
}

int sdp_crypto_add(struct sdp_session *s, size_t index,
		   const struct sdp_crypto *c)
{
	char buf[1024];
	size_t len;

	if (index == SDP_SESSION || index >= s->nmedia ||
	    sdp_crypto_print(c, buf, sizeof(buf), &len))
		return EINVAL;
	return sdp_attr_add(s, index, "crypto", (struct tnd_slice){ buf, len });
}
