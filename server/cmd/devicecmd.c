/* SPDX-License-Identifier: MIT */
/*
 * "siteboard-server device ..." and "mqtt-acl" (see devicecmd.h).
 */
#include "cmd/devicecmd.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "siteboard/sbtime.h"
#include "siteboard/topic.h"
#include "devices/devices.h"
#include "devices/mqttpw.h"

#define PROG "siteboard-server"
#define EXIT_USAGE 2
#define SENSORS_LIST_MAX 16
#define PATH_MAX_LEN 4096

bool devicecmd_is_command(const char *word)
{
	return strcmp(word, "device") == 0 || strcmp(word, "mqtt-acl") == 0;
}

/* "a,b,c" of valid ids, at most SENSORS_LIST_MAX, no empty parts. */
static bool sensors_valid(const char *list)
{
	char id[TOPIC_ID_MAX + 2];
	size_t n = 0, count = 0;

	if (list[0] == '\0' || strlen(list) >= DEVICES_SENSORS_MAX)
		return false;
	for (const char *p = list;; p++) {
		if (*p == ',' || *p == '\0') {
			id[n] = '\0';
			if (!topic_id_valid(id) || ++count > SENSORS_LIST_MAX)
				return false;
			n = 0;
			if (*p == '\0')
				return true;
		} else if (n < sizeof(id) - 1) {
			id[n++] = *p;
		} else {
			return false;
		}
	}
}

/* A bridge's topic prefix: MQTT topic levels without wildcards, not ours, not $SYS. */
static bool prefix_valid(const char *p)
{
	size_t n = strlen(p);

	if (n == 0 || n >= DEVICES_PREFIX_MAX || p[0] == '/' || p[0] == '$' || p[n - 1] == '/' ||
	    strncmp(p, "siteboard", 9) == 0)
		return false;
	for (; *p != '\0'; p++)
		if (*p == '+' || *p == '#' || (unsigned char)*p < 0x21)
			return false;
	return true;
}

static int with_devices(struct store *st, struct devices **d)
{
	int ret;

	store_lock(st);
	ret = devices_open(st, d);
	store_unlock(st);
	if (ret < 0)
		fprintf(stderr, PROG ": device: cannot use the database (see log)\n");
	return ret;
}

static void print_config(const char *site, const struct device *dev, const char *password)
{
	printf("# Paste into the device's configuration. The password is shown only now.\n"
	       "[mqtt]\nusername = %s\npassword = %s\n",
	       dev->username, password);
	switch (dev->kind) {
	case DEVICES_KIOSK:
		printf("\n[kiosk]\nid = %s\nsite = %s\nblock = %s\n", dev->id, site, dev->block);
		break;
	case DEVICES_SENSORD:
		printf("\n[sensord]\nid = %s\nsite = %s\nblock = %s\n# sensors: %s\n", dev->id,
		       site, dev->block, dev->sensors);
		break;
	case DEVICES_SENSOR:
		printf("# sensor %s of site %s, block %s: it publishes on "
		       "siteboard/%s/%s/sensor/%s/door|noise|status\n",
		       dev->id, site, dev->block, site, dev->block, dev->id);
		break;
	case DEVICES_BRIDGE:
		printf("# bridge %s: may publish the mapped topics of the server's config%s%s%s\n",
		       dev->id, dev->prefix[0] != '\0' ? " and " : "", dev->prefix,
		       dev->prefix[0] != '\0' ? "/#" : "");
		break;
	case DEVICES_SERVER:
		printf("# the site server's own [mqtt] credentials (server.ini)\n");
		break;
	}
	printf("# then: " PROG " --config FILE mqtt-acl DIR, and reload mosquitto\n");
}

