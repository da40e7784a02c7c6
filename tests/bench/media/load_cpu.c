/*
 * rtp_load's CPU accounting, read from /proc at the edges of the
 * measured window: the relay's utime + stime (/proc/PID/stat counts
 * every thread of the process, which covers rtpengine's pollers and
 * timers), this process's own CPU time, the CPU time of every process
 * (with the relay and the generator subtracted, what is left is other
 * load), and the kernel's count of UDP datagrams dropped on full
 * receive buffers.
 */
#include "rtp_load.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* utime + stime of a process (all its threads, also those that ended),
 * and with `children` the cutime + cstime of its reaped children, in
 * clock ticks; 0 when it is gone. */
static uint64_t proc_ticks(pid_t pid, bool children)
{
	char path[64], line[1024];
	unsigned long long ut = 0, st = 0, cut = 0, cst = 0;
	const char *p;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (!fgets(line, sizeof(line), f))
		line[0] = '\0';
	fclose(f);
	/* The command name may hold spaces; fields 14 to 17 (proc(5))
	 * are the 12th to 15th after its closing parenthesis. */
	p = strrchr(line, ')');
	if (!p || sscanf(p + 2,
			 "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu "
			 "%llu %llu %llu",
			 &ut, &st, &cut, &cst) != 4)
		return 0;
	return ut + st + (children ? cut + cst : 0);
}

/* utime + stime + cutime + cstime of every process, in clock ticks. A
 * process that exits moves its time into its parent's cutime and
 * cstime when reaped, so the sum is a count of what every process
 * spent, short-lived compilers included. Not /proc/stat's busy ticks:
 * those are sampled on the 100 Hz tick, which a process woken by a
 * timer that expires on the tick (as the generator's 1 ms timer does)
 * is rarely running at; process times come from the scheduler's
 * nanosecond clock. */
static uint64_t all_ticks(void)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	uint64_t sum = 0;

	if (!d)
		return 0;
	while ((e = readdir(d)) != NULL) {
		char *end;
		long pid = strtol(e->d_name, &end, 10);

		if (*end == '\0' && pid > 0)
			sum += proc_ticks((pid_t)pid, true);
	}
	closedir(d);
	return sum;
}

/* RcvbufErrors of the Udp: lines of /proc/net/snmp (the second line
 * holds the values, in the order the first names them). */
static uint64_t rcvbuf_errors(void)
{
	char names[512], values[512], *n, *v, *sn, *sv;
	unsigned long long r = 0;
	FILE *f = fopen("/proc/net/snmp", "r");

	if (!f)
		return 0;
	while (fgets(names, sizeof(names), f)) {
		if (strncmp(names, "Udp: ", 5) ||
		    !fgets(values, sizeof(values), f))
			continue;
		n = strtok_r(names, " \n", &sn);
		v = strtok_r(values, " \n", &sv);
		while (n && v) {
			if (!strcmp(n, "RcvbufErrors"))
				sscanf(v, "%llu", &r);
			n = strtok_r(NULL, " \n", &sn);
			v = strtok_r(NULL, " \n", &sv);
		}
		break;
	}
	fclose(f);
	return r;
}

void load_cpu_read(pid_t relay, struct load_cpu *out)
{
	struct timespec ts;

	memset(out, 0, sizeof(*out));
	if (relay > 0)
		out->relay_ticks = proc_ticks(relay, false);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	out->self_ns = (uint64_t)ts.tv_sec * NS_PER_S + (uint64_t)ts.tv_nsec;
	out->all_ticks = all_ticks();
	out->rcvbuf_errors = rcvbuf_errors();
	out->at_ns = load_now();
}
