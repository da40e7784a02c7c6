/*
 * Random tokens from OpenSSL's RAND_bytes. Each output character carries
 * 6 bits of entropy (64-symbol alphabet), so 22 characters carry 132 bits.
 *
 * A call takes a dozen tokens (tags, Call-ID, branches), and each
 * RAND_bytes call costs more than the bytes it returns; so bytes are
 * drawn a kilobyte at a time into a pool, and each one handed out is
 * wiped from it. The pool is per process: a forked child starts with an
 * empty one, so two workers never share tokens.
 */
#include <errno.h>
#include <pthread.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "tandem/rand.h"

static unsigned char pool[1024];
static size_t pool_left; /* unused bytes, at the end of pool */
static pthread_once_t pool_once = PTHREAD_ONCE_INIT;

static void pool_forget(void)
{
	OPENSSL_cleanse(pool, sizeof(pool));
	pool_left = 0;
}

static void pool_init(void)
{
	pthread_atfork(NULL, NULL, pool_forget);
}

/* n random bytes (n <= sizeof(pool)) into out. 0, or EIO. */
static int rand_take(unsigned char *out, size_t n)
{
	unsigned char *from;

	pthread_once(&pool_once, pool_init);
	if (pool_left < n) {
		if (RAND_bytes(pool, (int)sizeof(pool)) != 1)
			return EIO;
		pool_left = sizeof(pool);
	}
	from = pool + sizeof(pool) - pool_left;
	memcpy(out, from, n);
	OPENSSL_cleanse(from, n);
	pool_left -= n;
	return 0;
}

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

		if (rand_take(raw, n))
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

	if (rand_take(raw, sizeof(raw)))
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
