/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the on-disk queue against real SQLite files: seq per sensor
 * across reopen, order, ack, the bound (drop oldest, counted), and the
 * sender's store-and-forward over a fake broker (acks, reconnect, timeout),
 * and a firmware node's frames: one seq per frame, dense per sensor, the
 * same frame pushed again (even after reopen) queued once.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "outbox.h"
#include "sender.h"

static char dir[] = "/tmp/sensord-outbox-test-XXXXXX";
static char path[256];

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof(path), "%s/queue.db", dir);
	return 0;
}

static int teardown(void **state)
{
	char p[300];
	static const char *const suffix[] = {"", "-wal", "-shm"};

	(void)state;
	for (size_t i = 0; i < 3; i++) {
		snprintf(p, sizeof(p), "%s%s", path, suffix[i]);
		unlink(p);
	}
	rmdir(dir);
	return 0;
}

static int enc(void *ctx, int64_t seq, char *buf, size_t n)
{
	return snprintf(buf, n, "{\"seq\":%lld,\"v\":%d}", (long long)seq, *(int *)ctx);
}

static int enc_fail(void *ctx, int64_t seq, char *buf, size_t n)
{
	(void)ctx;
	(void)seq;
	(void)buf;
	(void)n;
	return -EINVAL;
}

static void push(struct outbox *ob, const char *sensor, int v, int64_t want_seq)
{
	int64_t seq = 0;

	assert_int_equal(outbox_push(ob, sensor, "t/x", enc, &v, &seq), 0);
	assert_int_equal(seq, want_seq);
}

static void test_seq_order_ack_reopen(void **state)
{
	struct outbox *ob = NULL;
	struct outbox_row row;
	int v = 0;

	(void)state;
	unlink(path);
	assert_int_equal(outbox_open(path, 100, &ob), 0);
	push(ob, "gate-1", 1, 1);
	push(ob, "gate-1", 2, 2);
	push(ob, "noise-1", 3, 1);
	assert_int_equal(outbox_push(ob, "gate-1", "t/x", enc_fail, &v, NULL), -EINVAL);
	assert_int_equal(outbox_push(ob, "Bad Id", "t/x", enc, &v, NULL), -EINVAL);
	assert_int_equal(outbox_count(ob), 3);
	assert_int_equal(outbox_next(ob, 0, &row), 0);
	assert_string_equal(row.sensor, "gate-1");
	assert_int_equal(row.seq, 1);
	assert_string_equal(row.topic, "t/x");
	assert_int_equal(row.len, strlen("{\"seq\":1,\"v\":1}"));
	assert_memory_equal(row.payload, "{\"seq\":1,\"v\":1}", row.len);
	assert_int_equal(outbox_ack(ob, row.id), 0);
	assert_int_equal(outbox_ack(ob, row.id), 0); /* twice is fine */
	assert_int_equal(outbox_count(ob), 2);
	outbox_close(ob);
	ob = NULL;

	/* seq and unacknowledged rows survive a reopen */
	assert_int_equal(outbox_open(path, 100, &ob), 0);
	assert_int_equal(outbox_count(ob), 2);
	assert_int_equal(outbox_next_seq(ob, "gate-1"), 3);
	assert_int_equal(outbox_next_seq(ob, "new-one"), 1);
	assert_int_equal(outbox_next(ob, 0, &row), 0);
	assert_int_equal(row.seq, 2);
	assert_int_equal(outbox_next(ob, row.id, &row), 0);
	assert_string_equal(row.sensor, "noise-1");
	assert_int_equal(outbox_next(ob, row.id, &row), -ENOENT);
	push(ob, "gate-1", 4, 3);
	outbox_close(ob);
}

static void push_node(struct outbox *ob, const char *sensor, uint32_t boot, uint32_t node_seq,
		      int64_t want_seq, bool want_dup)
{
	struct outbox_origin o = {.node = 1, .boot_count = boot, .boot_ms = 1000, .node_seq = node_seq};
	int64_t seq = 0;
	bool dup = !want_dup;
	int v = (int)node_seq;

	assert_int_equal(outbox_push_node(ob, sensor, "t/x", &o, enc, &v, &seq, &dup), 0);
	assert_int_equal(seq, want_seq);
	assert_true(dup == want_dup);
}

static void test_node_origin(void **state)
{
	struct outbox *ob = NULL;
	int64_t before;

	(void)state;
	unlink(path);
	assert_int_equal(outbox_open(path, 100, &ob), 0);
	push(ob, "gate-1", 0, 1); /* a local reading first: node frames continue the seq */
	/* the node's seq counts every frame type: door gets 2, 4, 5 */
	push_node(ob, "gate-1", 1, 2, 2, false);
	push_node(ob, "gate-n", 1, 3, 1, false);
	push_node(ob, "gate-1", 1, 4, 3, false);
	push_node(ob, "gate-1", 1, 2, 2, true); /* retransmitted: same seq, nothing queued */
	before = outbox_count(ob);
	push_node(ob, "gate-1", 1, 4, 3, true);
	assert_int_equal(outbox_count(ob), before);
	outbox_close(ob);
	ob = NULL;
	assert_int_equal(outbox_open(path, 100, &ob), 0);
	push_node(ob, "gate-1", 1, 4, 3, true); /* after a restart too */
	push_node(ob, "gate-1", 1, 5, 4, false);
	/* the node rebooted: its seq starts again, ours goes on */
	push_node(ob, "gate-1", 2, 2, 5, false);
	push_node(ob, "gate-1", 2, 2, 5, true);
	assert_int_equal(outbox_count(ob), 6);
	assert_int_equal(outbox_next_seq(ob, "gate-1"), 6);
	assert_int_equal(outbox_push_node(ob, "gate-1", "t/x", NULL, enc, &before, NULL, NULL),
			 -EINVAL);
	outbox_close(ob);
}

