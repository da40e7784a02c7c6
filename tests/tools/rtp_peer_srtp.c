/*
 * Keys and SRTP sessions for rtp_peer: the SDES suites of RFC 4568 §6.2
 * and RFC 7714 §14.2, key-params as an SDP a=crypto line carries them
 * (RFC 4568 §6.1 "inline:" base64, the |lifetime and |MKI that may follow
 * ignored), and one libsrtp2 session per direction. OpenSSL supplies
 * only randomness and base64; the cryptography is libsrtp2's. The caller
 * owns srtp_init and srtp_shutdown.
 */
#include "rtp_peer.h"

#include <errno.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

struct suite_info {
	const char *name;
	size_t key_len; /* master key and salt */
	void (*rtp)(srtp_crypto_policy_t *p);
	void (*rtcp)(srtp_crypto_policy_t *p);
};

/* RFC 4568 §6.2.2: the _32 suite keeps an 80-bit tag on SRTCP. */
static const struct suite_info suites[] = {
	[PEER_AES_CM_128_HMAC_SHA1_80] = { "AES_CM_128_HMAC_SHA1_80", 30,
					   srtp_crypto_policy_set_rtp_default,
					   srtp_crypto_policy_set_rtp_default },
	[PEER_AES_CM_128_HMAC_SHA1_32] = { "AES_CM_128_HMAC_SHA1_32", 30,
					   srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32,
					   srtp_crypto_policy_set_rtp_default },
	[PEER_AEAD_AES_128_GCM] = { "AEAD_AES_128_GCM", 28,
				    srtp_crypto_policy_set_aes_gcm_128_16_auth,
				    srtp_crypto_policy_set_aes_gcm_128_16_auth },
	[PEER_AEAD_AES_256_GCM] = { "AEAD_AES_256_GCM", 44,
				    srtp_crypto_policy_set_aes_gcm_256_16_auth,
				    srtp_crypto_policy_set_aes_gcm_256_16_auth },
};
#define NSUITES (sizeof(suites) / sizeof(suites[0]))

static const struct suite_info *suite_find(const char *name, size_t len)
{
	for (size_t i = 1; i < NSUITES; i++) {
		if (strlen(suites[i].name) == len &&
		    !memcmp(suites[i].name, name, len))
			return &suites[i];
	}
	return NULL;
}

/* Padded base64 only, as OpenSSL and RFC 4648 write it; 0 or EINVAL. */
static int b64_decode(const char *s, size_t len, uint8_t *out, size_t want)
{
	uint8_t buf[PEER_KEY_MAX + 2]; /* the padding decodes to zeros */
	size_t pad = 0;
	int n;

	if (len == 0 || len % 4 || 3 * (len / 4) > sizeof(buf))
		return EINVAL;
	while (pad < 2 && s[len - 1 - pad] == '=')
		pad++;
	n = EVP_DecodeBlock(buf, (const unsigned char *)s, (int)len);
	if (n < 0 || (size_t)n - pad != want)
		return EINVAL;
	memcpy(out, buf, want);
	return 0;
}

int peer_key_parse(const char *spec, struct peer_key *out, const char **why)
{
	const char *colon = strchr(spec, ':'), *b64;
	const struct suite_info *s;

	memset(out, 0, sizeof(*out));
	s = colon ? suite_find(spec, (size_t)(colon - spec)) : NULL;
	if (!s) {
		*why = ": unknown suite (want SUITE:inline:KEY)";
		return ENOENT;
	}
	if (strncmp(colon + 1, "inline:", 7)) {
		*why = ": no inline: after the suite";
		return EINVAL;
	}
	b64 = colon + 8;
	if (b64_decode(b64, strcspn(b64, "|"), out->bytes, s->key_len)) {
		*why = ": the key is not base64 of the suite's length";
		return EINVAL;
	}
	out->suite = (enum peer_suite)(s - suites);
	return 0;
}

int peer_random(void *buf, size_t len)
{
	return RAND_bytes(buf, (int)len) == 1 ? 0 : EIO;
}

int peer_key_print(const char *suite_name, FILE *out)
{
	const struct suite_info *s = suite_find(suite_name, strlen(suite_name));
	uint8_t key[PEER_KEY_MAX];
	char b64[4 * ((PEER_KEY_MAX + 2) / 3) + 1];

	if (!s) {
		fprintf(stderr, "rtp_peer: unknown suite %s\n", suite_name);
		return EINVAL;
	}
	if (peer_random(key, s->key_len)) {
		fprintf(stderr, "rtp_peer: no random bytes\n");
		return EIO;
	}
	EVP_EncodeBlock((unsigned char *)b64, key, (int)s->key_len);
	fprintf(out, "inline:%s\n", b64);
	return 0;
}

int peer_srtp_new(const struct peer_key *key, bool outbound, srtp_t *out)
{
	const struct suite_info *s = &suites[key->suite];
	srtp_policy_t p;

	memset(&p, 0, sizeof(p));
	s->rtp(&p.rtp);
	s->rtcp(&p.rtcp);
	p.ssrc.type = outbound ? ssrc_any_outbound : ssrc_any_inbound;
	p.key = (unsigned char *)key->bytes;
	p.window_size = 128;
	return srtp_create(out, &p) == srtp_err_status_ok ? 0 : EIO;
}