static int cmd_add(struct store *st, const char *site, int argc, char **argv)
{
	static const struct option opts[] = {
		{"block", required_argument, NULL, 'b'},
		{"sensors", required_argument, NULL, 's'},
		{"prefix", required_argument, NULL, 'p'},
		{NULL, 0, NULL, 0},
	};
	const char *block = "", *sensors = "", *prefix = "";
	struct device *dev = NULL;
	struct devices *d = NULL;
	char password[MQTTPW_PASSWORD_MAX];
	int ret = EXIT_USAGE;
	int c;

	optind = 0;
	for (;;) {
		c = getopt_long(argc, argv, "", opts, NULL);
		if (c == -1)
			break;
		if (c == 'b')
			block = optarg;
		else if (c == 's')
			sensors = optarg;
		else if (c == 'p')
			prefix = optarg;
		else
			return EXIT_USAGE;
	}
	dev = calloc(1, sizeof(*dev));
	if (dev == NULL)
		return EXIT_FAILURE;
	if (optind + 2 != argc || devices_kind_parse(argv[optind], &dev->kind) < 0) {
		fprintf(stderr, PROG ": device add: give KIND (kiosk, sensor, sensord, server,"
				" bridge) and ID\n");
		goto out;
	}
	if (!topic_id_valid(argv[optind + 1])) {
		fprintf(stderr, PROG ": device add: ID must match [a-z0-9-]{1,40}\n");
		goto out;
	}
	snprintf(dev->id, sizeof(dev->id), "%s", argv[optind + 1]);
	snprintf(dev->username, sizeof(dev->username), "%s-%s", devices_kind_name(dev->kind),
		 dev->id);
	if (dev->kind == DEVICES_KIOSK || dev->kind == DEVICES_SENSOR ||
	    dev->kind == DEVICES_SENSORD) {
		if (!topic_id_valid(block)) {
			fprintf(stderr, PROG ": device add: a %s needs --block B ([a-z0-9-]{1,40})\n",
				devices_kind_name(dev->kind));
			goto out;
		}
		snprintf(dev->block, sizeof(dev->block), "%s", block);
	} else if (block[0] != '\0') {
		fprintf(stderr, PROG ": device add: --block is for kiosks and sensors\n");
		goto out;
	}
	if (dev->kind == DEVICES_SENSORD) {
		if (!sensors_valid(sensors)) {
			fprintf(stderr, PROG ": device add: a sensord needs --sensors a,b (the ids of"
					" its sensors, at most %d)\n", SENSORS_LIST_MAX);
			goto out;
		}
		snprintf(dev->sensors, sizeof(dev->sensors), "%s", sensors);
	} else if (sensors[0] != '\0') {
		fprintf(stderr, PROG ": device add: --sensors is for a sensord\n");
		goto out;
	}
	if (prefix[0] != '\0' && (dev->kind != DEVICES_BRIDGE || !prefix_valid(prefix))) {
		fprintf(stderr, PROG ": device add: --prefix is a bridge's own topic prefix"
				" (e.g. zigbee2mqtt), without wildcards\n");
		goto out;
	}
	snprintf(dev->prefix, sizeof(dev->prefix), "%s", prefix);
	ret = EXIT_FAILURE;
	if (mqttpw_generate(password, sizeof(password)) < 0 ||
	    mqttpw_hash(password, dev->pwhash, sizeof(dev->pwhash)) < 0) {
		fprintf(stderr, PROG ": device add: cannot make a password\n");
		goto out;
	}
	dev->created_at = sbtime_now_ms();
	if (with_devices(st, &d) < 0)
		goto out;
	store_lock(st);
	c = devices_add(d, dev);
	store_unlock(st);
	if (c == -EEXIST) {
		fprintf(stderr, PROG ": device add: device %s already exists (device remove it"
				" first to give it a new password)\n", dev->id);
		goto out;
	}
	if (c < 0) {
		fprintf(stderr, PROG ": device add: cannot store the device (see log)\n");
		goto out;
	}
	print_config(site, dev, password);
	ret = fflush(stdout) == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
out:
	sodium_memzero(password, sizeof(password));
	if (d != NULL) {
		store_lock(st);
		devices_close(d);
		store_unlock(st);
	}
	free(dev);
	return ret;
}

static int cmd_remove(struct store *st, int argc, char **argv)
{
	struct devices *d = NULL;
	int rc;

	if (argc != 2 || !topic_id_valid(argv[1])) {
		fprintf(stderr, PROG ": device remove: give exactly one valid ID\n");
		return EXIT_USAGE;
	}
	if (with_devices(st, &d) < 0)
		return EXIT_FAILURE;
	store_lock(st);
	rc = devices_remove(d, argv[1]);
	devices_close(d);
	store_unlock(st);
	if (rc == -ENOENT) {
		fprintf(stderr, PROG ": device remove: no device %s\n", argv[1]);
		return EXIT_FAILURE;
	}
	if (rc < 0) {
		fprintf(stderr, PROG ": device remove: cannot remove (see log)\n");
		return EXIT_FAILURE;
	}
	printf("# device %s removed: regenerate with mqtt-acl and reload mosquitto\n", argv[1]);
	return EXIT_SUCCESS;
}