static void test_full_drops_oldest(void **state)
{
	struct outbox *ob = NULL;
	struct outbox_row row;

	(void)state;
	unlink(path);
	assert_int_equal(outbox_open(path, 10, &ob), 0);
	for (int i = 1; i <= 15; i++)
		push(ob, "gate-1", i, i);
	assert_int_equal(outbox_count(ob), 10);
	assert_int_equal(outbox_dropped(ob), 5);
	assert_int_equal(outbox_next(ob, 0, &row), 0);
	assert_int_equal(row.seq, 6);
	outbox_close(ob);
	ob = NULL;
	assert_int_equal(outbox_open(path, 10, &ob), 0);
	assert_int_equal(outbox_dropped(ob), 5);
	assert_int_equal(outbox_count(ob), 10);
	outbox_close(ob);
}

/* A fake broker: records publishes, can refuse them. */
struct fake {
	bool up;
	int next_mid;
	int n;
	int mids[1000];
	int64_t seqs[1000];
};

static int fake_publish(void *ctx, const char *topic, const void *payload, size_t len, int *mid)
{
	struct fake *f = ctx;
	long long seq = 0;
	char buf[OUTBOX_PAYLOAD_MAX + 1];

	(void)topic;
	if (!f->up)
		return -ENOTCONN;
	memcpy(buf, payload, len);
	buf[len] = '\0';
	assert_int_equal(sscanf(buf, "{\"seq\":%lld", &seq), 1);
	*mid = ++f->next_mid;
	f->mids[f->n] = *mid;
	f->seqs[f->n++] = seq;
	return 0;
}

static void test_sender(void **state)
{
	struct outbox *ob = NULL;
	struct sender *s = NULL;
	struct fake f;
	int64_t now = 1000;

	(void)state;
	unlink(path);
	memset(&f, 0, sizeof(f));
	assert_int_equal(outbox_open(path, 1000, &ob), 0);
	assert_int_equal(sender_open(ob, fake_publish, &f, &s), 0);
	for (int i = 1; i <= 40; i++)
		push(ob, "gate-1", i, i);
	/* not connected: nothing goes out */
	assert_int_equal(sender_pump(s, now), 0);
	f.up = true;
	sender_connected(s, now);
	assert_int_equal(sender_pump(s, now), SENDER_WINDOW);
	assert_int_equal(f.seqs[0], 1);
	assert_int_equal(f.seqs[SENDER_WINDOW - 1], SENDER_WINDOW);
	/* window full until acks come */
	assert_int_equal(sender_pump(s, now), 0);
	for (int i = 0; i < 10; i++)
		sender_acked(s, f.mids[i], now);
	sender_acked(s, 9999, now); /* unknown mid: ignored */
	assert_int_equal(outbox_count(ob), 30);
	assert_int_equal(sender_pump(s, now), 8);
	assert_int_equal(f.seqs[f.n - 1], 40);

	/* disconnect with 30 in flight; on reconnect libmosquitto resends them:
	 * nothing new goes out until they are acknowledged */
	f.up = false;
	sender_disconnected(s);
	push(ob, "gate-1", 41, 41);
	f.up = true;
	sender_connected(s, now);
	assert_int_equal(sender_pump(s, now), 0);
	for (int i = 10; i < 40; i++)
		sender_acked(s, f.mids[i], now);
	assert_int_equal(sender_pump(s, now), 1);
	assert_int_equal(f.seqs[f.n - 1], 41);

	/* a PUBACK that never comes: everything unacknowledged goes again, in order */
	push(ob, "gate-1", 42, 42);
	assert_int_equal(sender_pump(s, now), 1);
	assert_int_equal(sender_pump(s, now + SENDER_ACK_TIMEOUT_MS - 1), 0);
	assert_int_equal(sender_pump(s, now + SENDER_ACK_TIMEOUT_MS), 2);
	assert_int_equal(f.seqs[f.n - 2], 41);
	assert_int_equal(f.seqs[f.n - 1], 42);
	sender_acked(s, f.mids[f.n - 2], now + SENDER_ACK_TIMEOUT_MS);
	sender_acked(s, f.mids[f.n - 1], now + SENDER_ACK_TIMEOUT_MS);
	assert_int_equal(outbox_count(ob), 0);
	assert_int_equal(sender_inflight(s), 0);
	sender_close(s);
	outbox_close(ob);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seq_order_ack_reopen),
		cmocka_unit_test(test_full_drops_oldest),
		cmocka_unit_test(test_node_origin),
		cmocka_unit_test(test_sender),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
