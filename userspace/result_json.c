// SPDX-License-Identifier: GPL-2.0-only
/*
 * result_json.c - what start, complete and cancel did, as JSON; see
 * result_json.h
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "errors.h"
#include "json_build.h"
#include "log.h"
#include "report_json.h"
#include "result_json.h"

/* @t as dmsetup prints it, without the last newline; NULL for none */
static struct json_object *table_json(struct json_build *b,
				      const struct table *t)
{
	struct json_object *o;
	char *text;
	size_t len;

	if (!t)
		return NULL;
	text = table_format(t);
	if (!text) {
		b->failed++;
		return NULL;
	}
	len = strlen(text);
	if (len && text[len - 1] == '\n')
		text[len - 1] = '\0';
	o = jb_str(b, text);
	free(text);
	return o;
}

static struct json_object *device_json(struct json_build *b,
				       const struct swap_dev *d)
{
	struct json_object *o = jb_object(b);
	const char *name = d->info.name[0] ? d->info.name : d->arg;

	if (!o)
		return NULL;
	jb_add(b, o, "device", jb_str(b, name));
	jb_add(b, o, "switched", jb_bool(b, d->swapped));
	jb_add(b, o, "old_table", table_json(b, d->live));
	jb_add(b, o, "new_table", table_json(b, d->next));
	return o;
}

int result_json_print(const char *action, const struct swap_dev *d, int nr,
		      int r, uint64_t window_us)
{
	struct json_build b = { 0 };
	struct json_object *root, *devs, *errs, *o;
	const char * const *kept;
	size_t nr_kept, k;
	int i, all = nr > 0;
	char ms[32];
	char *text;

	root = jb_object(&b);
	devs = jb_array(&b);
	errs = jb_array(&b);
	if (!root || !devs || !errs) {
		json_object_put(root);
		json_object_put(devs);
		json_object_put(errs);
		log_err("%s --json: %s", action, strerror(ENOMEM));
		return -ENOMEM;
	}
	for (i = 0; d && i < nr; i++) {
		all &= d[i].swapped;
		o = device_json(&b, &d[i]);
		if (o)
			jb_append(&b, devs, o);
	}
	kept = log_kept_errors(&nr_kept);
	for (k = 0; k < nr_kept; k++)
		jb_append(&b, errs, jb_str(&b, kept[k]));
	snprintf(ms, sizeof(ms), "%llu.%03llu",
		 (unsigned long long)(window_us / 1000),
		 (unsigned long long)(window_us % 1000));
	jb_add(&b, root, "version", jb_int(&b, REPORT_JSON_VERSION));
	jb_add(&b, root, "action", jb_str(&b, action));
	jb_add(&b, root, "exit_code", jb_int(&b, mctl_exit_code(r)));
	jb_add(&b, root, "switched", jb_bool(&b, !r && all));
	jb_add(&b, root, "suspend_ms", window_us != SWAP_NO_WINDOW ?
	       jb_double(&b, (double)window_us / 1000, ms) : NULL);
	jb_add(&b, root, "devices", devs);
	jb_add(&b, root, "errors", errs);
	text = jb_text(&b, root);
	if (!text) {
		log_err("%s --json: %s", action, strerror(ENOMEM));
		return -ENOMEM;
	}
	r = printf("%s\n", text) < 0 ? -EIO : 0;
	free(text);
	return r;
}