static int list_one(void *ctx, const struct device *dev)
{
	(void)ctx;
	printf("%-24s %-8s %-16s %s%s%s\n", dev->id, devices_kind_name(dev->kind),
	       dev->block[0] != '\0' ? dev->block : "-", dev->username,
	       dev->sensors[0] != '\0' ? " sensors=" : "", dev->sensors);
	return 0;
}

static int cmd_list(struct store *st, int argc)
{
	struct devices *d = NULL;
	int rc;

	if (argc != 1) {
		fprintf(stderr, PROG ": device list: no arguments\n");
		return EXIT_USAGE;
	}
	if (with_devices(st, &d) < 0)
		return EXIT_FAILURE;
	printf("%-24s %-8s %-16s %s\n", "ID", "KIND", "BLOCK", "MQTT USER");
	store_lock(st);
	rc = devices_foreach(d, list_one, NULL);
	devices_close(d);
	store_unlock(st);
	return rc == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

struct aclgen {
	FILE *passwd, *acl;
	const char *site;
	const struct mapping *map;
	char (*mapped)[256];
	size_t n_mapped;
	int n_servers;
};

static void acl_sensor(FILE *f, const char *site, const char *block, const char *sensor)
{
	fprintf(f, "topic write siteboard/%s/%s/sensor/%s/#\n", site, block, sensor);
}

static int write_one(void *ctx, const struct device *dev)
{
	struct aclgen *g = ctx;
	FILE *f = g->acl;
	const char *s = g->site;

	fprintf(g->passwd, "%s:%s\n", dev->username, dev->pwhash);
	fprintf(f, "\n# %s %s\nuser %s\n", devices_kind_name(dev->kind), dev->id, dev->username);
	switch (dev->kind) {
	case DEVICES_SERVER:
		g->n_servers++;
		fprintf(f, "topic readwrite siteboard/%s/#\n", s);
		for (size_t i = 0; i < g->n_mapped; i++)
			fprintf(f, "topic read %s\n", g->mapped[i]);
		break;
	case DEVICES_KIOSK:
		fprintf(f, "topic read siteboard/%s/%s/board\n", s, dev->block);
		fprintf(f, "topic read siteboard/%s/%s/kiosk/%s/cmd\n", s, dev->block, dev->id);
		fprintf(f, "topic write siteboard/%s/%s/kiosk/%s/status\n", s, dev->block, dev->id);
		break;
	case DEVICES_SENSOR:
		acl_sensor(f, s, dev->block, dev->id);
		break;
	case DEVICES_SENSORD: {
		char id[DEVICES_ID_MAX];
		size_t n = 0;

		/* its own status, then each sensor's topics in whichever block it is */
		fprintf(f, "topic write siteboard/%s/%s/sensor/%s/status\n", s, dev->block,
			dev->id);
		for (const char *p = dev->sensors;; p++) {
			if (*p == ',' || *p == '\0') {
				id[n] = '\0';
				if (n > 0)
					acl_sensor(f, s, "+", id);
				n = 0;
				if (*p == '\0')
					break;
			} else if (n < sizeof(id) - 1) {
				id[n++] = *p;
			}
		}
		break;
	}
	case DEVICES_BRIDGE:
		for (size_t i = 0; i < g->n_mapped; i++)
			fprintf(f, "topic write %s\n", g->mapped[i]);
		if (dev->prefix[0] != '\0')
			fprintf(f, "topic readwrite %s/#\n", dev->prefix);
		break;
	}
	return 0;
}

/* Open DIR/name.tmp for writing with mode; *path gets DIR/name. */
static FILE *open_tmp(const char *dir, const char *name, mode_t mode, char *path, char *tmp)
{
	int fd;
	FILE *f;

	snprintf(path, PATH_MAX_LEN, "%s/%s", dir, name);
	snprintf(tmp, PATH_MAX_LEN, "%s/.%s.tmp", dir, name);
	unlink(tmp);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	if (fd < 0)
		return NULL;
	f = fdopen(fd, "w");
	if (f == NULL)
		close(fd);
	return f;
}

/* Flush, sync and close f, then rename tmp over path. 0 or -EIO. */
static int commit_file(FILE *f, const char *tmp, const char *path)
{
	int ret = 0;

	if (fflush(f) != 0 || fsync(fileno(f)) != 0)
		ret = -EIO;
	if (fclose(f) != 0)
		ret = -EIO;
	if (ret == 0 && rename(tmp, path) != 0)
		ret = -EIO;
	if (ret < 0)
		unlink(tmp);
	return ret;
}

static int cmd_acl(struct store *st, const char *site, const struct mapping *map, int argc,
		   char **argv)
{
	char pw_path[PATH_MAX_LEN], pw_tmp[PATH_MAX_LEN];
	char acl_path[PATH_MAX_LEN], acl_tmp[PATH_MAX_LEN];
	char now[40];
	struct aclgen g = {NULL, NULL, site, map, NULL, 0, 0};
	struct devices *d = NULL;
	int ret = EXIT_FAILURE;
	int rc;

	if (argc != 2) {
		fprintf(stderr, PROG ": mqtt-acl: give exactly one DIR\n");
		return EXIT_USAGE;
	}
	if (strlen(argv[1]) > PATH_MAX_LEN - 32) {
		fprintf(stderr, PROG ": mqtt-acl: DIR is too long\n");
		return EXIT_USAGE;
	}
	g.mapped = calloc(MAPPING_MAX * 3, sizeof(*g.mapped));
	if (g.mapped == NULL)
		goto out;
	g.n_mapped = mapping_subscriptions(map, g.mapped, MAPPING_MAX * 3);
	if (g.n_mapped > MAPPING_MAX * 3)
		goto out;
	if (with_devices(st, &d) < 0)
		goto out;
	/* passwd holds hashes only, still: the broker's group reads it, nobody else */
	g.passwd = open_tmp(argv[1], "passwd", 0640, pw_path, pw_tmp);
	g.acl = open_tmp(argv[1], "acl", 0644, acl_path, acl_tmp);
	if (g.passwd == NULL || g.acl == NULL) {
		fprintf(stderr, PROG ": mqtt-acl: cannot write in %s: %s\n", argv[1],
			strerror(errno));
		goto out;
	}
	sbtime_format(sbtime_now_ms(), now, sizeof(now));
	fprintf(g.acl,
		"# generated by " PROG " mqtt-acl at %s for site %s; do not edit: register\n"
		"# devices with 'device add' and run mqtt-acl again, then reload mosquitto.\n"
		"# Anonymous clients have no rules here; the listener refuses them\n"
		"# (allow_anonymous false) and unknown users get nothing.\n",
		now, site);
	store_lock(st);
	rc = devices_foreach(d, write_one, &g);
	store_unlock(st);
	if (rc != 0) {
		fprintf(stderr, PROG ": mqtt-acl: cannot read the devices (see log)\n");
		goto out;
	}
	if (g.n_servers == 0)
		fprintf(stderr, PROG ": mqtt-acl: warning: no server device; the server cannot"
				" publish until 'device add server NAME' and mqtt-acl again\n");
	rc = commit_file(g.passwd, pw_tmp, pw_path);
	g.passwd = NULL;
	if (commit_file(g.acl, acl_tmp, acl_path) < 0 || rc < 0) {
		g.acl = NULL;
		fprintf(stderr, PROG ": mqtt-acl: cannot write %s\n", argv[1]);
		goto out;
	}
	g.acl = NULL;
	printf("# wrote %s and %s\n", pw_path, acl_path);
	ret = EXIT_SUCCESS;
out:
	if (g.passwd != NULL) {
		fclose(g.passwd);
		unlink(pw_tmp);
	}
	if (g.acl != NULL) {
		fclose(g.acl);
		unlink(acl_tmp);
	}
	if (d != NULL) {
		store_lock(st);
		devices_close(d);
		store_unlock(st);
	}
	free(g.mapped);
	return ret;
}

int devicecmd_run(struct store *st, const char *site, const struct mapping *map, int argc,
		  char **argv)
{
	if (strcmp(argv[0], "mqtt-acl") == 0)
		return cmd_acl(st, site, map, argc, argv);
	if (argc < 2) {
		fprintf(stderr, PROG ": device: add, remove or list?\n");
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "add") == 0)
		return cmd_add(st, site, argc - 1, argv + 1);
	if (strcmp(argv[1], "remove") == 0)
		return cmd_remove(st, argc - 1, argv + 1);
	if (strcmp(argv[1], "list") == 0)
		return cmd_list(st, argc - 1);
	fprintf(stderr, PROG ": device: unknown command '%s' (add, remove, list)\n", argv[1]);
	return EXIT_USAGE;
}
