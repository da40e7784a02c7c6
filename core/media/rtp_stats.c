/*
 * Receiver statistics of RFC 3550 for one source: the sequence number
 * bookkeeping of A.1 (probation, wrap-around cycles, dropouts and
 * restarts), expected and lost of A.3, and the interarrival jitter of
 * A.8 in its integer form. Pure arithmetic on what the relay feeds in.
 */
#include "tandem/media_rtp.h"

#define RTP_SEQ_MOD    (1u << 16)
#define MAX_DROPOUT    3000
#define MAX_MISORDER   100
#define MIN_SEQUENTIAL 2

/* A.1 init_seq: counting starts again at `seq`. */
static void seq_restart(struct media_rtp_seq *s, uint16_t seq)
{
	s->base_seq = seq;
	s->max_seq = seq;
	s->bad_seq = RTP_SEQ_MOD + 1; /* so seq == bad_seq is false */
	s->cycles = 0;
	s->received = 0;
}

void media_rtp_seq_init(struct media_rtp_seq *s, uint16_t seq)
{
	seq_restart(s, seq);
	s->max_seq = (uint16_t)(seq - 1);
	s->probation = MIN_SEQUENTIAL;
	s->started = true;
}

/* A.1: a new source is valid after MIN_SEQUENTIAL packets in sequence. */
static bool seq_probation(struct media_rtp_seq *s, uint16_t seq)
{
	if (seq == (uint16_t)(s->max_seq + 1)) {
		s->probation--;
		s->max_seq = seq;
		if (s->probation == 0) {
			seq_restart(s, seq);
			s->received++;
			return true;
		}
	} else {
		s->probation = MIN_SEQUENTIAL - 1;
		s->max_seq = seq;
	}
	return false;
}

bool media_rtp_seq_update(struct media_rtp_seq *s, uint16_t seq)
{
	uint16_t udelta = (uint16_t)(seq - s->max_seq);

	if (!s->started)
		media_rtp_seq_init(s, seq);
	if (s->probation)
		return seq_probation(s, seq);
	if (udelta < MAX_DROPOUT) {
		if (seq < s->max_seq)
			s->cycles += RTP_SEQ_MOD; /* wrapped */
		s->max_seq = seq;
	} else if (udelta <= RTP_SEQ_MOD - MAX_MISORDER) {
		/* A very large jump: believe it only when it repeats. */
		if (seq != s->bad_seq) {
			s->bad_seq = (seq + 1) & (RTP_SEQ_MOD - 1);
			return false;
		}
		seq_restart(s, seq);
	}
	/* else a duplicate or a reordered packet: counted, max unchanged */
	s->received++;
	return true;
}

uint64_t media_rtp_seq_expected(const struct media_rtp_seq *s)
{
	uint64_t extended_max = (uint64_t)s->cycles + s->max_seq;

	if (!s->started || s->probation)
		return 0;
	return extended_max - s->base_seq + 1;
}

int64_t media_rtp_seq_lost(const struct media_rtp_seq *s)
{
	return (int64_t)media_rtp_seq_expected(s) - (int64_t)s->received;
}

void media_rtp_jitter_update(struct media_rtp_jitter *j, uint8_t pt,
			     uint32_t ts, uint32_t arrival)
{
	uint32_t transit = arrival - ts;
	int64_t d, next;

	if (!j->started || j->pt != pt) {
		j->started = true;
		j->pt = pt;
		j->transit = transit;
		return;
	}
	d = (int32_t)(transit - j->transit);
	j->transit = transit;
	if (d < 0)
		d = -d;
	/* J += (|D| - J) / 16, with J kept scaled by 16 (A.8). */
	next = (int64_t)j->jitter_q4 + d - (((int64_t)j->jitter_q4 + 8) >> 4);
	j->jitter_q4 = next < 0            ? 0
		       : next > UINT32_MAX ? UINT32_MAX
					   : (uint32_t)next;
}
