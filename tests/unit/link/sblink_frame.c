/* SPDX-License-Identifier: MIT */
/*
 * sblink-frame: writes one link frame's wire bytes to stdout, for the
 * firmware tests in QEMU (stimulus frames into the test UART, corrupt
 * frames into the link). A test tool, not installed.
 *
 *   sblink-frame door open|closed     STIMULUS: raw door contact level
 *   sblink-frame tone CENTI_DB|none   STIMULUS: 1 kHz tone level (or silence)
 *   sblink-frame burst CENTI_DB       STIMULUS: a 1 s tone burst
 *   sblink-frame ack SEQ [NODE]       an ACK
 *   sblink-frame corrupt              a DOOR frame with one bit flipped
 *   sblink-frame dump                 read wire bytes on stdin, print one line per frame
 *                                     ("DOOR node=1 seq=3 open=1 uptime=… age=…"; "BAD …")
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sbcore/deframe.h"
#include "sbcore/frame.h"

static int usage(void)
{
	fputs("usage: sblink-frame door open|closed | tone CENTI_DB|none | burst CENTI_DB | "
	      "ack SEQ [NODE] | corrupt | dump\n",
	      stderr);
	return 2;
}

static int number(const char *s, long min, long max, long *out)
{
	char *end = NULL;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

static void print(const struct frame *f)
{
	switch (f->type) {
	case FRAME_HELLO:
		printf("HELLO node=%u seq=%u fw=%u.%u.%u caps=%u boot=%u uptime=%u age=%u\n", f->node,
		       f->seq, f->u.hello.fw_major, f->u.hello.fw_minor, f->u.hello.fw_patch,
		       f->u.hello.caps, f->u.hello.boot_count, f->u.hello.uptime_ms, f->u.hello.age_ms);
		break;
	case FRAME_DOOR:
		printf("DOOR node=%u seq=%u open=%u uptime=%u age=%u\n", f->node, f->seq,
		       f->u.door.open, f->u.door.uptime_ms, f->u.door.age_ms);
		break;
	case FRAME_NOISE:
		printf("NOISE node=%u seq=%u period=%u laeq=%d lafmax=%d la90=%d age=%u\n", f->node,
		       f->seq, f->u.noise.period_s, f->u.noise.laeq, f->u.noise.lafmax,
		       f->u.noise.la90, f->u.noise.age_ms);
		break;
	case FRAME_HEARTBEAT:
		printf("HEARTBEAT node=%u uptime=%u battery=%u dropped=%u rx_bad=%u\n", f->node,
		       f->u.heartbeat.uptime_ms, f->u.heartbeat.battery_mv, f->u.heartbeat.dropped,
		       f->u.heartbeat.rx_bad);
		break;
	default:
		printf("TYPE%u node=%u seq=%u\n", f->type, f->node, f->seq);
		break;
	}
}

static int dump(void)
{
	struct deframe d;
	struct frame f;
	int c;

	deframe_init(&d);
	while ((c = getchar()) != EOF) {
		int rc = deframe_push(&d, (uint8_t)c, &f);

		if (rc == 1)
			print(&f);
		else if (rc < 0)
			printf("BAD %s\n", strerror(-rc));
		if (rc != 0)
			fflush(stdout);
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct frame f;
	uint8_t buf[FRAME_WIRE_MAX];
	long v = 0, node = 0;
	int n;

	memset(&f, 0, sizeof(f));
	if (argc < 2)
		return usage();
	if (!strcmp(argv[1], "dump") && argc == 2)
		return dump();
	if (!strcmp(argv[1], "door") && argc == 3) {
		f.type = FRAME_STIMULUS;
		f.u.stimulus.kind = FRAME_STIM_DOOR;
		if (!strcmp(argv[2], "open"))
			f.u.stimulus.value = 1;
		else if (strcmp(argv[2], "closed"))
			return usage();
	} else if ((!strcmp(argv[1], "tone") || !strcmp(argv[1], "burst")) && argc == 3) {
		f.type = FRAME_STIMULUS;
		f.u.stimulus.kind = argv[1][0] == 't' ? FRAME_STIM_TONE : FRAME_STIM_BURST;
		if (!strcmp(argv[2], "none"))
			v = FRAME_LEVEL_NONE;
		else if (number(argv[2], -5000, 20000, &v))
			return usage();
		f.u.stimulus.value = (int16_t)v;
	} else if (!strcmp(argv[1], "ack") && (argc == 3 || argc == 4)) {
		f.type = FRAME_ACK;
		if (number(argv[2], 1, 0xFFFFFFFFL, &v) || (argc == 4 && number(argv[3], 0, 65535, &node)))
			return usage();
		f.node = (uint16_t)node;
		f.u.ack.seq = (uint32_t)v;
	} else if (!strcmp(argv[1], "corrupt") && argc == 2) {
		f.type = FRAME_DOOR;
		f.seq = 1;
		f.u.door.open = 1;
	} else {
		return usage();
	}
	n = frame_encode(&f, buf, sizeof(buf));
	if (n < 0) {
		fprintf(stderr, "sblink-frame: cannot encode: %s\n", strerror(-n));
		return 1;
	}
	if (f.type == FRAME_DOOR)
		buf[3] ^= 0x10;
	if (fwrite(buf, 1, (size_t)n, stdout) != (size_t)n || fflush(stdout))
		return 1;
	return 0;
}
