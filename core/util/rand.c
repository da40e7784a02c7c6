/*
 * Random tokens from OpenSSL's RAND_bytes. Each output character carries
 * 6 bits of entropy (64-symbol alphabet), so 22 characters carry 132 bits.
 */
#include <errno.h>
#include <string.h>

#include <openssl/rand.h>

#include "tandem/rand.h"

/* Alphanumerics plus '-' and '.': all legal in token, Call-ID and tags. */
static const char alphabet[64] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-.";

int tnd_rand_token(char *out, size_t chars)
{
	unsigned char raw[64];
	size_t done = 0;

	while (done < chars) {
		size_t n =
		    chars - done < sizeof(raw) ? chars - done : sizeof(raw);

		if (RAND_bytes(raw, (int)n) != 1)
			return EIO;
		for (size_t i = 0; i < n; i++)
			out[done + i] = alphabet[raw[i] & 63];
		done += n;
	}
	out[chars] = '\0';
	return 0;
}

int tnd_rand_u64(uint64_t *out)
{
	unsigned char raw[8];
	uint64_t v = 0;

	if (RAND_bytes(raw, (int)sizeof(raw)) != 1)
		return EIO;
	for (size_t i = 0; i < sizeof(raw); i++)
		v = v << 8 | raw[i];
	*out = v;
	return 0;
}

int tnd_rand_branch(char *out, size_t size)
{
	size_t cookie = sizeof(TND_BRANCH_COOKIE) - 1;

	if (size < TND_BRANCH_LEN + 1)
		return ENOSPC;
	memcpy(out, TND_BRANCH_COOKIE, cookie);
	return tnd_rand_token(out + cookie, TND_RAND_TOKEN_CHARS);
}
