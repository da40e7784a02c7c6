/*
 * rtp_load's session descriptions: the one a phone of the benchmark
 * sends (RFC 4566: one PCMU audio stream on 127.0.0.1, plain RTP/AVP or
 * RTP/SAVP with one SDES key, RFC 4568), and the reading of what the
 * relay sends back: the audio port, the connection address and the key
 * of an AES_CM_128_HMAC_SHA1_80 a=crypto line. OpenSSL supplies the
 * randomness and the base64.
 */
#include "rtp_load.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

#define SUITE "AES_CM_128_HMAC_SHA1_80"

int load_key_random(uint8_t *key)
{
	return RAND_bytes(key, LOAD_KEY_LEN) == 1 ? 0 : EIO;
}

/* user names the o= line; key NULL: plain RTP/AVP. */
int load_sdp_print(char *buf, size_t size, const char *user, uint16_t port,
		   const uint8_t *key)
{
	char b64[LOAD_KEY_B64 + 3] = "";
	char crypto[96] = "";
	int n;

	if (key) {
		EVP_EncodeBlock((unsigned char *)b64, key, LOAD_KEY_LEN);
		snprintf(crypto, sizeof(crypto),
			 "a=crypto:1 " SUITE " inline:%s\r\n", b64);
	}
	n = snprintf(buf, size,
		     "v=0\r\n"
		     "o=%s 1 1 IN IP4 127.0.0.1\r\n"
		     "s=-\r\n"
		     "c=IN IP4 127.0.0.1\r\n"
		     "t=0 0\r\n"
		     "m=audio %u RTP/%s 0\r\n"
		     "a=rtpmap:0 PCMU/8000\r\n"
		     "%s"
		     "a=sendrecv\r\n",
		     user, port, key ? "SAVP" : "AVP", crypto);
	return n > 0 && (size_t)n < size ? n : -1;
}

static int key_decode(const char *p, size_t len, uint8_t *key)
{
	unsigned char in[LOAD_KEY_B64], out[LOAD_KEY_B64];

	/* 30 bytes are exactly 40 characters of base64, no padding. */
	if (len < LOAD_KEY_B64 - 1)
		return EINVAL;
	memcpy(in, p, LOAD_KEY_B64 - 1);
	if (EVP_DecodeBlock(out, in, LOAD_KEY_B64 - 1) != LOAD_KEY_LEN)
		return EINVAL;
	memcpy(key, out, LOAD_KEY_LEN);
	return 0;
}

static void parse_line(const char *p, size_t len, struct load_sdp *out)
{
	static const char crypto[] = " " SUITE " inline:";
	char line[256];
	unsigned port;
	char addr[64];
	const char *k;

	if (len >= sizeof(line))
		return;
	memcpy(line, p, len);
	line[len] = '\0';
	if (sscanf(line, "m=audio %u", &port) == 1) {
		if (!out->port && port < 65536)
			out->port = (uint16_t)port;
	} else if (sscanf(line, "c=IN IP4 %63s", addr) == 1) {
		inet_pton(AF_INET, addr, &out->addr);
	} else if (!strncmp(line, "a=crypto:", 9) && !out->has_key &&
		   (k = strstr(line, crypto)) != NULL) {
		k += sizeof(crypto) - 1;
		out->has_key = !key_decode(k, strlen(k), out->key);
	}
}

/* The first audio port, the session or media c= address (the last one
 * read wins) and the first usable key. EBADMSG without an audio port. */
int load_sdp_parse(struct load_slice body, struct load_sdp *out)
{
	const char *p = body.p, *end = body.p + body.len;

	memset(out, 0, sizeof(*out));
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		size_t len = (size_t)((eol ? eol : end) - p);

		if (len && p[len - 1] == '\r')
			len--;
		parse_line(p, len, out);
		p = eol ? eol + 1 : end;
	}
	return out->port ? 0 : EBADMSG;
}
